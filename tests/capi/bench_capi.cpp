// SPDX-License-Identifier: Apache-2.0
// How should a shared engine give each triage call its own scratch space? Measures, through the C API:
//   pool      a mutex-protected pool of Sessions inside the engine (the default), and
//   per-call  a fresh Session for every call (SYMTRI_OPT_POOL_SIZE = 0),
// on 1 and N threads, for the test rule set, the built-in one and a synthetic large one.
//   build-capi/tests/capi/symtri_capi_bench [seconds-per-run]
#include <symtri/symtri.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace {

// A rule set with `n` findings and `n` rules (one red flag per pair of findings).
std::string synthetic(int n) {
    std::string s = R"({"format":1,"ruleset":{"id":"synthetic","version":"1","title":"S","authors":["b"],"last_reviewed":"2026-01-01","validation":"research","license":"CC0-1.0","disclaimer":"D"},"levels":[{"id":"low","label":"L","action":"A","worse":"W"},{"id":"high","label":"H","action":"A","worse":"W"}],"vocabulary":{)";
    for (int i = 0; i < n; ++i) s += (i ? "," : "") + std::string("\"f") + std::to_string(i) + R"(":{"label":"F","question":"Q?"})";
    s += R"(},"rules":[)";
    for (int i = 0; i < n; ++i)
        s += (i ? "," : "") + std::string(R"({"id":"r)") + std::to_string(i) + R"(","kind":"red_flag","level":"high","when":{"all":[{"finding":"f)" +
             std::to_string(i) + R"("},{"finding":"f)" + std::to_string((i + 1) % n) + R"("}]},"title":"T","advice":"A","citations":[{"title":"c","url":"https://example.org"}]})";
    return s + "]}";
}

double run(symtri_engine* e, const std::vector<std::string>& cases, unsigned threads, double seconds) {
    std::atomic<bool> stop{false};
    std::atomic<long> done{0};
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t)
        pool.emplace_back([&, t] {
            long n = 0;
            for (std::size_t i = t; !stop; ++i, ++n) {
                const std::string& c = cases[i % cases.size()];
                symtri_result* r = nullptr;
                symtri_engine_triage(e, c.data(), c.size(), &r);
                symtri_result_destroy(r);
            }
            done += n;
        });
    auto t0 = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    stop = true;
    for (auto& th : pool) th.join();
    double dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return static_cast<double>(done) / dt;
}

void bench(const char* name, const std::string& text, const std::vector<std::string>& cases, double seconds) {
    unsigned hw = std::max(2u, std::thread::hardware_concurrency());
    for (long pool_size : {64L, 0L}) {
        symtri_options* o = nullptr;
        symtri_options_create(&o);
        symtri_options_set(o, SYMTRI_OPT_POOL_SIZE, pool_size);
        symtri_engine* e = nullptr;
        if (symtri_engine_open_string(text.data(), text.size(), name, o, &e) != SYMTRI_OK) {
            std::printf("%s: %s\n", name, symtri_engine_errmsg(e));
            symtri_engine_close(e);
            symtri_options_destroy(o);
            return;
        }
        double one = run(e, cases, 1, seconds), many = run(e, cases, hw, seconds);
        std::printf("%-10s %5zu rules %5zu findings  %-8s  1 thread: %9.0f cases/s (%6.2f us)   %u threads: %9.0f cases/s\n",
                    name, symtri_engine_rule_count(e), symtri_engine_finding_count(e), pool_size ? "pool" : "per-call",
                    one, 1e6 / one, hw, many);
        symtri_engine_close(e);
        symtri_options_destroy(o);
    }
}

}  // namespace

int main(int argc, char** argv) {
    double seconds = argc > 1 ? std::atof(argv[1]) : 1.0;
    std::vector<std::string> small_cases = {
        R"({"findings":{"sciatica":true,"saddle_numbness":false,"fever":false}})",
        R"({"findings":{"muscle_cramps":true,"kidney_disease":true},"patient":{"age":60}})",
        R"({"findings":{"headache":true,"fever":true,"neck_stiffness":true}})",
        R"({"findings":{"low_back_pain":{"present":true,"duration_days":10}}})"};
    std::string capi_rules = std::string(SYMTRI_SOURCE_DIR) + "/tests/capi/data/rules";
    symtri_engine* dir = nullptr;
    if (symtri_engine_open(capi_rules.c_str(), nullptr, &dir) == SYMTRI_OK) {
        for (long pool_size : {64L, 0L}) {
            symtri_options* o = nullptr;
            symtri_options_create(&o);
            symtri_options_set(o, SYMTRI_OPT_POOL_SIZE, pool_size);
            symtri_engine* e = nullptr;
            symtri_engine_open(capi_rules.c_str(), o, &e);
            unsigned hw = std::max(2u, std::thread::hardware_concurrency());
            double one = run(e, small_cases, 1, seconds), many = run(e, small_cases, hw, seconds);
            std::printf("%-10s %5zu rules %5zu findings  %-8s  1 thread: %9.0f cases/s (%6.2f us)   %u threads: %9.0f cases/s\n",
                        "test", symtri_engine_rule_count(e), symtri_engine_finding_count(e), pool_size ? "pool" : "per-call",
                        one, 1e6 / one, hw, many);
            symtri_engine_close(e);
            symtri_options_destroy(o);
        }
    }
    symtri_engine_close(dir);
    if (symtri_has_builtin()) {
        symtri_engine* b = nullptr;
        if (symtri_engine_open_builtin(nullptr, &b) == SYMTRI_OK) {
            for (long pool_size : {64L, 0L}) {
                symtri_options* o = nullptr;
                symtri_options_create(&o);
                symtri_options_set(o, SYMTRI_OPT_POOL_SIZE, pool_size);
                symtri_engine* e = nullptr;
                symtri_engine_open_builtin(o, &e);
                unsigned hw = std::max(2u, std::thread::hardware_concurrency());
                double one = run(e, small_cases, 1, seconds), many = run(e, small_cases, hw, seconds);
                std::printf("%-10s %5zu rules %5zu findings  %-8s  1 thread: %9.0f cases/s (%6.2f us)   %u threads: %9.0f cases/s\n",
                            "built-in", symtri_engine_rule_count(e), symtri_engine_finding_count(e),
                            pool_size ? "pool" : "per-call", one, 1e6 / one, hw, many);
                symtri_engine_close(e);
                symtri_options_destroy(o);
            }
        }
        symtri_engine_close(b);
    }
    std::vector<std::string> big_cases = {R"({"findings":{"f0":true,"f1":true,"f500":false}})",
                                          R"({"findings":{"f10":true,"f11":true}})"};
    bench("synthetic", synthetic(5000), big_cases, seconds);
    return 0;
}
