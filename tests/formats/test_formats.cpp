// SPDX-License-Identifier: Apache-2.0
// The output formats: the plain-language text report (format_text.hpp) and CDS Hooks 2.0 cards
// (format_cds_hooks.hpp), on the shipped rule set and on small rule sets written to pin one behaviour.
#include <catch2/catch.hpp>

#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <symtri/detail/markdown.hpp>
#include <symtri/detail/utf8.hpp>
#include <symtri/format_cds_hooks.hpp>
#include <symtri/format_text.hpp>
#include <symtri/symtri.hpp>

namespace {

nlohmann::json triage(const symtri::RuleSetPtr& rules, const std::string& case_json) {
    symtri::Session s(rules);
    std::string out;
    symtri::CaseError err;
    REQUIRE(s.triage(case_json, out, err));
    return nlohmann::json::parse(out);
}

const symtri::RuleSetPtr& builtin() {
    static const symtri::RuleSetPtr rules = symtri::load_builtin_rules();
    return rules;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
}

// A rule set with a very long title, markup characters, a French translation and levels with indicators.
const char* const long_rules = R"({
  "format": 1,
  "ruleset": {"id": "test.long", "version": "2.0.0", "title": "Formats", "authors": ["t"], "last_reviewed": "2026-11-22",
              "validation": "testing", "license": "CC0-1.0", "disclaimer": {"en": "Not advice.", "fr": "Pas un conseil."}},
  "levels": [
    {"id": "low", "label": {"en": "Self-care", "fr": "Soins personnels"}, "action": "Rest.", "worse": "Book."},
    {"id": "mid", "label": "Soon", "action": "See someone soon.", "worse": "Go today.", "indicator": "warning"},
    {"id": "high", "label": "Now", "action": "Go *now* <today>.", "worse": "Call.", "indicator": "critical"}
  ],
  "vocabulary": {
    "x": {"label": {"en": "Ex finding", "fr": "Constat X"}, "question": {"en": "X?", "fr": "X ?"}},
    "y": {"label": "Why", "question": "Y?"}
  },
  "rules": [
    {"id": "very_long", "kind": "red_flag", "level": "high", "when": {"finding": "x"},
     "title": "A red flag whose title goes on and on, naming every possible thing that could be wrong here, in a sentence far longer than any card summary may be, with é accents",
     "advice": "Do *this* and [that] now.",
     "citations": [{"title": "Source one", "url": "https://example.org/one"}, {"title": "Source two", "url": "https://example.org/two"}]},
    {"id": "mid_rule", "kind": "red_flag", "level": "mid", "when": {"finding": "y"}, "title": "Middle", "advice": "Soon.",
     "citations": [{"title": "Mid source", "url": "https://example.org/mid"}]},
    {"id": "plain", "kind": "recommendation", "when": {"finding": "x"}, "title": "Plain advice", "advice": "Drink water."},
    {"id": "careful", "kind": "caution", "when": {"finding": "y"}, "blocks": {"rules": ["plain"]}, "title": "Careful", "advice": "Hold on."}
  ]
})";

const symtri::RuleSetPtr& long_set() {
    static const symtri::RuleSetPtr rules = symtri::load_rules_from_string(long_rules, "long.json");
    return rules;
}

}  // namespace

TEST_CASE("utf8_shorten keeps text that fits and cuts longer text at a word, within the limit", "[formats]") {
    using symtri::detail::utf8_length;
    using symtri::detail::utf8_shorten;
    CHECK(utf8_shorten("short", 10) == "short");
    std::string cut = utf8_shorten("one two three four five six", 12);
    CHECK(cut == "one two...");
    CHECK(utf8_length(cut) <= 12);
    // multi-byte characters count once and are never split
    std::string accents = "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9";  // 8 x e-acute
    std::string a = utf8_shorten(accents, 6);
    CHECK(utf8_length(a) == 6);
    CHECK(a == "\xc3\xa9\xc3\xa9\xc3\xa9...");
}

