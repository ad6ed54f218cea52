// SPDX-License-Identifier: Apache-2.0
// Instruction counts of one JSON in -> JSON out triage, for valgrind --tool=callgrind (instruction
// counts are exact and do not depend on what else the machine is doing, unlike time):
//
//   valgrind --tool=callgrind --callgrind-out-file=/dev/null build/bin/symtri_count_triage typical 1
//   valgrind --tool=callgrind --callgrind-out-file=/dev/null build/bin/symtri_count_triage typical 1001
//
// (total at 1001 - total at 1) / 1000 is the cost of one triage of that case with the built-in rules,
// through symtri::Session (case text in, result text out), with loading and start-up taken out.
// bench/run_callgrind.sh does exactly that for each case. Cases: the same as bench_triage.cpp.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <symtri/symtri.hpp>

#include "bench_cases.hpp"

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: symtri_count_triage typical|red_flag|empty N\n");
        return 2;
    }
    const char* text = symtri_bench::case_text(symtri_bench::case_index(argv[1]));
    const long n = std::atol(argv[2]);
    symtri::Session session(symtri::load_builtin_rules());
    std::string out;
    symtri::CaseError err;
    std::size_t bytes = 0;
    for (long i = 0; i < n; ++i) {
        if (!session.triage(text, out, err)) {
            std::fprintf(stderr, "%s\n", err.message.c_str());
            return 4;
        }
        bytes += out.size();
    }
    std::printf("%ld triages, %zu bytes of results\n", n, bytes);
    return 0;
}
