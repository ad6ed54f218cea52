// SPDX-License-Identifier: Apache-2.0
// Helpers shared by the C++ tests: small rule sets built from strings, and one-line triage.
#pragma once

#include <random>
#include <string>
#include <vector>

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

// Shipped-rule-set cases for the tests of what one answer does: nothing said, back pain and
// sciatica (the benchmarks' typical case among them), headache with meningism, and neurological findings.
inline std::vector<std::string> shipped_answer_cases() {
    return {
        R"({"findings": {}})",
        R"({"patient": {"age": 52}, "findings": {"low_back_pain": {"present": true, "duration_days": 10}, "sciatica": true, "fever": false}})",
        R"({"findings": {"headache": true, "neck_stiffness": true, "speech_difficulty": true}})",
        R"({"patient": {"age": 70, "sex": "female"}, "findings": {"tingling": {"present": true, "side": "left"}, "numbness": true, "weakness": true, "muscle_cramps": true}})",
        R"({"patient": {"age": 52, "sex": "female"}, "findings": {"low_back_pain": {"present": true, "duration_days": 10, "severity": 5, "trend": "stable"}, "sciatica": {"present": true, "side": "left", "duration_days": 60, "severity": 6, "trend": "worsening"}, "saddle_numbness": false, "fever": false, "kidney_disease": true, "poor_sleep": true}})",
    };
}

// Random cases over findings a to e, as the tests of what one answer does use (a rule set whose
// findings are a..e, e taking side and severity only): each finding true, false, null or present with
// one attribute, `n` cases from `seed`.
inline std::vector<std::string> random_abcde_cases(unsigned seed, int n) {
    std::mt19937 rng(seed);
    const char* values[] = {"true", "false", "null", R"({"present": true, "side": "left"})", R"({"present": true, "onset": "gradual"})",
                            R"({"present": true, "severity": 5})"};
    std::vector<std::string> cases;
    for (int i = 0; i < n; ++i) {
        std::string findings;
        for (const char* f : {"a", "b", "c", "d", "e"}) {
            const char* v = values[rng() % 6];
            if (std::string(f) == "e" && std::string(v).find("onset") != std::string::npos) continue;  // e takes side and severity only
            findings += std::string(findings.empty() ? "" : ",") + "\"" + f + "\": " + v;
        }
        cases.push_back("{\"findings\": {" + findings + "}}");
    }
    return cases;
}

}  // namespace test
