// SPDX-License-Identifier: Apache-2.0
// The compiler's last layout pass for the interview: which attributes each finding's rules test, the
// screening findings, and every question object pre-rendered per locale up to its level, so writing a
// result's questions is copying (result.hpp appends the levels).
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "../attributes.hpp"
#include "../ruleset.hpp"
#include "text.hpp"

namespace symtri {
namespace detail {

// The engine's own wording of an attribute question, for a finding whose rule set wrote none. It
// follows the finding's label: "Sciatica: which side is it on: the left, the right, or both?".
inline const char* generic_attribute_prompt(Attr a) {
    switch (a) {
        case Attr::side: return "which side is it on: the left, the right, or both?";
        case Attr::sites: return "where on your body is it?";
        case Attr::onset: return "did it start suddenly (within seconds to minutes) or gradually?";
        case Attr::trend: return "is it getting better, staying the same, or getting worse?";
        case Attr::duration_days: return "how many days have you had it?";
        case Attr::severity: return "how bad is it, from 0 (none) to 10 (the worst you can imagine)?";
        case Attr::at_night: return "is it there, or worse, at night?";
        case Attr::constant: return "is it there all the time?";
        case Attr::character: return "what does it feel like?";
    }
    return "";
}

// What a host offers as answers: `choices` (the values a case may give) or, for numbers, a unit and range.
inline std::string attribute_answer_json(Attr a, const std::vector<std::string>& characters) {
    auto list = [](const auto& names) {
        std::string s = "\"choices\":[";
        bool first = true;
        for (const auto& n : names) {
            if (!first) s += ',';
            first = false;
            s += quote(std::string(n));
        }
        return s + "]";
    };
    switch (a) {
        case Attr::side: return list(side_names);
        case Attr::sites: return list(site_names) + ",\"multiple\":true";
        case Attr::onset: return list(onset_names);
        case Attr::trend: return list(trend_names);
        case Attr::duration_days: return "\"unit\":\"days\",\"min\":0";
        case Attr::severity: return "\"unit\":\"points\",\"min\":0,\"max\":10";
        case Attr::at_night:
        case Attr::constant: return "\"choices\":[true,false]";
        case Attr::character: return list(characters);
    }
    return "";
}

// Fills Finding::tested_attributes, attribute_question_json and question_json, and Compiled::screening.
inline void render_questions(RuleSet& rs) {
    const auto& k = rs.compiled;
    auto& findings = rs.findings;
    // Which attributes are tested on each finding, and which characters (for a finding that does
    // not list its own: the choices are then the values its rules name).
    std::vector<std::vector<std::string>> tested_characters(findings.size());
    for (const auto& n : k.nodes) {
        if (n.op != Op::finding) continue;
        auto& f = findings[static_cast<std::size_t>(n.finding)];
        for (std::uint32_t i = 0; i < n.count; ++i) {
            const AttrTest& t = k.tests[n.first + i];
            f.tested_attributes = static_cast<std::uint16_t>(f.tested_attributes | (1u << static_cast<unsigned>(t.attr)));
            if (t.attr != Attr::character) continue;
            auto& chars = tested_characters[static_cast<std::size_t>(n.finding)];
            for (std::uint32_t c = 0; c < t.set_count; ++c) {
                const std::string& id = rs.characters[static_cast<std::size_t>(k.character_sets[t.set_first + c])];
                if (std::find(chars.begin(), chars.end(), id) == chars.end()) chars.push_back(id);
            }
        }
    }
    rs.compiled.screening.clear();
    for (std::size_t fi = 0; fi < findings.size(); ++fi) {
        auto& f = findings[fi];
        if (f.screening) rs.compiled.screening.push_back(static_cast<std::int32_t>(fi));
        f.question_json.clear();
        f.attribute_question_json.clear();
        std::sort(tested_characters[fi].begin(), tested_characters[fi].end());
        const auto& characters = f.characters.empty() ? tested_characters[fi] : f.characters;
        for (std::size_t loc = 0; loc < rs.locales.size(); ++loc) {
            const std::string head = "{\"finding\":" + quote(f.id);
            const std::string label = ",\"label\":" + quote(f.label.get(loc));
            f.question_json.push_back(head + ",\"prompt\":" + quote(f.question.get(loc)) + label + ",\"could_raise_to\":\"");
            for (std::size_t a = 0; a < attr_count; ++a) {
                if (!(f.tested_attributes & (1u << a))) {
                    f.attribute_question_json.emplace_back();
                    continue;
                }
                const Attr attr = static_cast<Attr>(a);
                const Text& own = f.attribute_prompts[a];
                std::string prompt = own.raw.empty() ? f.label.get(loc) + ": " + generic_attribute_prompt(attr) : own.get(loc);
                f.attribute_question_json.push_back(head + ",\"attribute\":" + quote(std::string(attr_names[a])) +
                                                    ",\"prompt\":" + quote(prompt) + label + "," +
                                                    attribute_answer_json(attr, characters) + ",\"could_raise_to\":\"");
            }
        }
    }
}

}  // namespace detail
}  // namespace symtri
