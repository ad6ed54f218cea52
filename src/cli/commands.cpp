// SPDX-License-Identifier: Apache-2.0
// `symtri triage` and `symtri check`.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include <symtri/format_cds_hooks.hpp>
#include <symtri/format_text.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include "cli.hpp"

namespace symtri_cli {

symtri::RuleSetPtr load_rules_or_report(const Options& o) {
    try {
        symtri::LoadOptions lo;
        lo.limits = o.load_limits;
        // A program that loads once and exits or serves: what a library must not do by default pays
        // off here on large rule sets (docs/performance.md, "Load options"); the shipped set starts no
        // thread either way.
        lo.parallel = true;
        lo.advise_memory = true;
        lo.release_memory = true;
        if (o.rules) return symtri::load_rules(*o.rules, lo);
        return symtri::load_builtin_rules(lo);
    } catch (const symtri::Error& e) {
        std::cerr << e.what() << "\n";
        std::cerr << "symtri: the rule set " << (o.rules ? "'" + *o.rules + "'" : std::string("built in")) << " is not valid ("
                  << e.diagnostics().size() << " problem" << (e.diagnostics().size() == 1 ? "" : "s") << ")\n";
        return nullptr;
    } catch (const std::bad_alloc&) {
        // As the C API's SYMTRI_NOMEM: the rule set could not be loaded (exit 3), not an abort.
        std::cerr << "symtri: out of memory loading the rule set "
                  << (o.rules ? "'" + *o.rules + "'" : std::string("built in")) << "\n";
        return nullptr;
    }
}

int cmd_triage(const Options& o) {
    auto rules = load_rules_or_report(o);
    if (!rules) return exit_ruleset;
    std::string name = o.args.empty() ? "-" : o.args[0];
    std::string text;
    // At most max_case_bytes + 1 bytes are read: enough to know a case is over the limit without
    // holding all of a 200 MB file in memory.
    const std::size_t max = o.case_limits.max_bytes;
    auto read_bounded = [&](std::istream& in) {
        std::string buf(64 * 1024, '\0');
        while (text.size() <= max && in) {
            in.read(buf.data(), static_cast<std::streamsize>(std::min(buf.size(), max + 1 - text.size())));
            text.append(buf.data(), static_cast<std::size_t>(in.gcount()));
        }
    };
    // A directory opens and reads as nothing: without this it was "empty input", not a read error.
    auto read_error = [&](const std::string& why) {
        std::cerr << "symtri: cannot read case " << (name == "-" ? std::string("from standard input") : "file '" + name + "'")
                  << " (" << why << ")\n";
        return exit_case;
    };
    struct stat st;
    if (name == "-") {
        if (::fstat(STDIN_FILENO, &st) == 0 && S_ISDIR(st.st_mode)) return read_error(std::strerror(EISDIR));
        read_bounded(std::cin);
        if (std::cin.bad() || std::ferror(stdin)) return read_error(std::strerror(errno ? errno : EIO));
    } else {
        if (::stat(name.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return read_error(std::strerror(EISDIR));
        std::ifstream in(name, std::ios::binary);
        if (!in) {
            std::cerr << "symtri: cannot read case file '" << name << "'\n";
            return exit_case;
        }
        read_bounded(in);
        if (in.bad()) return read_error(std::strerror(errno ? errno : EIO));
    }
    symtri::Session session(rules, o.case_limits, o.triage_options);
    std::string result;
    symtri::CaseError err;
    bool ok = false;
    if (text.size() > max)
        err = symtri::CaseError{"limit", "case is over the limit of " + std::to_string(max) + " bytes (max_case_bytes)",
                                "", 0, 0};
    else
        ok = session.triage(text, result, err);
    if (!ok) {
        std::string where = name == "-" ? "<stdin>" : name;
        if (err.line) where += ":" + std::to_string(err.line) + ":" + std::to_string(err.column);
        std::cerr << where << ": error: " << err.message << (err.path.empty() ? "" : " at " + err.path) << "\n";
        if (o.format == "json") std::cout << symtri::case_error_json(session.last_case().case_id_json, 0, err) << "\n";
        return exit_case;
    }
    if (o.format == "text") {
        symtri::TextReportOptions to;
        to.locale = session.last_case().locale;
        std::cout << symtri::format_text(*rules, nlohmann::json::parse(result), to);
    } else if (o.format == "cds-hooks") {
        symtri::CdsHooksOptions co;
        co.locale = session.last_case().locale;
        std::cout << symtri::format_cds_hooks(*rules, nlohmann::json::parse(result), co, o.pretty ? 2 : -1) << "\n";
    } else if (o.pretty) {
        std::cout << nlohmann::ordered_json::parse(result).dump(2) << "\n";  // keeps the result's key order
    } else {
        std::cout << result << "\n";
    }
    return exit_ok;
}

int cmd_check(const Options& o) {
    Options lo = o;
    if (!o.args.empty()) lo.rules = o.args[0];
    auto rules = load_rules_or_report(lo);
    if (!rules) return exit_ruleset;
    auto report = symtri::run_carried_tests(rules);
    for (const auto& f : report.failures) std::cout << f.format() << "\n";
    const auto& rs = *rules;
    std::size_t by_kind[4] = {0, 0, 0, 0};
    for (const auto& r : rs.rules) ++by_kind[static_cast<int>(r.kind)];
    if (!o.quiet || !report.ok()) {
        std::cout << (lo.rules ? *lo.rules : std::string("built-in rules")) << ": " << rs.info.id << " " << rs.info.version
                  << " (" << rs.info.digest.substr(0, 19) << "), validation: " << rs.info.validation << "\n"
                  << "  " << rs.levels.size() << " levels, " << rs.findings.size() << " findings, " << rs.rules.size()
                  << " rules (" << by_kind[0] << " red flags, " << by_kind[1] << " recommendations, " << by_kind[2]
                  << " cautions, " << by_kind[3] << " info)\n"
                  << "  " << (report.run - report.failures.size()) << " of " << report.run << " carried tests passed\n";
    }
    return report.ok() ? exit_ok : exit_failed;
}

}  // namespace symtri_cli
