// SPDX-License-Identifier: Apache-2.0
// The compiler's last step for the evaluator: shared finding leaves, each rule's flat program, and each
// rule's result object pre-rendered per locale (all stored in RuleSet::compiled, ruleset.hpp).
//
// Why: identical finding tests (the same finding with the same attribute tests) are computed once per
// case instead of once per rule that names them, a rule that is a leaf or an all/any of leaves is
// evaluated as the minimum/maximum of its leaf values, and writing a fired rule is one copy. On 5,000
// rules of 3 tests each, evaluation went from 165 to 25 us a case (docs/performance.md).
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <unordered_map>
#include <vector>

#include "../ruleset.hpp"
#include "memory.hpp"
#include "text.hpp"

namespace symtri {
namespace detail {

// Compiled::node_findings: per node, the signature of the findings below it; and the whole-case
// program (node_order, child_slot, patient_nodes, FlatRule::slot). Children are worked out before their
// parent, from an explicit stack (conditions may be deep), each node once: the order composite nodes
// are finished in is node_order.
inline void build_node_findings(Compiled& k) {
    const std::size_t nodes = k.nodes.size();
    assign_huge(k.node_findings, nodes, std::uint64_t{0});
    k.node_order.clear();
    k.patient_nodes.clear();
    assign_huge(k.node_patient, nodes, std::uint8_t{0});
    k.child_slot.resize(k.children.size());
    for (std::size_t i = 0; i < k.children.size(); ++i) k.child_slot[i] = k.slot_of(k.children[i]);
    for (auto& fr : k.flat) fr.slot = k.slot_of(k.hot[static_cast<std::size_t>(fr.rule)].root);
    k.leaf_findings.resize(k.leaf_node.size());
    for (std::size_t l = 0; l < k.leaf_node.size(); ++l) k.leaf_findings[l] = k.leaf_finding(static_cast<std::uint32_t>(l));
    std::vector<std::uint8_t> state(nodes, 0);  // 0 new, 1 children pushed, 2 done
    std::vector<std::uint32_t> stack;
    auto composite = [](const Node& n) { return n.op == Op::all || n.op == Op::any || n.op == Op::not_ || n.op == Op::at_least; };
    for (std::uint32_t start = 0; start < nodes; ++start) {
        if (state[start] == 2) continue;
        stack.assign(1, start);
        while (!stack.empty()) {
            const std::uint32_t id = stack.back();
            const Node& n = k.nodes[id];
            if (state[id] == 2) {
                stack.pop_back();
                continue;
            }
            if (!composite(n)) {
                if (n.op == Op::finding || n.op == Op::absent) k.node_findings[id] = finding_bit(n.finding);
                if (n.op == Op::age || n.op == Op::sex) {
                    k.patient_nodes.push_back(id);
                    k.node_patient[id] = 1;
                }
                state[id] = 2;
                stack.pop_back();
                continue;
            }
            if (state[id] == 0) {
                state[id] = 1;
                for (std::uint32_t i = 0; i < n.count; ++i)
                    if (state[k.children[n.first + i]] == 0) stack.push_back(k.children[n.first + i]);
                continue;
            }
            std::uint64_t bits = 0;
            std::uint8_t patient = 0;
            for (std::uint32_t i = 0; i < n.count; ++i) {
                bits |= k.node_findings[k.children[n.first + i]];
                patient |= k.node_patient[k.children[n.first + i]];
            }
            k.node_findings[id] = bits;
            k.node_patient[id] = patient;
            k.node_order.push_back(id);
            state[id] = 2;
            stack.pop_back();
        }
    }
}

// Compiled::leaf_of_node, leaf_node, finding_leaves_start and the flat program (Compiled::flat), from the
// node trees, the hot records and rules_in_order. Called by the compiler once those are built.
inline void build_flat_rules(RuleSet& rs) {
    Compiled& k = rs.compiled;
    const std::size_t rules = rs.rules.size();
    assign_huge(k.leaf_of_node, k.nodes.size(), std::int32_t(-1));
    // Leaves reachable from some rule, keyed by what their value depends on: op, finding, tests;
    // first numbered as found, then renumbered finding by finding.
    // The keys are bytes, kept end to end in one string and found through an open-addressing table
    // of (hash, offset, length, leaf): a std::unordered_map<std::string, int> allocated a node and
    // most keys (> 15 bytes) once per leaf, and was 4% of loading 100k rules.
    struct Slot {
        std::uint64_t hash;
        std::uint32_t offset, length;
        std::int32_t leaf;  // -1: empty
    };
    // Sized once for every finding/absent node (an upper bound on the leaves), so it never grows.
    std::size_t leaf_nodes = 0;
    for (const Node& n : k.nodes) leaf_nodes += n.op == Op::finding || n.op == Op::absent;
    std::size_t slots = std::size_t(1) << 4;
    while (slots < 2 * leaf_nodes + 2) slots *= 2;
    std::vector<Slot> table;
    assign_huge(table, slots, Slot{0, 0, 0, -1});
    std::size_t used = 0;
    std::string keys;
    auto find_or_add = [&](std::string_view bytes_of, std::int32_t next) -> std::pair<std::int32_t, bool> {
        std::uint64_t h = 1469598103934665603ull;  // FNV-1a
        for (unsigned char c : bytes_of) h = (h ^ c) * 1099511628211ull;
        h ^= h >> 29;
        if ((used + 1) * 2 > table.size()) {  // keep it at most half full
            std::vector<Slot> bigger(table.size() * 2, Slot{0, 0, 0, -1});
            for (const Slot& sl : table) {
                if (sl.leaf < 0) continue;
                std::size_t i = sl.hash & (bigger.size() - 1);
                while (bigger[i].leaf >= 0) i = (i + 1) & (bigger.size() - 1);
                bigger[i] = sl;
            }
            table.swap(bigger);
        }
        std::size_t i = h & (table.size() - 1);
        for (;; i = (i + 1) & (table.size() - 1)) {
            Slot& sl = table[i];
            if (sl.leaf < 0) break;
            if (sl.hash == h && sl.length == bytes_of.size() && keys.compare(sl.offset, sl.length, bytes_of) == 0) return {sl.leaf, false};
        }
        table[i] = Slot{h, static_cast<std::uint32_t>(keys.size()), static_cast<std::uint32_t>(bytes_of.size()), next};
        keys.append(bytes_of);
        ++used;
        return {next, true};
    };
    std::vector<std::uint32_t> found_node;  // per leaf as found: its node
    std::string key;
    std::vector<std::vector<std::uint32_t>> by_finding(rs.findings.size());
    std::vector<char> seen(k.nodes.size(), 0);
    std::vector<std::uint32_t> stack;
    auto bytes = [](std::string& out, const auto& v) { out.append(reinterpret_cast<const char*>(&v), sizeof v); };
    for (std::size_t r = 0; r < rules; ++r) {
        stack.assign(1, k.hot[r].root);
        while (!stack.empty()) {
            std::uint32_t id = stack.back();
            stack.pop_back();
            if (seen[id]) continue;
            seen[id] = 1;
            const Node& n = k.nodes[id];
            if (n.op == Op::all || n.op == Op::any || n.op == Op::not_ || n.op == Op::at_least) {
                for (std::uint32_t i = 0; i < n.count; ++i) stack.push_back(k.children[n.first + i]);
                continue;
            }
            if (n.op != Op::finding && n.op != Op::absent) continue;
            key.clear();
            bytes(key, n.op);
            bytes(key, n.finding);
            if (n.op == Op::finding) {
                bytes(key, n.count);
                for (std::uint32_t i = 0; i < n.count; ++i) {
                    const AttrTest& t = k.tests[n.first + i];
                    bytes(key, t.attr);
                    bytes(key, t.boolean);
                    bytes(key, t.mask);
                    bytes(key, t.range.lo);
                    bytes(key, t.range.hi);
                    bytes(key, t.range.lo_incl);
                    bytes(key, t.range.hi_incl);
                    bytes(key, t.set_count);
                    for (std::uint32_t s = 0; s < t.set_count; ++s) bytes(key, k.character_sets[t.set_first + s]);
                }
            }
            auto [leaf, added] = find_or_add(key, static_cast<std::int32_t>(found_node.size()));
            if (added) {
                found_node.push_back(id);
                by_finding[static_cast<std::size_t>(n.finding)].push_back(static_cast<std::uint32_t>(leaf));
            }
            k.leaf_of_node[id] = leaf;
        }
    }
    std::vector<std::int32_t> renumber(found_node.size());
    k.leaf_node.clear();
    k.finding_leaves_start.assign(1, 0);
    for (const auto& list : by_finding) {
        for (auto l : list) {
            renumber[l] = static_cast<std::int32_t>(k.leaf_node.size());
            k.leaf_node.push_back(found_node[l]);
        }
        k.finding_leaves_start.push_back(static_cast<std::uint32_t>(k.leaf_node.size()));
    }
    for (auto& l : k.leaf_of_node)
        if (l >= 0) l = renumber[static_cast<std::size_t>(l)];

    k.flat.clear();
    k.flat_leaves.clear();
    for (auto r : k.rules_in_order) {
        const auto& h = k.hot[static_cast<std::size_t>(r)];
        Compiled::FlatRule fr{r, h.level, Compiled::Shape::tree};
        const Node& root = k.nodes[h.root];
        if (k.leaf_of_node[h.root] >= 0) {
            fr.shape = Compiled::Shape::all_leaves;
            fr.count = 1;
            fr.first = static_cast<std::uint32_t>(k.flat_leaves.size());
            k.flat_leaves.push_back(static_cast<std::uint32_t>(k.leaf_of_node[h.root]));
        } else if ((root.op == Op::all || root.op == Op::any) && root.count <= 0xffffu) {
            bool leaves = true;
            for (std::uint32_t i = 0; i < root.count && leaves; ++i) leaves = k.leaf_of_node[k.children[root.first + i]] >= 0;
            if (leaves) {
                fr.shape = root.op == Op::all ? Compiled::Shape::all_leaves : Compiled::Shape::any_leaves;
                fr.count = static_cast<std::uint16_t>(root.count);
                fr.first = static_cast<std::uint32_t>(k.flat_leaves.size());
                for (std::uint32_t i = 0; i < root.count; ++i)
                    k.flat_leaves.push_back(static_cast<std::uint32_t>(k.leaf_of_node[k.children[root.first + i]]));
            }
        }
        k.flat.push_back(fr);
    }
    build_node_findings(k);
}

// The findings ConditionEval::because names for `node` whenever it is true, when that list does not
// depend on the case: true through `all` nodes only, every child of a true `all` is true, so every
// finding reached is named (`not`, absent, age and sex name none). False when an `any` or `at_least`
// is reached (which of its children are true depends on the case).
inline bool fixed_because(const Compiled& k, std::uint32_t node, std::vector<std::int32_t>& out) {
    const Node& n = k.nodes[node];
    switch (n.op) {
        case Op::all:
            for (std::uint32_t i = 0; i < n.count; ++i)
                if (!fixed_because(k, k.children[n.first + i], out)) return false;
            return true;
        case Op::any:
        case Op::at_least: return false;
        case Op::finding:
            if (std::find(out.begin(), out.end(), n.finding) == out.end()) out.push_back(n.finding);
            return true;
        default: return true;
    }
}

// A list of finding ids as a JSON array (a rule's `because`).
template <class Out>
void write_findings(Out& out, const RuleSet& rs, const std::vector<std::int32_t>& ids) {
    out += '[';
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i) out += ',';
        out += '"';
        out += rs.findings[static_cast<std::size_t>(ids[i])].id;  // ids are [a-z0-9_.-]: no escaping needed
        out += '"';
    }
    out += ']';
}

