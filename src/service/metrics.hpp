// SPDX-License-Identifier: Apache-2.0
// The service's counters, rendered as Prometheus text (GET /metrics): requests by route and status,
// errors, a latency histogram per route, open connections, reloads and the rule set's identity.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace symtri_service {

class Metrics {
public:
    // Upper bounds of the latency histogram's buckets, in seconds (+Inf is implied).
    static constexpr std::array<double, 12> buckets{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                    0.01,   0.025,   0.05,   0.1,   0.5,    1.0};

    void record(const std::string& route, unsigned status, double seconds);
    void reload(bool ok) { (ok ? reloads_ok_ : reloads_failed_).fetch_add(1, std::memory_order_relaxed); }
    void connection_opened() { open_.fetch_add(1, std::memory_order_relaxed); }
    void connection_closed() { open_.fetch_sub(1, std::memory_order_relaxed); }
    void connection_refused() { refused_.fetch_add(1, std::memory_order_relaxed); }
    long open_connections() const { return open_.load(std::memory_order_relaxed); }

    // The Prometheus text exposition (format 0.0.4); `ruleset_labels` like id="x",version="y",digest="z".
    std::string render(const std::string& ruleset_labels) const;

private:
    struct Histogram {
        std::array<std::uint64_t, buckets.size() + 1> counts{};
        double sum = 0;
        std::uint64_t count = 0;
    };
    mutable std::mutex m_;
    std::map<std::pair<std::string, unsigned>, std::uint64_t> requests_;
    std::map<std::string, Histogram> latency_;
    std::atomic<long> open_{0};
    std::atomic<std::uint64_t> refused_{0}, reloads_ok_{0}, reloads_failed_{0};
};

}  // namespace symtri_service
