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

namespace {
const char* const kTypical =
    R"({"case_id":"typical","patient":{"age":52,"sex":"female"},"findings":{"low_back_pain":{"present":true,"duration_days":10,"severity":5,"trend":"stable"},)"
    R"("sciatica":{"present":true,"side":"left","duration_days":60,"severity":6,"trend":"worsening"},"saddle_numbness":false,"urinary_retention":null,)"
    R"("fever":false,"kidney_disease":true,"poor_sleep":true},"locale":"en"})";
const char* const kRedFlag =
    R"({"case_id":"red_flag","patient":{"age":47,"sex":"male"},"findings":{"sciatica":true,"saddle_numbness":true,"urinary_retention":true,"low_back_pain":true}})";
const char* const kEmpty = R"({"case_id":"empty","findings":{}})";
}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: symtri_count_triage typical|red_flag|empty N\n");
        return 2;
    }
    const char* text = std::strcmp(argv[1], "red_flag") == 0 ? kRedFlag : std::strcmp(argv[1], "empty") == 0 ? kEmpty : kTypical;
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
