// SPDX-License-Identifier: Apache-2.0
// The interview through the C API (CONTRACT.md section 5), on the built-in rules: each question's
// attribute, if_yes, screening, choices, unit and whole JSON; the next question; completeness; the other
// questions, counted and (with SYMTRI_OPT_LIST_OTHER_QUESTIONS) listed; the case's unsure list; and
// symtri_engine_explain. Every accessor is checked against the result's own JSON.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "support.hpp"

using namespace capi_test;
using nlohmann::json;

namespace {

EnginePtr builtin(bool list_others = false) {
    symtri_options* o = nullptr;
    REQUIRE(symtri_options_create(&o) == SYMTRI_OK);
    if (list_others) REQUIRE(symtri_options_set(o, SYMTRI_OPT_LIST_OTHER_QUESTIONS, 1) == SYMTRI_OK);
    symtri_engine* e = nullptr;
    int rc = symtri_engine_open_builtin(o, &e);
    symtri_options_destroy(o);
    REQUIRE(rc == SYMTRI_OK);
    return EnginePtr(e);
}

std::string question_json(const symtri_result* r, size_t i) {
    const char* p = nullptr;
    size_t len = 0;
    if (symtri_result_question_json(r, i, &p, &len) != SYMTRI_OK) return "";
    return std::string(p, len);
}

}  // namespace

TEST_CASE("interview: sciatica asks about saddle numbness or the side first, each raising to emergency", "[interview]") {
    auto e = builtin();
    auto r = triage(e.get(), R"({"findings": {"sciatica": true}})");
    REQUIRE(symtri_result_errcode(r.get()) == SYMTRI_OK);
    json j = json::parse(json_of(r.get()));
    REQUIRE(symtri_result_question_count(r.get()) == j["questions"].size());
    REQUIRE(symtri_result_question_count(r.get()) > 0);
    CHECK(symtri_result_complete(r.get()) == 0);
    REQUIRE(symtri_result_next_question(r.get()) == 0);
    CHECK(json::parse(question_json(r.get(), 0)) == j["interview"]["next"]);

    const std::string first = str(symtri_result_question_finding(r.get(), 0));
    const char* attr = symtri_result_question_attribute(r.get(), 0);
    CHECK((first == "saddle_numbness" || (first == "sciatica" && attr && std::string(attr) == "side")));
    CHECK(str(symtri_result_question_could_raise_to(r.get(), 0)) == "emergency");
    if (attr) {
        CHECK(symtri_result_question_if_yes(r.get(), 0) == nullptr);
        REQUIRE(symtri_result_question_choice_count(r.get(), 0) == 3);
        CHECK(str(symtri_result_question_choice(r.get(), 0, 2)) == "both");
        CHECK(str(symtri_result_question_choice_if_answer(r.get(), 0, 2)) == "emergency");
        CHECK(symtri_result_question_choice_if_answer(r.get(), 0, 0) == nullptr);
    } else {
        CHECK(str(symtri_result_question_if_yes(r.get(), 0)) == "emergency");
        CHECK(symtri_result_question_choice_count(r.get(), 0) == 0);
    }

    // Every question, typed accessors against the JSON.
    bool saw_side = false, saw_saddle = false;
    for (size_t i = 0; i < symtri_result_question_count(r.get()); ++i) {
        const json& q = j["questions"][i];
        CHECK(json::parse(question_json(r.get(), i)) == q);
        CHECK(str(symtri_result_question_prompt(r.get(), i)) == q["prompt"].get<std::string>());
        CHECK(str(symtri_result_question_label(r.get(), i)) == q["label"].get<std::string>());
        CHECK(symtri_result_question_screening(r.get(), i) == (q.value("screening", false) ? 1 : 0));
        if (q.contains("attribute")) {
            CHECK(str(symtri_result_question_attribute(r.get(), i)) == q["attribute"].get<std::string>());
            CHECK(symtri_result_question_if_yes(r.get(), i) == nullptr);
            if (q["finding"] == "sciatica" && q["attribute"] == "side") {
                saw_side = true;
                CHECK(q["if_answer"]["both"] == "emergency");
            }
        } else {
            CHECK(symtri_result_question_attribute(r.get(), i) == nullptr);
            CHECK(str(symtri_result_question_if_yes(r.get(), i)) == q["if_yes"].get<std::string>());
            if (q["finding"] == "saddle_numbness") {
                saw_saddle = true;
                CHECK(str(symtri_result_question_if_yes(r.get(), i)) == "emergency");
            }
        }
    }
    CHECK(saw_side);
    CHECK(saw_saddle);
    CHECK(symtri_result_question_attribute(r.get(), 999) == nullptr);
    const char* p = "x";
    CHECK(symtri_result_question_json(r.get(), 999, &p, nullptr) == SYMTRI_MISUSE);
    CHECK(p == nullptr);
}

