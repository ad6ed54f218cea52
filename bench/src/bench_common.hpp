// SPDX-License-Identifier: Apache-2.0
// Shared helpers for the symtri benchmarks: where the generated data is, reading files, and resident
// memory from /proc/self/statm.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <sys/stat.h>

#include <benchmark/benchmark.h>
#include <symtri/symtri.hpp>

#ifndef SYMTRI_BENCH_DATA_DIR
#define SYMTRI_BENCH_DATA_DIR "bench-data"
#endif

namespace symtri_bench {

// Generated rule sets and cases: $SYMTRI_BENCH_DATA, else the build's bench-data (made by the
// symtri_bench_data target: bench/gen/gen.py).
inline std::string data_dir() {
    if (const char* d = std::getenv("SYMTRI_BENCH_DATA")) return d;
    return SYMTRI_BENCH_DATA_DIR;
}

inline bool exists(const std::string& p) {
    struct stat st;
    return ::stat(p.c_str(), &st) == 0;
}

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path + " (build the symtri_bench_data target)");
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Resident set size in bytes (second field of /proc/self/statm, in pages).
inline double rss_bytes() {
    std::FILE* f = std::fopen("/proc/self/statm", "r");
    if (!f) return 0;
    long size = 0, resident = 0;
    if (std::fscanf(f, "%ld %ld", &size, &resident) != 2) resident = 0;
    std::fclose(f);
    return static_cast<double>(resident) * static_cast<double>(::sysconf(_SC_PAGESIZE));
}

// Peak resident set size in bytes (VmHWM in /proc/self/status).
inline double peak_rss_bytes() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) * 1024.0;
    return 0;
}

// The generated rule set of `n` rules (bench/gen/gen.py rules --n N).
inline std::string generated_rules(int n) { return data_dir() + "/rules-" + std::to_string(n); }

// Number of rules the evaluator looks at for this case (the finding -> rules index plus the rules
// that read age or sex), with duplicates: what "the case touches" means.
inline std::size_t rules_touched(const symtri::RuleSet& rs, const symtri::Case& c) {
    const auto& k = rs.compiled;
    std::size_t n = 0;
    for (auto f : c.answered)
        n += k.finding_rules_start[static_cast<std::size_t>(f) + 1] - k.finding_rules_start[static_cast<std::size_t>(f)];
    if (c.has_patient()) n += k.patient_rules.size();
    return n;
}

// load_rules, or nullptr after marking the benchmark failed with the loader's message.
template <class State>
symtri::RuleSetPtr load_or_skip(State& state, const std::string& path, const symtri::LoadOptions& options = {}) {
    try {
        return symtri::load_rules(path, options);
    } catch (const std::exception& e) {
        state.SkipWithError(e.what());
        return nullptr;
    }
}

// The timed loop of JSON in -> JSON out: `session.triage` on `text` until the benchmark stops, the
// last result left in `result`. False (and the benchmark marked skipped) if the case is rejected.
inline bool time_json_triage(benchmark::State& state, symtri::Session& session, const std::string& text,
                             std::string& result) {
    symtri::CaseError err;
    for (auto _ : state) {
        if (!session.triage(text, result, err)) {
            state.SkipWithError(err.message.c_str());
            return false;
        }
        benchmark::DoNotOptimize(result.data());
    }
    state.counters["result_bytes"] = static_cast<double>(result.size());
    return true;
}

inline symtri::Case prepare(const symtri::RuleSet& rs, const std::string& json) {
    symtri::Case c;
    symtri::CaseError err;
    if (!symtri::parse_case(rs, json, c, err)) throw std::runtime_error("bench case rejected: " + err.message);
    return c;
}

}  // namespace symtri_bench
