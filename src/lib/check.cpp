// SPDX-License-Identifier: Apache-2.0
// symtri::lib (config.hpp, SYMTRI_COMPILED_LIB): run_carried_tests (symtri check), compiled once.
#include <symtri/check-inl.hpp>