// The end of a finding question after `"could_raise_to":"`: its level's id, then if_yes (and the
// screening flag). Pre-rendered per pair of levels (render_summaries), or written as it comes in a rule
// set of many levels (result.hpp).
template <class Out>
void append_question_tail(Out& out, const Level& level, const Level& if_yes, bool screening) {
    out += level.id;  // level ids are [a-z0-9_]: nothing to escape
    out += std::string_view("\",\"if_yes\":\"");
    out += if_yes.id;
    out += screening ? std::string_view("\",\"screening\":true}") : std::string_view("\"}");
}

// The result's summary, pre-rendered: per level and locale the action (Level::summary_json, and with
// " Reason: " after it), per red flag and locale its title as the reason (Rule::reason_json). Writing a
// summary is then two copies instead of escaping its text character by character. And the end of a
// finding question per pair of levels (Level::question_tail_json): one copy per question.
inline void render_summaries(RuleSet& rs) {
    const std::size_t locales = std::max<std::size_t>(1, rs.locales.size());
    for (auto& l : rs.levels) {
        l.question_tail_json.clear();
        // 2 x levels^2 pieces: for a usual handful of levels; with more, written as they come.
        if (rs.levels.size() <= Level::max_tail_levels)
            for (const auto& if_yes : rs.levels)
                for (bool screening : {false, true}) append_question_tail(l.question_tail_json.emplace_back(), l, if_yes, screening);
        l.summary_json.clear();
        l.summary_reason_json.clear();
        for (std::size_t loc = 0; loc < locales; ++loc) {
            const std::string& action = l.action.get(loc);
            std::string s;
            append_escaped(s, action);
            l.summary_json.push_back(s);
            s += action.empty() || action.back() == '.' ? " Reason: " : ". Reason: ";
            l.summary_reason_json.push_back(std::move(s));
        }
    }
    for (auto& r : rs.rules) {
        r.reason_json.clear();
        if (r.kind != RuleKind::red_flag) continue;
        for (std::size_t loc = 0; loc < locales; ++loc) {
            const std::string& t = r.title.get(loc);
            std::string s;
            append_escaped(s, t);
            if (!t.empty() && t.back() != '.') s += '.';
            r.reason_json.push_back(std::move(s));
        }
    }
}

