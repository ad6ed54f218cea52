// `symtri triage` and `symtri check`.
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "cli.hpp"

namespace symtri_cli {

symtri::RuleSetPtr load_rules_or_report(const Options& o) {
    try {
        if (o.rules) return symtri::load_rules(*o.rules);
        return symtri::load_builtin_rules();
    } catch (const symtri::Error& e) {
        std::cerr << e.what() << "\n";
        std::cerr << "symtri: the rule set " << (o.rules ? "'" + *o.rules + "'" : std::string("built in")) << " is not valid ("
                  << e.diagnostics().size() << " problem" << (e.diagnostics().size() == 1 ? "" : "s") << ")\n";
        return nullptr;
    }
}

int cmd_triage(const Options& o) {
    auto rules = load_rules_or_report(o);
    if (!rules) return exit_ruleset;
    std::string name = o.args.empty() ? "-" : o.args[0];
    std::string text;
    if (name == "-") {
        text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    } else {
        std::ifstream in(name, std::ios::binary);
        if (!in) {
            std::cerr << "symtri: cannot read case file '" << name << "'\n";
            return exit_case;
        }
        std::ostringstream ss;
        ss << in.rdbuf();
        text = ss.str();
    }
    symtri::Session session(rules);
    std::string result;
    symtri::CaseError err;
    if (!session.triage(text, result, err)) {
        std::string where = name == "-" ? "<stdin>" : name;
        if (err.line) where += ":" + std::to_string(err.line) + ":" + std::to_string(err.column);
        std::cerr << where << ": error: " << err.message << (err.path.empty() ? "" : " at " + err.path) << "\n";
        std::cout << symtri::case_error_json(session.last_case().case_id_json, 0, err) << "\n";
        return exit_case;
    }
    if (o.pretty) std::cout << nlohmann::ordered_json::parse(result).dump(2) << "\n";  // keeps the result's key order
    else std::cout << result << "\n";
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
