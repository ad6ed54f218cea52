// SPDX-License-Identifier: Apache-2.0
#include "metrics.hpp"

#include <cstdio>

namespace symtri_service {

void Metrics::record(const std::string& route, unsigned status, double seconds) {
    std::lock_guard<std::mutex> lk(m_);
    ++requests_[{route, status}];
    Histogram& h = latency_[route];
    std::size_t i = 0;
    while (i < buckets.size() && seconds > buckets[i]) ++i;
    ++h.counts[i];
    h.sum += seconds;
    ++h.count;
}

namespace {
std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.9g", v);
    return buf;
}
}  // namespace

std::string Metrics::render(const std::string& ruleset_labels) const {
    std::string out;
    std::lock_guard<std::mutex> lk(m_);
    out += "# HELP symtri_http_requests_total HTTP requests answered, by route and status code.\n"
           "# TYPE symtri_http_requests_total counter\n";
    std::uint64_t errors_4xx = 0, errors_5xx = 0;
    for (const auto& [key, n] : requests_) {
        out += "symtri_http_requests_total{route=\"" + key.first + "\",code=\"" + std::to_string(key.second) + "\"} " +
               std::to_string(n) + "\n";
        if (key.second >= 500) errors_5xx += n;
        else if (key.second >= 400) errors_4xx += n;
    }
    out += "# HELP symtri_http_errors_total HTTP requests answered with an error status, by class.\n"
           "# TYPE symtri_http_errors_total counter\n"
           "symtri_http_errors_total{class=\"4xx\"} " + std::to_string(errors_4xx) + "\n"
           "symtri_http_errors_total{class=\"5xx\"} " + std::to_string(errors_5xx) + "\n";
    out += "# HELP symtri_http_request_duration_seconds Time from a request's last byte read to its response, by route.\n"
           "# TYPE symtri_http_request_duration_seconds histogram\n";
    for (const auto& [route, h] : latency_) {
        std::uint64_t cum = 0;
        for (std::size_t i = 0; i < buckets.size(); ++i) {
            cum += h.counts[i];
            out += "symtri_http_request_duration_seconds_bucket{route=\"" + route + "\",le=\"" + number(buckets[i]) + "\"} " +
                   std::to_string(cum) + "\n";
        }
        cum += h.counts[buckets.size()];
        out += "symtri_http_request_duration_seconds_bucket{route=\"" + route + "\",le=\"+Inf\"} " + std::to_string(cum) + "\n";
        out += "symtri_http_request_duration_seconds_sum{route=\"" + route + "\"} " + number(h.sum) + "\n";
        out += "symtri_http_request_duration_seconds_count{route=\"" + route + "\"} " + std::to_string(h.count) + "\n";
    }
    out += "# HELP symtri_http_connections_open Connections open now.\n# TYPE symtri_http_connections_open gauge\n"
           "symtri_http_connections_open " + std::to_string(open_.load()) + "\n";
    out += "# HELP symtri_http_connections_refused_total Connections refused with 503 (too many open).\n"
           "# TYPE symtri_http_connections_refused_total counter\n"
           "symtri_http_connections_refused_total " + std::to_string(refused_.load()) + "\n";
    out += "# HELP symtri_ruleset_reloads_total Rule-set reloads (SIGHUP, POST /v1/admin/reload), by result.\n"
           "# TYPE symtri_ruleset_reloads_total counter\n"
           "symtri_ruleset_reloads_total{result=\"ok\"} " + std::to_string(reloads_ok_.load()) + "\n"
           "symtri_ruleset_reloads_total{result=\"failed\"} " + std::to_string(reloads_failed_.load()) + "\n";
    out += "# HELP symtri_ruleset_info The rule set serving now (its id, version and digest as labels).\n"
           "# TYPE symtri_ruleset_info gauge\n"
           "symtri_ruleset_info{" + ruleset_labels + "} 1\n";
    return out;
}

}  // namespace symtri_service
