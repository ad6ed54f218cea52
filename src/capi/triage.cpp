// SPDX-License-Identifier: Apache-2.0
// symtri_engine_triage: one case in, one result handle out.
#include <symtri/result.hpp>

#include "errors.hpp"
#include "triage.hpp"

namespace symtri_capi {

namespace {

// The fired red flags: the evaluator lists fired rules in result order, red flags first, so they are
// the list's first run (kinds read from the dense per-rule records, not the large Rule records).
void red_flags_of(const symtri::RuleSet& rs, const symtri::Outcome& o, std::vector<std::int32_t>& out) {
    const auto& hot = rs.compiled.hot;
    for (auto r : o.fired) {
        if (hot[static_cast<std::size_t>(r)].kind != symtri::RuleKind::red_flag) break;
        out.push_back(r);
    }
}

// The result's one-line summary, as write_result (result.hpp) makes it; a test compares the two.
std::string summary_of(const symtri::RuleSet& rs, const symtri::Outcome& o, const std::vector<std::int32_t>& red_flags,
                       std::size_t loc) {
    const symtri::Level& level = rs.levels[static_cast<std::size_t>(o.level)];
    std::string summary = level.action.get(loc);
    if (!red_flags.empty()) {
        const std::string& t = rs.rules[static_cast<std::size_t>(red_flags.front())].title.get(loc);
        summary += summary.empty() || summary.back() == '.' ? " Reason: " : ". Reason: ";
        summary += t;
        if (!t.empty() && t.back() != '.') summary += '.';
    }
    return summary;
}

}  // namespace

std::unique_ptr<symtri_result> triage_into(const symtri_engine& engine, symtri::Session& session, std::string_view text) {
    auto r = std::make_unique<symtri_result>();
    symtri::CaseError err;
    const symtri::Case& c = session.last_case();
    if (!session.triage(text, r->json, err)) {
        r->status = SYMTRI_INVALID_CASE;
        r->error = make_error(SYMTRI_INVALID_CASE, err.code, err.message, "", err.line, err.column, err.path);
        r->json = symtri::case_error_json(c.case_id_json, 0, err);
        r->case_id = c.case_id;
        return r;
    }
    const symtri::RuleSet& rs = *engine.rules;
    const symtri::Outcome& o = session.last_outcome();
    r->rules = engine.rules;
    r->case_id = c.case_id;
    r->level = o.level;
    r->locale = c.locale_index;
    red_flags_of(rs, o, r->red_flags);
    r->summary = summary_of(rs, o, r->red_flags, c.locale_index);
    r->questions = o.questions;
    r->other_questions = o.other_questions;
    return r;
}

std::unique_ptr<symtri_result> misuse_result(std::string why) {
    auto r = std::make_unique<symtri_result>();
    r->status = SYMTRI_MISUSE;
    r->error = misuse(std::move(why));
    r->json = "{\"case_id\":null,\"error\":{\"code\":\"misuse\",\"message\":" + symtri::detail::quote(r->error.message) +
              ",\"path\":\"\"}}";
    return r;
}

std::string unusable(const symtri_engine* engine, const char* function) {
    if (!engine) return std::string(function) + ": the engine is NULL";
    if (!engine->rules) return std::string(function) + ": the engine failed to open: " + engine->errmsg;
    return {};
}

}  // namespace symtri_capi

extern "C" int symtri_engine_triage(const symtri_engine* engine, const char* case_json, size_t len, symtri_result** out) {
    if (!out) return SYMTRI_MISUSE;
    *out = nullptr;
    return symtri_capi::guarded([&]() -> int {
        std::string why = symtri_capi::unusable(engine, "symtri_engine_triage");
        std::string_view text;
        if (why.empty() && !symtri_capi::text_arg(case_json, len, text, why, "the case"))
            why = "symtri_engine_triage: " + why;
        std::unique_ptr<symtri_result> r;
        if (!why.empty()) {
            r = symtri_capi::misuse_result(why);
        } else {
            symtri_capi::Lease session(*engine->pool);
            r = symtri_capi::triage_into(*engine, *session, text);
        }
        int status = r->status;
        *out = r.release();
        return status;
    });
}
