// SPDX-License-Identifier: Apache-2.0
// symtri_engine_explain: one rule's tests for one case, as JSON (include/symtri/explain.hpp, the same
// text `symtri explain RULE --case FILE --format json` prints), and symtri_free for the string.
#include <cstdlib>
#include <cstring>

#include <symtri/explain.hpp>

#include "errors.hpp"
#include "triage.hpp"

namespace {

// A malloc'd copy of `s` (freed with symtri_free), or NULL when out of memory.
char* copy_out(const std::string& s, size_t* len) {
    char* p = static_cast<char*>(std::malloc(s.size() + 1));
    if (!p) return nullptr;
    std::memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    if (len) *len = s.size();
    return p;
}

}  // namespace

extern "C" {

int symtri_engine_explain(const symtri_engine* engine, const char* rule_id, const char* case_json, size_t len,
                          char** out_json, size_t* out_len) {
    if (out_len) *out_len = 0;
    if (!out_json) return SYMTRI_MISUSE;
    *out_json = nullptr;
    return symtri_capi::guarded([&]() -> int {
        auto fail = [&](int status, const std::string& message) {
            *out_json = copy_out(message, out_len);
            return *out_json ? status : SYMTRI_NOMEM;
        };
        std::string why = symtri_capi::unusable(engine, "symtri_engine_explain");
        if (!why.empty()) return fail(SYMTRI_MISUSE, why);
        if (!rule_id) return fail(SYMTRI_MISUSE, "symtri_engine_explain: the rule id is NULL");
        std::string_view text;
        if (!symtri_capi::text_arg(case_json, len, text, why, "the case"))
            return fail(SYMTRI_MISUSE, "symtri_engine_explain: " + why);
        const symtri::RuleSet& rs = *engine->rules;
        int rule = rs.find_rule(rule_id);
        if (rule < 0) return fail(SYMTRI_MISUSE, "symtri_engine_explain: unknown rule '" + std::string(rule_id) + "'");
        symtri::Case c;
        symtri::CaseError err;
        if (!symtri::parse_case(rs, text, c, err, engine->case_limits)) {
            std::string where = err.line ? "<case>:" + std::to_string(err.line) + ":" + std::to_string(err.column) + ": " : "";
            return fail(SYMTRI_INVALID_CASE, where + "error: " + err.message + (err.path.empty() ? "" : " at " + err.path));
        }
        std::string json = symtri::explanation_json(rs, symtri::explain_rule(rs, rule, c));
        *out_json = copy_out(json, out_len);
        return *out_json ? SYMTRI_OK : SYMTRI_NOMEM;
    });
}

void symtri_free(void* p) { std::free(p); }

}  // extern "C"
