// SPDX-License-Identifier: Apache-2.0
// builtin.hpp's definitions and the built-in rule files' text: included by builtin.hpp in the
// header-only mode, compiled once into symtri::lib (src/lib/builtin.cpp) otherwise (config.hpp).
#pragma once

#include <map>
#include <string>

#include "builtin.hpp"
#include "compiler.hpp"
#include "error.hpp"
#include "files.hpp"

#if defined(__has_include)
#if __has_include(<symtri/generated/builtin_rules.inc>)
#define SYMTRI_HAS_BUILTIN_RULES 1
#endif
#endif

namespace symtri {

SYMTRI_FUNC bool has_builtin_rules() { return !builtin_rule_files().empty(); }

SYMTRI_FUNC std::map<std::string, std::string> builtin_rule_files() {
    std::map<std::string, std::string> files;
#ifdef SYMTRI_HAS_BUILTIN_RULES
    struct Entry { const char* path; const char* text; };
    static const Entry entries[] = {
#include <symtri/generated/builtin_rules.inc>
        {nullptr, nullptr}};  // keeps the array valid if the generated list is empty
    for (const auto& e : entries)
        if (e.path) files.emplace(e.path, e.text);
#endif
    return files;
}

SYMTRI_FUNC RuleSetPtr load_builtin_rules(const LoadOptions& options) {
    if (!has_builtin_rules())
        throw Error(Status::io, Diagnostic{"no_builtin", "this build has no built-in rule set; give a rule set path", "",
                                           0, 0, ""});
    MemoryFiles files(builtin_rule_files());
    return load_rules("rules", options, &files);
}

}  // namespace symtri
