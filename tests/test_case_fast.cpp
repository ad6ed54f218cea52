// SPDX-License-Identifier: Apache-2.0
// The fast case reader (detail/case_fast.hpp) against the checked path (CaseParser over a JSON tree).
//
// The fast reader may only ever accept: whenever it does, the checked path must accept the same text
// and fill an identical Case. Checked on every case the tests carry (vignettes and the bad-case
// catalogue) and on inputs chosen to sit on the edges of what the fast reader handles. And it must
// actually be the path well-formed cases take, or it would be dead code.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <symtri/symtri.hpp>

#include "support.hpp"

namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void same_case(const symtri::Case& a, const symtri::Case& b) {
    CHECK(a.case_id == b.case_id);
    CHECK(a.case_id_json == b.case_id_json);
    CHECK((std::isnan(a.age) ? std::isnan(b.age) : a.age == b.age));
    CHECK(a.sex == b.sex);
    CHECK(a.locale == b.locale);
    CHECK(a.locale_index == b.locale_index);
    auto sa = a.answered, sb = b.answered;  // the checked path walks keys sorted, the fast one in text order
    std::sort(sa.begin(), sa.end());
    std::sort(sb.begin(), sb.end());
    CHECK(sa == sb);
    REQUIRE(a.findings.size() == b.findings.size());
    for (std::size_t f = 0; f < a.findings.size(); ++f) {
        const auto &x = a.findings[f], &y = b.findings[f];
        INFO("finding " << f);
        CHECK(x.presence == y.presence);
        CHECK(x.side == y.side);
        CHECK(x.onset == y.onset);
        CHECK(x.trend == y.trend);
        CHECK(x.at_night == y.at_night);
        CHECK(x.constant == y.constant);
        CHECK(x.severity == y.severity);
        CHECK(x.sites == y.sites);
        CHECK((std::isnan(x.duration_days) ? std::isnan(y.duration_days) : x.duration_days == y.duration_days));
        CHECK(x.character == y.character);
    }
}

// Returns whether the fast reader accepted `text`; if it did, the checked path must agree.
bool fast_agrees(const symtri::RuleSet& rs, const std::string& text) {
    symtri::Case fast;
    bool accepted = symtri::detail::FastCaseReader(rs, fast, text).read();
    if (!accepted) return false;
    INFO("case " << text);
    nlohmann::json j;
    REQUIRE_NOTHROW(j = nlohmann::json::parse(text));
    symtri::Case checked;
    symtri::CaseError err;
    REQUIRE(symtri::parse_case(rs, j, checked, err));
    same_case(fast, checked);
    return true;
}

std::vector<std::string> jsonl_cases(const std::string& path) {
    std::vector<std::string> out;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) out.push_back(nlohmann::json::parse(line).at("case").dump());
    return out;
}

}  // namespace

TEST_CASE("fast case reader: every vignette is read fast and exactly as the checked path reads it", "[case][fast]") {
    auto rs = symtri::load_builtin_rules();
    std::size_t total = 0, fast = 0;
    for (const char* file : {"/tests/vignettes/public.jsonl", "/tests/vignettes/clinical.jsonl"}) {
        for (const auto& text : jsonl_cases(std::string(SYMTRI_SOURCE_DIR) + file)) {
            ++total;
            // Pretty-printed too: white space is the reader's business.
            fast += fast_agrees(*rs, text);
            fast_agrees(*rs, nlohmann::json::parse(text).dump(2));
        }
    }
    REQUIRE(total > 90);
    // The clinical file carries a few deliberately bad cases; every good one must take the fast path.
    CHECK(fast >= total - 10);
}

TEST_CASE("fast case reader: never accepts a case from the bad-case catalogue", "[case][fast]") {
    auto rs = symtri::load_builtin_rules();
    auto catalogue = nlohmann::json::parse(slurp(std::string(SYMTRI_SOURCE_DIR) + "/tests/bad/catalogue.json"));
    std::size_t n = 0;
    for (const auto& entry : catalogue.at("entries")) {
        // Limits are parse_case's to check before any reading; files made at test time are not here.
        if (entry.at("kind") != "case" || entry.at("expect").value("code", "") == "limit") continue;
        std::string path = std::string(SYMTRI_SOURCE_DIR) + "/tests/bad/" + entry.at("input").get<std::string>();
        if (!std::ifstream(path)) continue;
        std::string text = slurp(path);
        symtri::Case c;
        INFO(entry.at("input").get<std::string>());
        CHECK_FALSE(symtri::detail::FastCaseReader(*rs, c, text).read());
        ++n;
    }
    CHECK(n >= 40);
}

