// SPDX-License-Identifier: Apache-2.0
// `symtri serve`: triage over HTTP (a JSON API and a CDS Hooks 2.0 service). This header is what the
// pieces share: the configuration, the shared state (the loaded rule set, swapped atomically on
// reload, and the metrics) and handle(), the whole of request handling without sockets (server.cpp
// feeds it requests read by Boost.Beast; the fuzz target feeds it parsed bytes).
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include <boost/beast/http.hpp>

#include <symtri/symtri.hpp>

#include "metrics.hpp"
#include "serve.hpp"

namespace symtri_service {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

struct Config {
    std::optional<std::string> rules;  // --rules PATH; none = the built-in rule set
    std::string host = "127.0.0.1";
    unsigned short port = 8080;
    unsigned threads = 2;
    std::size_t max_body_bytes = 1u << 20;         // every route but /v1/batch
    std::size_t max_batch_bytes = 16u << 20;       // /v1/batch
    std::size_t max_header_bytes = 16u << 10;      // request line and headers
    std::size_t max_connections = 256;             // open at once; more get 503
    std::chrono::milliseconds request_timeout{10000};  // to read one whole request
    std::string token;                             // bearer token; empty = no authentication
    bool access_log = true;                        // one JSON line per request on stderr
    symtri::LoadLimits load_limits;
    symtri::CaseLimits case_limits;
    symtri::TriageOptions triage_options;
};

// What a reload did: ok, or why not (the old rule set keeps serving).
struct ReloadResult {
    bool ok = false;
    std::string message;                 // one line
    std::vector<symtri::Diagnostic> problems;  // file names reduced to their base name
};

class State {
public:
    explicit State(Config c) : config_(std::move(c)) {}

    const Config& config() const { return config_; }
    Metrics& metrics() { return metrics_; }

    // The rule set serving now. Requests take a copy of the pointer, so a reload never pulls a
    // rule set from under a request that is using it.
    symtri::RuleSetPtr rules() const { return std::atomic_load(&rules_); }
    void set_rules(symtri::RuleSetPtr r) { std::atomic_store(&rules_, std::move(r)); }

    // Loads the configured rule set afresh; on success it replaces the serving one.
    ReloadResult reload();

private:
    Config config_;
    Metrics metrics_;
    symtri::RuleSetPtr rules_;
};

// Everything about a request but its bytes: who sent it, for the access log.
struct Handled {
    Response response;
    std::string route;  // the route's name for metrics and the log: "/v1/triage", "-" for unknown
};

// Handles one parsed request. Never throws; any failure is a JSON error response.
Handled handle(State& state, const Request& request);

// POST /v1/batch over HTTP/1.1 is streamed by the server (server.cpp): read a piece at a time and
// answered with a chunked response line by line (BatchStream), instead of through handle().
bool streams(const Request& header);
// For such a request, from its header alone: the answer handle() would give if it refuses it (401
// without a valid token, 415 for the wrong content type), or nothing when its body may be streamed.
std::optional<Handled> refuse_streamed(State& state, const Request& header);

// A JSON error response: {"error": {"status", "code", "message"[, "where"]}}. No paths, no internals.
Response error_response(unsigned status, const std::string& code, const std::string& message, unsigned version = 11,
                        const std::string& where_json = "");

// Runs the server until SIGTERM/SIGINT (drains in-flight requests) and returns the exit code.
int serve(State& state);

}  // namespace symtri_service
