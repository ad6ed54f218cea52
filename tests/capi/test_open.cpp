// SPDX-License-Identifier: Apache-2.0
// Opening engines: from a file, a directory, a string and the built-in set; failures keep their
// diagnostics (with positions) on the handle; misuse never crashes.
#include <catch2/catch.hpp>

#include <cstring>

#include "support.hpp"

using namespace capi_test;

TEST_CASE("open: a directory loads index.json and its includes", "[open]") {
    symtri_engine* e = nullptr;
    REQUIRE(symtri_engine_open(data("rules").c_str(), nullptr, &e) == SYMTRI_OK);
    EnginePtr hold(e);
    CHECK(symtri_engine_errcode(e) == SYMTRI_OK);
    CHECK(std::string(symtri_engine_errmsg(e)).empty());
    CHECK(symtri_engine_error_count(e) == 0);
    CHECK(symtri_engine_error(e, 0) == nullptr);
    CHECK(str(symtri_engine_id(e)) == "symtri.test.capi");
    CHECK(str(symtri_engine_version(e)) == "1.0.0");
    CHECK(std::string(symtri_engine_digest(e)).rfind("sha256:", 0) == 0);
    CHECK(std::strlen(symtri_engine_digest(e)) == 7 + 64);
    CHECK(str(symtri_engine_validation(e)) == "research");
    CHECK(symtri_engine_rule_count(e) == 9);
    CHECK(symtri_engine_finding_count(e) == 58);
    CHECK(symtri_engine_level_count(e) == 6);
}

TEST_CASE("open: a root file, levels and vocabulary by index", "[open]") {
    auto e = open_ok(data("small.json"));
    REQUIRE(e);
    REQUIRE(symtri_engine_level_count(e.get()) == 4);
    CHECK(str(symtri_engine_level_id(e.get(), 0)) == "self_care");
    CHECK(str(symtri_engine_level_id(e.get(), 3)) == "ambulance");
    CHECK(str(symtri_engine_level_label(e.get(), 2, nullptr)) == "Emergency");
    CHECK(str(symtri_engine_level_action(e.get(), 2, nullptr)) == "Go to an emergency department now.");
    CHECK(str(symtri_engine_level_worse(e.get(), 0, "en")) == "If it gets worse, book an appointment.");
    CHECK(str(symtri_engine_level_indicator(e.get(), 0)) == "info");
    CHECK(str(symtri_engine_level_indicator(e.get(), 3)) == "critical");
    CHECK(symtri_engine_level_id(e.get(), 4) == nullptr);
    CHECK(symtri_engine_level_index(e.get(), "emergency") == 2);
    CHECK(symtri_engine_level_index(e.get(), "nope") == -1);
    CHECK(symtri_engine_level_index(e.get(), nullptr) == -1);

    REQUIRE(symtri_engine_finding_count(e.get()) == 4);
    CHECK(str(symtri_engine_finding_id(e.get(), 0)) == "sciatica");
    CHECK(str(symtri_engine_finding_label(e.get(), 1, nullptr)) == "Saddle numbness");
    CHECK(str(symtri_engine_finding_question(e.get(), 2, nullptr)) == "Is your speech slurred or hard to find?");
    CHECK(str(symtri_engine_finding_group(e.get(), 0)) == "back");
    CHECK(str(symtri_engine_finding_group(e.get(), 3)) == "");
    CHECK(symtri_engine_finding_id(e.get(), 4) == nullptr);
    CHECK(symtri_engine_finding_index(e.get(), "saddle_numbness") == 1);
    CHECK(symtri_engine_finding_index(e.get(), "sadle_numbness") == -1);
    CHECK(str(symtri_engine_disclaimer(e.get(), nullptr)) == "Test rules: not medical advice.");
    CHECK(str(symtri_engine_title(e.get(), "fr")) == "Small test rules");  // no French: English
}

