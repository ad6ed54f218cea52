// SPDX-License-Identifier: Apache-2.0
// What an open engine knows: its identity, levels and vocabulary (symtri_engine_id ... _finding_index).
// Everything here only reads the immutable RuleSet, so it is safe from any thread.
#include "errors.hpp"

namespace {

const symtri::RuleSet* rules_of(const symtri_engine* e) { return e && e->rules ? e->rules.get() : nullptr; }

std::size_t locale_of(const symtri::RuleSet& rs, const char* locale) {
    return locale ? rs.locale_index(locale) : rs.locale_index(rs.info.default_locale);
}

const symtri::Level* level_at(const symtri_engine* e, size_t i) {
    auto rs = rules_of(e);
    return rs && i < rs->levels.size() ? &rs->levels[i] : nullptr;
}

const symtri::Finding* finding_at(const symtri_engine* e, size_t i) {
    auto rs = rules_of(e);
    return rs && i < rs->findings.size() ? &rs->findings[i] : nullptr;
}

template <class F>
const char* text(const symtri_engine* e, F&& get) {
    return symtri_capi::guarded_value<const char*>(nullptr, [&]() -> const char* {
        auto rs = rules_of(e);
        return rs ? get(*rs) : nullptr;
    });
}

}  // namespace

extern "C" {

const char* symtri_engine_id(const symtri_engine* e) {
    return text(e, [](const symtri::RuleSet& rs) { return rs.info.id.c_str(); });
}
const char* symtri_engine_version(const symtri_engine* e) {
    return text(e, [](const symtri::RuleSet& rs) { return rs.info.version.c_str(); });
}
const char* symtri_engine_digest(const symtri_engine* e) {
    return text(e, [](const symtri::RuleSet& rs) { return rs.info.digest.c_str(); });
}
const char* symtri_engine_validation(const symtri_engine* e) {
    return text(e, [](const symtri::RuleSet& rs) { return rs.info.validation.c_str(); });
}
const char* symtri_engine_title(const symtri_engine* e, const char* locale) {
    return text(e, [&](const symtri::RuleSet& rs) { return rs.info.title.get(locale_of(rs, locale)).c_str(); });
}
const char* symtri_engine_disclaimer(const symtri_engine* e, const char* locale) {
    return text(e, [&](const symtri::RuleSet& rs) { return rs.info.disclaimer.get(locale_of(rs, locale)).c_str(); });
}

size_t symtri_engine_rule_count(const symtri_engine* e) {
    auto rs = rules_of(e);
    return rs ? rs->rules.size() : 0;
}
size_t symtri_engine_finding_count(const symtri_engine* e) {
    auto rs = rules_of(e);
    return rs ? rs->findings.size() : 0;
}
size_t symtri_engine_level_count(const symtri_engine* e) {
    auto rs = rules_of(e);
    return rs ? rs->levels.size() : 0;
}

const char* symtri_engine_level_id(const symtri_engine* e, size_t i) {
    auto l = level_at(e, i);
    return l ? l->id.c_str() : nullptr;
}
const char* symtri_engine_level_label(const symtri_engine* e, size_t i, const char* locale) {
    auto l = level_at(e, i);
    return l ? text(e, [&](const symtri::RuleSet& rs) { return l->label.get(locale_of(rs, locale)).c_str(); }) : nullptr;
}
const char* symtri_engine_level_action(const symtri_engine* e, size_t i, const char* locale) {
    auto l = level_at(e, i);
    return l ? text(e, [&](const symtri::RuleSet& rs) { return l->action.get(locale_of(rs, locale)).c_str(); }) : nullptr;
}
const char* symtri_engine_level_worse(const symtri_engine* e, size_t i, const char* locale) {
    auto l = level_at(e, i);
    return l ? text(e, [&](const symtri::RuleSet& rs) { return l->worse.get(locale_of(rs, locale)).c_str(); }) : nullptr;
}
const char* symtri_engine_level_indicator(const symtri_engine* e, size_t i) {
    auto l = level_at(e, i);
    return l ? l->indicator.c_str() : nullptr;
}
int symtri_engine_level_index(const symtri_engine* e, const char* id) {
    auto rs = rules_of(e);
    if (!rs || !id) return -1;
    return symtri_capi::guarded_value(-1, [&] { return rs->find_level(id); });
}

const char* symtri_engine_finding_id(const symtri_engine* e, size_t i) {
    auto f = finding_at(e, i);
    return f ? f->id.c_str() : nullptr;
}
const char* symtri_engine_finding_label(const symtri_engine* e, size_t i, const char* locale) {
    auto f = finding_at(e, i);
    return f ? text(e, [&](const symtri::RuleSet& rs) { return f->label.get(locale_of(rs, locale)).c_str(); }) : nullptr;
}
const char* symtri_engine_finding_question(const symtri_engine* e, size_t i, const char* locale) {
    auto f = finding_at(e, i);
    return f ? text(e, [&](const symtri::RuleSet& rs) { return f->question.get(locale_of(rs, locale)).c_str(); }) : nullptr;
}
const char* symtri_engine_finding_group(const symtri_engine* e, size_t i) {
    auto f = finding_at(e, i);
    return f ? f->group.c_str() : nullptr;
}
int symtri_engine_finding_index(const symtri_engine* e, const char* id) {
    auto rs = rules_of(e);
    if (!rs || !id) return -1;
    return symtri_capi::guarded_value(-1, [&] { return rs->find_finding(id); });
}

}  // extern "C"
