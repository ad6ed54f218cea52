// SPDX-License-Identifier: Apache-2.0
// The request handlers, one function per route (router.cpp picks one), and what they share.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "service.hpp"

namespace symtri_service {

// A response with `body` of type `content_type` (JSON by default), keep-alive as the request asked.
Response make_response(const Request& req, unsigned status, std::string body,
                       const char* content_type = "application/json");

// True when the request's Content-Type is one of `types` (parameters such as charset are ignored).
bool content_type_is(const Request& req, std::initializer_list<std::string_view> types);

// This thread's Session for `rules` (made afresh when a reload changed the rule set).
symtri::Session& session_for(const State& state, const symtri::RuleSetPtr& rules);

// {"id", "version", "digest"} of a rule set, as JSON text.
std::string ruleset_identity_json(const symtri::RuleSet& rs);

// /v1/* (api_v1.cpp)
Response handle_healthz(State& state, const Request& req);
Response handle_metrics(State& state, const Request& req);
Response handle_rules(State& state, const Request& req);
Response handle_triage(State& state, const Request& req);
Response handle_batch(State& state, const Request& req);
// Whether a /v1/batch request can be answered, from its header alone (the server checks before it
// streams): the refusal (415) if not.
std::optional<Response> batch_refusal(const Request& req);
Response handle_reload(State& state, const Request& req);

// CDS Hooks 2.0 (cds_hooks.cpp)
Response handle_cds_discovery(State& state, const Request& req);
Response handle_cds_hook(State& state, const Request& req);
Response handle_cds_feedback(State& state, const Request& req);

}  // namespace symtri_service
