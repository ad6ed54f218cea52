// SPDX-License-Identifier: Apache-2.0
// `symtri explain RULE --case FILE`: every test of the rule's condition for that case, with its value,
// and what would make the rule fire (include/symtri/explain.hpp, shared with the C and Python APIs).
#include <fstream>
#include <iostream>
#include <iterator>

#include <symtri/explain.hpp>

#include "cli.hpp"

namespace symtri_cli {

int explain_case(const Options& o, const symtri::RuleSetPtr& rules, int rule) {
    const std::string& name = *o.case_file;
    std::string text;
    if (name == "-") {
        text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    } else {
        std::ifstream in(name, std::ios::binary);
        if (!in) {
            std::cerr << "symtri: cannot read case file '" << name << "'\n";
            return exit_case;
        }
        text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    symtri::Case c;
    symtri::CaseError err;
    if (!symtri::parse_case(*rules, std::string_view(text), c, err, o.case_limits)) {
        std::string where = name == "-" ? "<stdin>" : name;
        if (err.line) where += ":" + std::to_string(err.line) + ":" + std::to_string(err.column);
        std::cerr << where << ": error: " << err.message << (err.path.empty() ? "" : " at " + err.path) << "\n";
        return exit_case;
    }
    symtri::Explanation e = symtri::explain_rule(*rules, rule, c);
    if (o.format == "json") {
        std::string json = symtri::explanation_json(*rules, e);
        if (o.pretty) json = nlohmann::ordered_json::parse(json).dump(2);
        std::cout << json << "\n";
    } else {
        std::cout << symtri::explanation_text(*rules, e);
    }
    return exit_ok;
}

}  // namespace symtri_cli