TEST_CASE("open: text in the asked locale, falling back to English", "[open]") {
    auto e = open_ok(data("rules"));
    REQUIRE(e);
    CHECK(str(symtri_engine_title(e.get(), "fr")) == "Règles de test de l'API C");
    CHECK(str(symtri_engine_title(e.get(), "fr-CA")) == "Règles de test de l'API C");
    CHECK(str(symtri_engine_title(e.get(), "de")) == "C API test rules");
    int f = symtri_engine_finding_index(e.get(), "saddle_numbness");
    REQUIRE(f >= 0);
    CHECK(str(symtri_engine_finding_question(e.get(), static_cast<size_t>(f), "fr")) ==
          "La peau entre vos jambes ou autour des fesses est-elle engourdie ?");
    CHECK(symtri_engine_finding_index(e.get(), "sciatic_pain") == symtri_engine_finding_index(e.get(), "sciatica"));
}

TEST_CASE("open: from a string, with and without a length", "[open]") {
    std::string text = read_file(data("small.json"));
    symtri_engine* e = nullptr;
    REQUIRE(symtri_engine_open_string(text.data(), text.size(), "small.json", nullptr, &e) == SYMTRI_OK);
    EnginePtr a(e);
    REQUIRE(symtri_engine_open_string(text.c_str(), SYMTRI_NUL_TERMINATED, nullptr, nullptr, &e) == SYMTRI_OK);
    EnginePtr b(e);
    auto file = open_ok(data("small.json"));
    CHECK(str(symtri_engine_digest(a.get())) == str(symtri_engine_digest(file.get())));
    CHECK(str(symtri_engine_digest(b.get())) == str(symtri_engine_digest(file.get())));
}

TEST_CASE("open: a rule error keeps file, line, column and pointer on the handle", "[open][errors]") {
    std::string path = data("invalid/unknown_finding.json");
    symtri_engine* e = nullptr;
    REQUIRE(symtri_engine_open(path.c_str(), nullptr, &e) == SYMTRI_INVALID_RULESET);
    REQUIRE(e != nullptr);  // a failed open still hands back a handle
    EnginePtr hold(e);
    CHECK(symtri_engine_errcode(e) == SYMTRI_INVALID_RULESET);
    REQUIRE(symtri_engine_error_count(e) == 1);
    const symtri_error* err = symtri_engine_error(e, 0);
    CHECK(symtri_error_status(err) == SYMTRI_INVALID_RULESET);
    CHECK(str(symtri_error_code(err)) == "unknown_finding");
    CHECK(str(symtri_error_message(err)) == "unknown finding 'sadle_numbness' (did you mean 'saddle_numbness'?)");
    CHECK(str(symtri_error_file(err)) == path);
    CHECK(symtri_error_line(err) == 14);
    CHECK(symtri_error_column(err) == 26);
    CHECK(str(symtri_error_pointer(err)) == "/rules/0/when/finding");
    CHECK(str(symtri_error_text(err)) ==
          path + ":14:26: error: unknown finding 'sadle_numbness' (did you mean 'saddle_numbness'?) at /rules/0/when/finding");
    CHECK(str(symtri_engine_errmsg(e)) == str(symtri_error_text(err)));
    // A failed engine knows nothing and cannot triage.
    CHECK(symtri_engine_id(e) == nullptr);
    CHECK(symtri_engine_rule_count(e) == 0);
    symtri_result* r = nullptr;
    CHECK(symtri_engine_triage(e, "{}", 2, &r) == SYMTRI_MISUSE);
    ResultPtr rh(r);
    CHECK(std::string(symtri_result_errmsg(r)).find("failed to open") != std::string::npos);
}

TEST_CASE("open: a syntax error in a string names the string and the position", "[open][errors]") {
    std::string text = read_file(data("invalid/syntax.json"));
    symtri_engine* e = nullptr;
    REQUIRE(symtri_engine_open_string(text.data(), text.size(), "mine.json", nullptr, &e) == SYMTRI_INVALID_RULESET);
    EnginePtr hold(e);
    const symtri_error* err = symtri_engine_error(e, 0);
    CHECK(str(symtri_error_code(err)) == "syntax");
    CHECK(str(symtri_error_file(err)) == "mine.json");
    CHECK(symtri_error_line(err) == 3);
    CHECK(symtri_error_column(err) == 25);
    CHECK(str(symtri_error_pointer(err)) == "/ruleset");
}

