// SPDX-License-Identifier: Apache-2.0
// symtri: the command-line program. Argument parsing and dispatch; the commands live in
// commands.cpp (triage, check) and batch.cpp.
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <new>
#include <string>
#include <string_view>

#include "cli.hpp"
#ifdef SYMTRI_WITH_SERVICE
#include "../service/serve.hpp"
#endif

namespace {

const char* const usage_text =
    "usage: symtri <command> [options]\n"
    "\n"
    "commands:\n"
    "  triage [--rules PATH] [--format json|text|cds-hooks] [--pretty] [--all-questions] [CASE.json | -]\n"
    "        triage one case (a JSON file, or stdin with '-' or no file) and print the result:\n"
    "        JSON (default), a plain-language report (text) or CDS Hooks 2.0 cards (cds-hooks);\n"
    "        --all-questions also lists the questions that do not belong to what the case says\n"
    "  batch [--rules PATH] [--threads N] [--all-questions]\n"
    "        triage JSON Lines from stdin, one result line per input line, in input order;\n"
    "        a rejected line gives {\"case_id\", \"line\", \"error\": {code, message, path}} and the batch goes on;\n"
    "        a progress bar on stderr when it is a terminal, and a summary (cases, errors, levels) at the end\n"
    "  check [--coverage [--min-mcdc P]] [PATH]\n"
    "        validate a rule set (default: the built-in one) and run the tests it carries;\n"
    "        --coverage also tells, per rule, whether a carried test makes it fire and the masking\n"
    "        MC/DC of its condition's leaves (exit 1 when red-flag MC/DC is below P percent)\n"
    "  diff [--format text|json] OLD NEW [CASES.jsonl | -]\n"
    "        the impact of a rule change: triage every case with rule sets OLD and NEW (paths, or\n"
    "        'builtin') and report each case whose level, red flags or blocked advice changed, level\n"
    "        decreases first; without CASES, cases are generated from the two vocabularies\n"
    "        (single findings, pairs sharing a rule, a case built to fire each rule); exit 1 when\n"
    "        any level went down\n"
    "  rules [--rules PATH]\n"
    "        what a rule set contains: its levels, findings and rules\n"
    "  explain [--rules PATH] RULE-ID [--case FILE|- [--format text|json]]\n"
    "        one rule: what it says, when it fires, and why it exists (its citations); with --case,\n"
    "        every test of its condition for that case (true, false, unknown) and what would make it fire\n"
    "\n"
    "options:\n"
    "  --rules PATH   a rule set: a root .json file, or a directory holding index.json\n"
    "                 (default: the rule set built into this program)\n"
    "  --threads N    batch worker threads (default: one per core)\n"
    "  --format F     triage: json (default), text or cds-hooks; diff: text (default) or json\n"
    "  --pretty       indent the result JSON\n"
    "  --coverage     check: also report which rules the carried tests fire and their MC/DC\n"
    "  --min-mcdc P   check --coverage: exit 1 when red-flag MC/DC is below P percent\n"
    "  --quiet        check: print failures only; batch: no progress bar or summary\n"
    "  --max-file-bytes N   largest rule file read (default 8M; K, M, G suffixes)\n"
    "  --max-total-bytes N  all rule files of a rule set together (default 64M)\n"
    "  --max-depth N        deepest JSON nesting in a rule file and of conditions (default 64)\n"
    "  --max-files N        most rule files in a rule set (default 1000)\n"
    "  --max-rules N        most rules in a rule set (default 100000)\n"
    "  --max-case-bytes N   largest case, or batch line (default 1M)\n"
    "  --max-case-depth N   deepest JSON nesting in a case (default 16)\n"
    "  --max-questions N    triage, batch: most questions listed in a result (default 0: all)\n"
    "  --limit NAME=N       any of these by its name, e.g. --limit max_rules=500; also\n"
    "                       max_condition_nodes (condition nodes per rule, default 10000)\n"
    "  -h, --help     this help;  --version  versions of the engine and the rule format\n"
    "\n"
    "exit codes: 0 success, 1 a carried test failed (diff: a level went down), 2 usage error, 3 invalid rule set,\n"
    "4 invalid case\n"
    "\n"
    "symtri educates and signposts; it does not diagnose. See docs/clinical-safety.md.\n";

int usage_error(const std::string& msg) {
    std::cerr << "symtri: " << msg << "\n(run 'symtri --help' for usage)\n";
    return symtri_cli::exit_usage;
}

// The limits a host can set (docs/reliability.md): option (nullptr: --limit only), setting name, and
// the values accepted. The names are the ones the C++ fields, the C options, the Python keywords and
// the error messages use. Depths stop at 1000 because the readers recurse once per level; deeper would
// risk the stack, not just memory.
struct LimitFlag {
    const char* flag;
    const char* name;
    unsigned long long min, max;
};
const LimitFlag limit_flags[] = {
    {"--max-file-bytes", "max_file_bytes", 1, 1ull << 32},
    {"--max-total-bytes", "max_total_bytes", 1, 1ull << 36},
    {"--max-depth", "max_depth", 1, 1000},
    {"--max-files", "max_files", 1, 1000000},
    {"--max-rules", "max_rules", 1, 10000000},
    {nullptr, "max_condition_nodes", 1, 1ull << 32},
    {"--max-case-bytes", "max_case_bytes", 1, 1ull << 32},
    {"--max-case-depth", "max_case_depth", 1, 1000},
    {"--max-questions", "max_questions", 0, 1000000},  // 0: all
};

// Sets one limit from "N", "64K", "8M" or "1G" (binary multiples). Returns an error message, or "".
std::string set_limit(symtri_cli::Options& o, const std::string& name, const std::string& text) {
    const LimitFlag* lf = nullptr;
    std::vector<std::string> names;
    for (const auto& f : limit_flags) {
        names.emplace_back(f.name);
        if (name == f.name) lf = &f;
    }
    if (!lf) return "unknown limit '" + name + "'" + symtri::detail::did_you_mean(name, names) + "; the limits are " +
                    symtri::detail::one_of(names);
    unsigned long long v = 0, mult = 1;
    std::string digits = text;
    if (!digits.empty() && std::strchr("KMG", digits.back())) {
        mult = digits.back() == 'K' ? 1ull << 10 : digits.back() == 'M' ? 1ull << 20 : 1ull << 30;
        digits.pop_back();
    }
    bool ok = !digits.empty() && digits.size() <= 12 &&
              std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (ok) v = std::stoull(digits) * mult;
    if (!ok || v < lf->min || v > lf->max)
        return std::string(lf->name) + " must be a number from " + std::to_string(lf->min) + " to " +
               std::to_string(lf->max) + ", got '" + text + "'";
    auto n = static_cast<std::size_t>(v);
    std::string_view k = lf->name;
    if (k == "max_file_bytes") o.load_limits.max_file_bytes = n;
    else if (k == "max_total_bytes") o.load_limits.max_total_bytes = n;
    else if (k == "max_depth") o.load_limits.max_depth = n;
    else if (k == "max_files") o.load_limits.max_files = n;
    else if (k == "max_rules") o.load_limits.max_rules = n;
    else if (k == "max_condition_nodes") o.load_limits.max_condition_nodes = n;
    else if (k == "max_case_bytes") o.case_limits.max_bytes = n;
    else if (k == "max_case_depth") o.case_limits.max_depth = n;
    else o.triage_options.max_questions = n;
    return "";
}

// "--max-rules" or "--max-rules=N" -> the limit's setting name, else nullptr.
const LimitFlag* limit_flag(const std::string& a) {
    for (const auto& f : limit_flags) {
        if (!f.flag) continue;
        std::string flag = f.flag;
        if (a == flag || a.rfind(flag + "=", 0) == 0) return &f;
    }
    return nullptr;
}

}  // namespace

