// SPDX-License-Identifier: Apache-2.0
// Compiler pass: the final layout, once everything compiled without a problem. What each rule reads
// and the finding -> rules index, result order, the dense arrays the evaluator walks
// (detail/flat_rules.hpp), the pre-rendered JSON of rules, questions (detail/question_json.hpp),
// levels and the result tail, and the content digest (detail/canonical.hpp).
#pragma once

#include <algorithm>
#include <future>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include "../canonical.hpp"
#include "../flat_rules.hpp"
#include "../memory.hpp"
#include "../question_json.hpp"
#include "../sha256.hpp"
#include "helpers.hpp"

namespace symtri {
namespace detail {

// The findings a rule's condition reads (sorted, unique) and whether it reads age or sex. Nodes
// shared through named conditions are visited once per rule: `seen` holds the stamp of the rule
// that last visited each node, so nothing is cleared or allocated per rule.
inline void Compiler::collect_reads(std::uint32_t root, std::uint32_t stamp, std::vector<std::uint32_t>& seen,
                                    std::vector<std::int32_t>& findings, bool& patient) {
    const auto& c = rs_->compiled;
    findings.clear();
    patient = false;
    std::vector<std::uint32_t>& stack = stack_;
    stack.assign(1, root);
    while (!stack.empty()) {
        std::uint32_t at = stack.back();
        stack.pop_back();
        if (seen[at] == stamp) continue;
        seen[at] = stamp;
        const Node& n = c.nodes[at];
        switch (n.op) {
            case Op::finding: case Op::absent: findings.push_back(n.finding); break;
            case Op::age: case Op::sex: patient = true; break;
            default:
                for (std::uint32_t k = 0; k < n.count; ++k) stack.push_back(c.children[n.first + k]);
        }
    }
    std::sort(findings.begin(), findings.end());
    findings.erase(std::unique(findings.begin(), findings.end()), findings.end());
}

// Whether some true/false answer to the condition's age and sex tests makes it true while every
// finding is unknown (three-valued). Tests are taken as independent (a superset of what real ages
// allow), so the answer errs towards evaluating a rule, never towards skipping one that could fire.
inline bool Compiler::patient_alone_can_fire(std::uint32_t root) const {
    std::vector<std::uint32_t> leaves;
    std::set<std::uint32_t> seen;
    collect_patient_leaves(root, leaves, seen);
    if (leaves.size() > 12) return true;  // too many to enumerate: always evaluate
    for (std::uint32_t bits = 0; bits < (1u << leaves.size()); ++bits)
        if (eval_patient_only(root, leaves, bits) == Tri::yes) return true;
    return false;
}

inline void Compiler::collect_patient_leaves(std::uint32_t node, std::vector<std::uint32_t>& leaves, std::set<std::uint32_t>& seen) const {
    if (!seen.insert(node).second) return;
    const auto& c = rs_->compiled;
    const Node& n = c.nodes[node];
    switch (n.op) {
        case Op::age: case Op::sex: leaves.push_back(node); break;
        case Op::finding: case Op::absent: break;
        default:
            for (std::uint32_t k = 0; k < n.count; ++k) collect_patient_leaves(c.children[n.first + k], leaves, seen);
    }
}

inline Tri Compiler::eval_patient_only(std::uint32_t node, const std::vector<std::uint32_t>& leaves, std::uint32_t bits) const {
    const auto& c = rs_->compiled;
    const Node& n = c.nodes[node];
    auto child = [&](std::uint32_t k) { return eval_patient_only(c.children[n.first + k], leaves, bits); };
    switch (n.op) {
        case Op::finding: case Op::absent: return Tri::unknown;
        case Op::age: case Op::sex: {
            auto at = static_cast<std::size_t>(std::find(leaves.begin(), leaves.end(), node) - leaves.begin());
            return (bits >> at) & 1u ? Tri::yes : Tri::no;
        }
        case Op::not_: {
            Tri v = child(0);
            return v == Tri::yes ? Tri::no : v == Tri::no ? Tri::yes : Tri::unknown;
        }
        case Op::all: {
            Tri r = Tri::yes;
            for (std::uint32_t k = 0; k < n.count; ++k) r = std::min(r, child(k));
            return r;
        }
        case Op::any: {
            Tri r = Tri::no;
            for (std::uint32_t k = 0; k < n.count; ++k) r = std::max(r, child(k));
            return r;
        }
        case Op::at_least: {
            std::uint32_t yes = 0, unknown = 0;
            for (std::uint32_t k = 0; k < n.count; ++k) {
                Tri v = child(k);
                yes += v == Tri::yes;
                unknown += v == Tri::unknown;
            }
            return yes >= n.threshold ? Tri::yes : yes + unknown >= n.threshold ? Tri::unknown : Tri::no;
        }
    }
    return Tri::unknown;
}

inline void Compiler::finish() {
    auto& rules = rs_->rules;
    auto& c = rs_->compiled;
    // What each rule reads, and the finding -> rules index (highest level first).
    std::vector<std::vector<std::int32_t>> by_finding(rs_->findings.size());
    std::vector<std::uint32_t> seen;
    assign_huge(seen, c.nodes.size(), std::uint32_t(0));
    std::vector<std::int32_t> fs;
    for (std::size_t i = 0; i < rules.size(); ++i) {
        bool patient = false;
        collect_reads(rules[i].root, static_cast<std::uint32_t>(i + 1), seen, fs, patient);
        rules[i].findings.assign(fs.begin(), fs.end());
        rules[i].reads_patient = patient;
        if (patient && patient_alone_can_fire(rules[i].root)) c.patient_rules.push_back(static_cast<std::int32_t>(i));
        for (auto f : fs) by_finding[static_cast<std::size_t>(f)].push_back(static_cast<std::int32_t>(i));
    }
    c.finding_rules_start.push_back(0);
    for (auto& list : by_finding) {
        std::stable_sort(list.begin(), list.end(), [&](std::int32_t a, std::int32_t b) {
            return rules[static_cast<std::size_t>(a)].level > rules[static_cast<std::size_t>(b)].level;
        });
        c.finding_rules.insert(c.finding_rules.end(), list.begin(), list.end());
        c.finding_rules_start.push_back(static_cast<std::uint32_t>(c.finding_rules.size()));
    }
    // Result order: kind, then level (highest first), then priority (highest first), then file order.
    std::vector<std::size_t> order(rules.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const Rule& x = rules[a];
        const Rule& y = rules[b];
        if (x.kind != y.kind) return x.kind < y.kind;
        if (x.level != y.level) return x.level > y.level;
        return x.priority > y.priority;
    });
    for (std::size_t k = 0; k < order.size(); ++k) rules[order[k]].order = static_cast<std::uint32_t>(k);
    // Dense per-rule and per-finding arrays for the evaluator (see ruleset.hpp).
    for (const auto& r : rules)
        c.hot.push_back(Compiled::RuleHot{r.root, r.level, r.order, static_cast<std::uint8_t>(r.reads_patient ? 1 : 0), r.kind, 0});
    for (auto k : order) c.rules_in_order.push_back(static_cast<std::int32_t>(k));
    for (auto& r : rules) r.quoted_id = quote(r.id);
    // Each rule's result object, per locale (detail/flat_rules.hpp). It reads the rules, the node
    // trees and the ids of levels and findings, and writes only Compiled::rule_json and its index,
    // which nothing below touches: a large rule set renders them on a second thread meanwhile.
    std::future<void> rendered;
    if (options_.parallel && rules.size() >= 10000) {
        try {
            rendered = std::async(std::launch::async, [this, advise = memory_advice_on()] {
                MemoryAdviceScope scope(advise);  // LoadOptions::advise_memory, on this thread too
                render_rule_objects(*rs_);
            });
        } catch (const std::system_error&) {
            // No thread to be had: rendered below, on this one.
        }
    }
    build_flat_rules(*rs_);  // leaves and the flat program (detail/flat_rules.hpp)
    for (std::size_t f = 0; f < rs_->findings.size(); ++f) {
        auto first = c.finding_rules_start[f];
        bool any = first < c.finding_rules_start[f + 1];
        c.finding_max_level.push_back(any ? rules[static_cast<std::size_t>(c.finding_rules[first])].level : -1);
        if (any && c.finding_max_level.back() >= 0) c.findings_by_level.push_back(static_cast<std::int32_t>(f));
    }
    std::stable_sort(c.findings_by_level.begin(), c.findings_by_level.end(), [&](std::int32_t a, std::int32_t b) {
        return c.finding_max_level[static_cast<std::size_t>(a)] > c.finding_max_level[static_cast<std::size_t>(b)];
    });
    // Pre-rendered fragments: questions (detail/question_json.hpp) and levels.
    render_questions(*rs_);
    for (auto& l : rs_->levels)
        for (std::size_t loc = 0; loc < rs_->locales.size(); ++loc) l.worse_json.push_back(quote(l.worse.get(loc)));
    if (rendered.valid()) rendered.get();  // rethrows what the thread threw
    else render_rule_objects(*rs_);
    rs_->info.digest = "sha256:" + (digest_.valid()         ? digest_.get()
                                    : !digest_hex_.empty() ? digest_hex_
                                                           : canonical_sha256_hex(canonical_parts(), rules_format_version));
    for (std::size_t loc = 0; loc < rs_->locales.size(); ++loc) {
        rs_->result_tail.push_back(",\"disclaimer\":" + quote(rs_->info.disclaimer.get(loc)) + ",\"ruleset\":{\"id\":" +
                                   quote(rs_->info.id) + ",\"version\":" + quote(rs_->info.version) +
                                   ",\"digest\":" + quote(rs_->info.digest) + "},\"engine\":{\"version\":" +
                                   quote(engine_version) + "}}");
    }
}

// Every file merged into one document, tests left out, keys sorted: what the digest covers
// (detail/canonical.hpp). Hashed as it is written, never held whole (36 MB for 100k rules).
inline std::vector<CanonicalPart> Compiler::canonical_parts() const {
    std::vector<CanonicalPart> parts;
    for (const auto& d : docs_) parts.push_back(CanonicalPart{&d.doc(), d.root});
    return parts;
}

}  // namespace detail
}  // namespace symtri
