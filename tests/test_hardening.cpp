// SPDX-License-Identifier: Apache-2.0
// Regression tests for issue 17 (defects found by an outside test): bounded did-you-mean work, depth
// limits clamped, integers read without wrapping, underflowing numbers, and a finding given twice.
#include <chrono>
#include <filesystem>
#include <fstream>

#include <symtri/detail/json_reader.hpp>
#include <symtri/detail/text.hpp>

#include "support.hpp"

namespace {

// A rule set whose vocabulary holds `n` findings f0 ... f<n-1> (ids of 8 to 12 characters).
symtri::RuleSetPtr large_vocabulary(std::size_t n) {
    std::string vocab;
    for (std::size_t i = 0; i < n; ++i) {
        if (i) vocab += ",";
        vocab += "\"finding_" + std::to_string(i) + "\": {\"label\": \"F\", \"question\": \"F?\"}";
    }
    std::string text = R"({"format": 1,
  "ruleset": {"id": "test.big", "version": "1.0", "title": "Big", "authors": ["tests"],
              "last_reviewed": "2026-01-01", "validation": "research", "license": "MIT", "disclaimer": "Not a diagnosis."},
  "levels": [{"id": "low", "label": "Low", "action": "Rest.", "worse": "Book if worse."},
             {"id": "high", "label": "High", "action": "Go now.", "worse": "Call."}],
  "vocabulary": {)" + vocab + R"(},
  "rules": [{"id": "r", "kind": "info", "when": {"finding": "finding_0"}, "title": "t", "advice": "a"}]})";
    symtri::LoadOptions lo;
    lo.limits.max_file_bytes = 64u << 20;
    return symtri::load_rules_from_string(text, "big.json", lo);
}

}  // namespace

TEST_CASE("issue 17.1: the bounded edit distance agrees with the full one within its bound") {
    const std::vector<std::string> words = {"", "a", "ab", "ba", "abc", "sadle", "saddle", "sicatica", "sciatica",
                                            "saddle_numbness", "sadle_numbnes", "numbness", "xyzzy", "abcdefgh"};
    for (const auto& a : words)
        for (const auto& b : words)
            for (std::size_t bound = 0; bound < 10; ++bound) {
                std::size_t full = symtri::detail::edit_distance(a, b);
                std::size_t within = symtri::detail::edit_distance_within(a, b, bound);
                INFO(a << " / " << b << " bound " << bound);
                CHECK(within == (full <= bound ? full : bound + 1));
            }
}

TEST_CASE("issue 17.1: did-you-mean on a 1 MB word does bounded work against a large vocabulary") {
    std::vector<std::string> ids;
    for (int i = 0; i < 50000; ++i) ids.push_back("finding_" + std::to_string(i));
    std::string word(1u << 20, 'x');
    std::size_t cells = 0;
    CHECK(symtri::detail::closest(word, ids, &cells) == "");
    CHECK(cells == 0);  // every id differs in length by far more than the distance allowed
    // A long word against long candidates: at most (2 * 21 + 1) cells a row, and it stops early.
    std::vector<std::string> longs = {std::string(1u << 20, 'y'), std::string((1u << 20) + 5, 'x')};
    cells = 0;
    CHECK(symtri::detail::closest(word, longs, &cells) == std::string((1u << 20) + 5, 'x'));
    CHECK(cells <= 2 * 43 * (std::size_t(1) << 20));
    // Unchanged for short words.
    CHECK(symtri::detail::closest("finding_1234x", ids) == "finding_1234");
}

TEST_CASE("issue 17.1: a 1 MB unknown finding id is rejected quickly, with a large vocabulary") {
    auto rs = large_vocabulary(20000);
    std::string text = "{\"findings\": {\"" + std::string((1u << 20) - 40, 'q') + "\": true}}";
    symtri::Case c;
    symtri::CaseError err;
    auto t0 = std::chrono::steady_clock::now();
    CHECK_FALSE(symtri::parse_case(*rs, text, c, err));
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    CHECK(err.code == "unknown_finding");
    CHECK(s < 5.0);  // generous (sanitizers, a loaded machine): it took minutes before; milliseconds now
}

TEST_CASE("issue 17.2: C++ depth limits are used as at most 1000") {
    symtri::LoadLimits ll;
    ll.max_depth = 1000000000;
    CHECK(ll.depth() == 1000);
    ll.max_depth = 7;
    CHECK(ll.depth() == 7);
    symtri::CaseLimits cl;
    cl.max_depth = 1000000000;
    CHECK(cl.depth() == 1000);
    // A case 100,000 deep is refused at 1000 levels (it overflowed the stack before).
    auto rs = symtri::load_builtin_rules();
    std::string deep = "{\"findings\": " + std::string(100000, '[') + std::string(100000, ']') + "}";
    symtri::Case c;
    symtri::CaseError err;
    CHECK_FALSE(symtri::parse_case(*rs, deep, c, err, cl));
    CHECK(err.code == "limit");
    CHECK(err.message.find("limit of 1000 levels") != std::string::npos);
    // And a rule text 200,000 deep.
    symtri::LoadOptions lo;
    lo.limits.max_depth = 1000000000;
    std::string rule_text = "{\"format\": 1, \"x\": " + std::string(200000, '[') + std::string(200000, ']') + "}";
    try {
        symtri::load_rules_from_string(rule_text, "deep.json", lo);
        FAIL("loaded");
    } catch (const symtri::Error& e) {
        CHECK(std::string(e.what()).find("limit of 1000 levels") != std::string::npos);
    }
}