TEST_CASE("interview: a number attribute question gives its unit and range", "[interview]") {
    auto e = builtin();
    auto r = triage(e.get(), R"({"findings": {"low_back_pain": true}})");
    REQUIRE(symtri_result_errcode(r.get()) == SYMTRI_OK);
    json j = json::parse(json_of(r.get()));
    bool saw_unit = false;
    for (size_t i = 0; i < j["questions"].size(); ++i) {
        const json& q = j["questions"][i];
        double lo = -5, hi = -5;
        const char* unit = symtri_result_question_unit(r.get(), i, &lo, &hi);
        if (!q.contains("unit")) {
            CHECK(unit == nullptr);
            continue;
        }
        saw_unit = true;
        CHECK(str(unit) == q["unit"].get<std::string>());
        CHECK(lo == q["min"].get<double>());
        CHECK(hi == (q.contains("max") ? q["max"].get<double>() : -1.0));
        CHECK(symtri_result_question_choice_count(r.get(), i) == 0);
    }
    CHECK(saw_unit);
}

TEST_CASE("interview: a complete case has no next question", "[interview]") {
    auto e = builtin();
    // The back emergency: once it fires at the top level a rule can raise, nothing is left to ask.
    auto r = triage(e.get(), R"({"findings": {"sciatica": {"present": true, "side": "both"}, "saddle_numbness": true}})");
    REQUIRE(symtri_result_errcode(r.get()) == SYMTRI_OK);
    json j = json::parse(json_of(r.get()));
    CHECK(j["interview"]["complete"] == (symtri_result_complete(r.get()) == 1));
    if (symtri_result_complete(r.get()) == 1) {
        CHECK(symtri_result_next_question(r.get()) == SYMTRI_NO_QUESTION);
        CHECK(symtri_result_question_count(r.get()) == 0);
        CHECK(j["interview"]["next"].is_null());
    }
    // A rejected case and NULL: no interview at all.
    auto bad = triage(e.get(), R"({"findings": {"nope": true}})");
    CHECK(symtri_result_complete(bad.get()) == -1);
    CHECK(symtri_result_next_question(bad.get()) == SYMTRI_NO_QUESTION);
    CHECK(symtri_result_other_questions(bad.get()) == 0);
    CHECK(symtri_result_complete(nullptr) == -1);
    CHECK(symtri_result_next_question(nullptr) == SYMTRI_NO_QUESTION);
    CHECK(symtri_result_question_attribute(nullptr, 0) == nullptr);
    CHECK(symtri_result_unsure_count(nullptr) == 0);
}

