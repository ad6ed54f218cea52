// SPDX-License-Identifier: Apache-2.0
// The interview (docs/case-and-result.md, "Questions and the interview"): which questions are asked and
// in what order, attribute questions, if_yes and if_answer, unsure, interview.next/complete, and the
// format keys behind them (screening, attribute_prompts).
#include <random>
#include <set>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <symtri/symtri.hpp>

#include "support.hpp"

namespace {

using nlohmann::json;

// a -> high with b (a red flag of the complaint a); c alone -> top (a life threat); d -> mid with a's
// side both; e unrelated -> high with b. c is a screening question in `screening_set`.
std::string five_rules() {
    return "[" + test::rule("ab", "red_flag", R"({"all": [{"finding": "a"}, {"finding": "b"}]})", "high") + "," +
           test::rule("c_alone", "red_flag", R"({"finding": "c"})", "top") + "," +
           test::rule("a_both", "red_flag", R"({"finding": "a", "side": "both"})", "mid") + "," +
           test::rule("a_long", "red_flag", R"({"finding": "a", "duration_days": {">=": 28}})", "mid") + "," +
           test::rule("eb", "red_flag", R"({"all": [{"finding": "e"}, {"finding": "b"}]})", "high") + "]";
}

symtri::RuleSetPtr screening_set() {
    std::string text = test::ruleset_text(five_rules());
    auto at = text.find(R"("c": {"label": "C", )");
    REQUIRE(at != std::string::npos);
    text.insert(at + std::string(R"("c": {)").size(), R"("screening": true, )");
    at = text.find(R"("a": {"label": "A", )");
    text.insert(at + std::string(R"("a": {)").size(),
                R"("attribute_prompts": {"side": "Is A on one side or both?", "duration_days": {"en": "How long?", "fr": "Depuis quand ?"}}, )");
    return symtri::load_rules_from_string(text, "test.json");
}

std::vector<std::string> asked(const json& r) {
    std::vector<std::string> out;
    for (const auto& q : r["questions"])
        out.push_back(q["finding"].get<std::string>() + (q.contains("attribute") ? "." + q["attribute"].get<std::string>() : ""));
    return out;
}

}  // namespace

TEST_CASE("questions belong to what the person said, then the screening set; the rest is counted", "[interview]") {
    auto rs = screening_set();
    json r = test::triage(rs, R"({"findings": {"a": true}})");
    // c (screening, top alone) first; then b (high if yes, with a); then a's side and duration (mid).
    CHECK(asked(r) == std::vector<std::string>{"c", "b", "a.side", "a.duration_days"});
    CHECK(r["questions"][0]["screening"] == true);
    CHECK(r["questions"][0]["if_yes"] == "top");
    CHECK(r["questions"][1]["if_yes"] == "high");
    CHECK(r["questions"][1]["could_raise_to"] == "high");
    CHECK_FALSE(r["questions"][1].contains("screening"));
    // e could raise the level too, but nothing the person said leads to it: counted, not asked.
    CHECK(r["other_questions"] == 1);
    CHECK_FALSE(r.contains("other_question_list"));
    CHECK(r["interview"]["next"] == r["questions"][0]);
    CHECK(r["interview"]["complete"] == false);
}

TEST_CASE("a host can list the other questions", "[interview]") {
    auto rs = screening_set();
    symtri::Session s(rs, {}, symtri::TriageOptions{0, true});
    std::string out;
    symtri::CaseError err;
    REQUIRE(s.triage(R"({"findings": {"a": true}})", out, err));
    json r = json::parse(out);
    REQUIRE(r["other_question_list"].size() == 1);
    CHECK(r["other_question_list"][0]["finding"] == "e");
    CHECK(r["other_question_list"][0]["if_yes"] == "low");  // e alone fires nothing: only with b
    CHECK(r["other_question_list"][0]["could_raise_to"] == "high");
}

TEST_CASE("with nothing said, only the screening questions are asked", "[interview]") {
    auto rs = screening_set();
    json r = test::triage(rs, R"({"findings": {}})");
    CHECK(asked(r) == std::vector<std::string>{"c"});
    CHECK(r["other_questions"] == 3);  // a, b, e
    r = test::triage(rs, R"({"findings": {"c": false}})");
    CHECK(r["questions"].empty());
    CHECK(r["interview"]["next"].is_null());
    CHECK(r["interview"]["complete"] == true);
}

