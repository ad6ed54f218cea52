// SPDX-License-Identifier: Apache-2.0
// Session: JSON text in, result JSON out, for one thread. Holds the reusable case, outcome and
// evaluator scratch, so triaging many cases in a loop allocates almost nothing.
//
// A Session is not thread-safe; make one per thread. They may all share one RuleSet.
//
// session-inl.hpp defines its functions: inline here in the header-only mode; in symtri::lib they are
// compiled once, with the case reader, evaluator and result writer (inline headers, the hot path)
// inlined into them, so a program built against the library compiles none of it (config.hpp).
#pragma once

#include <string>
#include <string_view>

#include "case.hpp"
#include "config.hpp"
#include "evaluator.hpp"
#include "result.hpp"

namespace symtri {

class Session {
public:
    SYMTRI_FUNC explicit Session(RuleSetPtr rules, CaseLimits limits = {}, TriageOptions options = {});

    // Triage one case given as JSON text. On success sets `result` (one line of JSON) and returns true;
    // on a rejected case fills `error` and returns false. Never throws for bad input.
    SYMTRI_FUNC bool triage(std::string_view case_json, std::string& result, CaseError& error);

    // Triage a case already parsed into a Case (see parse_case) without any JSON.
    SYMTRI_FUNC const Outcome& evaluate(const Case& c);

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

#ifdef SYMTRI_HEADER_ONLY
#include "session-inl.hpp"
#endif
