// SPDX-License-Identifier: Apache-2.0
// Session: JSON text in, result JSON out, for one thread. Holds the reusable case, outcome and
// evaluator scratch, so triaging many cases in a loop allocates almost nothing.
//
// A Session is not thread-safe; make one per thread. They may all share one RuleSet.
#pragma once

#include <string>
#include <string_view>

#include "case.hpp"
#include "evaluator.hpp"
#include "result.hpp"

namespace symtri {

class Session {
public:
    explicit Session(RuleSetPtr rules, CaseLimits limits = {}, TriageOptions options = {})
        : eval_(std::move(rules), options), limits_(limits) {}

    // Triage one case given as JSON text. On success sets `result` (one line of JSON) and returns true;
    // on a rejected case fills `error` and returns false. Never throws for bad input.
    bool triage(std::string_view case_json, std::string& result, CaseError& error) {
        result.clear();
        if (!parse_case(eval_.rules(), case_json, case_, error, limits_)) return false;
        eval_.evaluate(case_, outcome_);
        // Results of one rule set are alike in size: reserving the last one's size spares the
        // string's doublings when a caller hands in a fresh string each time (the C API does).
        result.reserve(last_bytes_);
        write_result(result, eval_.rules(), case_, outcome_);
        last_bytes_ = result.size() + result.size() / 8;
        return true;
    }

    // Triage a case already parsed into a Case (see parse_case) without any JSON.
    const Outcome& evaluate(const Case& c) {
        eval_.evaluate(c, outcome_);
        return outcome_;
    }

    const RuleSet& rules() const { return eval_.rules(); }
    const RuleSetPtr& rules_ptr() const { return eval_.rules_ptr(); }
    const TriageOptions& options() const { return eval_.options(); }
    const Case& last_case() const { return case_; }
    const Outcome& last_outcome() const { return outcome_; }

private:
    Evaluator eval_;
    CaseLimits limits_;
    Case case_;
    Outcome outcome_;
    std::size_t last_bytes_ = 1024;
};

}  // namespace symtri
