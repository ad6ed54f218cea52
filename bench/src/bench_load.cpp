// SPDX-License-Identifier: Apache-2.0
// Load + compile: the shipped rule set (built in, and from rules/ on disk) and generated rule sets of
// 1k, 10k and 100k rules (bench/gen/gen.py). "parse" is the loader alone (files -> JSON documents with
// positions), "load_compile" the whole of load_rules(): what a host pays at start-up.
#include <benchmark/benchmark.h>

#include <random>

#include <symtri/detail/canonical.hpp>
#include <symtri/loader.hpp>
#include <symtri/detail/sha256.hpp>

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
        // Freeing the rule set is not part of loading it (100k rules: ~0.1 s of freeing strings).
        state.PauseTiming();
        rs.reset();
        state.ResumeTiming();
    }
    state.counters["rules"] = static_cast<double>(rules);
    state.counters["rules_per_s"] = benchmark::Counter(static_cast<double>(rules), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_LoadCompile_Generated)->Name("load_compile/generated")->Arg(1000)->Arg(10000)->Arg(100000)
    ->Unit(benchmark::kMillisecond);

// The same with the switches that touch the host process on (LoadOptions::parallel, advise_memory,
// release_memory), as the `symtri` program loads: the library's defaults leave them off.
void BM_LoadCompile_Generated_HostOptions(benchmark::State& state) {
    const std::string path = generated_rules(static_cast<int>(state.range(0)));
    if (!exists(path)) {
        state.SkipWithError(("no " + path + ": build the symtri_bench_data target").c_str());
        return;
    }
    symtri::LoadOptions options;
    options.parallel = options.advise_memory = options.release_memory = true;
    for (auto _ : state) {
        auto rs = load_or_skip(state, path, options);
        if (!rs) return;
        benchmark::DoNotOptimize(rs.get());
        state.PauseTiming();
        rs.reset();
        state.ResumeTiming();
    }
}
BENCHMARK(BM_LoadCompile_Generated_HostOptions)->Name("load_compile/generated_host_options")->Arg(1000)->Arg(100000)
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

// The rule-set digest's hash alone, on 50 MB (about the canonical text of the 100k set): each block
// function (0 scalar, 1 SHA-NI, 2 whichever this CPU gets), fed 64 KiB at a time as the digest is.
void BM_Sha256(benchmark::State& state) {
    symtri::detail::Sha256BlockFn fn = &symtri::detail::sha256_blocks_scalar;
    if (state.range(0) == 1) {
        if (!symtri::detail::sha256_cpu_has_sha_ni()) {
            state.SkipWithError("no SHA extensions on this CPU");
            return;
        }
#if SYMTRI_SHA256_X86
        fn = &symtri::detail::sha256_blocks_sha_ni;
#endif
    } else if (state.range(0) == 2) {
        fn = symtri::detail::sha256_best_blocks();
    }
    std::string data(50u * 1000 * 1000, '\0');
    std::mt19937 rng(1);
    for (auto& c : data) c = static_cast<char>(' ' + rng() % 90);
    for (auto _ : state) {
        symtri::detail::Sha256 h(fn);
        for (std::size_t off = 0; off < data.size(); off += 65536) h.update(std::string_view(data).substr(off, 65536));
        benchmark::DoNotOptimize(h.hex_final());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(data.size()));
}
BENCHMARK(BM_Sha256)->Name("digest/sha256_50MB")->ArgName("scalar0_shani1_auto2")->Arg(0)->Arg(1)->Arg(2)
    ->Unit(benchmark::kMillisecond);

// The digest of a generated rule set from its loaded documents: the canonical text built and then
// hashed (arg 0) against written straight into the hasher (arg 1, what load_rules needs).
void BM_Digest_Generated(benchmark::State& state) {
    const std::string path = generated_rules(100000);
    if (!exists(path)) {
        state.SkipWithError(("no " + path + ": build the symtri_bench_data target").c_str());
        return;
    }
    symtri::DiskFiles disk;
    symtri::LoadOptions options;
    symtri::detail::Diagnostics diags;
    symtri::detail::Loader loader(disk, options, diags);
    const auto docs = loader.load_path(path);
    std::vector<symtri::detail::CanonicalPart> parts;
    for (const auto& d : docs) parts.push_back({&d.doc(), d.root});
    for (auto _ : state) {
        std::string digest = state.range(0) == 0
            ? symtri::detail::sha256_hex(symtri::detail::canonical_text(parts, symtri::rules_format_version))
            : symtri::detail::canonical_sha256_hex(parts, symtri::rules_format_version);
        benchmark::DoNotOptimize(digest);
    }
}
BENCHMARK(BM_Digest_Generated)->Name("digest/canonical/generated_100000")->ArgName("text0_streamed1")->Arg(0)->Arg(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
