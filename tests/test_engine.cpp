// SPDX-License-Identifier: Apache-2.0
// Triage semantics: level aggregation, result order, questions, blocking, determinism.
#include <thread>

#include "support.hpp"

namespace {

std::vector<std::string> ids(const nlohmann::json& list, const char* key) {
    std::vector<std::string> out;
    for (const auto& x : list) out.push_back(x[key].get<std::string>());
    return out;
}

symtri::RuleSetPtr screen() {
    return test::rules("[" +
        test::rule("flag_top", "red_flag", R"({"all": [{"finding": "a"}, {"finding": "b"}]})", "top") + "," +
        test::rule("flag_high", "red_flag", R"({"all": [{"finding": "a"}, {"finding": "c"}]})", "high", R"(, "priority": 5)") + "," +
        test::rule("flag_high2", "red_flag", R"({"finding": "d"})", "high", R"(, "priority": 9)") + "," +
        test::rule("mid_if_a", "recommendation", R"({"finding": "a"})", "mid") + "," +
        test::rule("advice_a", "recommendation", R"({"finding": "a"})", "", R"(, "tags": ["magnesium"])") + "," +
        test::rule("stop_mg", "caution", R"({"finding": "e"})", "", R"(, "blocks": {"tags": ["magnesium"]})") + "]");
}

}  // namespace

TEST_CASE("no rule fired gives the lowest level") {
    auto r = test::triage(screen(), R"({"findings": {}})");
    CHECK(r["level"] == "low");
    CHECK(r["level_rank"] == 0);
    CHECK(r["red_flags"].empty());
}

TEST_CASE("the level is the highest level of any fired rule") {
    auto r = test::triage(screen(), R"({"findings": {"a": true, "b": true, "c": true, "d": true}})");
    CHECK(r["level"] == "top");
    CHECK(r["level_rank"] == 3);
    // red flags: highest level first, then priority
    CHECK(ids(r["red_flags"], "rule") == std::vector<std::string>{"flag_top", "flag_high2", "flag_high"});
    CHECK(r["red_flags"][0]["because"] == nlohmann::json::array({"a", "b"}));
    CHECK(r["red_flags"][0]["citations"][0]["url"] == "https://example.org/src");
    CHECK(r["summary"] == "Call 999 now. Reason: T flag_top.");
}

TEST_CASE("a recommendation with a level raises it too") {
    auto r = test::triage(screen(), R"({"findings": {"a": true, "b": false, "c": false, "d": false}})");
    CHECK(r["level"] == "mid");
    CHECK(ids(r["recommendations"], "rule") == std::vector<std::string>{"mid_if_a", "advice_a"});
}

TEST_CASE("questions belong to what the case says, by what a yes gives; the rest is counted, never answered ones") {
    auto r = test::triage(screen(), R"({"findings": {"a": true}})");
    // b (top with a) and c (high with a) belong to a; d could raise the level too, but nothing said
    // leads to it: counted in other_questions. a is answered.
    REQUIRE(r["questions"].size() == 2);
    CHECK(r["questions"][0]["finding"] == "b");
    CHECK(r["questions"][0]["could_raise_to"] == "top");
    CHECK(r["questions"][0]["if_yes"] == "top");
    CHECK(r["questions"][0]["prompt"] == "Do you have B?");
    CHECK(r["questions"][1]["finding"] == "c");
    CHECK(r["questions"][1]["could_raise_to"] == "high");
    CHECK(r["other_questions"] == 1);
    for (const auto& q : r["questions"]) CHECK(q["finding"] != "a");
}

TEST_CASE("questions stop at the current level and drop findings whose rules are settled") {
    auto r = test::triage(screen(), R"({"findings": {"a": false, "d": true}})");
    // level high: flag_top and flag_high are false (a absent); nothing above high is still open
    CHECK(r["level"] == "high");
    CHECK(r["questions"].empty());
}

TEST_CASE("an unknown attribute of a present finding is asked as an attribute question") {
    auto rs = test::rules("[" + test::rule("both", "red_flag", R"({"finding": "a", "side": "both"})", "high") + "]");
    auto r = test::triage(rs, R"({"findings": {"a": true}})");
    CHECK(r["level"] == "low");
    REQUIRE(r["questions"].size() == 1);
    CHECK(r["questions"][0]["finding"] == "a");
    CHECK(r["questions"][0]["attribute"] == "side");
    CHECK(r["questions"][0]["if_answer"] == nlohmann::json{{"both", "high"}});
}

TEST_CASE("rules gated on age ask nothing when age rules them out") {
    auto rs = test::rules("[" + test::rule("gca", "red_flag", R"({"all": [{"age": {">=": 50}}, {"finding": "b"}]})", "high") + "]");
    // b belongs to nothing the case says, so it is counted in other_questions rather than asked.
    CHECK(test::triage(rs, R"({"patient": {"age": 30}, "findings": {}})")["other_questions"] == 0);
    auto r = test::triage(rs, R"({"patient": {"age": 60}, "findings": {}})");
    CHECK(r["questions"].empty());
    CHECK(r["other_questions"] == 1);
    CHECK(test::triage(rs, R"({"findings": {}})")["other_questions"] == 1);  // age unknown: still open
}