TEST_CASE("issue 17.9: integers above the largest long long are never wrapped") {
    const std::string big = "18446744073709551615";
    std::string e = test::load_error(test::ruleset_text(
        R"([{"id": "r", "kind": "info", "priority": )" + big + R"(, "when": {"finding": "a"}, "title": "t", "advice": "a"}])"));
    CHECK(e.find("'priority' must be an integer from -1000000 to 1000000, got " + big) != std::string::npos);
    e = test::load_error(test::ruleset_text(
        R"([{"id": "r", "kind": "info", "when": {"at_least": )" + big + R"(, "of": [{"finding": "a"}]}, "title": "t", "advice": "a"}])"));
    CHECK(e.find("'at_least' is " + big) != std::string::npos);
    CHECK(e.find("-1") == std::string::npos);
    std::string text = test::ruleset_text(R"([{"id": "r", "kind": "info", "when": {"finding": "a"}, "title": "t", "advice": "a"}])");
    text.replace(text.find("\"format\": 1"), 11, "\"format\": " + big);
    e = test::load_error(text);
    CHECK(e.find("rule-file format " + big + " is not supported") != std::string::npos);
    auto rs = test::rules(R"([{"id": "r", "kind": "info", "when": {"finding": "e"}, "title": "t", "advice": "a"}])");
    for (const std::string& v : {big, std::string("9223372036854775808")}) {
        symtri::Case c;
        symtri::CaseError err;
        CHECK_FALSE(symtri::parse_case(*rs, R"({"findings": {"e": {"present": true, "severity": )" + v + "}}}", c, err));
        CHECK(err.code == "out_of_range");
        CHECK(err.message.find(v) != std::string::npos);
    }
}

TEST_CASE("issue 17.10: a number that underflows is valid JSON and reads as zero") {
    for (const std::string t : {"1e-400", "-1e-400", "0.0000001e-320", "1e-99999999999999999999999"}) {
        nlohmann::json j;
        symtri::detail::JsonReadError err;
        INFO(t);
        REQUIRE(symtri::detail::read_json(t, j, err));
        CHECK(j.get<double>() == 0.0);
        CHECK(std::signbit(j.get<double>()) == (t[0] == '-'));
        CHECK(j == nlohmann::json::parse(t));
    }
    for (const std::string t : {"1e400", "-1e400", "123456789e301", "1e99999999999999999999999"}) {
        nlohmann::json j;
        symtri::detail::JsonReadError err;
        CHECK_FALSE(symtri::detail::read_json(t, j, err));
        CHECK(err.message.find("out of range") != std::string::npos);
    }
    auto rs = symtri::load_builtin_rules();
    symtri::Case c;
    symtri::CaseError err;
    CHECK(symtri::parse_case(*rs, R"({"patient": {"age": 1e-400}, "findings": {"sciatica": {"present": true, "duration_days": 1e-400}}})", c, err));
    CHECK(c.age == 0.0);
}

TEST_CASE("issue 17.12: a finding given by id and by alias is rejected in either order, null or not") {
    auto rs = test::rules(R"([{"id": "r", "kind": "info", "when": {"finding": "a"}, "title": "t", "advice": "a"}])");
    for (const std::string text : {R"({"findings": {"a": null, "alpha": true}})", R"({"findings": {"alpha": true, "a": null}})",
                                   R"({"findings": {"alpha": null, "a": true}})", R"({"findings": {"a": true, "alpha": null}})",
                                   R"({"findings": {"a": {"present": null}, "alpha": false}})",
                                   R"({"findings": {"alpha": null, "a": null}})"}) {
        INFO(text);
        symtri::Case c;
        symtri::CaseError err;
        CHECK_FALSE(symtri::detail::FastCaseReader(*rs, c, text).read());  // the fast reader never accepts it
        CHECK_FALSE(symtri::parse_case(*rs, text, c, err));
        CHECK(err.code == "duplicate_finding");
        CHECK_FALSE(symtri::parse_case(*rs, nlohmann::json::parse(text), c, err));
        CHECK(err.code == "duplicate_finding");
    }
}

TEST_CASE("the JSON reader gives the JSONTestSuite-style corpus its expected verdicts") {
    namespace fs = std::filesystem;
    std::size_t n = 0;
    for (const auto& entry : fs::directory_iterator(fs::path(SYMTRI_SOURCE_DIR) / "tests" / "json")) {
        const std::string name = entry.path().filename().string();
        if (entry.path().extension() != ".json") continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        nlohmann::json j;
        symtri::detail::JsonReadError err;
        const bool ok = symtri::detail::read_json(text, j, err);
        INFO(name << ": " << err.message);
        const bool want = name[0] == 'y' || (name[0] == 'i' && name.find("_accept.json") != std::string::npos);
        CHECK(ok == want);
        if (ok && name[0] == 'y') CHECK(j.dump() == nlohmann::json::parse(text).dump());
        ++n;
    }
    CHECK(n >= 60);
}