TEST_CASE("open: a string may not include files", "[open][errors]") {
    std::string text = R"({"format": 1, "include": ["x.json"]})";
    symtri_engine* e = nullptr;
    CHECK(symtri_engine_open_string(text.data(), text.size(), nullptr, nullptr, &e) == SYMTRI_INVALID_RULESET);
    EnginePtr hold(e);
    CHECK(std::string(symtri_engine_errmsg(e)).find("<string>") != std::string::npos);
}

TEST_CASE("open: a missing path is an I/O error with a message", "[open][errors]") {
    symtri_engine* e = nullptr;
    CHECK(symtri_engine_open(data("no/such/rules.json").c_str(), nullptr, &e) == SYMTRI_IO);
    EnginePtr hold(e);
    REQUIRE(e);
    CHECK(symtri_engine_errcode(e) == SYMTRI_IO);
    CHECK(std::string(symtri_engine_errmsg(e)).find("rules.json") != std::string::npos);
}

TEST_CASE("open: misuse returns SYMTRI_MISUSE and never crashes", "[open][misuse]") {
    symtri_engine* e = reinterpret_cast<symtri_engine*>(0x1);
    CHECK(symtri_engine_open(nullptr, nullptr, &e) == SYMTRI_MISUSE);
    REQUIRE(e);  // carries the message
    CHECK(std::string(symtri_engine_errmsg(e)) == "error: symtri_engine_open: path is NULL");
    CHECK(symtri_error_status(symtri_engine_error(e, 0)) == SYMTRI_MISUSE);
    CHECK(std::string(symtri_error_code(symtri_engine_error(e, 0))) == "misuse");
    symtri_engine_close(e);
    CHECK(symtri_engine_open(data("small.json").c_str(), nullptr, nullptr) == SYMTRI_MISUSE);
    CHECK(symtri_engine_open_builtin(nullptr, nullptr) == SYMTRI_MISUSE);
    CHECK(symtri_engine_open_string(nullptr, 5, nullptr, nullptr, &e) == SYMTRI_MISUSE);
    symtri_engine_close(e);
    CHECK(symtri_engine_open_string(nullptr, SYMTRI_NUL_TERMINATED, nullptr, nullptr, &e) == SYMTRI_MISUSE);
    symtri_engine_close(e);
    CHECK(symtri_engine_open_string("{}", static_cast<size_t>(-2), nullptr, nullptr, &e) == SYMTRI_MISUSE);
    CHECK(std::string(symtri_engine_errmsg(e)).find("not a plausible length") != std::string::npos);
    symtri_engine_close(e);
    // Empty text is a rule-set error, not misuse.
    CHECK(symtri_engine_open_string(nullptr, 0, nullptr, nullptr, &e) == SYMTRI_INVALID_RULESET);
    symtri_engine_close(e);
    // Invalid UTF-8 in the rule text.
    std::string bad = "{\"format\": 1, \"ruleset\": {\"id\": \"\xff\"}}";
    CHECK(symtri_engine_open_string(bad.data(), bad.size(), nullptr, nullptr, &e) == SYMTRI_INVALID_RULESET);
    CHECK(std::string(symtri_engine_errmsg(e)).find("UTF-8") != std::string::npos);
    symtri_engine_close(e);

    // NULL handles everywhere.
    symtri_engine_close(nullptr);
    CHECK(symtri_engine_retain(nullptr) == nullptr);
    CHECK(symtri_engine_errcode(nullptr) == SYMTRI_MISUSE);
    CHECK(symtri_engine_errmsg(nullptr) != nullptr);
    CHECK(symtri_engine_error_count(nullptr) == 0);
    CHECK(symtri_engine_error(nullptr, 0) == nullptr);
    CHECK(symtri_engine_id(nullptr) == nullptr);
    CHECK(symtri_engine_title(nullptr, nullptr) == nullptr);
    CHECK(symtri_engine_level_count(nullptr) == 0);
    CHECK(symtri_engine_level_id(nullptr, 0) == nullptr);
    CHECK(symtri_engine_level_label(nullptr, 0, "en") == nullptr);
    CHECK(symtri_engine_finding_question(nullptr, 0, nullptr) == nullptr);
    CHECK(symtri_engine_finding_index(nullptr, "x") == -1);
    CHECK(symtri_error_code(nullptr) == std::string());
    CHECK(symtri_error_line(nullptr) == 0);
}