static int run(int argc, char** argv) {
    using namespace symtri_cli;
    Options o;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto value = [&](const char* name) -> std::optional<std::string> {
            if (i + 1 >= argc) return std::nullopt;
            (void)name;
            return std::string(argv[++i]);
        };
        if (a == "-h" || a == "--help" || a == "help") {
            std::cout << usage_text;
            return exit_ok;
        } else if (a == "--version") {
            std::cout << "symtri " << symtri::engine_version << " (rule format " << symtri::rules_format_min_version
                      << ".." << symtri::rules_format_version << ")\n";
            return exit_ok;
        } else if (a == "--rules") {
            auto v = value("--rules");
            if (!v) return usage_error("--rules needs a path");
            o.rules = *v;
        } else if (a.rfind("--rules=", 0) == 0) {
            o.rules = a.substr(8);
        } else if (a == "--threads" || a.rfind("--threads=", 0) == 0) {
            std::optional<std::string> v = a == "--threads" ? value("--threads") : std::optional<std::string>(a.substr(10));
            if (!v) return usage_error("--threads needs a number");
            char* end = nullptr;
            long n = std::strtol(v->c_str(), &end, 10);
            if (v->empty() || *end || n < 1 || n > 256) return usage_error("--threads must be a number from 1 to 256, got '" + *v + "'");
            o.threads = static_cast<unsigned>(n);
        } else if (a == "--format" || a.rfind("--format=", 0) == 0) {
            std::optional<std::string> v = a == "--format" ? value("--format") : std::optional<std::string>(a.substr(9));
            if (!v) return usage_error("--format needs json, text or cds-hooks");
            if (*v != "json" && *v != "text" && *v != "cds-hooks")
                return usage_error("--format must be json, text or cds-hooks, got '" + *v + "'" +
                                   symtri::detail::did_you_mean(*v, {"json", "text", "cds-hooks"}));
            o.format = *v;
            o.format_set = true;  // diff and explain --case print text unless --format json is asked for
        } else if (a == "--coverage") {
            o.coverage = true;
        } else if (a == "--min-mcdc" || a.rfind("--min-mcdc=", 0) == 0) {
            auto v = a == "--min-mcdc" ? value("--min-mcdc") : std::optional<std::string>(a.substr(11));
            char* end = nullptr;
            double p = v ? std::strtod(v->c_str(), &end) : 0;
            if (!v || v->empty() || *end || !(p >= 0 && p <= 100))
                return usage_error("--min-mcdc must be a percentage from 0 to 100" + (v ? ", got '" + *v + "'" : std::string()));
            o.min_mcdc = p;
        } else if (const LimitFlag* lf = limit_flag(a)) {
            std::string flag = lf->flag;
            auto v = a == flag ? value(lf->flag) : std::optional<std::string>(a.substr(flag.size() + 1));
            if (!v) return usage_error(flag + " needs a number");
            std::string problem = set_limit(o, lf->name, *v);
            if (!problem.empty()) return usage_error(problem);
        } else if (a == "--limit" || a.rfind("--limit=", 0) == 0) {
            auto v = a == "--limit" ? value("--limit") : std::optional<std::string>(a.substr(8));
            auto eq = v ? v->find('=') : std::string::npos;
            if (eq == std::string::npos) return usage_error("--limit needs NAME=VALUE, e.g. --limit max_rules=500");
            std::string problem = set_limit(o, v->substr(0, eq), v->substr(eq + 1));
            if (!problem.empty()) return usage_error(problem);
        } else if (a == "--all-questions") {
            o.triage_options.list_other_questions = true;
        } else if (a == "--case" || a.rfind("--case=", 0) == 0) {
            auto v = a == "--case" ? value("--case") : std::optional<std::string>(a.substr(7));
            if (!v) return usage_error("--case needs a case file (or '-')");
            o.case_file = *v;
        } else if (a == "--pretty") {
            o.pretty = true;
        } else if (a == "--quiet" || a == "-q") {
            o.quiet = true;
        } else if (a.size() > 1 && a[0] == '-' && a != "-") {
            return usage_error("unknown option '" + a + "'");
        } else if (o.command.empty()) {
            o.command = a;
        } else {
            o.args.push_back(a);
        }
    }
    if (o.command.empty()) {
        std::cerr << usage_text;
        return exit_usage;
    }
    if (o.command == "explain" && o.case_file) {
        if (!o.format_set) o.format = "text";
        if (o.format == "cds-hooks") return usage_error("explain --case prints text or json, not cds-hooks");
    } else if (o.format != "json" && o.command != "triage" && o.command != "diff") {
        return usage_error("--format applies to triage only, and to diff (batch writes result JSON Lines)");
    }
    if ((o.coverage || o.min_mcdc) && o.command != "check") return usage_error("--coverage and --min-mcdc apply to check only");
    if (o.min_mcdc && !o.coverage) return usage_error("--min-mcdc needs --coverage");
    if (o.case_file && o.command != "explain") return usage_error("--case applies to explain only");
    if (o.triage_options.list_other_questions && o.command != "triage" && o.command != "batch")
        return usage_error("--all-questions applies to triage and batch only");
    if (o.command == "triage") {
        if (o.args.size() > 1) return usage_error("triage takes one case file (or '-')");
        return cmd_triage(o);
    }
    if (o.command == "batch") {
        if (!o.args.empty()) return usage_error("batch reads JSON Lines from stdin and takes no file argument");
        return cmd_batch(o);
    }
    if (o.command == "check") {
        if (o.args.size() > 1) return usage_error("check takes one rule-set path");
        if (o.rules && !o.args.empty()) return usage_error("give the rule set either as PATH or with --rules, not both");
        return o.coverage ? cmd_coverage(o) : cmd_check(o);
    }
    if (o.command == "diff") {
        if (o.args.size() < 2 || o.args.size() > 3) return usage_error("diff takes OLD NEW [CASES.jsonl]: two rule-set paths (or 'builtin') and an optional case file");
        if (o.rules) return usage_error("diff takes its two rule sets as OLD and NEW, not --rules");
        if (o.format == "cds-hooks") return usage_error("--format for diff must be text or json, got 'cds-hooks'");
        return cmd_diff(o);
    }
    if (o.command == "rules") {
        if (!o.args.empty()) return usage_error("rules takes no arguments (give the rule set with --rules PATH)");
        return cmd_rules(o);
    }
    if (o.command == "explain") {
        if (o.args.size() != 1) return usage_error("explain takes one rule id (see 'symtri rules' for the ids)");
        return cmd_explain(o);
    }
    return usage_error("unknown command '" + o.command + "'" +
                       symtri::detail::did_you_mean(o.command, {"triage", "batch", "check", "rules", "explain", "diff"}));
}

