// SPDX-License-Identifier: Apache-2.0
// The shipped-rule-set cases the triage benchmarks time (bench_triage.cpp) and count (count_triage.cpp):
// typical, red flag, empty. Written with the finding ids the contract (docs/case-and-result.md) says the
// shipped set knows.
#pragma once

#include <cstring>

namespace symtri_bench {

inline const char* const kTypical =
    R"({"case_id":"typical","patient":{"age":52,"sex":"female"},"findings":{"low_back_pain":{"present":true,"duration_days":10,"severity":5,"trend":"stable"},)"
    R"("sciatica":{"present":true,"side":"left","duration_days":60,"severity":6,"trend":"worsening"},"saddle_numbness":false,"urinary_retention":null,)"
    R"("fever":false,"kidney_disease":true,"poor_sleep":true},"locale":"en"})";
inline const char* const kRedFlag =
    R"({"case_id":"red_flag","patient":{"age":47,"sex":"male"},"findings":{"sciatica":true,"saddle_numbness":true,"urinary_retention":true,"low_back_pain":true}})";
inline const char* const kEmpty = R"({"case_id":"empty","findings":{}})";

inline const char* case_text(int which) { return which == 0 ? kTypical : which == 1 ? kRedFlag : kEmpty; }
inline const char* case_name(int which) { return which == 0 ? "typical" : which == 1 ? "red_flag" : "empty"; }
// The index of a case by its name (typical for anything else).
inline int case_index(const char* name) {
    return std::strcmp(name, "red_flag") == 0 ? 1 : std::strcmp(name, "empty") == 0 ? 2 : 0;
}

}  // namespace symtri_bench
