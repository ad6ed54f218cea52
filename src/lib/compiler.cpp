// SPDX-License-Identifier: Apache-2.0
// symtri::lib (config.hpp, SYMTRI_COMPILED_LIB), compiled once: load_rules and load_rules_from_string,
// the loader and every compiler pass (detail/compile/).
#include <symtri/compiler-inl.hpp>
