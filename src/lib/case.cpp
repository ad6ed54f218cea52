// SPDX-License-Identifier: Apache-2.0
// symtri::lib (config.hpp, SYMTRI_COMPILED_LIB), compiled once: the checked case reader behind
// parse_case (a JSON tree and exact error positions), for cases the inline fast reader hands over.
#include <symtri/case-inl.hpp>
