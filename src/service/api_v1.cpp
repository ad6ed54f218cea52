// SPDX-License-Identifier: Apache-2.0
// The JSON API: /healthz, /metrics, /v1/rules, /v1/triage, /v1/batch, /v1/admin/reload.
// /v1/triage answers with the bytes `symtri triage` prints for the same case, and /v1/batch with
// those of `symtri batch`: both go through the same library calls (Session::triage, case_error_json,
// and symtri/jsonl.hpp's line rule). The server streams /v1/batch (server.cpp, BatchStream).
#include <cstdio>
#include <memory>

#include "batch_stream.hpp"
#include "handlers.hpp"

namespace symtri_service {

namespace {

std::string quote(const std::string& s) { return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

struct CachedSession {
    symtri::RuleSetPtr rules;
    std::unique_ptr<symtri::Session> session;
};

Response not_json(const Request& req, const char* want) {
    return error_response(415, "unsupported_media_type", std::string("the body must be sent as Content-Type: ") + want,
                          req.version());
}

}  // namespace

symtri::Session& session_for(const State& state, const symtri::RuleSetPtr& rules) {
    // One Session per thread (a Session is not thread-safe; its scratch makes triage allocate little).
    thread_local CachedSession cached;
    if (!cached.session || cached.rules != rules) {
        cached.session.reset();
        cached.rules = rules;
        cached.session = std::make_unique<symtri::Session>(rules, state.config().case_limits, state.config().triage_options);
    }
    return *cached.session;
}

std::string ruleset_identity_json(const symtri::RuleSet& rs) {
    return "{\"id\":" + quote(rs.info.id) + ",\"version\":" + quote(rs.info.version) + ",\"digest\":" + quote(rs.info.digest) + "}";
}

Response handle_healthz(State& state, const Request& req) {
    auto rules = state.rules();
    return make_response(req, 200, "{\"status\":\"ok\",\"ruleset\":" + ruleset_identity_json(*rules) + "}\n");
}

Response handle_metrics(State& state, const Request& req) {
    auto rules = state.rules();
    auto label = [](const std::string& s) {  // a Prometheus label value: \, " and newline escaped
        std::string out;
        for (char c : s) {
            if (c == '\\' || c == '"') out += '\\';
            if (c == '\n') { out += "\\n"; continue; }
            out += c;
        }
        return out;
    };
    std::string labels = "id=\"" + label(rules->info.id) + "\",version=\"" + label(rules->info.version) + "\",digest=\"" +
                         label(rules->info.digest) + "\"";
    return make_response(req, 200, state.metrics().render(labels), "text/plain; version=0.0.4; charset=utf-8");
}

Response handle_rules(State& state, const Request& req) {
    auto rules = state.rules();
    const symtri::RuleSet& rs = *rules;
    using ojson = nlohmann::ordered_json;
    ojson out;
    out["id"] = rs.info.id;
    out["version"] = rs.info.version;
    out["digest"] = rs.info.digest;
    out["title"] = rs.info.title.get();
    out["validation"] = rs.info.validation;
    out["locales"] = rs.locales;
    ojson levels = ojson::array();
    for (const auto& l : rs.levels)
        levels.push_back({{"id", l.id}, {"label", l.label.get()}, {"action", l.action.get()}, {"indicator", l.indicator}});
    out["levels"] = std::move(levels);
    ojson vocab = ojson::array();
    for (const auto& f : rs.findings) {
        ojson v;
        v["id"] = f.id;
        v["label"] = f.label.get();
        v["prompt"] = f.question.get();
        if (!f.group.empty()) v["group"] = f.group;
        if (f.screening) v["screening"] = true;
        ojson attrs = ojson::array();
        for (std::size_t a = 0; a < symtri::attr_count; ++a)
            if (f.attributes & (1u << a)) attrs.push_back(std::string(symtri::attr_names[a]));
        v["attributes"] = std::move(attrs);
        if (!f.codes.empty()) {
            ojson codes = ojson::array();
            for (const auto& c : f.codes) {
                ojson cj = {{"system", c.system}, {"code", c.code}};
                if (!c.display.empty()) cj["display"] = c.display;
                codes.push_back(std::move(cj));
            }
            v["codes"] = std::move(codes);
        }
        vocab.push_back(std::move(v));
    }
    out["vocabulary"] = std::move(vocab);
    return make_response(req, 200, out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

Response handle_triage(State& state, const Request& req) {
    if (!content_type_is(req, {"application/json"})) return not_json(req, "application/json");
    auto rules = state.rules();
    symtri::Session& session = session_for(state, rules);
    const std::string& text = req.body();
    std::string result;
    symtri::CaseError err;
    const std::size_t max = state.config().case_limits.max_bytes;
    bool ok = false;
    // As `symtri triage`: the case limit is checked before parsing, with the same error.
    if (text.size() > max)
        err = symtri::CaseError{"limit", "case is over the limit of " + std::to_string(max) + " bytes (max_case_bytes)", "", 0, 0};
    else
        ok = session.triage(text, result, err);
    if (!ok) {
        // The body `symtri triage` prints on standard output for a rejected case.
        unsigned status = err.code == "limit" ? 413 : 400;
        return make_response(req, status, symtri::case_error_json(session.last_case().case_id_json, 0, err) + "\n");
    }
    result += '\n';
    return make_response(req, 200, std::move(result));
}

std::optional<Response> batch_refusal(const Request& req) {
    if (!content_type_is(req, {"application/x-ndjson", "application/jsonl", "application/json-lines", "application/json"}))
        return not_json(req, "application/x-ndjson");
    return std::nullopt;
}

// The whole body at once: for a request the server did not stream (HTTP/1.0, which has no chunked
// responses) and for the fuzz target. The same BatchStream as the streamed path, so the same bytes.
Response handle_batch(State& state, const Request& req) {
    if (auto refused = batch_refusal(req)) return std::move(*refused);
    BatchStream stream(state, state.rules());
    std::string out;
    stream.feed(req.body(), out);
    stream.finish(out);
    return make_response(req, 200, std::move(out), "application/x-ndjson");
}

Response handle_reload(State& state, const Request& req) {
    ReloadResult r = state.reload();
    if (r.ok) return make_response(req, 200, "{\"reloaded\":true,\"ruleset\":" + ruleset_identity_json(*state.rules()) + "}\n");
    nlohmann::ordered_json problems = nlohmann::ordered_json::array();
    for (const auto& d : r.problems) {
        nlohmann::ordered_json p;
        p["code"] = d.code;
        p["message"] = d.message;
        if (!d.file.empty()) p["file"] = d.file;
        if (d.line) {
            p["line"] = d.line;
            p["column"] = d.column;
        }
        p["pointer"] = d.pointer;
        problems.push_back(std::move(p));
        if (problems.size() >= 50) break;
    }
    std::string where = "{\"serving\":" + ruleset_identity_json(*state.rules()) + ",\"problems\":" +
                        problems.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "}";
    return error_response(422, "reload_failed", r.message, req.version(), where);
}

}  // namespace symtri_service
