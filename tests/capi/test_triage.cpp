// SPDX-License-Identifier: Apache-2.0
// Triage through the C API: the result handle's accessors agree with its JSON; rejected cases carry
// code, message, pointer, line and column; bad arguments are misuse, never a crash.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "support.hpp"

using namespace capi_test;
using nlohmann::json;

TEST_CASE("triage: level, red flags and questions match the result JSON", "[triage]") {
    auto e = open_ok(data("rules"));
    REQUIRE(e);
    int rc = -1;
    auto r = triage(e.get(), R"({"case_id": "c1", "patient": {"age": 50},
        "findings": {"sciatica": {"present": true, "duration_days": 60}, "saddle_numbness": true, "fever": false}})", &rc);
    REQUIRE(rc == SYMTRI_OK);
    REQUIRE(r);
    CHECK(symtri_result_errcode(r.get()) == SYMTRI_OK);
    CHECK(std::string(symtri_result_errmsg(r.get())).empty());
    CHECK(symtri_result_error(r.get()) == nullptr);
    json j = json::parse(json_of(r.get()));
    CHECK(str(symtri_result_case_id(r.get())) == "c1");
    CHECK(str(symtri_result_level(r.get())) == "emergency");
    CHECK(symtri_result_level_rank(r.get()) == 4);
    CHECK(j["level"] == "emergency");
    CHECK(j["level_rank"] == 4);
    CHECK(str(symtri_result_summary(r.get())) == j["summary"].get<std::string>());
    REQUIRE(symtri_result_red_flag_count(r.get()) == j["red_flags"].size());
    REQUIRE(symtri_result_red_flag_count(r.get()) == 1);
    CHECK(str(symtri_result_red_flag(r.get(), 0)) == "cauda_equina");
    CHECK(str(symtri_result_red_flag_level(r.get(), 0)) == "emergency");
    CHECK(str(symtri_result_red_flag_title(r.get(), 0)) == "Possible cauda equina syndrome");
    CHECK(str(symtri_result_red_flag_advice(r.get(), 0)) == j["red_flags"][0]["advice"].get<std::string>());
    CHECK(symtri_result_red_flag(r.get(), 1) == nullptr);
    REQUIRE(symtri_result_question_count(r.get()) == j["questions"].size());
    // Questions, on a case that still has some (at emergency nothing the case says can rise further).
    auto q = triage(e.get(), R"({"patient": {"age": 50}, "findings": {"sciatica": true}})", &rc);
    REQUIRE(rc == SYMTRI_OK);
    json jq = json::parse(json_of(q.get()));
    REQUIRE(symtri_result_question_count(q.get()) == jq["questions"].size());
    REQUIRE(symtri_result_question_count(q.get()) > 0);
    for (size_t i = 0; i < symtri_result_question_count(q.get()); ++i) {
        CHECK(str(symtri_result_question_finding(q.get(), i)) == jq["questions"][i]["finding"].get<std::string>());
        CHECK(str(symtri_result_question_prompt(q.get(), i)) == jq["questions"][i]["prompt"].get<std::string>());
        CHECK(str(symtri_result_question_could_raise_to(q.get(), i)) == jq["questions"][i]["could_raise_to"].get<std::string>());
    }
    CHECK(str(symtri_result_question_could_raise_to(q.get(), 0)) == "emergency");
    CHECK(symtri_result_question_finding(q.get(), 999) == nullptr);
}

TEST_CASE("triage: the summary always equals the JSON's, with and without a red flag", "[triage]") {
    auto e = open_ok(data("rules"));
    REQUIRE(e);
    for (const char* c : {R"({})", R"({"findings": {"speech_difficulty": true}})",
                          R"({"findings": {"muscle_cramps": true, "kidney_disease": true}})",
                          R"({"findings": {"low_back_pain": true, "fever": true}, "locale": "fr"})"}) {
        auto r = triage(e.get(), c);
        REQUIRE(symtri_result_errcode(r.get()) == SYMTRI_OK);
        CHECK(str(symtri_result_summary(r.get())) == json::parse(json_of(r.get()))["summary"].get<std::string>());
    }
}

TEST_CASE("triage: the JSON is byte for byte the header-free CLI's (no case_id: null)", "[triage]") {
    auto e = open_ok(data("small.json"));
    REQUIRE(e);
    auto r = triage(e.get(), R"({"findings": {"muscle_cramps": true}})");
    CHECK(symtri_result_case_id(r.get()) == nullptr);
    std::string j = json_of(r.get());
    CHECK(j.rfind("{\"case_id\":null,\"level\":\"self_care\",\"level_rank\":0,", 0) == 0);
    CHECK(j.find('\n') == std::string::npos);
}

