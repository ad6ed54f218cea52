// SPDX-License-Identifier: Apache-2.0
// Every condition form, in three-valued (Kleene) logic.
#include "support.hpp"

using symtri::Tri;
using test::eval;

namespace {
const char* const T = R"({"findings": {"a": true}})";   // a present
const char* const F = R"({"findings": {"a": false}})";  // a absent
const char* const U = R"({"findings": {}})";            // a unknown
}  // namespace

TEST_CASE("a finding leaf is true when present, false when absent, unknown when not given or null") {
    CHECK(eval(R"({"finding": "a"})", T) == Tri::yes);
    CHECK(eval(R"({"finding": "a"})", F) == Tri::no);
    CHECK(eval(R"({"finding": "a"})", U) == Tri::unknown);
    CHECK(eval(R"({"finding": "a"})", R"({"findings": {"a": null}})") == Tri::unknown);
    CHECK(eval(R"({"finding": "a"})", R"({"findings": {"a": {"present": null}}})") == Tri::unknown);
    CHECK(eval(R"({"finding": "a"})", R"({"findings": {"alpha": true}})") == Tri::yes);  // by alias
}

TEST_CASE("present false is true only when the finding was answered absent") {
    CHECK(eval(R"({"finding": "a", "present": false})", T) == Tri::no);
    CHECK(eval(R"({"finding": "a", "present": false})", F) == Tri::yes);
    CHECK(eval(R"({"finding": "a", "present": false})", U) == Tri::unknown);
}

TEST_CASE("all follows Kleene conjunction") {
    const std::string c = R"({"all": [{"finding": "a"}, {"finding": "b"}]})";
    CHECK(eval(c, R"({"findings": {"a": true, "b": true}})") == Tri::yes);
    CHECK(eval(c, R"({"findings": {"a": true, "b": false}})") == Tri::no);
    CHECK(eval(c, R"({"findings": {"a": true}})") == Tri::unknown);
    CHECK(eval(c, R"({"findings": {"b": false}})") == Tri::no);  // false wins over unknown
    CHECK(eval(c, U) == Tri::unknown);
}

TEST_CASE("any follows Kleene disjunction") {
    const std::string c = R"({"any": [{"finding": "a"}, {"finding": "b"}]})";
    CHECK(eval(c, R"({"findings": {"a": false, "b": false}})") == Tri::no);
    CHECK(eval(c, R"({"findings": {"a": false, "b": true}})") == Tri::yes);
    CHECK(eval(c, R"({"findings": {"a": false}})") == Tri::unknown);
    CHECK(eval(c, R"({"findings": {"b": true}})") == Tri::yes);  // true wins over unknown
}

TEST_CASE("not swaps true and false and keeps unknown") {
    CHECK(eval(R"({"not": {"finding": "a"}})", T) == Tri::no);
    CHECK(eval(R"({"not": {"finding": "a"}})", F) == Tri::yes);
    CHECK(eval(R"({"not": {"finding": "a"}})", U) == Tri::unknown);
}

TEST_CASE("at_least N is true with N true, false when N can no longer be reached, else unknown") {
    const std::string c = R"({"at_least": 2, "of": [{"finding": "a"}, {"finding": "b"}, {"finding": "c"}]})";
    CHECK(eval(c, R"({"findings": {"a": true, "b": true}})") == Tri::yes);
    CHECK(eval(c, R"({"findings": {"a": true, "b": false, "c": false}})") == Tri::no);
    CHECK(eval(c, R"({"findings": {"a": false, "b": false}})") == Tri::no);  // at most 1 can be true
    CHECK(eval(c, R"({"findings": {"a": true, "b": false}})") == Tri::unknown);
    CHECK(eval(c, U) == Tri::unknown);
}

TEST_CASE("a named condition behaves as its definition, wherever it is referenced") {
    auto rs = test::rules(
        "[" + test::rule("r1", "red_flag", R"({"all": [{"ref": "screen"}, {"finding": "d"}]})", "high") + "," +
            test::rule("r2", "recommendation", R"({"ref": "screen"})") + "]",
        R"({"screen": {"any": [{"finding": "a"}, {"ref": "inner"}]}, "inner": {"finding": "b"}})");
    auto r = test::triage(rs, R"({"findings": {"b": true, "d": true}})");
    CHECK(r["level"] == "high");
    CHECK(r["red_flags"][0]["rule"] == "r1");
    CHECK(r["recommendations"][0]["rule"] == "r2");
}

