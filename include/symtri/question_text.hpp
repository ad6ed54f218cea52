// SPDX-License-Identifier: Apache-2.0
// How a question of a result (CONTRACT.md section 5) is worded for a person: its honest label and,
// for an attribute question, its choices. Shared by the text report (format_text.hpp), the CDS Hooks
// cards (format_cds_hooks.hpp) and the interview examples, so they all say the same thing.
//
//   finding question, if_yes above the result's level:   "if yes: Emergency department now"
//   finding question, if_yes not above it:                "could matter together with other answers"
//   attribute question with if_answer:                    "if both: Emergency department now"
//   attribute question without:                           "could matter together with other answers"
//
// A pure function of its arguments, safe from several threads at once.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "ruleset.hpp"

namespace symtri {

// Said of a question whose answer alone would not raise the level.
inline constexpr const char* question_together_text = "could matter together with other answers";

namespace detail {

inline std::string qt_str(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

inline std::string qt_level_label(const RuleSet& rs, const std::string& id, std::size_t loc) {
    int k = rs.find_level(id);
    return k >= 0 ? rs.levels[static_cast<std::size_t>(k)].label.get(loc) : id;
}

// A choice as a person reads it: "lower_back" -> "lower back", true -> "yes".
inline std::string qt_choice(const nlohmann::json& c) {
    if (c.is_boolean()) return c.get<bool>() ? "yes" : "no";
    std::string s = c.is_string() ? c.get<std::string>() : c.dump();
    for (auto& ch : s)
        if (ch == '_') ch = ' ';
    return s;
}

}  // namespace detail

// The honest label of question `q`, for a result whose level has rank `result_rank`.
inline std::string question_label_text(const RuleSet& rs, const nlohmann::json& q, int result_rank, std::size_t loc = 0) {
    if (q.contains("attribute")) {
        auto it = q.find("if_answer");
        if (it == q.end() || !it->is_object() || it->empty()) return question_together_text;
        std::string out;
        for (auto a = it->begin(); a != it->end(); ++a) {
            if (!out.empty()) out += "; ";
            std::string key = a.key();
            out += "if " + (key == "true" ? std::string("yes") : key == "false" ? std::string("no") : detail::qt_choice(key)) +
                   ": " + detail::qt_level_label(rs, a->is_string() ? a->get<std::string>() : std::string(), loc);
        }
        return out;
    }
    std::string if_yes = detail::qt_str(q, "if_yes");
    if (!if_yes.empty() && rs.find_level(if_yes) > result_rank) return "if yes: " + detail::qt_level_label(rs, if_yes, loc);
    return question_together_text;
}

// What a person may answer to an attribute question: "left, right or both", "one or more of: head,
// face, ...", "a number of days, 0 or more", "a number of points from 0 to 10"; "" for a finding question.
inline std::string question_choices_text(const nlohmann::json& q) {
    auto it = q.find("choices");
    if (it != q.end() && it->is_array() && !it->empty()) {
        std::string out = q.value("multiple", false) ? "one or more of: " : "";
        for (std::size_t i = 0; i < it->size(); ++i) {
            if (i) out += i + 1 == it->size() ? " or " : ", ";
            out += detail::qt_choice((*it)[i]);
        }
        return out;
    }
    std::string unit = detail::qt_str(q, "unit");
    if (unit.empty()) return "";
    auto num = [](const nlohmann::json& v) {
        std::string s = v.dump();
        return s;
    };
    std::string out = "a number of " + unit;
    if (q.contains("min") && q.contains("max")) out += " from " + num(q["min"]) + " to " + num(q["max"]);
    else if (q.contains("min")) out += ", " + num(q["min"]) + " or more";
    return out;
}

}  // namespace symtri