TEST_CASE("triage: the case's locale picks the text", "[triage]") {
    auto e = open_ok(data("rules"));
    REQUIRE(e);
    auto r = triage(e.get(), R"({"findings": {"sciatica": true, "urinary_retention": true}, "locale": "fr"})");
    REQUIRE(symtri_result_red_flag_count(r.get()) == 1);
    CHECK(str(symtri_result_red_flag_title(r.get(), 0)) == "Syndrome de la queue de cheval possible");
    CHECK(str(symtri_result_summary(r.get())) == "Allez aux urgences maintenant. Reason: Syndrome de la queue de cheval possible.");
    bool found = false;
    for (size_t i = 0; i < symtri_result_question_count(r.get()); ++i)
        if (str(symtri_result_question_finding(r.get(), i)) == "saddle_numbness") found = true;
    CHECK_FALSE(found);  // no longer raises the level once cauda equina fired
}

TEST_CASE("triage: an unknown finding names the key, the nearest id, pointer, line and column", "[triage][errors]") {
    auto e = open_ok(data("rules"));
    REQUIRE(e);
    int rc = -1;
    auto r = triage(e.get(), "{\"case_id\": \"bad1\",\n  \"findings\": {\"sadle_numbness\": true}}", &rc);
    CHECK(rc == SYMTRI_INVALID_CASE);
    REQUIRE(r);
    CHECK(symtri_result_errcode(r.get()) == SYMTRI_INVALID_CASE);
    const symtri_error* err = symtri_result_error(r.get());
    REQUIRE(err);
    CHECK(symtri_error_status(err) == SYMTRI_INVALID_CASE);
    CHECK(str(symtri_error_code(err)) == "unknown_finding");
    CHECK(str(symtri_error_message(err)) == "unknown finding 'sadle_numbness' (did you mean 'saddle_numbness'?)");
    CHECK(str(symtri_error_pointer(err)) == "/findings/sadle_numbness");
    CHECK(symtri_error_line(err) == 2);
    CHECK(symtri_error_column(err) == 16);
    CHECK(str(symtri_error_file(err)) == "");
    CHECK(str(symtri_result_errmsg(r.get())) ==
          "2:16: error: unknown finding 'sadle_numbness' (did you mean 'saddle_numbness'?) at /findings/sadle_numbness");
    // The error object, as `symtri triage` prints it, keeps the case_id.
    json j = json::parse(json_of(r.get()));
    CHECK(j["case_id"] == "bad1");
    CHECK(j["error"]["code"] == "unknown_finding");
    CHECK(j["error"]["path"] == "/findings/sadle_numbness");
    CHECK(str(symtri_result_case_id(r.get())) == "bad1");
    // Nothing else is there.
    CHECK(symtri_result_level(r.get()) == nullptr);
    CHECK(symtri_result_level_rank(r.get()) == -1);
    CHECK(symtri_result_summary(r.get()) == nullptr);
    CHECK(symtri_result_red_flag_count(r.get()) == 0);
    CHECK(symtri_result_question_count(r.get()) == 0);
}

TEST_CASE("triage: values out of range and wrong types are rejected with their pointer", "[triage][errors]") {
    auto e = open_ok(data("rules"));
    REQUIRE(e);
    struct Bad { const char* json; const char* code; const char* pointer; };
    const Bad cases[] = {
        {R"({"findings": {"sciatica": {"present": true, "severity": 11}}})", "out_of_range", "/findings/sciatica/severity"},
        {R"({"findings": {"sciatica": "yes"}})", "wrong_type", "/findings/sciatica"},
        {R"({"patient": {"age": 200}})", "out_of_range", "/patient/age"},
        {R"({"findings": {"sciatica": true}, "extra": 1})", "unknown_key", "/extra"},
        {R"([1, 2])", "wrong_type", ""},
        {R"({"findings": )", "invalid_json", ""},
        {"", "invalid_json", ""},
    };
    for (const auto& b : cases) {
        INFO(b.json);
        int rc = -1;
        auto r = triage(e.get(), b.json, &rc);
        CHECK(rc == SYMTRI_INVALID_CASE);
        CHECK(str(symtri_error_code(symtri_result_error(r.get()))) == b.code);
        if (std::string(b.code) != "invalid_json") CHECK(str(symtri_error_pointer(symtri_result_error(r.get()))) == b.pointer);
    }
}

