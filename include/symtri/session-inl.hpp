// SPDX-License-Identifier: Apache-2.0
// Session's functions: included by session.hpp in the header-only mode, compiled once into symtri::lib
// (src/lib/session.cpp) otherwise (config.hpp).
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "case.hpp"
#include "evaluator.hpp"
#include "result.hpp"
#include "session.hpp"

namespace symtri {

SYMTRI_FUNC Session::Session(RuleSetPtr rules, CaseLimits limits, TriageOptions options)
    : eval_(std::move(rules), options), limits_(limits) {}

SYMTRI_FUNC bool Session::triage(std::string_view case_json, std::string& result, CaseError& error) {
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

SYMTRI_FUNC const Outcome& Session::evaluate(const Case& c) {
    eval_.evaluate(c, outcome_);
    return outcome_;
}

}  // namespace symtri
