// SPDX-License-Identifier: Apache-2.0
// Memory: resident memory after loading each rule-set size, and bytes per rule.
//
// Resident memory is read from /proc/self/statm before and after load_rules(); peak from VmHWM in
// /proc/self/status. Run ONE benchmark per process for clean numbers (bench/run.py does:
// --benchmark_filter='^memory/generated/100000$'), since memory freed by an earlier load stays in the
// allocator. Counters:
//   rss_MB        resident after the load, the RuleSet alive (what the process holds while serving)
//   rss_trim_MB   the same after malloc_trim(0) (what the RuleSet itself holds)
//   peak_MB       highest resident during the load (what the host must have free to start)
//   bytes_per_rule  (rss_trim - rss before) / rules
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <functional>

#include "bench_common.hpp"

namespace {

using namespace symtri_bench;

void measure(benchmark::State& state, const std::function<symtri::RuleSetPtr()>& load) {
    malloc_trim(0);
    const double before = rss_bytes();
    symtri::RuleSetPtr rs;
    double after = 0, trimmed = 0, peak = 0;
    for (auto _ : state) {
        try {
            rs = load();
        } catch (const std::exception& e) {
            state.SkipWithError(e.what());
            return;
        }
        after = rss_bytes();
        malloc_trim(0);
        trimmed = rss_bytes();
        peak = peak_rss_bytes();
    }
    const double mb = 1024.0 * 1024.0;
    state.counters["rules"] = static_cast<double>(rs->rules.size());
    state.counters["rss_before_MB"] = before / mb;
    state.counters["rss_MB"] = after / mb;
    state.counters["rss_trim_MB"] = trimmed / mb;
    state.counters["peak_MB"] = peak / mb;
    state.counters["bytes_per_rule"] = (trimmed - before) / static_cast<double>(rs->rules.size());
}

void BM_MemoryShipped(benchmark::State& state) {
    measure(state, [] { return symtri::load_builtin_rules(); });
}
BENCHMARK(BM_MemoryShipped)->Name("memory/shipped")->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_MemoryGenerated(benchmark::State& state) {
    const std::string path = generated_rules(static_cast<int>(state.range(0)));
    if (!exists(path)) {
        state.SkipWithError(("no " + path + ": build the symtri_bench_data target").c_str());
        return;
    }
    measure(state, [&] { return symtri::load_rules(path); });
}
BENCHMARK(BM_MemoryGenerated)->Name("memory/generated")->Arg(1000)->Arg(10000)->Arg(100000)->Iterations(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
