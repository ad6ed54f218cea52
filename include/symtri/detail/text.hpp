// SPDX-License-Identifier: Apache-2.0
// Small text helpers: JSON string quoting and "did you mean" suggestions.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace symtri {
namespace detail {

// Whether `s` is well-formed UTF-8 (RFC 3629: no overlong forms, surrogates or code points above
// U+10FFFF).
inline bool valid_utf8(std::string_view s) {
    std::size_t i = 0, n = s.size();
    while (i < n) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) { ++i; continue; }
        std::size_t len;
        unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
        if (c >= 0xC2 && c <= 0xDF) len = 2;
        else if (c >= 0xE0 && c <= 0xEF) { len = 3; if (c == 0xE0) lo = 0xA0; if (c == 0xED) hi = 0x9F; }
        else if (c >= 0xF0 && c <= 0xF4) { len = 4; if (c == 0xF0) lo = 0x90; if (c == 0xF4) hi = 0x8F; }
        else return false;
        if (i + len > n) return false;
        auto c1 = static_cast<unsigned char>(s[i + 1]);
        if (c1 < lo || c1 > hi) return false;
        for (std::size_t k = 2; k < len; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        i += len;
    }
    return true;
}

// Appends `s` as the inside of a JSON string literal (no quotes), escaped exactly as nlohmann::json's
// dump() escapes (the short escapes, other control characters as \u00xx, UTF-8 kept as it is).
// Invalid UTF-8 is replaced by U+FFFD as nlohmann's replace handler does. Written by hand because
// results quote strings on the hot path, and a JSON value per string cost more than the triage.
inline void append_escaped(std::string& out, std::string_view s) {
    bool ascii = true;
    for (char ch : s) ascii = ascii && static_cast<unsigned char>(ch) < 0x80;
    if (!ascii && !valid_utf8(s)) {
        std::string q = nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        out.append(q, 1, q.size() - 2);
        return;
    }
    std::size_t run = 0;  // start of the stretch that needs no escaping
    for (std::size_t i = 0; i < s.size(); ++i) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out.append(s.data() + run, i - run);
        run = i + 1;
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default: {
                static const char hex[] = "0123456789abcdef";
                char buf[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                out.append(buf, 6);
            }
        }
    }
    out.append(s.data() + run, s.size() - run);
}

// Appends `s` as a JSON string literal, quotes included.
inline void append_quoted(std::string& out, std::string_view s) {
    out += '"';
    append_escaped(out, s);
    out += '"';
}

// `s` as a JSON string literal, quotes included. Invalid UTF-8 is replaced (U+FFFD), never thrown on.
inline std::string quote(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 2);
    append_quoted(out, s);
    return out;
}

// Optimal string alignment distance (Levenshtein plus adjacent transposition): "sadle" -> "saddle" is 1,
// "sicatica" -> "sciatica" is 1.
inline std::size_t edit_distance(std::string_view a, std::string_view b) {
    const std::size_t n = a.size(), m = b.size();
    std::vector<std::size_t> prev2(m + 1), prev(m + 1), cur(m + 1);
    for (std::size_t j = 0; j <= m; ++j) prev[j] = j;
    for (std::size_t i = 1; i <= n; ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= m; ++j) {
            std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                cur[j] = std::min(cur[j], prev2[j - 2] + 1);
        }
        prev2.swap(prev);
        prev.swap(cur);
    }
    return prev[m];
}

// The same distance when it is at most `bound`, else bound + 1; only the diagonal band of width
// 2 * bound + 1 is worked out, and it stops as soon as every cell of a row is over the bound, so the
// cost is O(bound * min(|a|, |b|)) at worst whatever the lengths (a 1 MB unknown key against a large
// vocabulary once took seconds to minutes with the full distance). `cells`, when given, is increased
// by the number of cells worked out (tests count the work with it).
inline std::size_t edit_distance_within(std::string_view a, std::string_view b, std::size_t bound,
                                        std::size_t* cells = nullptr) {
    const std::size_t n = a.size(), m = b.size();
    if ((n > m ? n - m : m - n) > bound) return bound + 1;
    const std::size_t big = bound + 1;
    std::vector<std::size_t> prev2(m + 1, big), prev(m + 1, big), cur(m + 1, big);
    for (std::size_t j = 0; j <= std::min(m, bound); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= n; ++i) {
        const std::size_t lo = i > bound ? i - bound : 1, hi = std::min(m, i + bound);
        if (lo > 1) cur[lo - 1] = big;
        cur[0] = i <= bound ? i : big;
        std::size_t row_min = cur[0];
        for (std::size_t j = lo; j <= hi; ++j) {
            std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            std::size_t v = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) v = std::min(v, prev2[j - 2] + 1);
            cur[j] = std::min(v, big);
            row_min = std::min(row_min, cur[j]);
        }
        if (hi < m) cur[hi + 1] = big;
        if (cells) *cells += hi >= lo ? hi - lo + 1 : 0;
        if (row_min > bound) return big;
        prev2.swap(prev);
        prev.swap(cur);
    }
    return std::min(prev[m], big);
}

// The closest candidate to `word`, if it is close enough to be a plausible misspelling; else "".
// Ties go to the earlier candidate, so suggestions are deterministic. The distance allowed is a third
// of the word, at least 2 and at most 21 (ids are at most 64 characters), and candidates whose length
// differs by more than that are skipped unworked: the work is bounded whatever the word's length.
template <class Range>
std::string closest(std::string_view word, const Range& candidates, std::size_t* cells = nullptr) {
    std::string best;
    std::size_t best_d = std::min<std::size_t>(std::max<std::size_t>(2, word.size() / 3), 21) + 1;
    for (const auto& c : candidates) {
        std::string_view cv(c);
        std::size_t d = edit_distance_within(word, cv, best_d - 1, cells);
        // a prefix/suffix match ("saddle" for "saddle_numbness") is a good hint too
        if (d >= best_d && cv.size() > word.size() && word.size() >= 4 &&
            (cv.substr(0, word.size()) == word || cv.substr(cv.size() - word.size()) == word))
            d = best_d - 1;
        if (d < best_d) { best_d = d; best = std::string(cv); }
    }
    return best;
}

inline std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
    std::string c = closest(word, candidates);
    return c.empty() ? std::string() : " (did you mean '" + c + "'?)";
}

// "a, b or c"
inline std::string one_of(const std::vector<std::string>& words) {
    std::string out;
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (i) out += i + 1 == words.size() ? " or " : ", ";
        out += words[i];
    }
    return out;
}

}  // namespace detail
}  // namespace symtri
