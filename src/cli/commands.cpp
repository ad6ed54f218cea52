// SPDX-License-Identifier: Apache-2.0
// The commands of the symtri program: for each, its usage line, what it does, its exit codes, its
// options and arguments, and the function that runs it (in its own file). A new command is one line in
// the table at the end, plus its declare function here; app.cpp does the rest (help, errors, dispatch).
#include "app.hpp"

namespace symtri_cli {
namespace {

const char* const pretty_help = "indent the JSON (same key order)";
const char* const all_questions_help =
    "also list, in other_question_list, the unknowns that could raise the level but are not asked "
    "(without it they are only counted, in other_questions)";

void declare_triage(CLI::App& cmd, Args& a) {
    add_rules(cmd, a);
    add_format(cmd, a, {"json", "text", "cds-hooks"},
               "json: the result JSON (default); text: a plain-language report for a person; cds-hooks: a "
               "CDS Hooks 2.0 response");
    cmd.add_flag("--pretty", a.o.pretty, pretty_help);
    cmd.add_flag("--all-questions", a.o.triage_options.list_other_questions, all_questions_help);
    add_limits(cmd, a, load_limits | case_limits | question_limits);
    add_positional(cmd, a, "CASE.json", "a case file", "the case: a JSON file, or '-' (the default) for standard input");
}

void declare_batch(CLI::App& cmd, Args& a) {
    add_rules(cmd, a);
    add_threads(cmd, a);
    cmd.add_flag("-q,--quiet", a.o.quiet, "no progress bar or summary on stderr, even on a terminal");
    cmd.add_flag("--all-questions", a.o.triage_options.list_other_questions, all_questions_help);
    add_limits(cmd, a, load_limits | case_limits | question_limits);
    add_positional(cmd, a, "INPUT.jsonl", "an input file",
                   "the cases, one JSON object a line: a file, or '-' (the default) for standard input");
}

void declare_check(CLI::App& cmd, Args& a) {
    auto* coverage = cmd.add_flag("--coverage", a.o.coverage,
                                  "also tell, per rule, whether a carried test makes it fire and the masking MC/DC of "
                                  "its condition's leaves");
    add_min_mcdc(cmd, a, coverage);
    cmd.add_flag("-q,--quiet", a.o.quiet, "print failures only");
    add_rules(cmd, a);
    add_limits(cmd, a, load_limits);
    add_positional(cmd, a, "PATH", "a rule-set path",
                   "the rule set, as --rules takes it (default: the built-in one)")
        ->excludes("--rules");
}

void declare_diff(CLI::App& cmd, Args& a) {
    add_format(cmd, a, {"text", "json"}, "text: a report (default); json: one object (see docs/cli.md)");
    add_limits(cmd, a, load_limits | case_limits);
    add_positional(cmd, a, "OLD", "two rule sets, OLD and NEW: paths, or 'builtin'",
                   "the rule set before the change: a path as --rules takes it, or 'builtin'")
        ->required();
    add_positional(cmd, a, "NEW", "two rule sets, OLD and NEW: paths, or 'builtin'", "the rule set after the change")
        ->required();
    add_positional(cmd, a, "CASES.jsonl", "a case file",
                   "the cases, JSON Lines ('-': standard input); without it, cases are generated from the two "
                   "vocabularies");
}

void declare_rules(CLI::App& cmd, Args& a) {
    add_rules(cmd, a);
    add_limits(cmd, a, load_limits);
}

void declare_explain(CLI::App& cmd, Args& a) {
    add_rules(cmd, a);
    add_positional(cmd, a, "RULE-ID", "a rule id; 'symtri rules' lists them", "the rule")->required();
    auto* kase = add_text_option(cmd, a, "--case", a.o.case_file, "FILE", "a case file (or '-')",
                                 "the rule for this case ('-': standard input): each test of its condition, true, "
                                 "false or unknown, and what would make it fire");
    add_format(cmd, a, {"text", "json"}, "text (default) or json (as the C API's symtri_engine_explain)")
        ->needs(kase);
    cmd.add_flag("--pretty", a.o.pretty, "indent the JSON of --format json")->needs(kase);
    for (auto* limit : add_limits(cmd, a, load_limits | case_limits))
        if (limit->check_name("--max-case-bytes") || limit->check_name("--max-case-depth")) limit->needs(kase);
}

#ifdef SYMTRI_WITH_SERVICE
void declare_serve(CLI::App& cmd, Args& a) {
    auto& s = a.o.serve;
    add_rules(cmd, a);
    add_text_option(cmd, a, "--listen", s.listen, "HOST:PORT", "an address and port, e.g. 127.0.0.1:8080",
                    "where to listen (default 127.0.0.1:8080; port 0: any free port); an address that is not "
                    "loopback needs a bearer token");
    add_text_option(cmd, a, "--threads", a.threads, "N", "a number", "threads answering requests, 1 to 256 (default 2)");
    add_text_option(cmd, a, "--auth-token-file", s.auth_token_file, "FILE", "a file",
                    "a bearer token (16 characters or more) that every request but /healthz must present "
                    "(Authorization: Bearer TOKEN); or set SYMTRI_SERVE_TOKEN");
    add_text_option(cmd, a, "--max-body-bytes", s.max_body_bytes, "N", "a number of bytes",
                    "the largest request body of every route but /v1/batch (default 1048576)");
    add_text_option(cmd, a, "--max-batch-bytes", s.max_batch_bytes, "N", "a number of bytes",
                    "the largest /v1/batch body; it is streamed, so this bounds the work, not the memory "
                    "(default 16777216)");
    add_text_option(cmd, a, "--max-header-bytes", s.max_header_bytes, "N", "a number of bytes",
                    "the largest request line and headers, 256 to 1048576 (default 16384)");
    add_text_option(cmd, a, "--max-connections", s.max_connections, "N", "a number",
                    "connections open at once; more are answered 503 (default 256)");
    add_text_option(cmd, a, "--request-timeout-ms", s.request_timeout_ms, "N", "a number of milliseconds",
                    "time to send one request (for /v1/batch: each piece of its body) before 408 (default 10000)");
    cmd.add_flag("--no-access-log", s.no_access_log, "no JSON access-log line per request on stderr");
    cmd.add_flag("--all-questions", a.o.triage_options.list_other_questions, all_questions_help);
    add_limits(cmd, a, load_limits | case_limits | question_limits);
}

int cmd_serve(const Options& o) {
    symtri_service::ServeOptions s = o.serve;
    s.rules = o.rules;
    s.threads = o.threads;
    s.load_limits = o.load_limits;
    s.case_limits = o.case_limits;
    s.triage_options = o.triage_options;
    return symtri_service::run_serve(s);
}
#endif

}  // namespace

const std::vector<Command>& commands() {
    static const std::vector<Command> table = {
        {"triage", "triage [--rules PATH] [--format json|text|cds-hooks] [--pretty] [--all-questions] [CASE.json | -]",
         "Triage one case (a JSON file, or standard input with '-' or no file) and print the result: JSON "
         "(default), a plain-language report (text) or CDS Hooks 2.0 cards (cds-hooks). --all-questions also "
         "lists the questions that do not belong to what the case says.",
         "exit codes: 0 the result was printed; 2 usage error; 3 the rule set is invalid or cannot be loaded; "
         "4 the case was rejected (the error on stderr, and with --format json on stdout too) or cannot be "
         "read; 1 the output could not be written",
         declare_triage, cmd_triage},
        {"batch", "batch [--rules PATH] [--threads N] [--quiet] [--all-questions] [INPUT.jsonl | -]",
         "Triage JSON Lines (a file, or standard input with '-' or no file), one result line per input line, "
         "in input order. A rejected line gives {\"case_id\", \"line\", \"error\": {code, message, path}} and the "
         "batch goes on. When stderr is a terminal: a progress bar there, and a summary (cases, errors, levels) "
         "at the end.",
         "exit codes: 0 every line was triaged; 2 usage error; 3 the rule set is invalid or cannot be loaded; "
         "4 at least one line was rejected, or the input file cannot be read; 1 the output could not be "
         "written or the input failed mid-way",
         declare_batch, cmd_batch},
        {"check", "check [--coverage [--min-mcdc P]] [PATH]",
         "Validate a rule set (default: the built-in one) and run the tests it carries; the report, failed "
         "tests included, goes to stdout. --coverage also tells, per rule, whether a carried test makes it fire "
         "and the masking MC/DC of its condition's leaves (exit 1 when red-flag MC/DC is below P percent).",
         "exit codes: 0 valid, every carried test passed; 1 a carried test failed, or red-flag MC/DC is below "
         "--min-mcdc; 2 usage error; 3 the rule set is invalid (every problem on stderr) or cannot be loaded",
         declare_check, [](const Options& o) { return o.coverage ? cmd_coverage(o) : cmd_check(o); }},
        {"diff", "diff [--format text|json] OLD NEW [CASES.jsonl | -]",
         "The impact of a rule change: triage every case with rule sets OLD and NEW (paths, or 'builtin') and "
         "report each case whose level, red flags or blocked advice changed, level decreases first. Without "
         "CASES, cases are generated from the two vocabularies (single findings, pairs sharing a rule, a case "
         "built to fire each rule).",
         "exit codes: 0 no level went down; 1 a level went down, a red flag raises to a lower level, or a case "
         "OLD triaged is rejected by NEW; 2 usage error; 3 a rule set fails to load; 4 the case file cannot "
         "be read",
         declare_diff, cmd_diff},
        {"rules", "rules [--rules PATH]", "What a rule set contains: its identity, levels, findings and rules.",
         "exit codes: 0 printed; 2 usage error; 3 the rule set is invalid or cannot be loaded", declare_rules,
         cmd_rules},
        {"explain", "explain [--rules PATH] RULE-ID [--case FILE|- [--format text|json] [--pretty]]",
         "One rule: what it says, when it fires, and why it exists (its citations). With --case, every test "
         "of its condition for that case (true, false, unknown) and what would make it fire.",
         "exit codes: 0 printed; 2 usage error or unknown rule id; 3 the rule set is invalid or cannot be "
         "loaded; 4 the case was rejected or cannot be read",
         declare_explain, cmd_explain},
#ifdef SYMTRI_WITH_SERVICE
        {"serve", "serve [--rules PATH] [--listen HOST:PORT] [--threads N] [--auth-token-file FILE] [limits]",
         "Triage over HTTP: the JSON API (/v1/triage, /v1/batch streamed, /v1/rules, /healthz, /metrics) and a "
         "CDS Hooks 2.0 service (/cds-services). Prints {\"event\":\"listening\",\"address\",\"port\",\"ruleset\"} "
         "on stdout once listening. SIGHUP or POST /v1/admin/reload reloads the rule set; SIGTERM stops after "
         "answering the requests in hand. See docs/service.md.",
         "exit codes: 0 stopped by SIGTERM after answering the requests in hand; 1 cannot listen; 2 usage error; "
         "3 the rule set is invalid or cannot be loaded",
         declare_serve, cmd_serve},
#endif
    };
    return table;
}

}  // namespace symtri_cli
