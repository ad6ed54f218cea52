// SPDX-License-Identifier: Apache-2.0
// The options several commands share: --rules, the limits, --threads, --format, --min-mcdc, and the
// commands' arguments. Values are kept as text while parsing and checked by check_values, so a bad
// value says what was wrong the same way for every command.
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "app.hpp"

namespace symtri_cli {
namespace {

// The limits a host can set (docs/cli.md, "Limits"): option (nullptr: --limit only), setting name, the
// values accepted, which commands take it, and its line in --help. The names are the ones the C++ fields,
// the C options, the Python keywords and the error messages use. Depths stop at 1000 because the readers
// recurse once per level; deeper would risk the stack, not just memory.
struct Limit {
    const char* flag;
    const char* name;
    unsigned long long min, max;
    LimitSet set;
    const char* help;
};
const Limit limits_table[] = {
    {"--max-file-bytes", "max_file_bytes", 1, 1ull << 32, load_limits, "largest rule file read (default 8M; K, M, G suffixes)"},
    {"--max-total-bytes", "max_total_bytes", 1, 1ull << 36, load_limits, "all rule files of a rule set together (default 64M)"},
    {"--max-depth", "max_depth", 1, 1000, load_limits, "deepest JSON nesting in a rule file and of conditions (default 64)"},
    {"--max-files", "max_files", 1, 1000000, load_limits, "most rule files in a rule set (default 1000)"},
    {"--max-rules", "max_rules", 1, 10000000, load_limits, "most rules in a rule set (default 100000)"},
    {nullptr, "max_condition_nodes", 1, 1ull << 32, load_limits, "condition nodes per rule, named conditions written out (default 10000)"},
    {"--max-case-bytes", "max_case_bytes", 1, 1ull << 32, case_limits, "largest case, or batch line (default 1M)"},
    {"--max-case-depth", "max_case_depth", 1, 1000, case_limits, "deepest JSON nesting in a case (default 16)"},
    {"--max-questions", "max_questions", 0, 1000000, question_limits, "most questions listed in a result (default 0: all)"},
};

const Limit* find_limit(std::string_view name) {
    for (const auto& l : limits_table)
        if (name == l.name) return &l;
    return nullptr;
}

// Sets one limit from "N", "64K", "8M" or "1G" (binary multiples). Returns an error message, or "".
std::string set_limit(Args& a, const std::string& name, const std::string& text) {
    const Limit* lf = std::find(a.limit_names.begin(), a.limit_names.end(), name) != a.limit_names.end()
                          ? find_limit(name) : nullptr;
    if (!lf) {
        std::string what = find_limit(name) ? "'" + name + "' is not a limit of " + a.o.command
                                            : "unknown limit '" + name + "'" + symtri::detail::did_you_mean(name, a.limit_names);
        return what + "; the limits of " + a.o.command + " are " + symtri::detail::one_of(a.limit_names);
    }
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
    Options& o = a.o;
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

}  // namespace

CLI::Option* add_text_option(CLI::App& cmd, Args& a, const std::string& flag, std::optional<std::string>& to,
                             const std::string& type, const std::string& needs, const std::string& description) {
    a.needs[flag] = needs;
    return cmd.add_option_function<std::string>(flag, [&to](const std::string& v) { to = v; }, description)
        ->type_name(type);
}

void add_rules(CLI::App& cmd, Args& a) {
    add_text_option(cmd, a, "--rules", a.o.rules, "PATH", "a path",
                "the rule set: a root .json file, or a directory holding index.json (default: the rule set "
                "built into this program)");
}

CLI::Option* add_positional(CLI::App& cmd, Args& a, const std::string& name, const std::string& needs,
                            const std::string& description) {
    a.needs[name] = needs;
    // Callbacks run in declaration order once parsing is done, so o.args keeps the arguments' order.
    return cmd.add_option_function<std::string>(name, [&a](const std::string& v) { a.o.args.push_back(v); }, description)
        ->type_name("");
}

std::vector<CLI::Option*> add_limits(CLI::App& cmd, Args& a, unsigned which) {
    std::vector<CLI::Option*> added;
    for (const auto& l : limits_table) {
        if (!(which & l.set)) continue;
        a.limit_names.emplace_back(l.name);
        if (!l.flag) continue;
        a.needs[l.flag] = "a number";
        std::string name = l.name;
        // Recorded as they come (trigger_on_parse), so the last of --max-rules and --limit max_rules wins.
        added.push_back(cmd.add_option_function<std::string>(
                               l.flag, [&a, name](const std::string& v) { a.limits.emplace_back(name, v); }, l.help)
                            ->type_name("N")
                            ->trigger_on_parse()
                            ->group("limits"));
    }
    a.needs["--limit"] = "NAME=VALUE, e.g. --limit max_rules=500";
    added.push_back(cmd.add_option_function<std::string>(
                           "--limit", [&a](const std::string& v) { a.limits.emplace_back("", v); },
                           "any of these limits by its name, e.g. --limit max_rules=500; the names: " +
                               symtri::detail::one_of(a.limit_names))
                        ->type_name("NAME=N")
                        ->trigger_on_parse()
                        ->group("limits"));
    return added;
}

void add_threads(CLI::App& cmd, Args& a) {
    add_text_option(cmd, a, "--threads", a.threads, "N", "a number", "worker threads, 1 to 256 (default: one per core)");
}

CLI::Option* add_format(CLI::App& cmd, Args& a, std::vector<std::string> formats, const std::string& description) {
    a.o.format = formats.front();
    std::string type;
    for (const auto& f : formats) type += (type.empty() ? "" : "|") + f;
    a.formats = std::move(formats);
    return add_text_option(cmd, a, "--format", a.format, type, symtri::detail::one_of(a.formats), description);
}

void add_min_mcdc(CLI::App& cmd, Args& a, CLI::Option* coverage) {
    add_text_option(cmd, a, "--min-mcdc", a.min_mcdc, "P", "a percentage from 0 to 100",
                "with --coverage: exit 1 when red-flag MC/DC is below P percent")
        ->needs(coverage);
}

std::string check_values(Args& a) {
    Options& o = a.o;
    if (a.threads) {
        const std::string& v = *a.threads;
        char* end = nullptr;
        long n = std::strtol(v.c_str(), &end, 10);
        if (v.empty() || *end || n < 1 || n > 256) return "--threads must be a number from 1 to 256, got '" + v + "'";
        o.threads = static_cast<unsigned>(n);
    }
    if (a.format) {
        const std::string& v = *a.format;
        if (std::find(a.formats.begin(), a.formats.end(), v) == a.formats.end())
            return "--format must be " + symtri::detail::one_of(a.formats) + ", got '" + v + "'" +
                   symtri::detail::did_you_mean(v, a.formats);
        o.format = v;
        o.format_set = true;
    }
    if (a.min_mcdc) {
        const std::string& v = *a.min_mcdc;
        char* end = nullptr;
        double p = std::strtod(v.c_str(), &end);
        if (v.empty() || *end || !(p >= 0 && p <= 100)) return "--min-mcdc must be a percentage from 0 to 100, got '" + v + "'";
        o.min_mcdc = p;
    }
    for (const auto& [name, value] : a.limits) {
        std::string problem;
        if (!name.empty()) {
            problem = set_limit(a, name, value);
        } else {
            auto eq = value.find('=');
            problem = eq == std::string::npos ? "--limit needs NAME=VALUE, e.g. --limit max_rules=500, got '" + value + "'"
                                              : set_limit(a, value.substr(0, eq), value.substr(eq + 1));
        }
        if (!problem.empty()) return problem;
    }
    return "";
}

std::string limits_help() {
    std::string out;
    for (const auto& l : limits_table) {
        if (!l.flag) continue;
        std::string name = std::string("  ") + l.flag + " N";
        name.resize(std::max<std::size_t>(name.size() + 2, 24), ' ');
        out += name + l.help + "\n";
    }
    out += "  --limit NAME=N        any of these by its name, e.g. --limit max_rules=500; also\n"
           "                        max_condition_nodes (condition nodes per rule, default 10000)\n";
    return out;
}

}  // namespace symtri_cli
