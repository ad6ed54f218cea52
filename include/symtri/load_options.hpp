// SPDX-License-Identifier: Apache-2.0
// What a host can ask of a load: limits on what it reads (LoadLimits) and what loading may do to the
// host process (LoadOptions). Their own header, apart from the loader (loader.hpp), so that a program
// that links symtri::lib reads only these declarations, not the loader's JSON reading machinery.
#pragma once

#include <cstddef>

namespace symtri {

// Limits a host can set on what it loads, so a hostile or broken rule file cannot exhaust memory.
// Defaults are far above any real rule set (the shipped one: 10 files of at most 23 KiB, 66 rules) and
// low enough that the worst input within them stays within a few hundred MiB and a second or two: a
// file is held as its text plus 48 bytes per JSON value.
struct LoadLimits {
    std::size_t max_file_bytes = 8u << 20;  // per file (a rule set loaded from a string: the string)
    std::size_t max_depth = 64;             // JSON nesting in a file; also conditions through named ones
    std::size_t max_files = 1000;
    std::size_t max_rules = 100000;
    std::size_t max_condition_nodes = 10000;  // per rule, with named conditions written out
    // All rule files of one rule set together (bytes read; a rule set loaded from a string: the string).
    // 64 MiB admits the 100,000-rule generated benchmark set (49.2 MiB in 21 files, bench/gen/gen.py)
    // and bounds what a rule set of many files can cost, where max_files x max_file_bytes would not.
    std::size_t max_total_bytes = 64u << 20;
    // max_depth is used as at most this: the readers and the compiler recurse once per level, and a
    // deeper limit would let a hostile file overflow the stack (the CLI, C and Python refuse more).
    static constexpr std::size_t max_depth_cap = 1000;
    std::size_t depth() const { return max_depth < max_depth_cap ? max_depth : max_depth_cap; }
};

// What loading may do to the host process beyond allocating memory: each is off unless the host asks,
// because an embedded library must not tune its host's allocator or start threads it was not asked
// for. The rule set is the same whichever are on. The `symtri` program turns all three on
// (docs/performance.md has what each is worth on the 100,000-rule set).
// With LoadOptions::parallel, a rule set of this many rules or more compiles its rules on two threads.
inline constexpr std::size_t parallel_compile_from_rules = 10000;

struct LoadOptions {
    LoadLimits limits;
    // After loading, hand the memory freed while loading back to the system (glibc's malloc_trim(0),
    // over the whole process heap; elsewhere nothing): glibc keeps freed memory resident, up to the
    // size of the rule files' text and parsed documents (100k rules: hundreds of MB). Costs a few
    // milliseconds; for a long-running host that loads a large rule set once.
    bool release_memory = false;
    // Let a large rule set use a second thread while it loads: an included directory's files are
    // read and parsed on two threads, the digest (over 1 MiB of JSON) is worked out beside the
    // compiling, and from parallel_compile_from_rules (10,000) rules the rules' conditions and their other fields compile on two
    // threads (problems are still reported as one thread finds them). The threads end before the
    // load returns. Sets under those sizes (the shipped one) never start a thread.
    bool parallel = false;
    // Ask Linux (madvise) for transparent huge pages over the large buffers a load fills (files over
    // 2 MiB, the JSON values, the compiled arrays) and to map each such buffer in one system call
    // instead of a page fault per 4 KiB page: on a virtual machine that is most of the cost of
    // touching new memory. Only this load's own buffers are advised; elsewhere than Linux, nothing.
    bool advise_memory = false;
};

}  // namespace symtri
