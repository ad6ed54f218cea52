// SPDX-License-Identifier: Apache-2.0
// Compiler checks across rules, once every rule is compiled: the rules a caution blocks (by id and
// by tag) resolved, each condition's height and unfolded size limited, screening findings that no
// level-raising rule reads, and rules that shadow each other.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "../memory.hpp"
#include "helpers.hpp"

namespace symtri {
namespace detail {

inline void Compiler::resolve_blocks() {
    for (std::size_t i = 0; i < rs_->rules.size(); ++i) {
        Rule& r = rs_->rules[i];
        if (r.kind != RuleKind::caution) continue;
        const SourceDocument& d = *rule_where_[i].first;
        const std::string& p = rule_where_[i].second;
        const PointerPath rule_ptr(p);
        std::set<std::int32_t> blocked;
        for (std::size_t k = 0; k < r.block_rules.size(); ++k) {
            const std::string& id = r.block_rules[k];
            std::string bp = p + "/blocks/rules/" + std::to_string(k);
            int t = rs_->find_rule(id);
            if (t < 0) {
                std::vector<std::string> ids;
                for (const auto& x : rs_->rules) ids.push_back(x.id);
                error(d, bp, "unknown_rule", "caution blocks unknown rule '" + id + "'" + did_you_mean(id, ids));
            } else if (rs_->rules[static_cast<std::size_t>(t)].kind != RuleKind::recommendation) {
                error(d, bp, "invalid_value", "a caution may block only recommendations; '" + id + "' is a " +
                                                  kind_name(rs_->rules[static_cast<std::size_t>(t)].kind));
            } else {
                blocked.insert(t);
            }
        }
        for (std::size_t k = 0; k < r.block_tags.size(); ++k) {
            const std::string& tag = r.block_tags[k];
            bool any = false;
            for (std::size_t t = 0; t < rs_->rules.size(); ++t) {
                const Rule& x = rs_->rules[t];
                if (x.kind == RuleKind::recommendation && std::find(x.tags.begin(), x.tags.end(), tag) != x.tags.end()) {
                    blocked.insert(static_cast<std::int32_t>(t));
                    any = true;
                }
            }
            if (!any)
                error(d, join_ptr(join_ptr(join_ptr(rule_ptr, "blocks"), "tags"), k), "unknown_tag",
                      "caution blocks tag '" + tag + "', which no recommendation has");
        }
        r.blocks.assign(blocked.begin(), blocked.end());
    }
}

// Named conditions are shared nodes, so a rule's condition is a graph: its height and its size
// unfolded (what the evaluator walks, recursively) can be far larger than the JSON suggests. A chain
// of refs overflowed the evaluator's stack, and c1 = all[c0, c0], c2 = all[c1, c1], ... made one
// triage take 2^n steps. Both are limited per rule.
inline void Compiler::check_condition_shapes() {
    const auto& c = rs_->compiled;
    const std::uint64_t max_nodes = options_.limits.max_condition_nodes;
    std::vector<std::uint32_t> height;
    std::vector<std::uint64_t> size;
    assign_huge(height, c.nodes.size(), std::uint32_t(1));
    assign_huge(size, c.nodes.size(), std::uint64_t(1));
    // Children are always compiled (added) before their parent, so one pass in index order works.
    for (std::size_t i = 0; i < c.nodes.size(); ++i) {
        const Node& n = c.nodes[i];
        if (n.op == Op::finding || n.op == Op::absent || n.op == Op::age || n.op == Op::sex) continue;
        for (std::uint32_t k = 0; k < n.count; ++k) {
            std::uint32_t ch = c.children[n.first + k];
            if (ch >= i) continue;  // a placeholder left by an error (cycle): nothing to count
            height[i] = std::max(height[i], height[ch] + 1);
            size[i] = std::min<std::uint64_t>(size[i] + size[ch], max_nodes + 1);
        }
    }
    for (std::size_t r = 0; r < rs_->rules.size(); ++r) {
        std::uint32_t root = rs_->rules[r].root;
        if (root >= c.nodes.size()) continue;
        const SourceDocument& d = *rule_where_[r].first;
        if (height[root] <= options_.limits.depth() && size[root] <= max_nodes) continue;
        std::string p = rule_where_[r].second + "/when";
        if (height[root] > options_.limits.depth())
            error(d, p, "limit", "condition of rule '" + rs_->rules[r].id + "' nests " + std::to_string(height[root]) +
                                     " levels deep through named conditions, over the limit of " +
                                     std::to_string(options_.limits.depth()) + " (max_depth)");
        else if (size[root] > max_nodes)
            error(d, p, "limit", "condition of rule '" + rs_->rules[r].id + "' has more than " +
                                     std::to_string(max_nodes) +
                                     " tests once its named conditions are written out (max_condition_nodes)");
    }
    check_shadowing();
    check_screening();
}

// A screening finding is asked of every person: a "yes" must be able to change the level, or the
// question costs everyone a prompt for nothing (and its label would promise what it cannot do).
inline void Compiler::check_screening() {
    if (screening_where_.empty()) return;
    const auto& c = rs_->compiled;
    std::vector<char> raises(rs_->findings.size(), 0);
    std::vector<std::uint32_t> stack;
    for (const auto& r : rs_->rules) {
        if (r.level <= 0) continue;
        stack.assign(1, r.root);
        while (!stack.empty()) {
            const Node& n = c.nodes[stack.back()];
            stack.pop_back();
            if (n.op == Op::finding || n.op == Op::absent) raises[static_cast<std::size_t>(n.finding)] = 1;
            else if (n.op != Op::age && n.op != Op::sex)
                for (std::uint32_t k = 0; k < n.count; ++k) stack.push_back(c.children[n.first + k]);
        }
    }
    for (const auto& [doc, id] : screening_where_) {
        int f = rs_->find_finding(id);
        if (f < 0 || raises[static_cast<std::size_t>(f)]) continue;
        const PointerPath vocabulary("/vocabulary");
        const PointerPath p(vocabulary, id);
        error(*doc, PointerPath(p, "screening"), "invalid_value",
              "screening finding '" + id + "' is read by no rule that sets a level above the lowest, so asking it of "
              "everyone could change nothing");
    }
}

// Two rules of the same kind, level, condition and title always fire together and read the same: one
// is a copy the author did not mean (two pieces of advice under one condition are fine, and common).
// A recommendation that a caution blocks whenever it fires can never be shown at all. Conditions are compared by structure
// (named conditions written out, the order inside all/any/at_least ignored) via a 64-bit hash.
inline std::uint64_t Compiler::mix(std::uint64_t h, std::uint64_t v) {
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    h ^= h >> 31;
    h *= 0xbf58476d1ce4e5b9ULL;
    return h ^ (h >> 29);
}

inline std::uint64_t Compiler::hash_range(std::uint64_t h, const Range& r) {
    return mix(mix(mix(h, std::hash<double>()(r.lo)), std::hash<double>()(r.hi)),
               static_cast<std::uint64_t>(r.lo_incl) * 2 + r.hi_incl);
}

inline std::vector<std::uint64_t> Compiler::node_hashes() const {
    const auto& c = rs_->compiled;
    std::vector<std::uint64_t> h;
    assign_huge(h, c.nodes.size(), std::uint64_t(0));
    std::vector<std::uint64_t> tests;  // a node's test or child hashes, to sort
    std::vector<std::int32_t> set;
    for (std::size_t i = 0; i < c.nodes.size(); ++i) {  // children first: index order
        const Node& n = c.nodes[i];
        std::uint64_t x = mix(0, static_cast<std::uint64_t>(n.op) + 1);
        switch (n.op) {
            case Op::finding:
            case Op::absent: {
                x = mix(x, static_cast<std::uint64_t>(n.finding));
                tests.clear();
                for (std::uint32_t k = 0; k < n.count; ++k) {
                    const AttrTest& t = c.tests[n.first + k];
                    std::uint64_t y = mix(mix(mix(0, static_cast<std::uint64_t>(t.attr)), t.mask),
                                          static_cast<std::uint64_t>(t.boolean + 1));
                    y = hash_range(y, t.range);
                    set.assign(c.character_sets.begin() + t.set_first,
                               c.character_sets.begin() + t.set_first + t.set_count);
                    std::sort(set.begin(), set.end());
                    for (auto ch : set) y = mix(y, static_cast<std::uint64_t>(ch));
                    tests.push_back(y);
                }
                std::sort(tests.begin(), tests.end());
                for (auto y : tests) x = mix(x, y);
                break;
            }
            case Op::age: x = hash_range(x, c.ranges[n.first]); break;
            case Op::sex: x = mix(x, n.first); break;
            default: {
                x = mix(x, n.threshold);
                std::vector<std::uint64_t>& kids = tests;
                kids.clear();
                for (std::uint32_t k = 0; k < n.count; ++k) {
                    std::uint32_t ch = c.children[n.first + k];
                    kids.push_back(ch < i ? h[ch] : 0);
                }
                if (n.op != Op::not_) std::sort(kids.begin(), kids.end());
                for (auto y : kids) x = mix(x, y);
            }
        }
        h[i] = x;
    }
    return h;
}

inline std::string Compiler::where(std::size_t rule) const {
    const SourceRef& s = rs_->rules[rule].source;
    return s.file + ":" + std::to_string(s.line) + ":" + std::to_string(s.column);
}

inline void Compiler::check_shadowing() {
    const auto& c = rs_->compiled;
    const auto& rules = rs_->rules;
    if (diags_.any()) return;  // placeholders from errors would look alike
    std::vector<std::uint64_t> h = node_hashes();
    // hash of (kind, level, condition, title) -> the rules with it; the fields are compared in full,
    // so only equal rules are reported whatever the hashes do.
    auto same = [&](std::size_t a, std::size_t b) {
        return rules[a].kind == rules[b].kind && rules[a].level == rules[b].level &&
               h[rules[a].root] == h[rules[b].root] && rules[a].title.get(0) == rules[b].title.get(0);
    };
    std::unordered_multimap<std::uint64_t, std::size_t> first;
    first.reserve(rules.size());
    for (std::size_t r = 0; r < rules.size(); ++r) {
        std::uint64_t key = mix(mix(mix(static_cast<std::uint64_t>(rules[r].kind), static_cast<std::uint64_t>(rules[r].level + 1)),
                                    h[rules[r].root]),
                                std::hash<std::string>()(rules[r].title.get(0)));
        auto range = first.equal_range(key);
        auto it = std::find_if(range.first, range.second, [&](const auto& e) { return same(e.second, r); });
        if (it == range.second) {
            first.emplace(key, r);
            continue;
        }
        error(*rule_where_[r].first, join_ptr(PointerPath(rule_where_[r].second), "when"), "shadowed_rule",
              "rule '" + rules[r].id + "' repeats rule '" + rules[it->second].id + "' (" + where(it->second) +
                  "): same kind, level, condition and title, so both always show together");
    }
    for (std::size_t r = 0; r < rules.size(); ++r) {
        if (rules[r].kind != RuleKind::caution) continue;
        std::uint64_t mine = h[rules[r].root];
        for (auto b : rules[r].blocks) {
            const Node& n = c.nodes[rules[static_cast<std::size_t>(b)].root];
            bool implied = h[rules[static_cast<std::size_t>(b)].root] == mine;
            for (std::uint32_t k = 0; n.op == Op::all && k < n.count && !implied; ++k)
                implied = h[c.children[n.first + k]] == mine;
            if (implied)
                error(*rule_where_[static_cast<std::size_t>(b)].first, rule_where_[static_cast<std::size_t>(b)].second,
                      "shadowed_rule", "recommendation '" + rules[static_cast<std::size_t>(b)].id +
                                           "' can never be shown: caution '" + rules[r].id + "' (" + where(r) +
                                           ") fires whenever it does and blocks it");
        }
    }
}

}  // namespace detail
}  // namespace symtri
