// SPDX-License-Identifier: Apache-2.0
// Compiler pass: each rule's fields other than its condition (id, kind, priority, level, texts, tags,
// icd10, validation, citations, blocks as written), and its place in the source for messages. The
// condition is compiled here too (conditions.hpp), or on the other thread (two_threads.hpp).
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "../memory.hpp"
#include "helpers.hpp"
#include "conditions.hpp"

namespace symtri {
namespace detail {

// Room for every rule up front: growing a vector of 100k rules moved each several times.
inline void Compiler::reserve_rules() {
    const std::size_t n = std::min<std::size_t>(rule_count(), options_.limits.max_rules);
    rs_->rules.reserve(n);
    advise_huge_pages(rs_->rules.data(), n * sizeof(Rule));  // 100k rules: tens of MB, written once
    rs_->rule_index.reserve(n);
    rule_where_.reserve(n);
    // Condition nodes and finding tests: at most one per JSON value of the rules (an upper
    // bound; pages never written cost nothing), so they never move while they grow.
    std::size_t values = 0;
    for (const auto& d : docs_) values += d.json.value_count();
    auto& c = rs_->compiled;
    c.nodes.reserve(c.nodes.size() + values);
    advise_huge_pages(c.nodes.data(), c.nodes.capacity() * sizeof(Node));
    c.tests.reserve(c.tests.size() + values);
    advise_huge_pages(c.tests.data(), c.tests.capacity() * sizeof(AttrTest));
    c.children.reserve(c.children.size() + values);
    advise_huge_pages(c.children.data(), c.children.capacity() * sizeof(std::uint32_t));
    // check_satisfiable's scratch, made once rather than grown as findings and nodes are met.
    needs_.resize(rs_->findings.size());
    need_visit_.resize(rs_->findings.size(), 0);
    assign_huge(node_visit_, c.nodes.capacity(), std::uint32_t(0));
}

// The number of rules in the documents (an upper bound on what compiles).
inline std::size_t Compiler::rule_count() const {
    std::size_t n = 0;
    for (const auto& d : docs_)
        if (auto rl = d.doc().find("rules"); rl != d.doc().end() && rl->is_array()) n += rl->size();
    return n;
}

inline void Compiler::compile_rules(const SourceDocument& d, RuleParts parts) {
    auto rl = d.doc().find("rules");
    if (rl == d.doc().end()) return;
    if (!expect_type(d, "/rules", *rl, rl->is_array(), "an array of rules", "rules")) return;
    for (std::size_t i = 0; i < rl->size(); ++i) {
        if (stop_) {  // one of two threads (compile_rules_split)
            if (diags_.any()) stop_->store(true, std::memory_order_relaxed);
            if (stop_->load(std::memory_order_relaxed)) return;
        }
        const std::string where = "/rules/" + std::to_string(i);
        const PointerPath p(where);
        const ojson& r = (*rl)[i];
        if (!r.is_object()) {
            expect_type(d, p, r, false, "an object", "rules/" + std::to_string(i));
            continue;
        }
        if ((parts == RuleParts::conditions ? roots_.size() : rs_->rules.size()) >= options_.limits.max_rules) {
            error(d, p, "limit", "more than " + std::to_string(options_.limits.max_rules) + " rules (max_rules)");
            return;
        }
        if (parts == RuleParts::conditions) {
            const ojson* w = member(d, p, r, "when", true, "a rule");
            roots_.push_back(w ? compile_condition(d, *w, join_ptr(p, "when")) : 0);
            continue;
        }
        check_keys(d, p, r, {"id", "kind", "priority", "when", "level", "title", "advice", "tags", "citations",
                             "blocks", "icd10", "validation", "clinician"}, "a rule");
        // Built in place: reserve_rules made room for every rule, so the reference stays valid.
        Rule& rule = rs_->rules.emplace_back();
        get_id(d, p, r, "id", true, "a rule", rule.id);
        if (!rule.id.empty()) {
            auto [at, fresh] = rs_->rule_index.try_emplace(rule.id, static_cast<int>(rs_->rules.size() - 1));
            if (!fresh) {
                const auto& first = rs_->rules[static_cast<std::size_t>(at->second)].source;
                error(d, join_ptr(p, "id"), "duplicate_id", "duplicate rule id '" + rule.id + "' (first defined at " +
                                                        first.file + ":" + std::to_string(first.line) + ":" +
                                                        std::to_string(first.column) + ")");
            }
        }
        std::string kind;
        if (get_string(d, p, r, "kind", true, "a rule", kind)) {
            static const std::vector<std::string> kinds = {"red_flag", "recommendation", "caution", "info"};
            auto k = std::find(kinds.begin(), kinds.end(), kind);
            if (k == kinds.end())
                error(d, join_ptr(p, "kind"), "invalid_value", "unknown rule kind '" + kind + "'" + did_you_mean(kind, kinds) +
                                                           "; expected red_flag, recommendation, caution or info");
            else rule.kind = static_cast<RuleKind>(k - kinds.begin());
        }
        if (auto pr = r.find("priority"); pr != r.end()) {
            if (!pr->is_number_integer() || !fits_long_long(*pr) || pr->get<long long>() < -1000000 ||
                pr->get<long long>() > 1000000)
                error(d, join_ptr(p, "priority"), "wrong_type", "'priority' must be an integer from -1000000 to 1000000" +
                                                                (pr->is_number_integer() ? ", got " + integer_text(*pr) : std::string()));
            else rule.priority = static_cast<int>(pr->get<long long>());
        }
        if (parts == RuleParts::all)
            if (const ojson* w = member(d, p, r, "when", true, "a rule")) rule.root = compile_condition(d, *w, join_ptr(p, "when"));
        std::string level;
        if (get_string(d, p, r, "level", false, "a rule", level)) {
            rule.level = rs_->find_level(level);
            if (rule.level < 0)
                error(d, join_ptr(p, "level"), "unknown_level", "unknown level '" + level + "'" + did_you_mean(level, level_ids()) +
                                                            (rs_->levels.empty() ? std::string("; no levels are defined")
                                                                                 : "; the levels are " + list_ids(level_ids())));
        }
        if (rule.kind == RuleKind::red_flag && !r.contains("level"))
            error(d, p, "missing_key", "a red_flag rule must set 'level'");
        if (rule.kind == RuleKind::red_flag && rule.level == 0)
            error(d, join_ptr(p, "level"), "invalid_value", "a red_flag rule must raise the level above the lowest ('" +
                                                        rs_->levels[0].id + "')");
        text(d, p, r, "title", true, "a rule", rule.title);
        text(d, p, r, "advice", true, "a rule", rule.advice);
        text(d, p, r, "clinician", false, "a rule", rule.clinician);  // absent: "" in every locale
        if (auto t = r.find("tags"); t != r.end()) string_array(d, join_ptr(p, "tags"), *t, "tags", rule.tags, true);
        if (auto ic = r.find("icd10"); ic != r.end()) string_array(d, join_ptr(p, "icd10"), *ic, "icd10", rule.icd10, false);
        if (get_string(d, p, r, "validation", false, "a rule", rule.validation)) check_validation(d, join_ptr(p, "validation"), rule.validation);
        compile_citations(d, p, r, rule);
        if (auto b = r.find("blocks"); b != r.end()) {
            const PointerPath bp(p, "blocks");
            if (rule.kind != RuleKind::caution) {
                error(d, bp, "invalid_value", "only a caution may block other rules", true);
            } else if (expect_type(d, bp, *b, b->is_object(), "an object {\"rules\": [...], \"tags\": [...]}", "blocks")) {
                check_keys(d, bp, *b, {"rules", "tags"}, "'blocks'");
                if (auto x = b->find("rules"); x != b->end()) string_array(d, join_ptr(bp, "rules"), *x, "rules", rule.block_rules, true);
                if (auto x = b->find("tags"); x != b->end()) string_array(d, join_ptr(bp, "tags"), *x, "tags", rule.block_tags, true);
                if (rule.block_rules.empty() && rule.block_tags.empty())
                    error(d, bp, "invalid_value", "'blocks' names no rules and no tags");
            }
        }
        SourcePos sp = r.pos();
        rule.source = SourceRef{d.name, sp.line, sp.column, where};
        rule_where_.emplace_back(&d, where);
    }
}

inline void Compiler::compile_citations(const SourceDocument& d, const PointerPath& p, const ojson& r, Rule& rule) {
    auto c = r.find("citations");
    if (c == r.end()) {
        if (rule.kind == RuleKind::red_flag)
            error(d, p, "missing_key", "a red_flag rule must cite its source ('citations' with title and url)");
        return;
    }
    const PointerPath cp(p, "citations");
    if (!expect_type(d, cp, *c, c->is_array(), "an array of {title, url}", "citations")) return;
    if (c->empty() && rule.kind == RuleKind::red_flag)
        error(d, cp, "invalid_value", "a red_flag rule must cite at least one source");
    for (std::size_t i = 0; i < c->size(); ++i) {
        const PointerPath ip(cp, i);
        const ojson& ci = (*c)[i];
        if (!ci.is_object()) {
            expect_type(d, ip, ci, false, "an object {title, url}", "citations/" + std::to_string(i));
            continue;
        }
        check_keys(d, ip, ci, {"title", "url"}, "a citation");
        Citation cit;
        get_string(d, ip, ci, "title", true, "a citation", cit.title);
        if (!ci.contains("url")) {
            error(d, ip, "missing_key", "citation '" + cit.title + "' has no 'url'");
            continue;
        }
        if (get_string(d, ip, ci, "url", true, "a citation", cit.url) &&
            cit.url.rfind("https://", 0) != 0 && cit.url.rfind("http://", 0) != 0)
            error(d, join_ptr(ip, "url"), "invalid_value", "citation url must start with https:// or http://, got '" + cit.url + "'");
        rule.citations.push_back(std::move(cit));
    }
}

}  // namespace detail
}  // namespace symtri
