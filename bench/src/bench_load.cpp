// Load + compile: the shipped rule set (built in, and from rules/ on disk) and generated rule sets of
// 1k, 10k and 100k rules (bench/gen/gen.py). "parse" is the loader alone (files -> JSON documents with
// positions), "load_compile" the whole of load_rules(): what a host pays at start-up.
#include <benchmark/benchmark.h>

#include "bench_common.hpp"

namespace {

using namespace symtri_bench;

void BM_LoadCompile_Builtin(benchmark::State& state) {
    std::size_t rules = 0;
    for (auto _ : state) {
        auto rs = symtri::load_builtin_rules();
        rules = rs->rules.size();
        benchmark::DoNotOptimize(rs.get());
    }
    state.counters["rules"] = static_cast<double>(rules);
}
BENCHMARK(BM_LoadCompile_Builtin)->Name("load_compile/shipped")->Unit(benchmark::kMillisecond);

void BM_LoadCompile_Generated(benchmark::State& state) {
    const int n = static_cast<int>(state.range(0));
    const std::string path = generated_rules(n);
    if (!exists(path)) {
        state.SkipWithError(("no " + path + ": build the symtri_bench_data target").c_str());
        return;
    }
    std::size_t rules = 0;
    for (auto _ : state) {
        auto rs = load_or_skip(state, path);
        if (!rs) return;
        rules = rs->rules.size();
        benchmark::DoNotOptimize(rs.get());
    }
    state.counters["rules"] = static_cast<double>(rules);
    state.counters["rules_per_s"] = benchmark::Counter(static_cast<double>(rules), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_LoadCompile_Generated)->Name("load_compile/generated")->Arg(1000)->Arg(10000)->Arg(100000)
    ->Unit(benchmark::kMillisecond);

// The same 1k rules with each file minified to one line (gen.py --minify), as machine-written JSON is.
void BM_LoadCompile_Minified(benchmark::State& state) {
    const std::string path = data_dir() + "/rules-1000-minified";
    if (!exists(path)) {
        state.SkipWithError(("no " + path + ": build the symtri_bench_data target").c_str());
        return;
    }
    for (auto _ : state) {
        auto rs = load_or_skip(state, path);
        if (!rs) return;
        benchmark::DoNotOptimize(rs.get());
    }
}
BENCHMARK(BM_LoadCompile_Minified)->Name("load_compile/generated_minified/1000")->Unit(benchmark::kMillisecond);

// The loader alone: reading the files and building JSON documents with every value's position.
void BM_Parse_Generated(benchmark::State& state) {
    const int n = static_cast<int>(state.range(0));
    const std::string path = generated_rules(n);
    if (!exists(path)) {
        state.SkipWithError(("no " + path + ": build the symtri_bench_data target").c_str());
        return;
    }
    symtri::DiskFiles disk;
    symtri::LoadOptions options;
    for (auto _ : state) {
        symtri::detail::Diagnostics diags;
        symtri::detail::Loader loader(disk, options, diags);
        auto docs = loader.load_path(path);
        benchmark::DoNotOptimize(docs.data());
    }
}
BENCHMARK(BM_Parse_Generated)->Name("parse_only/generated")->Arg(1000)->Arg(10000)->Arg(100000)
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
