// Small text helpers: JSON string quoting and "did you mean" suggestions.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace symtri {
namespace detail {

// `s` as a JSON string literal, quotes included. Invalid UTF-8 is replaced (U+FFFD), never thrown on.
inline std::string quote(std::string_view s) {
    return nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
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

// The closest candidate to `word`, if it is close enough to be a plausible misspelling; else "".
// Ties go to the earlier candidate, so suggestions are deterministic.
template <class Range>
std::string closest(std::string_view word, const Range& candidates) {
    std::string best;
    std::size_t best_d = std::max<std::size_t>(2, word.size() / 3) + 1;
    for (const auto& c : candidates) {
        std::string_view cv(c);
        std::size_t d = edit_distance(word, cv);
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