TEST_CASE("triage: invalid UTF-8, embedded NUL bytes and short lengths are case errors", "[triage][errors]") {
    auto e = open_ok(data("small.json"));
    REQUIRE(e);
    int rc = -1;
    std::string bad_utf8 = "{\"case_id\": \"\xC3\x28\"}";
    auto r1 = triage(e.get(), bad_utf8, &rc);
    CHECK(rc == SYMTRI_INVALID_CASE);
    CHECK(std::string(symtri_result_errmsg(r1.get())).find("UTF-8") != std::string::npos);
    CHECK(json::parse(json_of(r1.get()))["error"]["code"] == "invalid_json");  // still valid JSON out

    std::string with_nul("{\"findings\": {}}\0garbage", 24);
    auto r2 = triage(e.get(), with_nul, &rc);
    CHECK(rc == SYMTRI_INVALID_CASE);

    const char* text = R"({"findings": {"sciatica": true}})";
    symtri_result* r = nullptr;
    CHECK(symtri_engine_triage(e.get(), text, 10, &r) == SYMTRI_INVALID_CASE);  // cut short
    symtri_result_destroy(r);
    CHECK(symtri_engine_triage(e.get(), text, SYMTRI_NUL_TERMINATED, &r) == SYMTRI_OK);
    symtri_result_destroy(r);
}

TEST_CASE("triage: misuse returns SYMTRI_MISUSE with a message and never crashes", "[triage][misuse]") {
    auto e = open_ok(data("small.json"));
    REQUIRE(e);
    symtri_result* r = nullptr;
    CHECK(symtri_engine_triage(e.get(), "{}", 2, nullptr) == SYMTRI_MISUSE);
    CHECK(symtri_engine_triage(nullptr, "{}", 2, &r) == SYMTRI_MISUSE);
    REQUIRE(r);
    CHECK(symtri_result_errcode(r) == SYMTRI_MISUSE);
    CHECK(std::string(symtri_result_errmsg(r)).find("engine is NULL") != std::string::npos);
    CHECK(json::parse(json_of(r))["error"]["code"] == "misuse");
    symtri_result_destroy(r);
    CHECK(symtri_engine_triage(e.get(), nullptr, 3, &r) == SYMTRI_MISUSE);
    symtri_result_destroy(r);
    CHECK(symtri_engine_triage(e.get(), nullptr, SYMTRI_NUL_TERMINATED, &r) == SYMTRI_MISUSE);
    symtri_result_destroy(r);
    CHECK(symtri_engine_triage(e.get(), "{}", static_cast<size_t>(-5), &r) == SYMTRI_MISUSE);
    symtri_result_destroy(r);
    CHECK(symtri_engine_triage(e.get(), nullptr, 0, &r) == SYMTRI_INVALID_CASE);  // empty text: a bad case
    symtri_result_destroy(r);

    symtri_result_destroy(nullptr);
    CHECK(symtri_result_errcode(nullptr) == SYMTRI_MISUSE);
    CHECK(symtri_result_errmsg(nullptr) != nullptr);
    CHECK(symtri_result_error(nullptr) == nullptr);
    size_t len = 7;
    CHECK(symtri_result_json(nullptr, &len) == nullptr);
    CHECK(len == 0);
    CHECK(symtri_result_level(nullptr) == nullptr);
    CHECK(symtri_result_level_rank(nullptr) == -1);
    CHECK(symtri_result_red_flag_count(nullptr) == 0);
    CHECK(symtri_result_red_flag_title(nullptr, 0) == nullptr);
    CHECK(symtri_result_question_prompt(nullptr, 0) == nullptr);
    CHECK(symtri_result_case_id(nullptr) == nullptr);
}

TEST_CASE("triage: a result outlives its engine", "[triage][lifetime]") {
    symtri_engine* e = nullptr;
    REQUIRE(symtri_engine_open(data("small.json").c_str(), nullptr, &e) == SYMTRI_OK);
    auto r = triage(e, R"({"findings": {"speech_difficulty": true}})");
    symtri_engine_close(e);
    CHECK(str(symtri_result_level(r.get())) == "ambulance");
    CHECK(str(symtri_result_red_flag_title(r.get(), 0)) == "Speech difficulty");
}

TEST_CASE("versions: the header's macros equal the library's", "[version]") {
    CHECK(symtri_version_number() == SYMTRI_VERSION_NUMBER);
    CHECK(std::string(symtri_version()) == SYMTRI_VERSION_STRING);
    CHECK(symtri_rules_format_version() == SYMTRI_RULES_FORMAT_VERSION);
    CHECK(symtri_rules_format_min_version() == SYMTRI_RULES_FORMAT_MIN_VERSION);
    CHECK(std::string(symtri_status_name(SYMTRI_INVALID_CASE)) == "invalid_case");
    CHECK(std::string(symtri_status_name(SYMTRI_MISUSE)) == "misuse");
    CHECK(std::string(symtri_status_name(-1)) == "unknown");
    CHECK(std::string(symtri_status_name(99)) == "unknown");
}