TEST_CASE("options: limits are checked and applied", "[open][options]") {
    symtri_options* o = nullptr;
    REQUIRE(symtri_options_create(&o) == SYMTRI_OK);
    CHECK(symtri_options_get(o, SYMTRI_OPT_MAX_CASE_BYTES) == (1 << 20));
    CHECK(symtri_options_get(o, SYMTRI_OPT_POOL_SIZE) == 64);
    CHECK(symtri_options_set(o, SYMTRI_OPT_MAX_CASE_BYTES, 0) == SYMTRI_MISUSE);
    CHECK(symtri_options_set(o, 99, 5) == SYMTRI_MISUSE);
    CHECK(symtri_options_get(o, 99) == -1);
    CHECK(symtri_options_set(nullptr, SYMTRI_OPT_MAX_CASE_BYTES, 5) == SYMTRI_MISUSE);
    CHECK(symtri_options_create(nullptr) == SYMTRI_MISUSE);
    REQUIRE(symtri_options_set(o, SYMTRI_OPT_MAX_CASE_BYTES, 40) == SYMTRI_OK);
    REQUIRE(symtri_options_set(o, SYMTRI_OPT_MAX_FILE_BYTES, 100) == SYMTRI_OK);

    symtri_engine* e = nullptr;
    CHECK(symtri_engine_open(data("small.json").c_str(), o, &e) == SYMTRI_INVALID_RULESET);
    CHECK(std::string(symtri_engine_errmsg(e)).find("max_file_bytes") != std::string::npos);
    symtri_engine_close(e);
    std::string text = read_file(data("small.json"));
    CHECK(symtri_engine_open_string(text.data(), text.size(), nullptr, o, &e) == SYMTRI_LIMIT);
    symtri_engine_close(e);

    REQUIRE(symtri_options_set(o, SYMTRI_OPT_MAX_FILE_BYTES, 1 << 20) == SYMTRI_OK);
    REQUIRE(symtri_engine_open(data("small.json").c_str(), o, &e) == SYMTRI_OK);
    symtri_options_destroy(o);  // the engine keeps its own copy
    EnginePtr hold(e);
    int rc = 0;
    auto r = triage(e, R"({"findings": {"sciatica": true, "saddle_numbness": false}})", &rc);
    CHECK(rc == SYMTRI_INVALID_CASE);
    CHECK(str(symtri_error_code(symtri_result_error(r.get()))) == "limit");
    auto ok = triage(e, R"({"findings": {}})", &rc);
    CHECK(rc == SYMTRI_OK);
    symtri_options_destroy(nullptr);
}

TEST_CASE("open: the built-in rule set", "[open][builtin]") {
    symtri_engine* e = nullptr;
    int rc = symtri_engine_open_builtin(nullptr, &e);
    EnginePtr hold(e);
    REQUIRE(e);
    if (!symtri_has_builtin()) {
        CHECK(rc == SYMTRI_IO);
        return;
    }
    INFO(symtri_engine_errmsg(e));
    REQUIRE(rc == SYMTRI_OK);
    CHECK(str(symtri_engine_id(e)) == "symtri.neuromuscular");
    CHECK(symtri_engine_level_count(e) == 6);
    const char* levels[] = {"self_care", "routine", "soon", "same_day", "emergency", "ambulance"};
    for (size_t i = 0; i < 6; ++i) CHECK(str(symtri_engine_level_id(e, i)) == levels[i]);
    for (const char* f : {"saddle_numbness", "sciatica", "kidney_disease", "ppi_use"})
        CHECK(symtri_engine_finding_index(e, f) >= 0);
}
