// SPDX-License-Identifier: Apache-2.0
// symtri::lib (config.hpp, SYMTRI_COMPILED_LIB): explain_rule and its JSON and text forms, compiled once.
#include <symtri/explain-inl.hpp>
