// SPDX-License-Identifier: Apache-2.0
// SHA-256 (FIPS 180-4), for the rule-set digest. Self-contained so the header-only library needs no
// crypto dependency; tests check it against the FIPS test vectors.
//
// Streaming (Sha256::update hashes whole 64-byte blocks straight from the input, buffering only a
// partial one), so a digest of tens of MB costs no copy of it. On x86-64 CPUs with the SHA extensions
// the blocks go through SHA-NI (several times the scalar speed), chosen at run time by CPUID, so the
// library itself needs no special compile flags.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SYMTRI_SHA256_X86 1
#include <cpuid.h>
#include <immintrin.h>
#else
#define SYMTRI_SHA256_X86 0
#endif

namespace symtri {
namespace detail {

inline constexpr std::uint32_t sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

// Compresses `blocks` consecutive 64-byte blocks at `p` into `state` (H0..H7).
using Sha256BlockFn = void (*)(std::uint32_t* state, const unsigned char* p, std::size_t blocks);

inline void sha256_blocks_scalar(std::uint32_t* state, const unsigned char* p, std::size_t blocks) {
    auto rotr = [](std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); };
    for (; blocks > 0; --blocks, p += 64) {
        std::uint32_t w[64];
        for (int i = 0; i < 16; ++i) {
            const unsigned char* q = p + 4 * i;
            w[i] = (std::uint32_t(q[0]) << 24) | (std::uint32_t(q[1]) << 16) | (std::uint32_t(q[2]) << 8) | q[3];
        }
        for (int i = 16; i < 64; ++i) {
            std::uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
            std::uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        std::uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
        std::uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
        for (int i = 0; i < 64; ++i) {
            std::uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + sha256_k[i] + w[i];
            std::uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
        }
        state[0] += a; state[1] += b; state[2] += c; state[3] += d;
        state[4] += e; state[5] += f; state[6] += g; state[7] += h;
    }
}

#if SYMTRI_SHA256_X86

// Only called through a pointer chosen by sha256_cpu_has_sha_ni(), so the instructions never run
// on a CPU without them.
#define SYMTRI_SHA_NI_TARGET __attribute__((target("sha,sse4.1,ssse3")))

// Four rounds: `msg` is the next four schedule words, `i` the first round's index.
SYMTRI_SHA_NI_TARGET inline void sha256_ni_rounds4(__m128i& abef, __m128i& cdgh, __m128i msg, int i) {
    const __m128i wk = _mm_add_epi32(msg, _mm_loadu_si128(reinterpret_cast<const __m128i*>(sha256_k + i)));
    cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);
    abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(wk, 0x0E));
}

// Finishes the schedule words `next` from its msg1 partial and the two groups before it.
SYMTRI_SHA_NI_TARGET inline void sha256_ni_msg2(__m128i& next, __m128i cur, __m128i prev) {
    next = _mm_sha256msg2_epu32(_mm_add_epi32(next, _mm_alignr_epi8(cur, prev, 4)), cur);
}

SYMTRI_SHA_NI_TARGET inline void sha256_blocks_sha_ni(std::uint32_t* state, const unsigned char* p, std::size_t blocks) {
    const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);  // big-endian words
    // H0..H7 into the register layout the instructions use: ABEF and CDGH.
    __m128i tmp = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(state)), 0xB1);
    __m128i cdgh = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(state + 4)), 0x1B);
    __m128i abef = _mm_alignr_epi8(tmp, cdgh, 8);
    cdgh = _mm_blend_epi16(cdgh, tmp, 0xF0);

    for (; blocks > 0; --blocks, p += 64) {
        const __m128i abef_save = abef, cdgh_save = cdgh;
        __m128i m0 = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), bswap);
        __m128i m1 = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16)), bswap);
        __m128i m2 = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 32)), bswap);
        __m128i m3 = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 48)), bswap);

        // Rounds in groups of four; the schedule of group g+4 is built from groups g..g+3 on the way.
        sha256_ni_rounds4(abef, cdgh, m0, 0);
        sha256_ni_rounds4(abef, cdgh, m1, 4);   m0 = _mm_sha256msg1_epu32(m0, m1);
        sha256_ni_rounds4(abef, cdgh, m2, 8);   m1 = _mm_sha256msg1_epu32(m1, m2);
        sha256_ni_rounds4(abef, cdgh, m3, 12);  sha256_ni_msg2(m0, m3, m2); m2 = _mm_sha256msg1_epu32(m2, m3);
        sha256_ni_rounds4(abef, cdgh, m0, 16);  sha256_ni_msg2(m1, m0, m3); m3 = _mm_sha256msg1_epu32(m3, m0);
        sha256_ni_rounds4(abef, cdgh, m1, 20);  sha256_ni_msg2(m2, m1, m0); m0 = _mm_sha256msg1_epu32(m0, m1);
        sha256_ni_rounds4(abef, cdgh, m2, 24);  sha256_ni_msg2(m3, m2, m1); m1 = _mm_sha256msg1_epu32(m1, m2);
        sha256_ni_rounds4(abef, cdgh, m3, 28);  sha256_ni_msg2(m0, m3, m2); m2 = _mm_sha256msg1_epu32(m2, m3);
        sha256_ni_rounds4(abef, cdgh, m0, 32);  sha256_ni_msg2(m1, m0, m3); m3 = _mm_sha256msg1_epu32(m3, m0);
        sha256_ni_rounds4(abef, cdgh, m1, 36);  sha256_ni_msg2(m2, m1, m0); m0 = _mm_sha256msg1_epu32(m0, m1);
        sha256_ni_rounds4(abef, cdgh, m2, 40);  sha256_ni_msg2(m3, m2, m1); m1 = _mm_sha256msg1_epu32(m1, m2);
        sha256_ni_rounds4(abef, cdgh, m3, 44);  sha256_ni_msg2(m0, m3, m2); m2 = _mm_sha256msg1_epu32(m2, m3);
        sha256_ni_rounds4(abef, cdgh, m0, 48);  sha256_ni_msg2(m1, m0, m3); m3 = _mm_sha256msg1_epu32(m3, m0);
        sha256_ni_rounds4(abef, cdgh, m1, 52);  sha256_ni_msg2(m2, m1, m0);
        sha256_ni_rounds4(abef, cdgh, m2, 56);  sha256_ni_msg2(m3, m2, m1);
        sha256_ni_rounds4(abef, cdgh, m3, 60);

        abef = _mm_add_epi32(abef, abef_save);
        cdgh = _mm_add_epi32(cdgh, cdgh_save);
    }

    tmp = _mm_shuffle_epi32(abef, 0x1B);  // FEBA
    cdgh = _mm_shuffle_epi32(cdgh, 0xB1);  // DCHG
    _mm_storeu_si128(reinterpret_cast<__m128i*>(state), _mm_blend_epi16(tmp, cdgh, 0xF0));  // DCBA
    _mm_storeu_si128(reinterpret_cast<__m128i*>(state + 4), _mm_alignr_epi8(cdgh, tmp, 8));  // HGFE
}

