// SPDX-License-Identifier: Apache-2.0
// One engine, many threads: results equal the single-threaded ones; engines swapped while other
// threads triage (the documented hot-swap pattern) never mix rule sets or crash.
#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "support.hpp"

using namespace capi_test;

namespace {

// Cases built from the engine's own vocabulary, answers chosen at random (fixed seed); some invalid.
std::vector<std::string> make_cases(const symtri_engine* e, std::size_t n) {
    std::mt19937 rng(12345);
    std::vector<std::string> cases;
    size_t nf = symtri_engine_finding_count(e);
    for (std::size_t i = 0; i < n; ++i) {
        std::string c = "{\"case_id\":\"t" + std::to_string(i) + "\",\"findings\":{";
        bool first = true;
        for (size_t f = 0; f < nf; ++f) {
            unsigned roll = static_cast<unsigned>(rng() % 10);
            if (roll >= 3) continue;
            if (!first) c += ',';
            first = false;
            c += "\"" + std::string(symtri_engine_finding_id(e, f)) + "\":" + (roll == 0 ? "true" : roll == 1 ? "false" : "null");
        }
        if (i % 17 == 0) c += std::string(first ? "" : ",") + "\"not_a_finding\":true";
        c += "}";
        if (i % 5 == 0) c += ",\"patient\":{\"age\":" + std::to_string(rng() % 90) + "}";
        c += "}";
        cases.push_back(c);
    }
    return cases;
}

}  // namespace

TEST_CASE("threads: several threads triaging one engine give the single-threaded results", "[threads]") {
    auto e = open_ok(data("rules"));
    REQUIRE(e);
    auto cases = make_cases(e.get(), 600);
    std::vector<std::string> expected;
    for (const auto& c : cases) expected.push_back(json_of(triage(e.get(), c).get()));

    const unsigned nthreads = 8;
    std::vector<std::vector<std::string>> got(nthreads, std::vector<std::string>(cases.size()));
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < nthreads; ++t)
        threads.emplace_back([&, t] {
            for (std::size_t k = 0; k < cases.size(); ++k) {
                std::size_t i = (k * 7 + t * 131) % cases.size();  // each thread its own order
                got[t][i] = json_of(triage(e.get(), cases[i]).get());
            }
        });
    for (auto& th : threads) th.join();
    std::size_t mismatches = 0;
    for (unsigned t = 0; t < nthreads; ++t)
        for (std::size_t i = 0; i < cases.size(); ++i) mismatches += got[t][i] != expected[i];
    CHECK(mismatches == 0);
}

TEST_CASE("threads: retain and close count references", "[threads][lifetime]") {
    symtri_engine* e = nullptr;
    REQUIRE(symtri_engine_open(data("small.json").c_str(), nullptr, &e) == SYMTRI_OK);
    CHECK(symtri_engine_retain(e) == e);
    symtri_engine_close(e);  // one reference left
    auto r = triage(e, "{}");
    CHECK(symtri_result_errcode(r.get()) == SYMTRI_OK);
    symtri_engine_close(e);
}

TEST_CASE("threads: hot swap under concurrent triage", "[threads][hotswap]") {
    // The pattern from symtri.h: a mutex guards the current engine; a call retains it under the lock
    // and closes its reference when done; the reloader swaps and closes the old one.
    std::mutex lock;
    symtri_engine* current = nullptr;
    REQUIRE(symtri_engine_open(data("small.json").c_str(), nullptr, &current) == SYMTRI_OK);

    std::atomic<bool> stop{false};
    std::atomic<long> calls{0}, wrong{0}, seen_v1{0}, seen_v2{0};
    const std::string speech = R"({"findings": {"speech_difficulty": true}})";
    auto worker = [&] {
        while (!stop) {
            symtri_engine* e;
            {
                std::lock_guard<std::mutex> g(lock);
                e = symtri_engine_retain(current);
            }
            auto r = triage(e, speech);
            std::string version = symtri_engine_version(e);
            std::string level = str(symtri_result_level(r.get()));
            std::string j = json_of(r.get());
            // v1 sends speech difficulty to ambulance, v2 to emergency; the result names its rule set.
            bool ok = (version == "1.0.0" && level == "ambulance" && j.find("\"version\":\"1.0.0\"") != std::string::npos) ||
                      (version == "2.0.0" && level == "emergency" && j.find("\"version\":\"2.0.0\"") != std::string::npos);
            if (!ok) ++wrong;
            (version == "1.0.0" ? seen_v1 : seen_v2)++;
            r.reset();
            symtri_engine_close(e);
            ++calls;
        }
    };
    std::vector<std::thread> workers;
    for (int t = 0; t < 4; ++t) workers.emplace_back(worker);

    for (int swap = 0; swap < 40; ++swap) {
        symtri_engine* fresh = nullptr;
        const char* file = swap % 2 ? "small.json" : "small_v2.json";
        REQUIRE(symtri_engine_open(data(file).c_str(), nullptr, &fresh) == SYMTRI_OK);
        symtri_engine* old;
        {
            std::lock_guard<std::mutex> g(lock);
            old = current;
            current = fresh;
        }
        symtri_engine_close(old);  // freed when the last in-flight call drops it
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    stop = true;
    for (auto& th : workers) th.join();
    symtri_engine_close(current);
    CHECK(wrong == 0);
    CHECK(calls > 40);
    CHECK(seen_v1 > 0);
    CHECK(seen_v2 > 0);
}
