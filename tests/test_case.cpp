// SPDX-License-Identifier: Apache-2.0
// Parsing cases: nothing is silently ignored; every error names the key, the problem and the pointer.
#include "support.hpp"

namespace {

symtri::CaseError reject(const std::string& case_json) {
    auto rs = test::rules("[]");
    symtri::Case c;
    symtri::CaseError err;
    CHECK_FALSE(symtri::parse_case(*rs, case_json, c, err));
    return err;
}

std::string msg(const std::string& case_json) {
    auto e = reject(case_json);
    return e.code + ": " + e.message + " at " + e.path;
}

}  // namespace

TEST_CASE("a misspelled finding is rejected with the closest known id, never dropped") {
    auto e = reject("{\"findings\": {\n  \"alpha\": true,\n  \"bb\": true}}");
    CHECK(e.code == "unknown_finding");
    CHECK(e.message == "unknown finding 'bb' (did you mean 'b'?)");
    CHECK(e.path == "/findings/bb");
    CHECK(e.line == 3);
    CHECK(e.column == 3);
}

TEST_CASE("unknown keys at every level are errors") {
    CHECK(msg(R"({"finding": {"a": true}})") ==
          "unknown_key: unknown key 'finding' in case (did you mean 'findings'?); a case has case_id, patient, findings, locale and unsure at /finding");
    CHECK(msg(R"({"patient": {"agee": 4}})") ==
          "unknown_key: unknown key 'agee' in patient (did you mean 'age'?); a patient has age and sex at /patient/agee");
    CHECK(msg(R"({"findings": {"a": {"present": true, "sid": "left"}}})") ==
          "unknown_attribute: unknown attribute 'sid' on finding 'a' (did you mean 'side'?) at /findings/a/sid");
    CHECK(msg(R"({"findings": {"e": {"present": true, "trend": "stable"}}})") ==
          "unknown_attribute: finding 'e' does not take the attribute 'trend' at /findings/e/trend");
}

TEST_CASE("attribute values are checked against the contract") {
    CHECK(msg(R"({"findings": {"a": {"present": true, "side": "up"}}})") ==
          "invalid_value: 'side' must be left, right or both, got \"up\" at /findings/a/side");
    CHECK(msg(R"({"findings": {"a": {"present": true, "sites": ["hands", "elbow"]}}})") ==
          "invalid_value: 'sites' must be head, face, jaw, neck, shoulders, arms, hands, fingers, thumb_base, upper_back, chest, "
          "lower_back, buttocks, hips, legs, thighs, calves, feet or saddle, got \"elbow\" at /findings/a/sites/1");
    CHECK(msg(R"({"findings": {"a": {"present": true, "severity": 11}}})") ==
          "out_of_range: 'severity' must be an integer from 0 to 10, got 11 at /findings/a/severity");
    CHECK(msg(R"({"findings": {"a": {"present": true, "severity": 2.5}}})") ==
          "wrong_type: 'severity' must be an integer from 0 to 10, got a number 2.5 at /findings/a/severity");
    CHECK(msg(R"({"findings": {"a": {"present": true, "duration_days": -1}}})") ==
          "out_of_range: 'duration_days' must be a number of days from 0 to 1000000, got -1 at /findings/a/duration_days");
    CHECK(msg(R"({"findings": {"a": {"present": true, "at_night": "yes"}}})") ==
          "wrong_type: 'at_night' must be true or false, got a string at /findings/a/at_night");
    CHECK(msg(R"({"findings": {"c": {"present": true, "character": "sharp"}}})") ==
          "invalid_value: finding 'c' has no character 'sharp'; expected band_like or throbbing at /findings/c/character");
    CHECK(msg(R"({"findings": {"a": {"present": true, "onset": "suden"}}})") ==
          "invalid_value: 'onset' must be sudden or gradual, got \"suden\" (did you mean 'sudden'?) at /findings/a/onset");
}

