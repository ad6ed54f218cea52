// symtri: the command-line program. Argument parsing and dispatch; the commands live in
// commands.cpp (triage, check) and batch.cpp.
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

#include "cli.hpp"

namespace {

const char* const usage_text =
    "usage: symtri <command> [options]\n"
    "\n"
    "commands:\n"
    "  triage [--rules PATH] [--pretty] [CASE.json | -]\n"
    "        triage one case (a JSON file, or stdin with '-' or no file) and print the result JSON\n"
    "  batch [--rules PATH] [--threads N]\n"
    "        triage JSON Lines from stdin, one result line per input line, in input order;\n"
    "        a rejected line gives {\"case_id\", \"line\", \"error\": {code, message, path}} and the batch goes on\n"
    "  check [PATH]\n"
    "        validate a rule set (default: the built-in one) and run the tests it carries\n"
    "\n"
    "options:\n"
    "  --rules PATH   a rule set: a root .json file, or a directory holding index.json\n"
    "                 (default: the rule set built into this program)\n"
    "  --threads N    batch worker threads (default: one per core)\n"
    "  --pretty       indent the result JSON\n"
    "  --quiet        check: print failures only\n"
    "  -h, --help     this help;  --version  versions of the engine and the rule format\n"
    "\n"
    "exit codes: 0 success, 1 a carried test failed, 2 usage error, 3 invalid rule set, 4 invalid case\n"
    "\n"
    "symtri educates and signposts; it does not diagnose. See docs/clinical-safety.md.\n";

int usage_error(const std::string& msg) {
    std::cerr << "symtri: " << msg << "\n(run 'symtri --help' for usage)\n";
    return symtri_cli::exit_usage;
}

}  // namespace

int main(int argc, char** argv) {
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
        return cmd_check(o);
    }
    return usage_error("unknown command '" + o.command + "'" +
                       symtri::detail::did_you_mean(o.command, {"triage", "batch", "check"}));
}
