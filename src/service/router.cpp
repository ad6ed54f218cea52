// SPDX-License-Identifier: Apache-2.0
// Request routing: authentication, then the route's handler by method and path. Never throws: an
// exception from a handler becomes a 500 with no detail (the detail goes to stderr, not the client).
#include <cstdio>
#include <cstring>
#include <new>

#include <symtri/detail/sha256.hpp>

#include "handlers.hpp"

namespace symtri_service {

Response error_response(unsigned status, const std::string& code, const std::string& message, unsigned version,
                        const std::string& where_json) {
    nlohmann::ordered_json e;
    e["status"] = status;
    e["code"] = code;
    e["message"] = message;
    std::string body = "{\"error\":" + e.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (!where_json.empty()) {
        body.pop_back();  // the closing brace of "error": "where" goes inside it
        body += ",\"where\":" + where_json + "}";
    }
    body += "}\n";
    Response res{static_cast<http::status>(status), version};
    res.set(http::field::content_type, "application/json");
    res.set(http::field::cache_control, "no-store");
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

Response make_response(const Request& req, unsigned status, std::string body, const char* content_type) {
    Response res{static_cast<http::status>(status), req.version()};
    res.set(http::field::content_type, content_type);
    res.set(http::field::cache_control, "no-store");
    res.keep_alive(req.keep_alive());
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

bool content_type_is(const Request& req, std::initializer_list<std::string_view> types) {
    auto it = req.find(http::field::content_type);
    if (it == req.end()) return false;
    std::string_view v(it->value().data(), it->value().size());
    v = v.substr(0, v.find(';'));
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    for (auto t : types) {
        if (v.size() != t.size()) continue;
        bool same = true;
        for (std::size_t i = 0; i < v.size() && same; ++i)
            same = std::tolower(static_cast<unsigned char>(v[i])) == static_cast<unsigned char>(t[i]);
        if (same) return true;
    }
    return false;
}

namespace {

// Compares the presented token with the configured one in time that does not depend on where they
// differ: both are hashed (so their lengths do not show either) and the digests compared in full.
bool token_matches(std::string_view presented, const std::string& token) {
    std::string a = symtri::detail::sha256_hex(std::string(presented)), b = symtri::detail::sha256_hex(token);
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0 && a.size() == b.size();
}

bool authorized(const State& state, const Request& req) {
    const std::string& token = state.config().token;
    if (token.empty()) return true;
    auto it = req.find(http::field::authorization);
    if (it == req.end()) return false;
    std::string_view v(it->value().data(), it->value().size());
    if (v.size() < 7 || !(v.substr(0, 7) == "Bearer " || v.substr(0, 7) == "bearer ")) return false;
    return token_matches(v.substr(7), token);
}

struct Route {
    const char* path;
    http::verb method;
    Response (*handler)(State&, const Request&);
    bool open;  // answered without authentication (liveness probes)
};

const Route routes[] = {
    {"/healthz", http::verb::get, handle_healthz, true},
    {"/metrics", http::verb::get, handle_metrics, false},
    {"/v1/rules", http::verb::get, handle_rules, false},
    {"/v1/triage", http::verb::post, handle_triage, false},
    {"/v1/batch", http::verb::post, handle_batch, false},
    {"/v1/admin/reload", http::verb::post, handle_reload, false},
    {"/cds-services", http::verb::get, handle_cds_discovery, false},
    {"/cds-services/symtri-triage", http::verb::post, handle_cds_hook, false},
    {"/cds-services/symtri-triage/feedback", http::verb::post, handle_cds_feedback, false},
};

std::string_view path_of(const Request& req);
Response unauthorized(const Request& req);

Handled dispatch(State& state, const Request& req) {
    std::string_view path = path_of(req);
    const Route* found = nullptr;
    bool path_known = false;
    for (const auto& r : routes) {
        if (path != r.path) continue;
        path_known = true;
        if (req.method() == r.method || (req.method() == http::verb::head && r.method == http::verb::get)) found = &r;
    }
    if (!path_known) return {error_response(404, "not_found", "no such endpoint; see GET /cds-services, /v1/rules", req.version()), "-"};
    std::string route(path);
    if (!found) {
        Response res = error_response(405, "method_not_allowed", "this endpoint does not take " + std::string(req.method_string()),
                                      req.version());
        std::string allow;
        for (const auto& r : routes)
            if (path == r.path) allow += std::string(allow.empty() ? "" : ", ") + std::string(http::to_string(r.method));
        res.set(http::field::allow, allow);
        return {std::move(res), route};
    }
    if (!found->open && !authorized(state, req)) return {unauthorized(req), route};
    Response res = found->handler(state, req);
    if (req.method() == http::verb::head) res.body().clear();  // Content-Length stays that of the GET
    return {std::move(res), route};
}

std::string_view path_of(const Request& req) {
    std::string_view target(req.target().data(), req.target().size());
    return target.substr(0, target.find('?'));
}

Response unauthorized(const Request& req) {
    Response res = error_response(401, "unauthorized", "a valid bearer token is required (Authorization: Bearer TOKEN)",
                                  req.version());
    res.set(http::field::www_authenticate, "Bearer realm=\"symtri\"");
    return res;
}

}  // namespace

bool streams(const Request& header) {
    return header.method() == http::verb::post && header.version() >= 11 && path_of(header) == "/v1/batch";
}

std::optional<Handled> refuse_streamed(State& state, const Request& header) {
    if (!authorized(state, header)) return Handled{unauthorized(header), "/v1/batch"};
    if (auto refused = batch_refusal(header)) return Handled{std::move(*refused), "/v1/batch"};
    return std::nullopt;
}

Handled handle(State& state, const Request& req) {
    try {
        Handled h = dispatch(state, req);
        if (!req.keep_alive()) h.response.keep_alive(false);
        else if (h.response.result_int() < 400) h.response.keep_alive(true);
        return h;
    } catch (const std::bad_alloc&) {
        return {error_response(503, "overloaded", "out of memory handling this request; try again later", req.version()), "-"};
    } catch (const std::exception& e) {
        std::fprintf(stderr, "{\"event\":\"internal_error\",\"what\":%s}\n",
                     nlohmann::json(e.what()).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
        return {error_response(500, "internal", "internal error handling this request", req.version()), "-"};
    }
}

}  // namespace symtri_service
