// SPDX-License-Identifier: Apache-2.0
// The timing loop every native peer runner uses (the Node runner, peers.js, does the same in JS):
// one warm-up pass over all cases, then passes until both `min_passes` and `min_seconds` are reached
// (or `max_passes`); each pass's time per case is reported, and the median of them.
//
// Time is the process's CPU time (CLOCK_PROCESS_CPUTIME_ID; Node: process.cpuUsage(), every thread
// included, so a JIT or GC thread's work counts): on a shared, loaded machine it is far steadier than
// wall-clock time, which is reported too.
#pragma once

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <symtri/detail/sha256.hpp>

namespace peers {

struct TimingOptions {
    int min_passes = 5;
    int max_passes = 1000;
    double min_seconds = 1.0;
};

inline TimingOptions timing_options_from_env() {
    TimingOptions o;
    if (const char* v = std::getenv("PEERS_MIN_PASSES")) o.min_passes = std::atoi(v);
    if (const char* v = std::getenv("PEERS_MAX_PASSES")) o.max_passes = std::atoi(v);
    if (const char* v = std::getenv("PEERS_MIN_SECONDS")) o.min_seconds = std::atof(v);
    return o;
}

inline double cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Wall-clock microseconds per case of each pass of the last time_passes call.
inline std::vector<double>& wall_us() {
    static std::vector<double> v;
    return v;
}

// `pass` runs every case once. Returns CPU microseconds per case of each timed pass.
template <class Pass>
std::vector<double> time_passes(std::size_t ncases, const TimingOptions& o, Pass&& pass) {
    using clock = std::chrono::steady_clock;
    pass();  // warm-up
    std::vector<double> us;
    wall_us().clear();
    auto start = clock::now();
    while (static_cast<int>(us.size()) < o.max_passes) {
        double c0 = cpu_seconds();
        auto t0 = clock::now();
        pass();
        auto t1 = clock::now();
        double c1 = cpu_seconds();
        us.push_back((c1 - c0) * 1e6 / static_cast<double>(ncases));
        wall_us().push_back(std::chrono::duration<double, std::micro>(t1 - t0).count() / static_cast<double>(ncases));
        double total = std::chrono::duration<double>(t1 - start).count();
        if (static_cast<int>(us.size()) >= o.min_passes && total >= o.min_seconds) break;
    }
    return us;
}

inline double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    std::size_t m = v.size() / 2;
    return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

// The digest bench/peers/workload.py computes: "<case>:<rule indices ascending>\n" per case.
inline std::string matches_digest(const std::vector<std::vector<int>>& m, std::size_t& total) {
    std::string text;
    total = 0;
    for (std::size_t i = 0; i < m.size(); ++i) {
        std::vector<int> ks = m[i];
        std::sort(ks.begin(), ks.end());
        text += std::to_string(i) + ":";
        for (std::size_t k = 0; k < ks.size(); ++k) text += (k ? "," : "") + std::to_string(ks[k]);
        text += "\n";
        total += ks.size();
    }
    return symtri::detail::sha256_hex(text);
}

inline void report(const char* engine, const std::string& n, std::size_t ncases, double load_ms, const std::vector<double>& us,
                   const std::vector<std::vector<int>>& m, const std::string& extra = "") {
    std::size_t total = 0;
    std::string dg = matches_digest(m, total);
    std::printf("{\"engine\":\"%s\",\"n\":\"%s\",\"cases\":%zu,\"load_ms\":%.3f,\"median_us\":%.4f,"
                "\"median_wall_us\":%.4f,\"passes\":%zu,\"us_per_case\":[",
                engine, n.c_str(), ncases, load_ms, median(us), median(wall_us()), us.size());
    for (std::size_t i = 0; i < us.size(); ++i) std::printf("%s%.4f", i ? "," : "", us[i]);
    std::printf("],\"digest\":\"%s\",\"total_matches\":%zu%s}\n", dg.c_str(), total, extra.c_str());
}

}  // namespace peers
