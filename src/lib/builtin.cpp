// SPDX-License-Identifier: Apache-2.0
// symtri::lib (config.hpp, SYMTRI_COMPILED_LIB), compiled once: the built-in rule set, its files' text
// (a large string literal) and load_builtin_rules.
#include <symtri/builtin-inl.hpp>
