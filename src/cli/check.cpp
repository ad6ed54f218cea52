// SPDX-License-Identifier: Apache-2.0
// `symtri check`: validate a rule set and run the tests it carries. Its report, failures included, is
// its result and goes to stdout; a rule set that cannot be loaded is a diagnostic, on stderr (docs/cli.md).
#include <iostream>

#include "cli.hpp"

namespace symtri_cli {

int cmd_check(const Options& o) {
    Options lo = o;
    if (!o.args.empty()) lo.rules = o.args[0];
    auto rules = load_rules_or_report(lo);
    if (!rules) return exit_ruleset;
    return check_loaded(lo, rules);
}

int check_loaded(const Options& lo, const symtri::RuleSetPtr& rules) {
    auto report = symtri::run_carried_tests(rules);
    for (const auto& f : report.failures) std::cout << f.format() << "\n";
    const auto& rs = *rules;
    std::size_t by_kind[4] = {0, 0, 0, 0};
    for (const auto& r : rs.rules) ++by_kind[static_cast<int>(r.kind)];
    if (!lo.quiet || !report.ok()) {
        std::cout << (lo.rules ? *lo.rules : std::string("built-in rules")) << ": " << rs.info.id << " " << rs.info.version
                  << " (" << rs.info.digest.substr(0, 19) << "), validation: " << rs.info.validation << "\n"
                  << "  " << rs.levels.size() << " levels, " << rs.findings.size() << " findings, " << rs.rules.size()
                  << " rules (" << by_kind[0] << " red flags, " << by_kind[1] << " recommendations, " << by_kind[2]
                  << " cautions, " << by_kind[3] << " info)\n"
                  << "  " << (report.run - report.failures.size()) << " of " << report.run << " carried tests passed\n";
    }
    if (report.ok()) return exit_ok;
    // Why the exit status is 1, on stderr as every command says why it failed (the failures are above).
    std::cerr << "symtri check: " << report.failures.size() << " of " << report.run << " carried tests failed\n";
    return exit_failed;
}

}  // namespace symtri_cli