TEST_CASE("utf8_wrap keeps lines within the width and keeps line breaks", "[formats]") {
    auto lines = symtri::detail::utf8_wrap("aaa bbb ccc ddd\neee", 7);
    REQUIRE(lines == std::vector<std::string>{"aaa bbb", "ccc ddd", "eee"});
    CHECK(symtri::detail::utf8_wrap("averyveryverylongword x", 5) == std::vector<std::string>{"averyveryverylongword", "x"});
    CHECK(symtri::detail::utf8_wrap("no wrap at all", 0) == std::vector<std::string>{"no wrap at all"});
}

TEST_CASE("text report: level and what to do, red flags with reasons and sources, questions, disclaimer, version", "[formats][text]") {
    auto r = triage(builtin(), R"({"case_id": "t1", "findings": {"sciatica": true, "saddle_numbness": true}})");
    std::string text = symtri::format_text(*builtin(), r);
    CHECK_THAT(text, Catch::Contains("symtri triage report - case t1"));
    CHECK_THAT(text, Catch::Contains("WHAT TO DO: Emergency department now"));
    CHECK_THAT(text, Catch::Contains("Go to an emergency department (A&E) now."));
    CHECK_THAT(text, Catch::Contains("WARNING SIGNS FOUND (" + std::to_string(r["red_flags"].size()) + ")"));
    CHECK_THAT(text, Catch::Contains("! Possible cauda equina syndrome"));
    CHECK_THAT(text, Catch::Contains("Because you said: numbness around the bottom"));
    CHECK_THAT(text, Catch::Contains("Source: NICE CKS: Sciatica"));
    // Open questions are listed only while the interview is not complete.
    if (r["interview"]["complete"].get<bool>()) CHECK_THAT(text, !Catch::Contains("QUESTIONS STILL OPEN"));
    else CHECK_THAT(text, Catch::Contains("QUESTIONS STILL OPEN (" + std::to_string(r["questions"].size()) + ")"));
    CHECK_THAT(text, Catch::Contains("IF IT GETS WORSE"));
    CHECK_THAT(text, Catch::Contains("It does not diagnose any condition"));
    CHECK_THAT(text, Catch::Contains("Rule set: symtri.neuromuscular 0.1.0 (sha256:"));
    CHECK_THAT(text, Catch::Contains("Validation: research (not for use with patients)."));
    // Words are never longer than 80 here, so no line is.
    for (const auto& l : lines_of(text)) CHECK(symtri::detail::utf8_length(l) <= 80);
}

TEST_CASE("text report: no red flag says so, and advice and cautions with what they hold back appear", "[formats][text]") {
    auto r = triage(builtin(), R"({"findings": {"muscle_cramps": true, "kidney_disease": true}})");
    std::string text = symtri::format_text(*builtin(), r);
    CHECK_THAT(text, Catch::Contains("None of the warning signs in this rule set matched your answers."));
    CHECK_THAT(text, Catch::Contains("CAUTIONS ("));
    CHECK_THAT(text, Catch::Contains("Kidney disease"));
    CHECK_THAT(text, Catch::Contains("So this report leaves out:"));
}

TEST_CASE("text report: width and the number of questions are options", "[formats][text]") {
    auto r = triage(builtin(), R"({"findings": {"sciatica": true}})");
    REQUIRE(r["questions"].size() > 3);
    symtri::TextReportOptions o;
    o.width = 50;
    o.max_questions = 3;
    std::string text = symtri::format_text(*builtin(), r, o);
    for (const auto& l : lines_of(text)) {
        if (symtri::detail::utf8_length(l) <= 50) continue;
        // only a word longer than the width (a URL) may overflow, on a line of its own
        INFO(l);
        CHECK(l.find_first_not_of(' ') != std::string::npos);
        CHECK(l.find(' ', l.find_first_not_of(' ')) == std::string::npos);
    }
    CHECK_THAT(text, Catch::Contains("and " + std::to_string(r["questions"].size() - 3) + " more"));
}