TEST_CASE("fast case reader: edges", "[case][fast]") {
    auto rs = test::rules(R"([{"id": "r", "kind": "info", "when": {"finding": "a"}, "title": "t", "advice": "x"}])");
    // Accepted by both, identically.
    for (const char* ok : {
             R"({})", R"( {"findings": {}} )", R"({"case_id": null, "patient": null, "findings": null, "locale": null})",
             R"({"case_id": "x1", "locale": "fr-CA", "patient": {"age": 40.5, "sex": "other"}})",
             R"({"findings": {"alpha": true, "b": false, "d": null}})",
             R"({"findings": {"e": {"present": true, "side": "left", "severity": -0}}})",
             R"({"findings": {"a": {"present": null, "side": "both"}, "b": {"present": false, "severity": 3}}})",
             R"({"findings": {"a": {"present": true, "sites": [], "duration_days": 1.5e1, "at_night": false,
                                    "constant": true, "onset": "sudden", "trend": "worsening", "character": "aching"}}})",
             R"({"findings": {"c": {"present": true, "character": "throbbing", "sites": ["head", "neck", "head"]}}})",
             R"({"patient": {"age": 0, "sex": null}, "findings": {"a": {"present": true, "side": null}}})",
             "{\"patient\":{\"age\":130}}\r\n\t"}) {
        INFO(ok);
        CHECK(fast_agrees(*rs, ok));
    }
    // Left to the checked path (which accepts or rejects them; the fast reader must not decide).
    for (const char* other : {
             R"({"case_id": "caf\u00e9"})", "{\"case_id\": \"caf\xC3\xA9\"}", R"({"findings": {"a": true, "alpha": null}})",
             R"({"findings": {"a": true, "alpha": true}})", R"({"findings": {"e": {"present": true, "severity": 5.0}}})",
             R"({"findings": {"e": {"present": true, "severity": 11}}})", R"({"patient": {"age": 131}})",
             R"({"patient": {"age": 1e400}})", R"({"findings": {"a": {"present": true, "present": true}}})",
             R"({"findings": {"a": true}, "findings": {}})", R"({"findings": {"a": {"side": "left"}}})",
             R"({"findings": {"e": {"present": true, "onset": "sudden"}}})", R"({"findings": {"zz": true}})",
             R"({"findings": {"c": {"present": true, "character": "aching"}}})", R"({"extra": 1})",
             R"({"findings": {"a": true}} x)", R"({"findings": {"a": tru}})", R"({"patient": {"age": 01}})",
             R"({"patient": {"age": 12345678901234567890}})", R"([])", "", "\xEF\xBB\xBF{}"}) {
        INFO(other);
        symtri::Case c;
        CHECK_FALSE(symtri::detail::FastCaseReader(*rs, c, other).read());
    }
}

TEST_CASE("fast case reader: a fallback leaves no trace of the part read fast", "[case][fast]") {
    auto rs = test::rules(R"([{"id": "r", "kind": "info", "when": {"finding": "a"}, "title": "t", "advice": "x"}])");
    symtri::Case c;
    symtri::CaseError err;
    // The fast reader takes "a" and then gives up at the escape; the checked path must start afresh.
    REQUIRE(symtri::parse_case(*rs, R"({"findings": {"a": true, "b": {"present": false}}, "case_id": "x\n"})", c, err));
    CHECK(c.answered.size() == 2);
    CHECK(*c.case_id == "x\n");
    REQUIRE(symtri::parse_case(*rs, R"({"findings": {"b": true}})", c, err));
    CHECK(c.findings[0].presence == symtri::Presence::unknown);
    CHECK(c.answered.size() == 1);
}