TEST_CASE("interview: answering every question in turn ends complete", "[interview]") {
    auto e = builtin();
    json c = {{"patient", {{"age", 40}, {"sex", "female"}}}, {"findings", {{"muscle_cramps", true}}}};
    bool complete = false;
    for (int step = 0; step < 60 && !complete; ++step) {
        auto r = triage(e.get(), c.dump());
        REQUIRE(symtri_result_errcode(r.get()) == SYMTRI_OK);
        if (symtri_result_complete(r.get()) == 1) {
            complete = true;
            break;
        }
        size_t i = symtri_result_next_question(r.get());
        REQUIRE(i == 0);
        std::string f = str(symtri_result_question_finding(r.get(), i));
        const char* attr = symtri_result_question_attribute(r.get(), i);
        // Always "don't know": each goes to unsure and is never asked again.
        c["unsure"].push_back(attr ? f + "." + attr : f);
    }
    CHECK(complete);
    auto r = triage(e.get(), c.dump());
    REQUIRE(symtri_result_unsure_count(r.get()) == c["unsure"].size());
    for (size_t i = 0; i < c["unsure"].size(); ++i) CHECK(str(symtri_result_unsure(r.get(), i)) == c["unsure"][i].get<std::string>());
}

TEST_CASE("interview: an unsure finding or attribute is not asked again", "[interview]") {
    auto e = builtin();
    auto r = triage(e.get(), R"({"findings": {"sciatica": true}, "unsure": ["saddle_numbness", "sciatica.side"]})");
    REQUIRE(symtri_result_errcode(r.get()) == SYMTRI_OK);
    for (size_t i = 0; i < symtri_result_question_count(r.get()); ++i) {
        std::string f = str(symtri_result_question_finding(r.get(), i));
        const char* a = symtri_result_question_attribute(r.get(), i);
        CHECK(f != "saddle_numbness");
        CHECK(!(f == "sciatica" && a && std::string(a) == "side"));
    }
    REQUIRE(symtri_result_unsure_count(r.get()) == 2);
    CHECK(str(symtri_result_unsure(r.get(), 0)) == "saddle_numbness");
    CHECK(str(symtri_result_unsure(r.get(), 1)) == "sciatica.side");
    CHECK(symtri_result_unsure(r.get(), 2) == nullptr);
}

TEST_CASE("interview: other questions are counted, and listed only with the option", "[interview]") {
    const char* c = R"({"findings": {"sciatica": true}})";
    auto plain = builtin(false);
    auto r = triage(plain.get(), c);
    json j = json::parse(json_of(r.get()));
    REQUIRE(symtri_result_other_questions(r.get()) > 0);
    CHECK(symtri_result_other_questions(r.get()) == j["other_questions"].get<size_t>());
    CHECK(symtri_result_other_question_list_count(r.get()) == 0);
    CHECK_FALSE(j.contains("other_question_list"));

    auto listing = builtin(true);
    auto r2 = triage(listing.get(), c);
    json j2 = json::parse(json_of(r2.get()));
    REQUIRE(j2.contains("other_question_list"));
    CHECK(symtri_result_other_questions(r2.get()) == symtri_result_other_questions(r.get()));
    REQUIRE(symtri_result_other_question_list_count(r2.get()) == j2["other_question_list"].size());
    CHECK(symtri_result_other_question_list_count(r2.get()) == symtri_result_other_questions(r2.get()));
    const char* p = nullptr;
    size_t len = 0;
    REQUIRE(symtri_result_other_question_json(r2.get(), 0, &p, &len) == SYMTRI_OK);
    CHECK(json::parse(std::string(p, len)) == j2["other_question_list"][0]);
    // The asked questions do not change with the option.
    CHECK(j2["questions"] == j["questions"]);
}

