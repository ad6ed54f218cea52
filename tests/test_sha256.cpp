// SPDX-License-Identifier: Apache-2.0
// SHA-256 (detail/sha256.hpp): the FIPS 180-4 vectors on every block function this CPU runs, and the
// streaming hasher against the one-shot one on random lengths and random chunkings (every padding
// case: lengths around 55, 56, 63, 64 bytes and partial blocks carried across update() calls).
#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>
#include <symtri/detail/sha256.hpp>

namespace {

using symtri::detail::Sha256;
using symtri::detail::Sha256BlockFn;

std::string hash_with(Sha256BlockFn fn, std::string_view data) {
    Sha256 h(fn);
    h.update(data);
    return h.hex_final();
}

// The block functions this CPU can run, by name: scalar always, SHA-NI where the CPU has it.
std::vector<std::pair<const char*, Sha256BlockFn>> block_functions() {
    std::vector<std::pair<const char*, Sha256BlockFn>> fns{{"scalar", &symtri::detail::sha256_blocks_scalar}};
#if SYMTRI_SHA256_X86
    if (symtri::detail::sha256_cpu_has_sha_ni()) fns.emplace_back("sha-ni", &symtri::detail::sha256_blocks_sha_ni);
#endif
    return fns;
}

std::string random_bytes(std::mt19937& rng, std::size_t n) {
    std::uniform_int_distribution<int> byte(0, 255);
    std::string s(n, '\0');
    for (auto& c : s) c = static_cast<char>(byte(rng));
    return s;
}

}  // namespace

TEST_CASE("SHA-256: FIPS 180-4 vectors on every block function", "[sha256]") {
    const std::string a448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    const std::string a896 =
        "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
    const std::string million(1000000, 'a');
    for (const auto& [name, fn] : block_functions()) {
        INFO(name);
        CHECK(hash_with(fn, "") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        CHECK(hash_with(fn, "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        CHECK(hash_with(fn, a448) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
        CHECK(hash_with(fn, a896) == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
        CHECK(hash_with(fn, million) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
        // The million 'a' fed in uneven pieces too.
        Sha256 h(fn);
        for (std::size_t off = 0, step = 1; off < million.size(); off += step, step = step * 3 % 997 + 1)
            h.update(std::string_view(million).substr(off, step));
        CHECK(h.hex_final() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    }
    CHECK(symtri::detail::sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("SHA-256: streaming in random chunks equals one-shot, on random lengths", "[sha256]") {
    std::mt19937 rng(20240611);
    const auto fns = block_functions();
    for (int iter = 0; iter < 600; ++iter) {
        // Every length 0..200 once, then random ones up to 1000.
        const std::size_t len = iter <= 200 ? static_cast<std::size_t>(iter)
                                            : std::uniform_int_distribution<std::size_t>(0, 1000)(rng);
        const std::string msg = random_bytes(rng, len);
        const std::string expected = hash_with(&symtri::detail::sha256_blocks_scalar, msg);
        INFO("length " << len);
        CHECK(symtri::detail::sha256_hex(msg) == expected);
        for (const auto& [name, fn] : fns) {
            INFO(name);
            CHECK(hash_with(fn, msg) == expected);
            Sha256 h(fn);
            std::size_t off = 0;
            while (off < len) {
                // Mostly small pieces, sometimes empty, sometimes several blocks at once.
                const int kind = std::uniform_int_distribution<int>(0, 9)(rng);
                const std::size_t max = kind == 0 ? 0 : kind < 7 ? 70 : 300;
                const std::size_t n = std::min(len - off, std::uniform_int_distribution<std::size_t>(0, max)(rng));
                h.update(std::string_view(msg).substr(off, n));
                off += n;
            }
            CHECK(h.hex_final() == expected);
            // hex_final() resets: the hasher is good for another message.
            h.update(msg);
            CHECK(h.hex_final() == expected);
        }
    }
}

TEST_CASE("SHA-256: SHA-NI and scalar block functions agree on many blocks", "[sha256]") {
#if SYMTRI_SHA256_X86
    if (!symtri::detail::sha256_cpu_has_sha_ni()) {
        WARN("this CPU has no SHA extensions: SHA-NI path not tested");
        return;
    }
    std::mt19937 rng(42);
    for (std::size_t blocks : {1, 2, 3, 17, 256}) {
        const std::string data = random_bytes(rng, blocks * 64);
        std::uint32_t a[8] = {1, 2, 3, 4, 5, 6, 7, 8}, b[8] = {1, 2, 3, 4, 5, 6, 7, 8};
        symtri::detail::sha256_blocks_scalar(a, reinterpret_cast<const unsigned char*>(data.data()), blocks);
        symtri::detail::sha256_blocks_sha_ni(b, reinterpret_cast<const unsigned char*>(data.data()), blocks);
        CHECK(std::equal(a, a + 8, b));
    }
    CHECK(symtri::detail::sha256_best_blocks() == &symtri::detail::sha256_blocks_sha_ni);
#else
    WARN("not an x86-64 build: no SHA-NI path");
#endif
}
