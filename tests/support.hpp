// SPDX-License-Identifier: Apache-2.0
// Helpers shared by the C++ tests: small rule sets built from strings, and one-line triage.
#pragma once

#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <symtri/symtri.hpp>

namespace test {

// Levels low < mid < high < top; findings a, b, c, d (all attributes), e (only side and severity).
inline std::string ruleset_text(const std::string& rules, const std::string& conditions = "{}",
                                const std::string& tests = "[]") {
    return R"({"format": 1,
  "ruleset": {"id": "test.rules", "version": "1.0", "title": "Test", "authors": ["tests"],
              "last_reviewed": "2026-01-01", "validation": "research", "license": "MIT",
              "disclaimer": {"en": "Not a diagnosis.", "fr": "Pas un diagnostic."}},
  "levels": [
    {"id": "low", "label": "Low", "action": "Rest.", "worse": "Book if worse."},
    {"id": "mid", "label": "Mid", "action": "Book an appointment.", "worse": "Call if worse."},
    {"id": "high", "label": "High", "action": "Go to hospital now.", "worse": "Call 999."},
    {"id": "top", "label": "Top", "action": "Call 999 now.", "worse": "Keep calling."}],
  "vocabulary": {
    "a": {"label": "A", "question": {"en": "Do you have A?", "fr": "Avez-vous A ?"}, "aliases": ["alpha"]},
    "b": {"label": "B", "question": "Do you have B?"},
    "c": {"label": "C", "question": "Do you have C?", "characters": ["band_like", "throbbing"]},
    "d": {"label": "D", "question": "Do you have D?"},
    "e": {"label": "E", "question": "Do you have E?", "attributes": ["side", "severity"]}},
  "conditions": )" + conditions + R"(,
  "rules": )" + rules + R"(,
  "tests": )" + tests + "}";
}

inline symtri::RuleSetPtr rules(const std::string& rules_json, const std::string& conditions = "{}",
                                const std::string& tests = "[]") {
    return symtri::load_rules_from_string(ruleset_text(rules_json, conditions, tests), "test.json");
}

// One info rule with the given condition; evaluates it against a case's findings/patient.
inline symtri::Tri eval(const std::string& condition, const std::string& case_json) {
    auto rs = rules(R"([{"id": "r", "kind": "info", "when": )" + condition + R"(, "title": "t", "advice": "a"}])");
    symtri::Case c;
    symtri::CaseError err;
    if (!symtri::parse_case(*rs, case_json, c, err)) FAIL("case rejected: " << err.message);
    return symtri::detail::ConditionEval(*rs, c).eval(rs->rules[0].root);
}

// Triage a case; returns the parsed result JSON (fails the test if the case is rejected).
inline nlohmann::json triage(const symtri::RuleSetPtr& rs, const std::string& case_json) {
    symtri::Session s(rs);
    std::string out;
    symtri::CaseError err;
    if (!s.triage(case_json, out, err)) FAIL("case rejected: " << err.message << " at " << err.path);
    return nlohmann::json::parse(out);
}

// The first diagnostic's formatted text when a rule set fails to load, or "" if it loads.
inline std::string load_error(const std::string& text) {
    try {
        symtri::load_rules_from_string(text, "test.json");
    } catch (const symtri::Error& e) {
        return e.first().format();
    }
    return "";
}

inline std::string rules_error(const std::string& rules_json, const std::string& conditions = "{}") {
    return load_error(ruleset_text(rules_json, conditions));
}

// A red-flag/recommendation rule in one line.
inline std::string rule(const std::string& id, const std::string& kind, const std::string& when,
                        const std::string& level = "", const std::string& extra = "") {
    std::string r = R"({"id": ")" + id + R"(", "kind": ")" + kind + R"(", "when": )" + when +
                    R"(, "title": "T )" + id + R"(", "advice": "A )" + id + R"(")";
    if (!level.empty()) r += R"(, "level": ")" + level + R"(")";
    if (kind == "red_flag") r += R"(, "citations": [{"title": "Src", "url": "https://example.org/src"}])";
    return r + extra + "}";
}

}  // namespace test
