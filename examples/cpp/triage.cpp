// SPDX-License-Identifier: Apache-2.0
// triage.cpp -- the header-only C++ API: include <symtri/symtri.hpp>, link nothing.
//
//   ./triage_cpp [--rules PATH] CASE.json
//
// Loads the built-in rule set (or --rules PATH), triages one case file, prints the level, red flags
// and the questions worth asking next. Exit codes: 0 ok, 2 usage, 3 invalid rule set, 4 invalid case.
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>
#include <symtri/symtri.hpp>

int main(int argc, char** argv) {
    std::string rules_path, case_path;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--rules" && i + 1 < argc) rules_path = argv[++i];
        else if (case_path.empty()) case_path = a;
        else case_path.clear(), i = argc;
    }
    if (case_path.empty()) {
        std::cerr << "usage: " << argv[0] << " [--rules PATH] CASE.json\n";
        return 2;
    }

    symtri::RuleSetPtr rules;  // immutable; share it between threads freely
    try {
        rules = rules_path.empty() ? symtri::load_builtin_rules() : symtri::load_rules(rules_path);
    } catch (const symtri::Error& e) {
        std::cerr << e.what() << "\n";  // every problem, "file:line:col: error: ... at /pointer"
        return 3;
    }

    std::ifstream in(case_path, std::ios::binary);
    if (!in) {
        std::cerr << "cannot read " << case_path << "\n";
        return 4;
    }
    std::ostringstream text;
    text << in.rdbuf();

    symtri::Session session(rules);  // one per thread: it holds scratch memory
    std::string result;
    symtri::CaseError err;
    if (!session.triage(text.str(), result, err)) {
        std::cerr << case_path << ":" << err.line << ":" << err.column << ": error: " << err.message << " at "
                  << err.path << "\n";
        return 4;
    }

    const auto j = nlohmann::json::parse(result);  // or read session.last_outcome() directly
    std::cout << "rule set: " << rules->info.id << " " << rules->info.version << "\n"
              << "level: " << j["level"].get<std::string>() << " (rank " << j["level_rank"] << ")\n"
              << j["summary"].get<std::string>() << "\n"
              << "red flags: " << j["red_flags"].size() << "\n";
    for (const auto& rf : j["red_flags"])
        std::cout << "  - " << rf["rule"].get<std::string>() << " [" << rf["level"].get<std::string>()
                  << "]: " << rf["title"].get<std::string>() << "\n";
    std::size_t asked = 0;
    for (const auto& q : j["questions"]) {
        if (asked++ == 3) break;
        std::cout << "ask: " << q["prompt"].get<std::string>() << " (could raise to "
                  << q["could_raise_to"].get<std::string>() << ")\n";
    }
    if (j["interview"]["complete"].get<bool>()) std::cout << "interview complete: nothing left that could raise the level\n";
    return 0;
}
