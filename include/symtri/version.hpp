// SPDX-License-Identifier: Apache-2.0
// symtri version numbers. The C API (symtri.h) repeats them as macros; keep the two in step
// (tests/test_version.cpp checks they agree).
#pragma once

#define SYMTRI_VERSION_MAJOR 0
#define SYMTRI_VERSION_MINOR 1
#define SYMTRI_VERSION_PATCH 0
#define SYMTRI_VERSION_STRING "0.1.0"

// Rule-file format versions this engine reads: the current one and the oldest still accepted
// (tree-sitter's LANGUAGE_VERSION / MIN_COMPATIBLE_LANGUAGE_VERSION pattern).
#define SYMTRI_RULES_FORMAT_VERSION 1
#define SYMTRI_RULES_FORMAT_MIN_VERSION 1

namespace symtri {
inline constexpr const char* engine_version = SYMTRI_VERSION_STRING;
inline constexpr int rules_format_version = SYMTRI_RULES_FORMAT_VERSION;
inline constexpr int rules_format_min_version = SYMTRI_RULES_FORMAT_MIN_VERSION;
}  // namespace symtri