TEST_CASE("attribute questions have choices or a unit, the rule set's prompt, and what each choice does", "[interview]") {
    auto rs = screening_set();
    json r = test::triage(rs, R"({"findings": {"a": true, "b": false, "c": false}})");
    REQUIRE(asked(r) == std::vector<std::string>{"a.side", "a.duration_days"});
    const json& side = r["questions"][0];
    CHECK(side["prompt"] == "Is A on one side or both?");
    CHECK(side["choices"] == json::array({"left", "right", "both"}));
    CHECK(side["if_answer"] == json{{"both", "mid"}});
    CHECK(side["could_raise_to"] == "mid");
    CHECK_FALSE(side.contains("if_yes"));
    const json& days = r["questions"][1];
    CHECK(days["prompt"] == "How long?");
    CHECK(days["unit"] == "days");
    CHECK_FALSE(days.contains("choices"));
    // In French, the French prompt.
    r = test::triage(rs, R"({"findings": {"a": true, "b": false, "c": false}, "locale": "fr"})");
    CHECK(r["questions"][1]["prompt"] == "Depuis quand ?");
    // Answered attributes are never asked again.
    r = test::triage(rs, R"({"findings": {"a": {"present": true, "side": "left", "duration_days": 3}, "b": false, "c": false}})");
    CHECK(r["questions"].empty());
    CHECK(r["interview"]["complete"] == true);
}

TEST_CASE("an attribute without a prompt of its own gets the engine's wording after the label", "[interview]") {
    auto rs = test::rules("[" + test::rule("r", "red_flag", R"({"finding": "e", "side": "both"})", "high") + "]");
    json r = test::triage(rs, R"({"findings": {"e": true}})");
    REQUIRE(r["questions"].size() == 1);
    CHECK(r["questions"][0]["prompt"] == "E: which side is it on: the left, the right, or both?");
}

TEST_CASE("unsure: never asked again, unknown for the logic, echoed", "[interview]") {
    auto rs = screening_set();
    json r = test::triage(rs, R"({"findings": {"a": true}, "unsure": ["c", "a.side", "b"]})");
    CHECK(asked(r) == std::vector<std::string>{"a.duration_days"});
    CHECK(r["unsure"] == json::array({"c", "a.side", "b"}));
    CHECK(r["level"] == "low");  // unknown, not "no" and not "yes"
    // An alias names the finding; the echo gives its id.
    r = test::triage(rs, R"({"findings": {"b": false}, "unsure": ["alpha"]})");
    CHECK(r["unsure"] == json::array({"a"}));
}

TEST_CASE("unsure entries that name nothing, or contradict an answer, are errors with their pointer", "[interview]") {
    auto rs = screening_set();
    symtri::Case c;
    symtri::CaseError err;
    CHECK_FALSE(symtri::parse_case(*rs, R"({"findings": {"a": true}, "unsure": ["a"]})", c, err));
    CHECK(err.code == "invalid_value");
    CHECK(err.path == "/unsure/0");
    CHECK_FALSE(symtri::parse_case(*rs, R"({"findings": {"a": {"present": true, "side": "left"}}, "unsure": ["b", "a.side"]})", c, err));
    CHECK(err.code == "invalid_value");
    CHECK(err.path == "/unsure/1");
    CHECK_FALSE(symtri::parse_case(*rs, R"({"unsure": ["bb"]})", c, err));
    CHECK(err.code == "unknown_finding");
    CHECK(err.message == "unknown finding 'bb' in 'unsure' (did you mean 'b'?)");
    CHECK_FALSE(symtri::parse_case(*rs, R"({"unsure": ["e.sites"]})", c, err));
    CHECK(err.code == "unknown_attribute");
    CHECK_FALSE(symtri::parse_case(*rs, R"({"unsure": ["a.sied"]})", c, err));
    CHECK(err.message == "unknown attribute 'sied' in 'unsure' entry 'a.sied' (did you mean 'side'?)");
    CHECK_FALSE(symtri::parse_case(*rs, R"({"unsure": "a"})", c, err));
    CHECK(err.code == "wrong_type");
}

TEST_CASE("the interview is complete when the level cannot rise any more", "[interview]") {
    auto rs = screening_set();
    json r = test::triage(rs, R"({"findings": {"c": true, "a": true}})");
    CHECK(r["level"] == "top");
    CHECK(r["questions"].empty());
    CHECK(r["interview"]["complete"] == true);
    CHECK(r["other_questions"] == 0);
}

TEST_CASE("a rule behind the questions that needs the patient's age says so", "[interview]") {
    auto rs = test::rules("[" + test::rule("old_a", "red_flag", R"({"all": [{"finding": "a"}, {"age": {">=": 50}}, {"finding": "b"}]})", "high") + "]");
    json r = test::triage(rs, R"({"findings": {"a": true}})");
    CHECK(r["interview"]["needs_patient"] == json::array({"age"}));
    r = test::triage(rs, R"({"patient": {"age": 60}, "findings": {"a": true}})");
    CHECK_FALSE(r["interview"].contains("needs_patient"));
    CHECK(asked(r) == std::vector<std::string>{"b"});
}