TEST_CASE("wrong types for findings, patient and case are errors") {
    CHECK(msg(R"({"findings": {"a": "yes"}})") ==
          "wrong_type: finding 'a' must be true, false, null or an object, got a string at /findings/a");
    CHECK(msg(R"({"findings": {"a": 1}})") ==
          "wrong_type: finding 'a' must be true, false, null or an object, got an integer at /findings/a");
    CHECK(msg(R"({"findings": {"a": {"side": "left"}}})") ==
          "missing_key: finding 'a' is an object without 'present' (true, false or null) at /findings/a");
    CHECK(msg(R"({"findings": {"a": {"present": false, "side": "up"}}})") ==
          "invalid_value: 'side' must be left, right or both, got \"up\" at /findings/a/side");
    CHECK(msg(R"({"findings": []})") == "wrong_type: 'findings' must be an object of finding ids, got an array at /findings");
    CHECK(msg(R"({"patient": {"age": 131}})") == "out_of_range: 'age' must be from 0 to 130 years, got 131 at /patient/age");
    CHECK(msg(R"({"patient": {"age": "52"}})") == "wrong_type: 'age' must be a number of years, got a string at /patient/age");
    CHECK(msg(R"({"patient": {"sex": "f"}})") == "invalid_value: 'sex' must be female, male or other, got \"f\" at /patient/sex");
    CHECK(msg(R"({"case_id": 7})") == "wrong_type: 'case_id' must be a string, got an integer at /case_id");
    CHECK(msg(R"([1, 2])") == "wrong_type: a case must be a JSON object, got an array at ");
}

TEST_CASE("a finding given twice, by id and by alias, is rejected") {
    CHECK(msg(R"({"findings": {"a": true, "alpha": false}})") ==
          "duplicate_finding: finding 'a' is given twice (by id and alias) at /findings/alpha");
}

TEST_CASE("invalid JSON and duplicate keys give line and column") {
    auto e = reject("{\"findings\": {\"a\": true,\n \"a\": false}}");
    CHECK(e.code == "invalid_json");
    CHECK(e.message == "invalid JSON at line 2, column 2: duplicate key 'a'");
    e = reject("{\"findings\": {\"a\": tru}}");
    CHECK(e.message == "invalid JSON at line 1, column 20: invalid literal: expected 'true'");
    e = reject("");
    CHECK(e.message == "invalid JSON at line 1, column 1: empty input: expected a JSON value");
}

TEST_CASE("a case over the size limit is rejected naming the limit") {
    auto rs = test::rules("[]");
    symtri::Case c;
    symtri::CaseError err;
    symtri::CaseLimits limits;
    limits.max_bytes = 10;
    CHECK_FALSE(symtri::parse_case(*rs, std::string(R"({"findings": {}})"), c, err, limits));
    CHECK(err.code == "limit");
    CHECK(err.message == "case is 16 bytes, over the limit of 10 (max_case_bytes)");
}

TEST_CASE("attributes may come with present false or null, are checked, and do not make the finding present") {
    auto rs = test::rules("[]");
    symtri::Case c;
    symtri::CaseError err;
    REQUIRE(symtri::parse_case(*rs, std::string(R"({"findings": {"a": {"present": false, "side": "left"}, "b": {"present": null, "severity": 3}}})"), c, err));
    CHECK(c.findings[0].presence == symtri::Presence::absent);
    CHECK(c.findings[1].presence == symtri::Presence::unknown);
    CHECK(c.answered == std::vector<std::int32_t>{0});
}

TEST_CASE("null means unknown for findings, attributes, patient and locale") {
    auto rs = test::rules("[]");
    symtri::Case c;
    symtri::CaseError err;
    REQUIRE(symtri::parse_case(*rs, std::string(R"({"case_id": null, "patient": {"age": null, "sex": null}, "locale": null,
        "findings": {"a": null, "b": {"present": null}, "c": {"present": true, "side": null}}})"), c, err));
    CHECK(c.answered.size() == 1);
    CHECK_FALSE(c.has_patient());
    CHECK(c.findings[2].side == -1);
}

TEST_CASE("Case::set: an unknown finding keeps no attributes, as in a JSON case, and reset leaves nothing") {
    auto rs = test::rules("[" + test::rule("r", "red_flag", R"({"finding": "a", "side": "both"})", "top") + "]");
    const std::int32_t a = rs->find_finding("a");
    REQUIRE(a >= 0);
    symtri::Case c;
    c.reset(*rs);
    symtri::FindingValue both;
    both.side = 2;  // both
    c.set(a, symtri::Presence::present, both);
    CHECK(c.findings[static_cast<std::size_t>(a)].side == 2);
    both.unsure = symtri::FindingValue::unsure_finding;
    c.set(a, symtri::Presence::unknown, both);  // unset again: not answered, no attributes
    CHECK(c.findings[static_cast<std::size_t>(a)].presence == symtri::Presence::unknown);
    CHECK(c.findings[static_cast<std::size_t>(a)].side == -1);
    CHECK(c.findings[static_cast<std::size_t>(a)].unsure == symtri::FindingValue::unsure_finding);
    // Set unknown with attributes on a fresh slot: nothing is left behind for the next case either.
    c.reset(*rs);
    both.unsure = 0;
    c.set(a, symtri::Presence::unknown, both);
    c.reset(*rs);
    CHECK(c.findings[static_cast<std::size_t>(a)].side == -1);
}
