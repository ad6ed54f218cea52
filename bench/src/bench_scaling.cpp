// SPDX-License-Identifier: Apache-2.0
// Scaling: per-case time against rule-set size (1k, 10k, 100k generated rules) for the same cases.
//
// The generated sets grow their vocabulary with their rules (bench/gen/gen.py), so a case that answers
// the same findings touches about the same number of rules at every size (the `touched` counter shows
// how many). Cases (gen.py examples): typical (6 findings and the patient's age and sex),
// findings_only (the same without the patient), red_flag (fires the top-level rule), empty.
#include <benchmark/benchmark.h>

#include <map>

#include "bench_common.hpp"

namespace {

using namespace symtri_bench;

const char* const kCases[] = {"typical", "findings_only", "red_flag", "empty"};

// One size resident at a time: the benchmarks below run size by size.
const symtri::RuleSetPtr& rules_of(int n) {
    static int loaded = -1;
    static symtri::RuleSetPtr rs;
    if (loaded != n) {
        rs.reset();
        rs = symtri::load_rules(generated_rules(n));
        loaded = n;
    }
    return rs;
}

std::string example(int which) { return read_file(data_dir() + "/examples/" + kCases[which] + ".json"); }

bool have_data(benchmark::State& state, int n) {
    if (exists(generated_rules(n))) return true;
    state.SkipWithError(("no " + generated_rules(n) + ": build the symtri_bench_data target").c_str());
    return false;
}

// `max_questions` 0 gives the full result the contract describes (every finding that could raise the
// level, which at 100k rules is thousands); 20 is what an interview would ask for.
void BM_Scaling(benchmark::State& state, int n, int which, bool json, std::size_t max_questions) {
    if (!have_data(state, n)) return;
    symtri::RuleSetPtr rs;
    try {
        rs = rules_of(n);
    } catch (const std::exception& e) {
        state.SkipWithError(e.what());
        return;
    }
    std::string text = example(which);
    if (!json) {
        symtri::Case c = prepare(*rs, text);
        symtri::Evaluator ev(rs, symtri::TriageOptions{max_questions});
        symtri::Outcome out;
        for (auto _ : state) {
            ev.evaluate(c, out);
            benchmark::DoNotOptimize(out.level);
        }
        state.counters["touched"] = static_cast<double>(rules_touched(*rs, c));
        state.counters["fired"] = static_cast<double>(out.fired.size());
        state.counters["questions"] = static_cast<double>(out.questions.size());
    } else {
        symtri::Session session(rs, {}, symtri::TriageOptions{max_questions});
        std::string result;
        if (!time_json_triage(state, session, text, result)) return;
        state.counters["questions"] = static_cast<double>(session.last_outcome().questions.size());
    }
}

}  // namespace

// Registered size-major, so each rule set is loaded once:
// scaling/<prepared|json|prepared_q20|json_q20>/<case>/<rules>.
int main(int argc, char** argv) {
    for (int n : {1000, 10000, 100000})
        for (std::size_t cap : {std::size_t{0}, std::size_t{20}})
            for (int json = 0; json < 2; ++json)
                for (int which = 0; which < 4; ++which)
                    benchmark::RegisterBenchmark(("scaling/" + std::string(json ? "json" : "prepared") + (cap ? "_q20/" : "/") +
                                                  kCases[which] + "/" + std::to_string(n))
                                                     .c_str(),
                                                 [=](benchmark::State& st) { BM_Scaling(st, n, which, json != 0, cap); });
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