TEST_CASE("text report: the case's locale picks translated labels", "[formats][text]") {
    auto r = triage(long_set(), R"({"locale": "fr", "findings": {"y": false}})");
    symtri::TextReportOptions o;
    o.locale = "fr";
    std::string text = symtri::format_text(*long_set(), r, o);
    CHECK_THAT(text, Catch::Contains("WHAT TO DO: Soins personnels"));
    CHECK_THAT(text, Catch::Contains("Pas un conseil."));
}

TEST_CASE("cds-hooks: a summary card then one card per fired rule, every summary under 140 characters", "[formats][cds]") {
    auto r = triage(long_set(), R"({"case_id": "c", "findings": {"x": true, "y": true}})");
    auto resp = symtri::cds_hooks_response(*long_set(), r);
    REQUIRE(resp.is_object());
    REQUIRE(resp.size() == 1);
    const auto& cards = resp["cards"];
    // summary, 2 red flags, 1 caution; the recommendation is held back by the caution
    REQUIRE(cards.size() == 4);
    for (const auto& c : cards) {
        CHECK(symtri::detail::utf8_length(c["summary"].get<std::string>()) < 140);
        CHECK(!c["summary"].get<std::string>().empty());
        CHECK(c.contains("source"));
        CHECK(c["source"].contains("label"));
        CHECK(!c.contains("suggestions"));
        CHECK(!c.contains("selectionBehavior"));
    }
    CHECK(cards[0]["summary"].get<std::string>().rfind("Now: A red flag whose title goes on and on", 0) == 0);
    CHECK(cards[0]["summary"].get<std::string>().size() > 100);  // cut, not dropped
    CHECK_THAT(cards[0]["summary"].get<std::string>(), Catch::EndsWith("..."));
    CHECK(cards[0]["indicator"] == "critical");
    CHECK(cards[1]["indicator"] == "critical");
    CHECK(cards[2]["summary"] == "Middle");
    CHECK(cards[2]["indicator"] == "warning");
    CHECK(cards[3]["summary"] == "Careful");
    CHECK(cards[3]["indicator"] == "warning");
}

TEST_CASE("cds-hooks: source and links come from the citations, detail is escaped Markdown", "[formats][cds]") {
    auto r = triage(long_set(), R"({"findings": {"x": true}})");
    auto cards = symtri::cds_hooks_response(*long_set(), r)["cards"];
    const auto& flag = cards[1];
    CHECK(flag["source"]["label"] == "Source one");
    CHECK(flag["source"]["url"] == "https://example.org/one");
    REQUIRE(flag["links"].size() == 2);
    CHECK(flag["links"][1]["label"] == "Source two");
    CHECK(flag["links"][1]["url"] == "https://example.org/two");
    CHECK(flag["links"][1]["type"] == "absolute");
    std::string md = flag["detail"];
    CHECK_THAT(md, Catch::StartsWith("Do \\*this\\* and \\[that\\] now."));
    CHECK_THAT(md, Catch::Contains("- [Source one](<https://example.org/one>)"));
    CHECK_THAT(md, Catch::Contains("*Because of:* Ex finding"));
    // the summary card: the level's action (escaped), the rule set as the source, the disclaimer
    std::string sm = cards[0]["detail"];
    CHECK_THAT(sm, Catch::StartsWith("**Go \\*now\\* \\<today\\>.**"));
    CHECK_THAT(sm, Catch::Contains("Not advice."));
    CHECK(cards[0]["source"]["label"] == "symtri: Formats 2.0.0");
    CHECK(!cards[0]["source"].contains("url"));
    // a recommendation without citations names the rule set as its source
    auto low = triage(long_set(), R"({"findings": {"x": true, "y": false}})");
    auto lc = symtri::cds_hooks_response(*long_set(), low)["cards"];
    REQUIRE(lc.size() == 3);
    CHECK(lc[2]["summary"] == "Plain advice");
    CHECK(lc[2]["indicator"] == "info");
    CHECK(lc[2]["source"]["label"] == "symtri: Formats 2.0.0");
    CHECK(!lc[2].contains("links"));
}

