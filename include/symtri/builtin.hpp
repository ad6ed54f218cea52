// SPDX-License-Identifier: Apache-2.0
// The shipped rule set (rules/ in the source tree), compiled into the program and the library.
//
// The build generates <symtri/generated/builtin_rules.inc> from rules/ (cmake/embed_rules.cmake). A
// header-only user without that file still compiles; has_builtin_rules() then returns false and
// load_builtin_rules() throws.
#pragma once

#include <map>
#include <string>

#include "compiler.hpp"

#if defined(__has_include)
#if __has_include(<symtri/generated/builtin_rules.inc>)
#define SYMTRI_HAS_BUILTIN_RULES 1
#endif
#endif

namespace symtri {

inline std::map<std::string, std::string> builtin_rule_files();

inline bool has_builtin_rules() { return !builtin_rule_files().empty(); }

// The built-in rule files by path ("rules/index.json", ...).
inline std::map<std::string, std::string> builtin_rule_files() {
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

// Loads and compiles the built-in rule set. Throws symtri::Error if this build has none.
inline RuleSetPtr load_builtin_rules(const LoadOptions& options = {}) {
    if (!has_builtin_rules())
        throw Error(Status::io, Diagnostic{"no_builtin", "this build has no built-in rule set; give a rule set path", "",
                                           0, 0, ""});
    MemoryFiles files(builtin_rule_files());
    return load_rules("rules", options, &files);
}

}  // namespace symtri
