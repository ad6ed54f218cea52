// SPDX-License-Identifier: Apache-2.0
// Explaining one rule against one case: every test of its condition with its value (true, false,
// unknown), and what would make the rule fire. One definition for `symtri explain RULE --case FILE`,
// symtri_engine_explain (C) and Engine.explain (Python), so all three say the same thing.
//
// Reads the compiled condition (RuleSet::compiled) with detail::ConditionEval, the evaluator's
// reference semantics. Pointers name each test inside the rule's `when` as the engine runs it: a
// named condition (`ref`) is written out in place, so below a `ref` the pointer continues into the
// named condition's own form (`/when/any/0/all/1` where the file has `/when/any/0` = {"ref": ...}).
// explain-inl.hpp defines the functions (config.hpp: inline here, or compiled into symtri::lib).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "case_data.hpp"
#include "config.hpp"
#include "ruleset.hpp"

namespace symtri {

// One test of a rule's condition.
struct ExplainedTest {
    std::string pointer;  // inside the rule: "/when", "/when/all/1/any/0"
    std::string test;     // all, any, not, at_least, finding, absent, age, sex
    std::string text;     // "any of:", "saddle_numbness present", "age >= 50"
    Tri value = Tri::unknown;
    int depth = 0;        // 0 for the rule's `when`
};

struct Explanation {
    std::int32_t rule = -1;
    Tri value = Tri::unknown;             // the rule's condition for this case
    std::vector<ExplainedTest> tests;     // in condition order, parents before children
    // Unknown rule: answers that could make it true, each alone or with the others ("saddle_numbness
    // answered yes", "sciatica answered with side both", "age given (>= 50)"), without duplicates.
    std::vector<std::string> would_fire_if;
    // False rule: the false tests that keep it from firing ("/when/all/0: sciatica present").
    std::vector<std::string> blocked_by;
};

// Explains rule `rule` (an index into rs.rules) for case `c` (parsed for `rs`).
SYMTRI_FUNC Explanation explain_rule(const RuleSet& rs, std::int32_t rule, const Case& c);

// The explanation as one line of JSON:
// {"rule":ID,"kind":...,"level":ID|null,"value":true|false|"unknown","fires":bool,
//  "tests":[{"pointer","test","text","value"}...],"would_fire_if":[...],"blocked_by":[...]}
SYMTRI_FUNC std::string explanation_json(const RuleSet& rs, const Explanation& e);

// The explanation as a readable tree (what `symtri explain RULE --case FILE` prints).
SYMTRI_FUNC std::string explanation_text(const RuleSet& rs, const Explanation& e);

namespace detail {
// The words explain_rule and `symtri explain` use for the tests of a condition: "side both or left",
// ">= 42 and < 84", "duration_days >= 42", "sites including saddle"; numbers as a person reads them
// (7, 0.5, 1e+06). One definition, so the
// explanation of a rule and of a rule for one case say the same thing.
SYMTRI_FUNC std::string explain_number(double v);
SYMTRI_FUNC std::string explain_mask(std::uint32_t mask, const std::string_view* names, std::size_t count);
SYMTRI_FUNC std::string explain_range(const Range& r);
SYMTRI_FUNC std::string explain_attr_test(const RuleSet& rs, const AttrTest& t);
}  // namespace detail

}  // namespace symtri

#ifdef SYMTRI_HEADER_ONLY
#include "explain-inl.hpp"
#endif
