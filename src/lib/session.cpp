// SPDX-License-Identifier: Apache-2.0
// symtri::lib (config.hpp, SYMTRI_COMPILED_LIB), compiled once: Session, with the case reader, evaluator
// and result writer (inline headers, the hot path) inlined into triage().
#include <symtri/session-inl.hpp>
