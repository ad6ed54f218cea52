// SPDX-License-Identifier: Apache-2.0
// The symtri program: what its commands share. commands.cpp declares each command's options and
// arguments (with CLI11), app.cpp parses the command line into Options and runs the command.
#pragma once

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <symtri/symtri.hpp>

#include "../service/serve.hpp"  // the options of `symtri serve` (no Boost; the service itself is optional)

namespace symtri_cli {

// Exit codes, fixed by the contract (CONTRACT.md section 4).
enum Exit : int { exit_ok = 0, exit_failed = 1, exit_usage = 2, exit_ruleset = 3, exit_case = 4 };

// What the command line asked for. Each command reads only the fields of the options it declares.
struct Options {
    std::string command;
    std::optional<std::string> rules;  // --rules PATH; none = built-in
    std::vector<std::string> args;     // the command's arguments, in order (triage: CASE; batch: INPUT; ...)
    unsigned threads = 0;              // batch: 0 = one per core
    bool pretty = false;               // triage: indented output
    bool quiet = false;                // check: failures only; batch: no progress bar or summary
    std::string format = "json";       // triage: json | text | cds-hooks; diff, explain --case: text | json
    bool format_set = false;           // --format was given (diff's and explain --case's default is text)
    bool coverage = false;             // check --coverage: MC/DC of the carried tests
    std::optional<double> min_mcdc;    // check --coverage --min-mcdc P
    symtri::LoadLimits load_limits;    // --max-file-bytes, --max-total-bytes, --max-depth, --max-files, --max-rules
    symtri::CaseLimits case_limits;    // --max-case-bytes, --max-case-depth
    symtri::TriageOptions triage_options;  // --max-questions: triage and batch pass it to their Sessions
    std::optional<std::string> case_file;  // explain --case FILE: the rule's tests for that case
    symtri_service::ServeOptions serve;    // serve: --listen, --auth-token-file, its --max-... limits
};

// app.cpp: parses the command line, runs the command it names, returns the exit code.
int run_cli(int argc, char** argv);

// Loads --rules, or the built-in rule set. On failure prints the diagnostics to stderr and returns null.
symtri::RuleSetPtr load_rules_or_report(const Options& o);

int cmd_triage(const Options& o);
int cmd_batch(const Options& o);
// The body of `batch`: JSON Lines from `in`, results to `out` (the fuzzer drives it with memory files).
// Returns the exit code. A stream with a descriptor is read and written with read(2)/write(2) on it,
// bypassing stdio: `in` must have no buffered input; `out` is flushed first.
int run_batch(const symtri::RuleSetPtr& rules, const Options& o, std::FILE* in, std::FILE* out);
int cmd_check(const Options& o);
// check's report for a rule set already loaded from lo.rules (check --coverage loads once for both).
int check_loaded(const Options& lo, const symtri::RuleSetPtr& rules);
int cmd_explain(const Options& o);  // explain.cpp: one rule, its condition and why it exists
int cmd_rules(const Options& o);    // explain.cpp: what a rule set contains
int cmd_diff(const Options& o);     // diff.cpp: the impact of a rule change on cases (args: OLD NEW [CASES])
// diff.cpp: the cases `symtri diff OLD NEW` makes when given no case file (single findings, pairs a rule
// reads together, one case built to fire each rule), as JSON texts. For fuzz/fuzz_symtri_diff.cpp.
std::vector<std::string> diff_generated_cases(const symtri::RuleSetPtr& old_rs, const symtri::RuleSetPtr& new_rs);
int cmd_coverage(const Options& o); // coverage.cpp: check --coverage, MC/DC of the carried tests
// explain_case.cpp: `explain RULE --case FILE`, rule `rule`'s tests for that case (text or JSON).
int explain_case(const Options& o, const symtri::RuleSetPtr& rules, int rule);

}  // namespace symtri_cli
