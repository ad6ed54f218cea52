// SPDX-License-Identifier: Apache-2.0
// Runs the tests a rule set carries (its "tests" arrays) and reports each one that fails.
// Used by `symtri check`; see docs/rules-format.md, "Tests carried by the rule set". check-inl.hpp
// defines run_carried_tests (config.hpp: inline here, or compiled into symtri::lib).
#pragma once

#include <string>
#include <vector>

#include "config.hpp"
#include "ruleset.hpp"

namespace symtri {

struct TestFailure {
    std::string name;
    SourceRef source;
    std::string problem;

    // "rules/back.json:120:5: test 'x' failed: level is routine, expected emergency"
    std::string format() const {
        std::string where = source.file;
        if (source.line) where += ":" + std::to_string(source.line) + ":" + std::to_string(source.column);
        return where + ": test '" + name + "' failed: " + problem;
    }
};

struct CheckReport {
    std::size_t run = 0;
    std::vector<TestFailure> failures;
    bool ok() const { return failures.empty(); }
};

// Runs every test the rule set carries; the report lists those that fail.
SYMTRI_FUNC CheckReport run_carried_tests(const RuleSetPtr& rules);

}  // namespace symtri

#ifdef SYMTRI_HEADER_ONLY
#include "check-inl.hpp"
#endif