TEST_CASE("interview: SYMTRI_OPT_LIST_OTHER_QUESTIONS takes 0 or 1", "[interview][options]") {
    symtri_options* o = nullptr;
    REQUIRE(symtri_options_create(&o) == SYMTRI_OK);
    CHECK(symtri_options_get(o, SYMTRI_OPT_LIST_OTHER_QUESTIONS) == 0);
    CHECK(symtri_options_set(o, SYMTRI_OPT_LIST_OTHER_QUESTIONS, 1) == SYMTRI_OK);
    CHECK(symtri_options_get(o, SYMTRI_OPT_LIST_OTHER_QUESTIONS) == 1);
    CHECK(symtri_options_set(o, SYMTRI_OPT_LIST_OTHER_QUESTIONS, 2) == SYMTRI_MISUSE);
    CHECK(symtri_options_set(o, SYMTRI_OPT_LIST_OTHER_QUESTIONS, -1) == SYMTRI_MISUSE);
    CHECK(symtri_options_get(o, SYMTRI_OPT_LIST_OTHER_QUESTIONS) == 1);
    CHECK(symtri_options_set(o, SYMTRI_OPT_LIST_OTHER_QUESTIONS, 0) == SYMTRI_OK);
    CHECK(symtri_options_get(o, SYMTRI_OPT_LIST_OTHER_QUESTIONS) == 0);
    symtri_options_destroy(o);
}

TEST_CASE("explain: a rule's tests for a case, with pointers, values and what would make it fire", "[explain]") {
    auto e = builtin();
    char* out = nullptr;
    size_t len = 0;
    const char* c = R"({"findings": {"sciatica": true}})";
    REQUIRE(symtri_engine_explain(e.get(), "cauda_equina", c, SYMTRI_NUL_TERMINATED, &out, &len) == SYMTRI_OK);
    REQUIRE(out != nullptr);
    json j = json::parse(std::string(out, len));
    symtri_free(out);
    CHECK(j["rule"] == "cauda_equina");
    CHECK(j["value"] == "unknown");
    CHECK(j["fires"] == false);
    REQUIRE(!j["tests"].empty());
    CHECK(j["tests"][0]["pointer"] == "/when");
    bool saddle = false;
    for (const auto& t : j["tests"]) {
        CHECK(t["pointer"].get<std::string>().rfind("/when", 0) == 0);
        if (t["text"] == "saddle_numbness present") {
            saddle = true;
            CHECK(t["value"] == "unknown");
        }
    }
    CHECK(saddle);
    CHECK(std::find(j["would_fire_if"].begin(), j["would_fire_if"].end(), "saddle_numbness answered yes") != j["would_fire_if"].end());
    CHECK(j["blocked_by"].empty());

    // False: what blocks it.
    REQUIRE(symtri_engine_explain(e.get(), "cauda_equina", R"({"findings": {"low_back_pain": false, "sciatica": false,
        "saddle_numbness": false, "numbness": false, "tingling": false}})", SYMTRI_NUL_TERMINATED, &out, &len) == SYMTRI_OK);
    j = json::parse(std::string(out, len));
    symtri_free(out);
    CHECK(j["value"] == false);
    CHECK(!j["blocked_by"].empty());

    // A rejected case, an unknown rule, NULLs: a message to free, never a crash.
    CHECK(symtri_engine_explain(e.get(), "cauda_equina", R"({"findings": {"nope": true}})", SYMTRI_NUL_TERMINATED, &out, &len) ==
          SYMTRI_INVALID_CASE);
    REQUIRE(out != nullptr);
    CHECK(std::string(out).find("nope") != std::string::npos);
    symtri_free(out);
    CHECK(symtri_engine_explain(e.get(), "no_such_rule", c, SYMTRI_NUL_TERMINATED, &out, &len) == SYMTRI_MISUSE);
    CHECK(std::string(out).find("unknown rule 'no_such_rule'") != std::string::npos);
    symtri_free(out);
    CHECK(symtri_engine_explain(nullptr, "cauda_equina", c, SYMTRI_NUL_TERMINATED, &out, &len) == SYMTRI_MISUSE);
    symtri_free(out);
    CHECK(symtri_engine_explain(e.get(), nullptr, c, SYMTRI_NUL_TERMINATED, &out, &len) == SYMTRI_MISUSE);
    symtri_free(out);
    CHECK(symtri_engine_explain(e.get(), "cauda_equina", c, SYMTRI_NUL_TERMINATED, nullptr, &len) == SYMTRI_MISUSE);
    symtri_free(nullptr);
}