TEST_CASE("a caution blocks recommendations by tag, names them, and does not lower the level") {
    auto r = test::triage(screen(), R"({"findings": {"a": true, "e": true}})");
    CHECK(r["level"] == "mid");
    CHECK(ids(r["recommendations"], "rule") == std::vector<std::string>{"mid_if_a"});
    REQUIRE(r["cautions"].size() == 1);
    CHECK(r["cautions"][0]["rule"] == "stop_mg");
    CHECK(r["cautions"][0]["blocks"] == nlohmann::json::array({"advice_a"}));
    auto without = test::triage(screen(), R"({"findings": {"a": true, "e": false}})");
    CHECK(ids(without["recommendations"], "rule") == std::vector<std::string>{"mid_if_a", "advice_a"});
}

TEST_CASE("a blocked recommendation that sets a level still counts for the level") {
    auto rs = test::rules("[" + test::rule("rec", "recommendation", R"({"finding": "a"})", "mid", R"(, "tags": ["x"])") + "," +
                          test::rule("c", "caution", R"({"finding": "b"})", "", R"(, "blocks": {"rules": ["rec"]})") + "]");
    auto r = test::triage(rs, R"({"findings": {"a": true, "b": true}})");
    CHECK(r["level"] == "mid");
    CHECK(r["recommendations"].empty());
}

TEST_CASE("the result carries case_id, disclaimer, rule set identity and engine version") {
    auto rs = screen();
    auto r = test::triage(rs, R"({"case_id": "X-1", "findings": {}})");
    CHECK(r["case_id"] == "X-1");
    CHECK(r["disclaimer"] == "Not a diagnosis.");
    CHECK(r["ruleset"]["id"] == "test.rules");
    CHECK(r["ruleset"]["version"] == "1.0");
    CHECK(r["ruleset"]["digest"] == rs->info.digest);
    CHECK(r["engine"]["version"] == symtri::engine_version);
    CHECK(test::triage(rs, R"({"findings": {}})")["case_id"].is_null());
}

TEST_CASE("results are byte-identical for the same case, across sessions, threads and key order") {
    auto rs = screen();
    const std::string a = R"({"case_id": "d", "patient": {"age": 40}, "findings": {"a": true, "c": true, "e": true}})";
    const std::string b = R"({"findings": {"e": true, "c": true, "a": true}, "patient": {"age": 40}, "case_id": "d"})";
    symtri::Session s1(rs), s2(rs);
    std::string r1, r2, r3;
    symtri::CaseError err;
    REQUIRE(s1.triage(a, r1, err));
    REQUIRE(s2.triage(b, r2, err));
    REQUIRE(s1.triage(a, r3, err));  // a reused session gives the same bytes
    CHECK(r1 == r2);
    CHECK(r1 == r3);
    std::vector<std::string> from_threads(4);
    std::vector<std::thread> pool;
    for (int t = 0; t < 4; ++t)
        pool.emplace_back([&, t] {
            symtri::Session s(rs);
            symtri::CaseError e;
            for (int i = 0; i < 200; ++i) s.triage(t % 2 ? a : b, from_threads[static_cast<std::size_t>(t)], e);
        });
    for (auto& th : pool) th.join();
    for (const auto& r : from_threads) CHECK(r == r1);
}

TEST_CASE("a reused session forgets the previous case") {
    auto rs = screen();
    symtri::Session s(rs);
    std::string out;
    symtri::CaseError err;
    REQUIRE(s.triage(R"({"findings": {"a": {"present": true, "side": "left"}, "b": true}})", out, err));
    CHECK(nlohmann::json::parse(out)["level"] == "top");
    REQUIRE(s.triage(R"({"findings": {}})", out, err));
    CHECK(nlohmann::json::parse(out)["level"] == "low");
    CHECK(s.last_case().findings[0].side == -1);
}

TEST_CASE("only rules reading an answered finding are evaluated, yet untouched rules still ask") {
    // 2,000 rules over 200 findings; a case answering one finding touches only its rules.
    std::string vocab, rules;
    for (int f = 0; f < 200; ++f)
        vocab += std::string(f ? "," : "") + "\"f" + std::to_string(f) + "\": {\"label\": \"F\", \"question\": \"F?\"}";
    for (int r = 0; r < 2000; ++r)
        rules += std::string(r ? "," : "") + test::rule("r" + std::to_string(r), "red_flag",
                 R"({"all": [{"finding": "f)" + std::to_string(r % 200) + R"("}, {"finding": "f)" + std::to_string((r + 1) % 200) + R"("}]})", "high");
    std::string text = test::ruleset_text("[" + rules + "]");
    text.replace(text.find("\"vocabulary\": {"), 15, "\"vocabulary\": {" + vocab + ",");
    auto rs = symtri::load_rules_from_string(text);
    auto r = test::triage(rs, R"({"findings": {"f7": true, "f8": true}})");
    CHECK(r["level"] == "high");
    CHECK(r["red_flags"].size() == 10);  // r7, r207, ... all read f7 and f8
    auto q = test::triage(rs, R"({"findings": {"f7": false}})");
    CHECK(q["questions"].empty());          // nothing present: nothing belongs to what the case says
    CHECK(q["other_questions"] == 199);     // but every other finding a rule reads could raise the level
}
