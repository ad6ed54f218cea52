// SPDX-License-Identifier: Apache-2.0
// The two ways to build with symtri, from the same headers (as fmt and spdlog do):
//
//   header-only (the default; SYMTRI_HEADER_ONLY, CMake target symtri::symtri): every function is in
//     the headers; include <symtri/symtri.hpp> and link nothing. Each program that loads a rule set
//     compiles the loader and the compiler itself (tens of seconds at -O2).
//   compiled (SYMTRI_COMPILED_LIB, CMake target symtri::lib, library libsymtri-cpp): the heavy functions
//     that run once or rarely (loading and compiling a rule set, the built-in rule set's text, check,
//     explain, the text and CDS Hooks formatters) are compiled once into the library, from the
//     *-inl.hpp files; the headers only declare them. The hot path (case reader, evaluator,
//     questions, result writer, Session) stays inline in the headers either way.
//
// Define at most one of the two; with neither, the headers are header-only. All translation units of
// a program must agree.
#pragma once

#if defined(SYMTRI_COMPILED_LIB) && defined(SYMTRI_HEADER_ONLY)
#error "symtri: define SYMTRI_COMPILED_LIB (link symtri::lib) or SYMTRI_HEADER_ONLY, not both"
#endif
#if !defined(SYMTRI_COMPILED_LIB) && !defined(SYMTRI_HEADER_ONLY)
#define SYMTRI_HEADER_ONLY
#endif

// The specifier of a function defined in a *-inl.hpp file: inline in the header-only mode, an
// ordinary (strong, external) definition in the compiled library.
#ifdef SYMTRI_HEADER_ONLY
#define SYMTRI_FUNC inline
#else
#define SYMTRI_FUNC
#endif
