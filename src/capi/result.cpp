// SPDX-License-Identifier: Apache-2.0
// Reading a result handle: symtri_result_*. Only reads; safe from several threads at once.
#include "errors.hpp"

namespace {

bool ok(const symtri_result* r) { return r && r->status == SYMTRI_OK && r->rules; }

const symtri::Rule* red_flag(const symtri_result* r, size_t i) {
    if (!ok(r) || i >= r->red_flags.size()) return nullptr;
    return &r->rules->rules[static_cast<std::size_t>(r->red_flags[i])];
}

const symtri::Question* question(const symtri_result* r, size_t i) {
    if (!ok(r) || i >= r->questions.size()) return nullptr;
    return &r->questions[i];
}

}  // namespace

namespace symtri_capi {
const char* question_prompt(const symtri_result* r, size_t i);  // interview.cpp
}

extern "C" {

void symtri_result_destroy(symtri_result* result) { delete result; }

int symtri_result_errcode(const symtri_result* r) { return r ? r->status : SYMTRI_MISUSE; }

const char* symtri_result_errmsg(const symtri_result* r) {
    if (!r) return "misuse: the result is NULL";
    return r->status == SYMTRI_OK ? "" : r->error.text.c_str();
}

const symtri_error* symtri_result_error(const symtri_result* r) {
    return r && r->status != SYMTRI_OK ? &r->error : nullptr;
}

const char* symtri_result_json(const symtri_result* r, size_t* len) {
    if (len) *len = r ? r->json.size() : 0;
    return r ? r->json.c_str() : nullptr;
}

const char* symtri_result_case_id(const symtri_result* r) {
    return r && r->case_id ? r->case_id->c_str() : nullptr;
}

const char* symtri_result_case_id_len(const symtri_result* r, size_t* len) {
    const bool has = r && r->case_id;
    if (len) *len = has ? r->case_id->size() : 0;
    return has ? r->case_id->c_str() : nullptr;
}

const char* symtri_result_level(const symtri_result* r) {
    return ok(r) ? r->rules->levels[static_cast<std::size_t>(r->level)].id.c_str() : nullptr;
}

int symtri_result_level_rank(const symtri_result* r) { return ok(r) ? r->level : -1; }

const char* symtri_result_summary(const symtri_result* r) { return ok(r) ? r->summary.c_str() : nullptr; }

size_t symtri_result_red_flag_count(const symtri_result* r) { return ok(r) ? r->red_flags.size() : 0; }

const char* symtri_result_red_flag(const symtri_result* r, size_t i) {
    auto rule = red_flag(r, i);
    return rule ? rule->id.c_str() : nullptr;
}

const char* symtri_result_red_flag_level(const symtri_result* r, size_t i) {
    auto rule = red_flag(r, i);
    return rule && rule->level >= 0 ? r->rules->levels[static_cast<std::size_t>(rule->level)].id.c_str() : nullptr;
}

const char* symtri_result_red_flag_title(const symtri_result* r, size_t i) {
    auto rule = red_flag(r, i);
    return rule ? rule->title.get(r->locale).c_str() : nullptr;
}

const char* symtri_result_red_flag_advice(const symtri_result* r, size_t i) {
    auto rule = red_flag(r, i);
    return rule ? rule->advice.get(r->locale).c_str() : nullptr;
}

size_t symtri_result_question_count(const symtri_result* r) { return ok(r) ? r->questions.size() : 0; }

const char* symtri_result_question_finding(const symtri_result* r, size_t i) {
    auto q = question(r, i);
    return q ? r->rules->findings[static_cast<std::size_t>(q->finding)].id.c_str() : nullptr;
}

const char* symtri_result_question_prompt(const symtri_result* r, size_t i) {
    auto q = question(r, i);
    if (q && q->attr >= 0) return symtri_capi::question_prompt(r, i);  // an attribute question's own prompt
    return q ? r->rules->findings[static_cast<std::size_t>(q->finding)].question.get(r->locale).c_str() : nullptr;
}

const char* symtri_result_question_could_raise_to(const symtri_result* r, size_t i) {
    auto q = question(r, i);
    return q ? r->rules->levels[static_cast<std::size_t>(q->level)].id.c_str() : nullptr;
}

}  // extern "C"
