// SPDX-License-Identifier: Apache-2.0
// The finding attributes and their values, fixed by the public contract (CONTRACT.md section 2).
// Enumerated values are small integers (their index here) so cases and conditions compare integers.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace symtri {

enum class Attr : std::uint8_t { side, sites, onset, trend, duration_days, severity, at_night, constant, character };
inline constexpr std::size_t attr_count = 9;

inline constexpr std::array<std::string_view, attr_count> attr_names = {
    "side", "sites", "onset", "trend", "duration_days", "severity", "at_night", "constant", "character"};

inline constexpr std::array<std::string_view, 3> side_names = {"left", "right", "both"};
inline constexpr std::array<std::string_view, 19> site_names = {
    "head", "face", "jaw", "neck", "shoulders", "arms", "hands", "fingers", "thumb_base", "upper_back",
    "chest", "lower_back", "buttocks", "hips", "legs", "thighs", "calves", "feet", "saddle"};
inline constexpr std::array<std::string_view, 2> onset_names = {"sudden", "gradual"};
inline constexpr std::array<std::string_view, 3> trend_names = {"improving", "stable", "worsening"};
inline constexpr std::array<std::string_view, 3> sex_names = {"female", "male", "other"};

inline constexpr std::uint16_t all_attrs_mask = (1u << attr_count) - 1;

template <std::size_t N>
int index_of(const std::array<std::string_view, N>& names, std::string_view word) {
    // Length and first letter before the whole comparison (a call): most names differ in one of them.
    for (std::size_t i = 0; i < N; ++i)
        if (names[i].size() == word.size() && (word.empty() || names[i][0] == word[0]) && names[i] == word) return static_cast<int>(i);
    return -1;
}

template <std::size_t N>
std::vector<std::string> as_strings(const std::array<std::string_view, N>& names) {
    return std::vector<std::string>(names.begin(), names.end());
}

// The enumerated values an attribute takes, or nullptr for numeric, boolean and free-id attributes.
inline const std::string_view* enum_values(Attr a, std::size_t& count) {
    switch (a) {
        case Attr::side: count = side_names.size(); return side_names.data();
        case Attr::sites: count = site_names.size(); return site_names.data();
        case Attr::onset: count = onset_names.size(); return onset_names.data();
        case Attr::trend: count = trend_names.size(); return trend_names.data();
        default: count = 0; return nullptr;
    }
}

}  // namespace symtri
