// SPDX-License-Identifier: Apache-2.0
// The shipped rule set (rules/ in the source tree), compiled into the program and the library.
//
// The build generates <symtri/generated/builtin_rules.inc> from rules/ (cmake/embed_rules.cmake). A
// header-only user without that file still compiles; has_builtin_rules() then returns false and
// load_builtin_rules() throws. builtin-inl.hpp holds the definitions and the rule files' text (a
// large string literal): included here in the header-only mode, compiled once into symtri::lib
// (which always has the rule set) otherwise (config.hpp).
#pragma once

#include <map>
#include <string>

#include "compiler.hpp"
#include "config.hpp"

namespace symtri {

// The built-in rule files by path ("rules/index.json", ...); empty when this build has none.
SYMTRI_FUNC std::map<std::string, std::string> builtin_rule_files();

SYMTRI_FUNC bool has_builtin_rules();

// Loads and compiles the built-in rule set. Throws symtri::Error if this build has none.
SYMTRI_FUNC RuleSetPtr load_builtin_rules(const LoadOptions& options = {});

}  // namespace symtri

#ifdef SYMTRI_HEADER_ONLY
#include "builtin-inl.hpp"
#endif
