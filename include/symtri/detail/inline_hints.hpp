// SPDX-License-Identifier: Apache-2.0
// Inlining hints for the few places where GCC's own choice was measured to cost (callgrind, see
// docs/performance.md): SYMTRI_HOT_INLINE for a small function that must be inlined into its loops,
// SYMTRI_COLD for a rare path kept out of line so that its callers stay small enough to be inlined.
// Other compilers get plain `inline` and nothing.
#pragma once

#if defined(__GNUC__)
#define SYMTRI_HOT_INLINE __attribute__((always_inline)) inline
#define SYMTRI_COLD __attribute__((noinline, cold))
#else
#define SYMTRI_HOT_INLINE inline
#define SYMTRI_COLD
#endif