TEST_CASE("cds-hooks: indicators follow the levels of the shipped rule set", "[formats][cds]") {
    struct Want { const char* case_json; const char* level; const char* indicator; };
    const Want wants[] = {
        {R"({"findings": {}})", "self_care", "info"},
        {R"({"findings": {"speech_difficulty": true}})", "ambulance", "critical"},
        {R"({"findings": {"sciatica": true, "saddle_numbness": true}})", "emergency", "critical"},
    };
    for (const auto& w : wants) {
        auto r = triage(builtin(), w.case_json);
        CHECK(r["level"] == w.level);
        auto cards = symtri::cds_hooks_response(*builtin(), r)["cards"];
        CHECK(cards[0]["indicator"] == w.indicator);
    }
}

TEST_CASE("cds-hooks: uuids are well formed, unique in a response and the same for the same input", "[formats][cds]") {
    auto r = triage(builtin(), R"({"case_id": "u", "findings": {"sciatica": true, "kidney_disease": true, "muscle_cramps": true}})");
    auto a = symtri::cds_hooks_response(*builtin(), r);
    auto b = symtri::cds_hooks_response(*builtin(), r);
    CHECK(a == b);
    std::regex uuid("^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
    std::vector<std::string> seen;
    for (const auto& c : a["cards"]) {
        std::string u = c["uuid"];
        CHECK(std::regex_match(u, uuid));
        CHECK(std::find(seen.begin(), seen.end(), u) == seen.end());
        seen.push_back(u);
    }
    auto other = triage(builtin(), R"({"case_id": "v", "findings": {"sciatica": true, "kidney_disease": true, "muscle_cramps": true}})");
    CHECK(symtri::cds_hooks_response(*builtin(), other)["cards"][0]["uuid"] != a["cards"][0]["uuid"]);
}

TEST_CASE("cds-hooks: summary card only, and a bounded question list", "[formats][cds]") {
    auto r = triage(builtin(), R"({"findings": {"sciatica": true}})");
    symtri::CdsHooksOptions o;
    o.rule_cards = false;
    o.max_questions = 2;
    auto cards = symtri::cds_hooks_response(*builtin(), r, o)["cards"];
    REQUIRE(cards.size() == 1);
    CHECK_THAT(cards[0]["detail"].get<std::string>(),
               Catch::Contains("... and " + std::to_string(r["questions"].size() - 2) + " more questions"));
    std::string text = symtri::format_cds_hooks(*builtin(), r, o);
    CHECK(text.find('\n') == std::string::npos);
    CHECK(nlohmann::json::parse(text)["cards"].size() == 1);
}

// The interview's questions in the reports: every question, each with the label its if_yes or
// if_answer earns, the choices of attribute questions, the next question and the unsure list.
namespace {

// The label a question should carry, worked out from the JSON (the format's own rule, restated).
std::string expected_label(const nlohmann::json& r, const nlohmann::json& q) {
    auto label = [](const std::string& id) {
        return builtin()->levels[static_cast<std::size_t>(builtin()->find_level(id))].label.get();
    };
    if (q.contains("attribute")) {
        if (!q.contains("if_answer")) return "could matter together with other answers";
        std::string out;
        for (auto it = q["if_answer"].begin(); it != q["if_answer"].end(); ++it) {
            std::string key = it.key();
            for (auto& ch : key)
                if (ch == '_') ch = ' ';
            out += (out.empty() ? "" : "; ") + std::string("if ") + (key == "true" ? "yes" : key == "false" ? "no" : key) + ": " +
                   label(it->get<std::string>());
        }
        return out;
    }
    if (builtin()->find_level(q["if_yes"].get<std::string>()) > r["level_rank"].get<int>()) return "if yes: " + label(q["if_yes"]);
    return "could matter together with other answers";
}

std::string unwrapped(const std::string& text) {  // the report with its line breaks and indents undone
    std::string out;
    for (const auto& l : lines_of(text)) {
        auto at = l.find_first_not_of(' ');
        if (at == std::string::npos) continue;
        out += (out.empty() ? "" : " ") + l.substr(at);
    }
    return out;
}

}  // namespace

TEST_CASE("text report: every question with its honest label, the next question and the unsure list", "[formats][text]") {
    auto r = triage(builtin(), R"({"findings": {"sciatica": true}, "unsure": ["fever", "sciatica.duration_days"]})");
    REQUIRE(r["questions"].size() > 10);  // more than the old cap of 10: all are shown now
    std::string text = unwrapped(symtri::format_text(*builtin(), r));
    CHECK_THAT(text, Catch::Contains("QUESTIONS STILL OPEN (" + std::to_string(r["questions"].size()) + ")"));
    CHECK_THAT(text, !Catch::Contains("more (the JSON result lists them all)"));
    for (const auto& q : r["questions"]) {
        INFO(q.dump());
        CHECK_THAT(text, Catch::Contains(q["prompt"].get<std::string>()));
        CHECK_THAT(text, Catch::Contains("[" + expected_label(r, q) + "]"));
    }
    CHECK_THAT(text, Catch::Contains("Do you have numbness or tingling around your bottom, genitals or inner thighs, the area "
                                     "that would touch a saddle? [if yes: Emergency department now]"));
    std::string side_prompt;
    for (const auto& q : r["questions"])
        if (q["finding"] == "sciatica" && q.value("attribute", "") == "side") side_prompt = q["prompt"];
    REQUIRE_FALSE(side_prompt.empty());
    CHECK_THAT(text, Catch::Contains(side_prompt + " (left, right or both) [if both: Emergency department now]"));
    CHECK_THAT(text, Catch::Contains("Next question: " + r["interview"]["next"]["prompt"].get<std::string>()));
    CHECK_THAT(text, Catch::Contains("Not answered (you were unsure): fever, sciatica (duration days)."));
}

TEST_CASE("text report: a finding that matters only with other answers says so, not 'if yes'", "[formats][text]") {
    bool seen = false;
    for (const char* c : {R"({"findings": {"headache": true}})", R"({"findings": {"sciatica": true}})",
                          R"({"findings": {"low_back_pain": true}})", R"({"findings": {"neck_pain": true}})"}) {
        auto r = triage(builtin(), c);
        std::string text = unwrapped(symtri::format_text(*builtin(), r));
        for (const auto& q : r["questions"]) {
            if (q.contains("attribute") || builtin()->find_level(q["if_yes"].get<std::string>()) > r["level_rank"].get<int>()) continue;
            seen = true;
            CHECK_THAT(text, Catch::Contains(q["prompt"].get<std::string>() + " [could matter together with other answers]"));
        }
    }
    CHECK(seen);
}

TEST_CASE("text report: a complete interview lists no questions and no next question", "[formats][text]") {
    auto r = triage(builtin(), R"({"findings": {"sciatica": true, "saddle_numbness": true}})");
    if (!r["interview"]["complete"].get<bool>()) return;  // nothing to check for this rule set
    std::string text = symtri::format_text(*builtin(), r);
    CHECK_THAT(text, !Catch::Contains("QUESTIONS STILL OPEN"));
    CHECK_THAT(text, !Catch::Contains("Next question:"));
}

TEST_CASE("cds-hooks: the summary card lists every question with the same labels and the next question", "[formats][cds]") {
    auto r = triage(builtin(), R"({"findings": {"sciatica": true}, "unsure": ["fever"]})");
    std::string md = symtri::cds_hooks_response(*builtin(), r)["cards"][0]["detail"].get<std::string>();
    CHECK_THAT(md, !Catch::Contains("more questions"));
    for (const auto& q : r["questions"]) {
        INFO(q.dump());
        CHECK_THAT(md, Catch::Contains("(*" + symtri::detail::markdown_escape(expected_label(r, q)) + "*)"));
    }
    CHECK_THAT(md, Catch::Contains("(left, right or both) (*if both: Emergency department now*)"));
    CHECK_THAT(md, Catch::Contains("\n\nNext question: " +
                                   symtri::detail::markdown_escape(r["interview"]["next"]["prompt"].get<std::string>())));
    CHECK_THAT(md, Catch::Contains("Not answered (unsure): fever"));
}
