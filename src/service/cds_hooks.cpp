// SPDX-License-Identifier: Apache-2.0
// The CDS Hooks 2.0 service (https://cds-hooks.hl7.org/2.0/): discovery, the `symtri-triage` service
// for the patient-view hook, and its feedback endpoint. The cards come from format_cds_hooks.hpp (the
// writer `symtri triage --format cds-hooks` uses) in its clinician voice, each with a fresh random uuid.
#include <chrono>
#include <ctime>
#include <random>

#include <symtri/format_cds_hooks.hpp>

#include "fhir_case.hpp"
#include "handlers.hpp"

namespace symtri_service {

namespace {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;

// A random (version 4) UUID.
std::string random_uuid() {
    thread_local std::mt19937_64 gen{[] {
        std::random_device rd;
        std::seed_seq seq{rd(), rd(), rd(), rd()};
        return std::mt19937_64(seq);
    }()};
    std::uint64_t a = gen(), b = gen();
    a = (a & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
    b = (b & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // variant 10
    char buf[40];
    std::snprintf(buf, sizeof buf, "%08llx-%04llx-%04llx-%04llx-%012llx", (unsigned long long)(a >> 32),
                  (unsigned long long)((a >> 16) & 0xffff), (unsigned long long)(a & 0xffff), (unsigned long long)(b >> 48),
                  (unsigned long long)(b & 0xffffffffffffULL));
    return buf;
}

std::string today_utc() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

// Parses a JSON body; on failure the 400 response says where (byte offset) and why.
bool parse_body(const Request& req, json& out, Response& error) {
    if (!content_type_is(req, {"application/json"})) {
        error = error_response(415, "unsupported_media_type", "the body must be sent as Content-Type: application/json",
                               req.version());
        return false;
    }
    try {
        out = json::parse(req.body());
    } catch (const json::parse_error& e) {
        std::string what = e.what();
        auto colon = what.find(": ");  // "[json.exception.parse_error.101] parse error at line 1, column 2: ..."
        std::string why = colon == std::string::npos ? what : what.substr(colon + 2);
        error = error_response(400, "bad_json", "the body is not valid JSON: " + why, req.version(),
                               "{\"byte\":" + std::to_string(e.byte) + "}");
        return false;
    }
    if (!out.is_object()) {
        error = error_response(400, "bad_request", "the body must be a JSON object", req.version());
        return false;
    }
    return true;
}

Response bad_field(const Request& req, const std::string& pointer, const std::string& message) {
    return error_response(400, "bad_request", message, req.version(), json(pointer).dump());
}

}  // namespace

Response handle_cds_discovery(State& state, const Request& req) {
    auto rules = state.rules();
    ojson service;
    service["hook"] = "patient-view";
    service["title"] = "symtri symptom triage";
    service["description"] =
        "Triage of the patient's documented symptoms (FHIR Conditions and Observations coded in SNOMED CT) with the "
        "rule set " + rules->info.id + " " + rules->info.version + ": the urgency level, red flags and cautions, with "
        "their sources. It educates and signposts; it does not diagnose.";
    service["id"] = "symtri-triage";
    service["prefetch"] = {{"patient", "Patient/{{context.patientId}}"},
                           {"conditions", "Condition?patient={{context.patientId}}"},
                           {"observations", "Observation?patient={{context.patientId}}"}};
    service["usageRequirements"] = "Needs the prefetch (the service does not query the FHIR server).";
    ojson out;
    out["services"] = ojson::array({service});
    return make_response(req, 200, out.dump() + "\n");
}

Response handle_cds_hook(State& state, const Request& req) {
    json body;
    Response error;
    if (!parse_body(req, body, error)) return error;
    // The request's required fields (CDS Hooks 2.0, "HTTP Request").
    const auto str = [&](const json& j, const char* k) { return j.is_object() && j.contains(k) && j[k].is_string(); };
    if (!str(body, "hook")) return bad_field(req, "/hook", "'hook' is required and must be a string");
    if (body["hook"] != "patient-view")
        return bad_field(req, "/hook", "this service answers the patient-view hook, not '" + body["hook"].get<std::string>() + "'");
    if (!str(body, "hookInstance")) return bad_field(req, "/hookInstance", "'hookInstance' is required and must be a string");
    if (!body.contains("context") || !body["context"].is_object())
        return bad_field(req, "/context", "'context' is required and must be an object");
    const json& ctx = body["context"];
    if (!str(ctx, "patientId")) return bad_field(req, "/context/patientId", "'context.patientId' is required for patient-view");
    if (!str(ctx, "userId")) return bad_field(req, "/context/userId", "'context.userId' is required for patient-view");
    if (body.contains("fhirServer") && !body["fhirServer"].is_string())
        return bad_field(req, "/fhirServer", "'fhirServer' must be a string (a URL)");
    const json* prefetch = body.contains("prefetch") && body["prefetch"].is_object() ? &body["prefetch"] : nullptr;
    if (!prefetch || (!prefetch->contains("conditions") && !prefetch->contains("observations")))
        return error_response(412, "prefetch_required",
                              "the request has no prefetch 'conditions' or 'observations'; this service does not query the FHIR "
                              "server (see the prefetch templates in GET /cds-services)",
                              req.version());

    auto rules = state.rules();
    FhirCase fc = case_from_prefetch(*rules, *prefetch, body["hookInstance"].get<std::string>(), today_utc());
    if (fc.mapped == 0) return make_response(req, 200, "{\"cards\":[]}\n");  // nothing the rule set knows: no advice
    symtri::Session& session = session_for(state, rules);
    std::string result;
    symtri::CaseError err;
    if (!session.triage(fc.case_json.dump(), result, err))
        return error_response(500, "internal", "the case made from the prefetch was rejected: " + err.message, req.version());
    symtri::CdsHooksOptions co;
    co.clinician = true;
    ojson response = symtri::cds_hooks_response(*rules, json::parse(result), co);
    for (auto& card : response["cards"]) card["uuid"] = random_uuid();  // unique per card per response
    return make_response(req, 200, response.dump(-1, ' ', false, json::error_handler_t::replace) + "\n");
}

Response handle_cds_feedback(State& state, const Request& req) {
    (void)state;
    json body;
    Response error;
    if (!parse_body(req, body, error)) return error;
    // CDS Hooks 2.0, "Feedback": {"feedback": [{"card", "outcome", "outcomeTimestamp", ...}]}.
    if (!body.contains("feedback") || !body["feedback"].is_array() || body["feedback"].empty())
        return bad_field(req, "/feedback", "'feedback' is required and must be a non-empty array");
    std::size_t i = 0;
    for (const auto& f : body["feedback"]) {
        std::string at = "/feedback/" + std::to_string(i++);
        if (!f.is_object()) return bad_field(req, at, "each feedback must be an object");
        if (!f.contains("card") || !f["card"].is_string()) return bad_field(req, at + "/card", "'card' is required (the card's uuid)");
        if (!f.contains("outcome") || (f["outcome"] != "accepted" && f["outcome"] != "overridden"))
            return bad_field(req, at + "/outcome", "'outcome' must be \"accepted\" or \"overridden\"");
        if (!f.contains("outcomeTimestamp") || !f["outcomeTimestamp"].is_string())
            return bad_field(req, at + "/outcomeTimestamp", "'outcomeTimestamp' is required (an ISO 8601 instant)");
        // The feedback goes to the log, where an operator can count overrides per card.
        std::fprintf(stderr, "{\"event\":\"cds_feedback\",\"card\":%s,\"outcome\":%s}\n",
                     f["card"].dump(-1, ' ', false, json::error_handler_t::replace).c_str(),
                     f["outcome"].dump().c_str());
    }
    return make_response(req, 200, "{}\n");
}

}  // namespace symtri_service