// Every command writes its output through std::cout; a write error there (a full disk, a closed
// descriptor, a closed pipe) is checked once, here, for all of them: it is reported and the exit
// status is not 0, so output is never lost silently. Running out of memory is reported too (not an
// abort); while loading a rule set it is exit 3 (load_rules_or_report).
int main(int argc, char** argv) {
    std::signal(SIGPIPE, SIG_IGN);  // a closed pipe is a write error (EPIPE), reported like any other
    int rc;
    try {
#ifdef SYMTRI_WITH_SERVICE
        if (argc > 1 && std::strcmp(argv[1], "serve") == 0) return symtri_service::run_serve(argc, argv);  // docs/service.md
#endif
        rc = run(argc, argv);
    } catch (const std::bad_alloc&) {
        std::cout.flush();
        std::cerr << "symtri: out of memory\n";
        return symtri_cli::exit_failed;
    }
    errno = 0;
    std::cout.flush();
    bool failed = !std::cout;
    int e = errno;
    if (std::fflush(stdout) != 0) {
        failed = true;
        if (!e) e = errno;
    }
    if (failed || std::ferror(stdout)) {
        std::cerr << "symtri: cannot write standard output" << (e ? std::string(" (") + std::strerror(e) + ")" : std::string())
                  << "\n";
        return rc == symtri_cli::exit_ok ? symtri_cli::exit_failed : rc;
    }
    return rc;
}