// Compiled::rule_json: every rule's object in a result, per locale (see RuleJson). Needs quoted_id,
// the hot records and rules_in_order. Written straight into rule_json: the parts that do not depend
// on the locale (`because` when fixed, tags, citations) are written once, for the first locale, and
// copied from there for the others. (Building them as strings first was 200,000 allocations at 100k
// rules.)
inline void render_rule_objects(RuleSet& rs) {
    render_summaries(rs);
    Compiled& k = rs.compiled;
    const std::size_t rules = rs.rules.size();
    const std::size_t locales = std::max<std::size_t>(1, rs.locales.size());
    std::size_t bytes = 0;  // an estimate: every locale as long as English
    for (std::size_t i = 0; i < rules; ++i) {
        const Rule& r = rs.rules[i];
        bytes += 96 + r.quoted_id.size() + r.title.get(0).size() + r.advice.get(0).size() + 16 * r.findings.size();
        for (const auto& t : r.tags) bytes += t.size() + 3;
        for (const auto& c : r.citations) bytes += c.title.size() + c.url.size() + 24;
    }
    std::string& s = k.rule_json;
    s.clear();
    s.reserve(bytes * locales + bytes / 8);
    advise_huge_pages(s.data(), s.capacity());  // 100k rules: ~40 MB, written once
    k.rule_json_index.assign(locales * rules, Compiled::RuleJson{0, 0, 0});
    // Per rule, where its fixed `because` list (if any) and its tail were written for the first locale.
    struct Shared {
        std::size_t because = 0, because_size = 0, tail = 0, tail_size = 0;
        bool fixed = false;
    };
    std::vector<Shared> shared(rules);
    std::vector<std::int32_t> found;
    for (std::size_t loc = 0; loc < locales; ++loc) {
        for (auto ri : k.rules_in_order) {
            auto i = static_cast<std::size_t>(ri);
            const Rule& r = rs.rules[i];
            Shared& sh = shared[i];
            std::size_t start = s.size();
            s += "{\"rule\":";
            s += r.quoted_id;
            if (r.level >= 0) {
                s += ",\"level\":";
                append_quoted(s, rs.levels[static_cast<std::size_t>(r.level)].id);
            }
            s += ",\"title\":";
            append_quoted(s, r.title.get(loc));
            s += ",\"advice\":";
            append_quoted(s, r.advice.get(loc));
            s += ",\"because\":";
            if (loc == 0) {
                found.clear();
                sh.fixed = fixed_because(k, k.hot[i].root, found);
                sh.because = s.size();
                if (sh.fixed) write_findings(s, rs, found);
                sh.because_size = s.size() - sh.because;
            } else {
                s.append(s, sh.because, sh.because_size);
            }
            std::uint32_t because_at = sh.fixed ? Compiled::static_because : static_cast<std::uint32_t>(s.size() - start);
            if (loc == 0) {
                sh.tail = s.size();
                s += ",\"tags\":[";
                for (std::size_t t = 0; t < r.tags.size(); ++t) {
                    if (t) s += ',';
                    append_quoted(s, r.tags[t]);
                }
                s += "],\"citations\":[";
                for (std::size_t c = 0; c < r.citations.size(); ++c) {
                    s += c ? ",{\"title\":" : "{\"title\":";
                    append_quoted(s, r.citations[c].title);
                    s += ",\"url\":";
                    append_quoted(s, r.citations[c].url);
                    s += '}';
                }
                s += ']';
                if (r.kind != RuleKind::caution) s += '}';
                sh.tail_size = s.size() - sh.tail;
            } else {
                s.append(s, sh.tail, sh.tail_size);
            }
            k.rule_json_index[loc * rules + i] = Compiled::RuleJson{start, static_cast<std::uint32_t>(s.size() - start), because_at};
        }
    }
}

}  // namespace detail
}  // namespace symtri
