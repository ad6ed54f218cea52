// SPDX-License-Identifier: Apache-2.0
// A result as a plain-language report a person can read in a terminal (`symtri triage --format text`):
// the level and what to do, the warning signs found and why, advice, cautions, the questions still
// open, what to do if it gets worse, the disclaimer and the rule-set version.
//
//   #include <symtri/format_text.hpp>
//   std::string result; symtri::CaseError err;
//   if (session.triage(case_json, result, err))
//       std::cout << symtri::format_text(session.rules(), nlohmann::json::parse(result));
//
// The report is built from the result JSON (docs/case-and-result.md) plus the rule set that produced it,
// for the texts the result only names by id (level and finding labels). Plain ASCII markup, UTF-8 text,
// wrapped to a width; no colour, so it can be piped, mailed or printed. Header-only or compiled, like the engine;
// a pure function of its arguments, safe to call from several threads at once.
// format_text-inl.hpp defines the functions (config.hpp: inline here, or compiled into symtri::lib).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "question_text.hpp"
#include "config.hpp"
#include "ruleset.hpp"

namespace symtri {

struct TextReportOptions {
    std::size_t width = 80;          // wrap lines at this many characters; 0: do not wrap
    std::string locale;              // the case's locale, for the level and finding labels ("" = English)
    std::size_t max_questions = 0;   // open questions listed, in the order to ask them (0: all)
};

// The plain-language report of `result` (a result JSON object made with the rule set `rs`).
// Tolerates missing keys (prints less); never throws for a result the engine wrote.
SYMTRI_FUNC std::string format_text(const RuleSet& rs, const nlohmann::json& result, const TextReportOptions& options = {});

}  // namespace symtri

#ifdef SYMTRI_HEADER_ONLY
#include "format_text-inl.hpp"
#endif
