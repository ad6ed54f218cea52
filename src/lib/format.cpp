// SPDX-License-Identifier: Apache-2.0
// symtri::lib (config.hpp, SYMTRI_COMPILED_LIB): the text and CDS Hooks formatters, compiled once.
#include <symtri/format_cds_hooks-inl.hpp>
#include <symtri/format_text-inl.hpp>