TEST_CASE("the compiler checks screening and attribute_prompts", "[interview][compiler]") {
    std::string text = test::ruleset_text(five_rules());
    auto with = [&](const std::string& finding_head, const std::string& insert) {
        std::string t = text;
        auto at = t.find(finding_head);
        REQUIRE(at != std::string::npos);
        t.insert(at + finding_head.size(), insert);
        return test::load_error(t);
    };
    // d is read by no rule with a level: asking it of everyone could change nothing.
    CHECK_THAT(with(R"("d": {)", R"("screening": true, )"),
               Catch::Contains("error: screening finding 'd' is read by no rule that sets a level above the lowest") &&
                   Catch::Contains("at /vocabulary/d/screening"));
    CHECK_THAT(with(R"("c": {)", R"("screening": "yes", )"), Catch::Contains("'screening' must be true or false, got a string"));
    CHECK_THAT(with(R"("a": {)", R"("attribute_prompts": {"sied": "x"}, )"),
               Catch::Contains("unknown attribute 'sied' (did you mean 'side'?) at /vocabulary/a/attribute_prompts/sied"));
    CHECK_THAT(with(R"("e": {)", R"("attribute_prompts": {"onset": "x"}, )"),
               Catch::Contains("finding 'e' does not take the attribute 'onset'"));
    CHECK(with(R"("c": {)", R"("screening": true, )") == "");
}

TEST_CASE("if_yes and if_answer are exact: re-triaging with that answer gives that level (10,000 shipped cases)", "[interview][shipped]") {
    auto rs = symtri::load_builtin_rules();
    symtri::Session session(rs);
    std::mt19937 rng(2026);
    const std::vector<std::string> sides = {"left", "right", "both"}, onsets = {"sudden", "gradual"},
                                   trends = {"improving", "stable", "worsening"};
    auto level_of = [&](const json& c) {
        std::string out;
        symtri::CaseError err;
        REQUIRE(session.triage(c.dump(), out, err));
        return json::parse(out)["level"].get<std::string>();
    };
    std::size_t checked = 0, attribute_checked = 0;
    for (int k = 0; k < 10000; ++k) {
        // A case: a few findings, some with attributes, an age, sometimes something unsure.
        json c = {{"patient", {{"age", rng() % 90}}}, {"findings", json::object()}};
        std::set<std::string> answered;
        for (int n = 1 + rng() % 4; n > 0; --n) {
            const auto& f = rs->findings[rng() % rs->findings.size()];
            if (answered.count(f.id)) continue;
            answered.insert(f.id);
            if (rng() % 4 == 0) { c["findings"][f.id] = false; continue; }
            json v = {{"present", true}};
            if ((f.attributes & 1u) && rng() % 3 == 0) v["side"] = sides[rng() % 3];
            if ((f.attributes & (1u << 2)) && rng() % 3 == 0) v["onset"] = onsets[rng() % 2];
            if ((f.attributes & (1u << 3)) && rng() % 4 == 0) v["trend"] = trends[rng() % 3];
            if ((f.attributes & (1u << 4)) && rng() % 3 == 0) v["duration_days"] = rng() % 120;
            c["findings"][f.id] = v.size() == 1 ? json(true) : v;
        }
        if (rng() % 5 == 0) {
            const auto& f = rs->findings[rng() % rs->findings.size()];
            if (!answered.count(f.id)) c["unsure"] = json::array({f.id});
        }
        std::string text;
        symtri::CaseError err;
        REQUIRE(session.triage(c.dump(), text, err));
        json r = json::parse(text);
        INFO("case " << c.dump());
        for (const auto& q : r["questions"]) {
            const std::string f = q["finding"];
            if (!q.contains("attribute")) {
                REQUIRE_FALSE(c["findings"].contains(f));  // answered findings are never asked
                json yes = c;
                yes["findings"][f] = true;
                CHECK(level_of(yes) == q["if_yes"].get<std::string>());
                ++checked;
                continue;
            }
            const std::string a = q["attribute"];
            if (c["findings"][f].is_object()) REQUIRE_FALSE(c["findings"][f].contains(a));  // given attributes never asked
            if (!q.contains("choices")) continue;
            json ifs = q.value("if_answer", json::object());
            for (const auto& choice : q["choices"]) {
                json h = c;
                json v = h["findings"][f].is_object() ? h["findings"][f] : json{{"present", true}};
                v[a] = a == "sites" ? json::array({choice}) : choice;
                h["findings"][f] = v;
                std::string key = choice.is_string() ? choice.get<std::string>() : choice.dump();
                CHECK(level_of(h) == (ifs.contains(key) ? ifs[key].get<std::string>() : r["level"].get<std::string>()));
                ++attribute_checked;
            }
        }
    }
    CHECK(checked > 10000);
    CHECK(attribute_checked > 500);
}