TEST_CASE("side, onset and trend tests match any of the listed values and are unknown when not given") {
    CHECK(eval(R"({"finding": "a", "side": "both"})", R"({"findings": {"a": {"present": true, "side": "both"}}})") == Tri::yes);
    CHECK(eval(R"({"finding": "a", "side": "both"})", R"({"findings": {"a": {"present": true, "side": "left"}}})") == Tri::no);
    CHECK(eval(R"({"finding": "a", "side": "both"})", T) == Tri::unknown);
    CHECK(eval(R"({"finding": "a", "side": "both"})", F) == Tri::no);
    CHECK(eval(R"({"finding": "a", "side": ["left", "right"]})", R"({"findings": {"a": {"present": true, "side": "right"}}})") == Tri::yes);
    CHECK(eval(R"({"finding": "a", "onset": "sudden"})", R"({"findings": {"a": {"present": true, "onset": "gradual"}}})") == Tri::no);
    CHECK(eval(R"({"finding": "a", "trend": ["worsening"]})", R"({"findings": {"a": {"present": true, "trend": "worsening"}}})") == Tri::yes);
}

TEST_CASE("sites test is true when the sites overlap") {
    const std::string c = R"({"finding": "a", "sites": ["hands", "fingers"]})";
    CHECK(eval(c, R"({"findings": {"a": {"present": true, "sites": ["fingers", "feet"]}}})") == Tri::yes);
    CHECK(eval(c, R"({"findings": {"a": {"present": true, "sites": ["feet"]}}})") == Tri::no);
    CHECK(eval(c, R"({"findings": {"a": {"present": true}}})") == Tri::unknown);
}

TEST_CASE("numeric comparisons on duration_days and severity, all of which must hold") {
    const std::string c = R"({"finding": "a", "duration_days": {">=": 28, "<": 90}})";
    CHECK(eval(c, R"({"findings": {"a": {"present": true, "duration_days": 28}}})") == Tri::yes);
    CHECK(eval(c, R"({"findings": {"a": {"present": true, "duration_days": 27.5}}})") == Tri::no);
    CHECK(eval(c, R"({"findings": {"a": {"present": true, "duration_days": 90}}})") == Tri::no);
    CHECK(eval(c, T) == Tri::unknown);
    CHECK(eval(R"({"finding": "a", "severity": {"==": 7}})", R"({"findings": {"a": {"present": true, "severity": 7}}})") == Tri::yes);
    CHECK(eval(R"({"finding": "a", "severity": {">": 7}})", R"({"findings": {"a": {"present": true, "severity": 7}}})") == Tri::no);
}

TEST_CASE("boolean attributes and character") {
    CHECK(eval(R"({"finding": "a", "at_night": true})", R"({"findings": {"a": {"present": true, "at_night": true}}})") == Tri::yes);
    CHECK(eval(R"({"finding": "a", "constant": false})", R"({"findings": {"a": {"present": true, "constant": true}}})") == Tri::no);
    CHECK(eval(R"({"finding": "a", "at_night": true})", T) == Tri::unknown);
    CHECK(eval(R"({"finding": "c", "character": "band_like"})", R"({"findings": {"c": {"present": true, "character": "band_like"}}})") == Tri::yes);
    CHECK(eval(R"({"finding": "c", "character": "band_like"})", R"({"findings": {"c": {"present": true, "character": "throbbing"}}})") == Tri::no);
    // a character the rules never name is a real answer, and simply does not match
    CHECK(eval(R"({"finding": "a", "character": "band_like"})", R"({"findings": {"a": {"present": true, "character": "stabbing"}}})") == Tri::no);
}

TEST_CASE("several attribute tests in one leaf must all hold; a missing one makes it unknown") {
    const std::string c = R"({"finding": "a", "side": "left", "severity": {">=": 5}})";
    CHECK(eval(c, R"({"findings": {"a": {"present": true, "side": "left", "severity": 6}}})") == Tri::yes);
    CHECK(eval(c, R"({"findings": {"a": {"present": true, "side": "left"}}})") == Tri::unknown);
    CHECK(eval(c, R"({"findings": {"a": {"present": true, "side": "right"}}})") == Tri::no);
}

TEST_CASE("age and sex tests, unknown when the patient does not say") {
    CHECK(eval(R"({"age": {">": 50}})", R"({"patient": {"age": 51}})") == Tri::yes);
    CHECK(eval(R"({"age": {">": 50}})", R"({"patient": {"age": 50}})") == Tri::no);
    CHECK(eval(R"({"age": {">": 50}})", R"({"patient": {"sex": "male"}})") == Tri::unknown);
    CHECK(eval(R"({"sex": "female"})", R"({"patient": {"sex": "female"}})") == Tri::yes);
    CHECK(eval(R"({"sex": ["male", "other"]})", R"({"patient": {"sex": "female"}})") == Tri::no);
    CHECK(eval(R"({"sex": "female"})", U) == Tri::unknown);
}