#undef SYMTRI_SHA_NI_TARGET

// CPUID leaf 7 EBX bit 29 (SHA); SSSE3 and SSE4.1 (leaf 1 ECX bits 9, 19) are checked too, as the
// block function uses them.
inline bool sha256_cpu_has_sha_ni() {
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return false;
    const bool sse = (c & (1u << 9)) && (c & (1u << 19));
    if (!sse || !__get_cpuid_count(7, 0, &a, &b, &c, &d)) return false;
    return (b & (1u << 29)) != 0;
}

#else

inline bool sha256_cpu_has_sha_ni() { return false; }

#endif

// The fastest block function this CPU runs; decided once (a function-local static, thread-safe).
inline Sha256BlockFn sha256_best_blocks() {
#if SYMTRI_SHA256_X86
    static const Sha256BlockFn fn = sha256_cpu_has_sha_ni() ? &sha256_blocks_sha_ni : &sha256_blocks_scalar;
    return fn;
#else
    return &sha256_blocks_scalar;
#endif
}

// Streaming SHA-256: update() any number of times, then hex_final() for the digest (lowercase hex),
// which also resets the hasher for a new message.
class Sha256 {
public:
    explicit Sha256(Sha256BlockFn blocks = sha256_best_blocks()) : blocks_(blocks) { reset(); }

    void update(std::string_view data) {
        if (data.empty()) return;  // also keeps memcpy away from a null data()
        auto p = reinterpret_cast<const unsigned char*>(data.data());
        std::size_t n = data.size();
        total_ += n;
        if (buffered_ > 0) {
            const std::size_t take = n < 64 - buffered_ ? n : 64 - buffered_;
            std::memcpy(buf_ + buffered_, p, take);
            buffered_ += take;
            p += take;
            n -= take;
            if (buffered_ < 64) return;
            blocks_(h_, buf_, 1);
            buffered_ = 0;
        }
        if (n >= 64) {
            blocks_(h_, p, n / 64);
            p += n / 64 * 64;
            n %= 64;
        }
        if (n > 0) std::memcpy(buf_, p, n);
        buffered_ = n;
    }

    std::string hex_final() {
        const std::uint64_t bits = total_ * 8;
        buf_[buffered_++] = 0x80;
        if (buffered_ > 56) {
            std::memset(buf_ + buffered_, 0, 64 - buffered_);
            blocks_(h_, buf_, 1);
            buffered_ = 0;
        }
        std::memset(buf_ + buffered_, 0, 56 - buffered_);
        for (int i = 0; i < 8; ++i) buf_[56 + i] = static_cast<unsigned char>(bits >> (56 - 8 * i));
        blocks_(h_, buf_, 1);

        static constexpr char hex[] = "0123456789abcdef";
        std::string out(64, '0');
        for (std::size_t i = 0; i < 64; ++i) out[i] = hex[(h_[i / 8] >> (28 - 4 * (i % 8))) & 0xF];
        reset();
        return out;
    }

    void reset() {
        static constexpr std::uint32_t init[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                                  0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
        std::memcpy(h_, init, sizeof h_);
        total_ = 0;
        buffered_ = 0;
    }

private:
    Sha256BlockFn blocks_;
    std::uint32_t h_[8];
    std::uint64_t total_;
    std::size_t buffered_;
    unsigned char buf_[64];
};

inline std::string sha256_hex(std::string_view data) {
    Sha256 h;
    h.update(data);
    return h.hex_final();
}

}  // namespace detail
}  // namespace symtri