TEST_CASE("null in an attribute test's list holds when the case does not give the attribute", "[conditions]") {
    const std::string cond = R"({"finding": "a", "onset": ["sudden", null]})";
    CHECK(test::eval(cond, R"({"findings": {"a": true}})") == symtri::Tri::yes);
    CHECK(test::eval(cond, R"({"findings": {"a": {"present": true, "onset": "sudden"}}})") == symtri::Tri::yes);
    CHECK(test::eval(cond, R"({"findings": {"a": {"present": true, "onset": "gradual"}}})") == symtri::Tri::no);
    CHECK(test::eval(cond, R"({"findings": {"a": false}})") == symtri::Tri::no);
    CHECK(test::eval(cond, R"({"findings": {}})") == symtri::Tri::unknown);
    CHECK(test::eval(R"({"finding": "a", "side": [null]})", R"({"findings": {"a": {"present": true, "side": "left"}}})") == symtri::Tri::no);
    // Not in a single value, not for sites, and a contradiction is still caught.
    CHECK_THAT(test::rules_error(R"([{"id": "r", "kind": "info", "when": {"finding": "a", "sites": ["hands", null]}, "title": "t", "advice": "x"}])"),
               Catch::Contains("each 'sites' value must be a string, got null"));
    CHECK_THAT(test::rules_error(R"([{"id": "r", "kind": "info", "when": {"all": [{"finding": "a", "onset": ["sudden", null]}, {"finding": "a", "onset": "gradual"}]}, "title": "t", "advice": "x"}])"),
               Catch::Contains("cannot all hold"));
    // An attribute whose test already holds through null is not asked.
    auto rs = test::rules("[" + test::rule("r", "red_flag", R"({"finding": "a", "onset": ["sudden", null]})", "high") + "]");
    json r = test::triage(rs, R"({"findings": {"a": true}})");
    CHECK(r["level"] == "high");
    CHECK(r["questions"].empty());
}

TEST_CASE("a rule set of many levels writes its questions as one of a few levels does", "[interview][result]") {
    // Above Level::max_tail_levels the end of a finding question is written piece by piece rather than
    // from the pre-rendered table: the same bytes.
    auto with_levels = [](std::size_t count) {
        std::string text = test::ruleset_text("[" + test::rule("ab", "red_flag", R"({"all": [{"finding": "a"}, {"finding": "b"}]})", "top") + "," +
                                              test::rule("c_alone", "red_flag", R"({"finding": "c"})", "high") + "]");
        const auto c = text.find(R"("c": {"label": "C", )");  // c a screening question: its ending too
        REQUIRE(c != std::string::npos);
        text.insert(c + std::string(R"("c": {)").size(), R"("screening": true, )");
        std::string levels = "\"levels\": [";
        for (std::size_t i = 0; i + 4 < count; ++i)
            levels += R"({"id": "extra)" + std::to_string(i) + R"(", "label": "X", "action": "Rest.", "worse": "Book if worse."}, )";
        const auto at = text.find("\"levels\": [");
        REQUIRE(at != std::string::npos);
        text.replace(at, std::string("\"levels\": [").size(), levels);  // the four levels follow, ranked above them
        return symtri::load_rules_from_string(text, "test.json");
    };
    auto few = with_levels(4), many = with_levels(20);
    bool screening = false;  // a screening question's ending was compared too
    REQUIRE(many->levels.size() == 20);
    REQUIRE(many->levels.size() > symtri::Level::max_tail_levels);
    REQUIRE(few->levels.size() <= symtri::Level::max_tail_levels);
    for (const char* c : {R"({"findings": {"b": true}})", R"({"findings": {"b": true, "c": false}})", R"({"findings": {}})"}) {
        const json a = test::triage(few, c), b = test::triage(many, c);
        REQUIRE(!a["questions"].empty());
        CHECK(a["questions"].dump() == b["questions"].dump());
        CHECK(a["interview"].dump() == b["interview"].dump());
        screening = screening || a["questions"].dump().find("\"screening\":true") != std::string::npos;
    }
    CHECK(screening);
}
