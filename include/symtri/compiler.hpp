// SPDX-License-Identifier: Apache-2.0
// Compiler: checks the loaded documents against the rule-set format (docs/rules-format.md) and
// builds the immutable RuleSet: interned ids, flat condition arrays, the finding -> rules index,
// result ordering, pre-rendered JSON fragments and the content digest.
//
// This header declares the public entry points (load_rules, load_rules_from_string); compiler-inl.hpp
// defines them (included here in the header-only mode, compiled into symtri::lib otherwise: see
// config.hpp). The compiler itself is detail::Compiler, one file per pass under detail/compile/: its
// class and the order of its passes are in detail/compile/compiler.hpp, which lists them all.
#pragma once

#include <memory>
#include <string>

#include "config.hpp"
#include "files.hpp"
#include "load_options.hpp"
#include "ruleset.hpp"

namespace symtri {

// ------------------------------------------------------------------------ public entry points

// Loads and compiles a rule set from a file or a directory (DIR/index.json). Throws symtri::Error
// (Status::invalid_ruleset, or Status::io when nothing could be read) listing every problem found.
SYMTRI_FUNC RuleSetPtr load_rules(const std::string& path, const LoadOptions& options = {}, const FileSource* files = nullptr);

// Loads and compiles a rule set held in one string (which may not include other files). `name`
// stands for the file name in messages.
SYMTRI_FUNC RuleSetPtr load_rules_from_string(const std::string& text, const std::string& name = "<string>",
                                              const LoadOptions& options = {});

}  // namespace symtri

#ifdef SYMTRI_HEADER_ONLY
#include "compiler-inl.hpp"
#endif
