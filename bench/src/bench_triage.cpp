// SPDX-License-Identifier: Apache-2.0
// Triage of one case with the shipped rule set: typical, red-flag and empty cases.
//   prepared  Evaluator::evaluate on a Case parsed once (no JSON): the engine itself
//   parse     parse_case alone (JSON text -> Case, checked against the vocabulary)
//   reject_long_unknown_key  parse_case rejecting a case whose one key is a long unknown id
//   write     write_result alone (Outcome -> result JSON)
//   json      Session::triage: JSON in -> JSON out through the C++ API
//   capi      the same through the C API (libsymtri.so), when the build has it
#include <benchmark/benchmark.h>

#include "bench_cases.hpp"
#include "bench_common.hpp"

#ifdef SYMTRI_BENCH_HAVE_CAPI
#include <symtri/symtri.h>
#endif

namespace {

using namespace symtri_bench;

const symtri::RuleSetPtr& shipped() {
    static symtri::RuleSetPtr rs = symtri::load_builtin_rules();
    return rs;
}

void outcome_counters(benchmark::State& state, const symtri::RuleSet& rs, const symtri::Case& c, const symtri::Outcome& o) {
    state.counters["touched"] = static_cast<double>(rules_touched(rs, c));
    state.counters["fired"] = static_cast<double>(o.fired.size());
    state.counters["questions"] = static_cast<double>(o.questions.size());
    state.SetLabel(case_name(static_cast<int>(state.range(0))));
}

void BM_Prepared(benchmark::State& state) {
    const auto& rs = shipped();
    symtri::Case c = prepare(*rs, case_text(static_cast<int>(state.range(0))));
    symtri::Evaluator ev(rs);
    symtri::Outcome out;
    for (auto _ : state) {
        ev.evaluate(c, out);
        benchmark::DoNotOptimize(out.level);
    }
    outcome_counters(state, *rs, c, out);
}
BENCHMARK(BM_Prepared)->Name("triage_shipped/prepared")->DenseRange(0, 2);

void BM_Parse(benchmark::State& state) {
    const auto& rs = shipped();
    std::string text = case_text(static_cast<int>(state.range(0)));
    symtri::Case c;
    symtri::CaseError err;
    for (auto _ : state) {
        bool ok = symtri::parse_case(*rs, text, c, err);
        benchmark::DoNotOptimize(ok);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
    state.SetLabel(case_name(static_cast<int>(state.range(0))));
}
BENCHMARK(BM_Parse)->Name("triage_shipped/parse")->DenseRange(0, 2);

// Rejecting a case whose one key is an unknown finding id of 1 KiB, 64 KiB or (nearly) 1 MiB: the
// "did you mean" search is bounded (issue 17.1: a full edit distance against every finding took
// 2.4 s at 1 MB with these rules, and minutes with large vocabularies).
void BM_RejectLongUnknownKey(benchmark::State& state) {
    const auto& rs = shipped();
    const std::size_t n = static_cast<std::size_t>(state.range(0));
    std::string text = "{\"findings\": {\"" + std::string(n, 'q') + "\": true}}";
    symtri::Case c;
    symtri::CaseError err;
    for (auto _ : state) {
        bool ok = symtri::parse_case(*rs, text, c, err);
        benchmark::DoNotOptimize(ok);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_RejectLongUnknownKey)->Name("triage_shipped/reject_long_unknown_key")->Arg(1 << 10)->Arg(1 << 16)->Arg((1 << 20) - 64);

void BM_Write(benchmark::State& state) {
    const auto& rs = shipped();
    symtri::Case c = prepare(*rs, case_text(static_cast<int>(state.range(0))));
    symtri::Evaluator ev(rs);
    symtri::Outcome out;
    ev.evaluate(c, out);
    std::string result;
    for (auto _ : state) {
        result.clear();
        symtri::write_result(result, *rs, c, out);
        benchmark::DoNotOptimize(result.data());
    }
    state.counters["result_bytes"] = static_cast<double>(result.size());
    state.SetLabel(case_name(static_cast<int>(state.range(0))));
}
BENCHMARK(BM_Write)->Name("triage_shipped/write")->DenseRange(0, 2);

void BM_Json(benchmark::State& state) {
    const auto& rs = shipped();
    std::string text = case_text(static_cast<int>(state.range(0)));
    symtri::Session session(rs);
    std::string result;
    if (!time_json_triage(state, session, text, result)) return;
    outcome_counters(state, *rs, session.last_case(), session.last_outcome());
}
BENCHMARK(BM_Json)->Name("triage_shipped/json")->DenseRange(0, 2);

#ifdef SYMTRI_BENCH_HAVE_CAPI
// JSON in -> JSON out through the C API: triage, read the result JSON, destroy the result handle.
void BM_CApi(benchmark::State& state) {
    symtri_engine* engine = nullptr;
    if (symtri_engine_open_builtin(nullptr, &engine) != SYMTRI_OK) {
        state.SkipWithError(symtri_engine_errmsg(engine));
        symtri_engine_close(engine);
        return;
    }
    std::string text = case_text(static_cast<int>(state.range(0)));
    std::size_t len = 0;
    for (auto _ : state) {
        symtri_result* r = nullptr;
        if (symtri_engine_triage(engine, text.data(), text.size(), &r) != SYMTRI_OK) {
            state.SkipWithError(symtri_result_errmsg(r));
            symtri_result_destroy(r);
            break;
        }
        const char* json = symtri_result_json(r, &len);
        benchmark::DoNotOptimize(json);
        symtri_result_destroy(r);
    }
    symtri_engine_close(engine);
    state.counters["result_bytes"] = static_cast<double>(len);
    state.SetLabel(case_name(static_cast<int>(state.range(0))));
}
BENCHMARK(BM_CApi)->Name("triage_shipped/capi")->DenseRange(0, 2);
#endif

}  // namespace

BENCHMARK_MAIN();
