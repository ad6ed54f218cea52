// SPDX-License-Identifier: Apache-2.0
// For the dense path (every node has its value for the case; Evaluator::evaluate_all_nodes) and a
// vocabulary of at most 128 findings: three sets of findings for every value slot, in one pass over
// the composite nodes, children first (Compiled::node_order):
//
//   open: the unanswered findings through which the slot could still be settled (an unknown leaf's
//         finding; an unknown node's, the union of its children's; a known slot's, none). The
//         interview's candidates (Evaluator::candidates) come from the rules' open sets.
//   yes:  the findings whose "yes" alone, nothing else changed, makes the slot true.
//   no:   the same for false (kept only when the rule set has `not` or `at_least`, the two that read it).
//
// "yes" and "no" are what SingleAnswers works out for a batch of hypotheses "f answered present",
// for every unanswered finding at once: in Kleene logic an answer never changes a known value, so a
// true slot is true under every hypothesis (yes = all), a false one false (no = all); an unknown leaf
// of an unanswered finding takes its finding into yes or no when the leaf is true or false with the
// finding present and none of its attributes given (Compiled-wide, worked out once: an unanswered
// finding has no attributes, Case::set); every other unknown leaf stays unknown; an unknown `all` is
// true under the hypotheses that make every child true and false under those that make one false;
// `any` the other way round; `not` swaps; at_least counts (SingleAnswers::at_least_masks, per word).
// A finding question's if_yes is then the highest level of a rule above the case's level whose root's
// yes set holds the finding.
//
// The planner's attribute answers (a present finding's attribute given one value) ride along in the
// bits above the vocabulary's, one each (add()): such an answer changes only its finding's leaves, a
// known one too when a test holds while the attribute is not given (`null` in a list), and then the
// known nodes and false rules above it are worked out again. tests/test_node_sets.cpp checks every
// answer's level against evaluating the case with it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "../case_data.hpp"
#include "../ruleset.hpp"
#include "finding_bits.hpp"
#include "single_answers.hpp"

namespace symtri {
namespace detail {

class NodeSets {
public:
    // Forgets the last case's attribute answers: the bits above the vocabulary are free again.
    void begin(std::size_t findings) {
        answers_.clear();
        next_bit_ = static_cast<std::int32_t>(findings);
    }

    // An attribute answer to try as a hypothesis too, in a bit of its own above the vocabulary's:
    // `answer` is present finding `f`'s value with that one attribute given. Its level comes out as
    // if_yes(bit). -1 when the bits are used up (the caller tries it some other way).
    std::int32_t add(std::int32_t f, const FindingValue& answer) {
        if (next_bit_ >= 128 || answer.presence != Presence::present) return -1;
        answers_.push_back(Answer{f, next_bit_, answer});
        return next_bit_++;
    }

    // One pass for case `c`, whose value slots (leaves, then one per node) are `slots` and whose
    // answered findings' finding_bit()s are `answered`: every slot's sets, then per level above `level`
    // the union of the open and yes sets of the unknown rules at it.
    void run(const Compiled& k, const Case& c, const std::uint8_t* slots, std::uint64_t answered, std::int32_t level,
             std::size_t levels) {
        if (leaf_init_.size() != k.leaf_node.size()) prepare(k);
        if (with_no_) pass<true>(k, &c, slots, answered, level);
        else pass<false>(k, &c, slots, answered, level);
        level_open_.assign(levels, FindingBits{});
        level_yes_.assign(levels, FindingBits{});
        for (const auto& fr : k.flat) {
            if (fr.level <= level) continue;
            // A false rule stays false, but for an attribute answer that changes a known leaf below it.
            if (slots[fr.slot] != static_cast<std::uint8_t>(Tri::unknown) &&
                (changed_ == 0 || (k.node_findings[k.hot[static_cast<std::size_t>(fr.rule)].root] & changed_) == 0))
                continue;
            level_open_[static_cast<std::size_t>(fr.level)] |= sets_[fr.slot].open;
            level_yes_[static_cast<std::size_t>(fr.level)] |= sets_[fr.slot].yes;
        }
        level_ = level;
    }

    // The union of the open sets of the unknown rules at `level` (above the case's).
    const FindingBits& open_at(std::int32_t level) const { return level_open_[static_cast<std::size_t>(level)]; }

    // The level with unanswered finding `f` answered present and nothing else changed (or with the
    // attribute answer of bit `f`, add()): the highest level of a rule above the case's that this alone
    // makes true, or the case's level.
    std::int32_t if_yes(std::int32_t f) const {
        for (auto l = static_cast<std::int32_t>(level_yes_.size()) - 1; l > level_; --l)
            if (level_yes_[static_cast<std::size_t>(l)].has(f)) return l;
        return level_;
    }

private:
    struct Sets {
        FindingBits open, yes;
    };

    // Per leaf, its sets while its finding is unanswered; whether any node is a `not` or at_least.
    void prepare(const Compiled& k) {
        const std::size_t leaves = k.leaf_node.size();
        leaf_init_.assign(leaves, Sets{});
        leaf_no_.assign(leaves, FindingBits{});
        FindingValue present;
        present.presence = Presence::present;
        for (std::size_t l = 0; l < leaves; ++l) {
            const std::int32_t f = k.leaf_findings[l];
            leaf_init_[l].open.set(f);
            const Tri v = leaf_value(k, k.nodes[k.leaf_node[l]], present);
            if (v == Tri::yes) leaf_init_[l].yes.set(f);
            if (v == Tri::no) leaf_no_[l].set(f);
        }
        with_no_ = false;
        for (auto id : k.node_order) with_no_ = with_no_ || k.nodes[id].op == Op::not_ || k.nodes[id].op == Op::at_least;
        sets_.assign(leaves + k.nodes.size(), Sets{});
        no_.assign(with_no_ ? leaves + k.nodes.size() : 0, FindingBits{});
        // Per node, the highest level of a rule above it: a node whose rules are all at or below the
        // case's level matters to no question, nor do its children through it (theirs is at least as high).
        top_.assign(k.nodes.size(), -1);
        for (const auto& h : k.hot) top_[h.root] = std::max(top_[h.root], h.level);
        for (auto it = k.node_order.rbegin(); it != k.node_order.rend(); ++it) {  // parents first
            const Node& n = k.nodes[*it];
            for (std::uint32_t i = 0; i < n.count; ++i) top_[k.children[n.first + i]] = std::max(top_[k.children[n.first + i]], top_[*it]);
        }
        // Every node's sets with nothing answered and no patient: every node unknown (all, any, not
        // and at_least of unknowns are unknown). A case's node that reads none of its answered
        // findings and no age or sex it gives has these (pass()).
        const std::vector<std::uint8_t> unknown(leaves + k.nodes.size(), static_cast<std::uint8_t>(Tri::unknown));
        if (with_no_) pass<true>(k, nullptr, unknown.data(), 0, -1);
        else pass<false>(k, nullptr, unknown.data(), 0, -1);
        static_sets_.assign(sets_.begin() + static_cast<std::ptrdiff_t>(leaves), sets_.end());
        static_no_.assign(no_.begin() + static_cast<std::ptrdiff_t>(with_no_ ? leaves : 0), no_.end());
    }

    // The sets of every slot for case `c` (nullptr: nothing answered, no patient, every node unknown)
    // that a rule above `level` reads.
    template <bool WithNo>
    void pass(const Compiled& k, const Case* c, const std::uint8_t* slots, std::uint64_t answered, std::int32_t level) {
        constexpr auto Y = static_cast<std::uint8_t>(Tri::yes), N = static_cast<std::uint8_t>(Tri::no);
        const std::size_t leaves = k.leaf_node.size();
        const FindingBits all = FindingBits::full(), none{};
        Sets* s = sets_.data();
        FindingBits* no = no_.data();
        std::copy(leaf_init_.begin(), leaf_init_.end(), s);
        if (WithNo) std::copy(leaf_no_.begin(), leaf_no_.end(), no);
        // An answered finding's leaves are known (or unknown through an attribute that no finding's
        // "yes" gives): nothing open, and yes or no under every hypothesis when known.
        if (c) for (auto f : c->answered) {
            const auto fi = static_cast<std::size_t>(f);
            if (c->findings[fi].presence == Presence::unknown) continue;  // answered, then unset: unanswered
            for (auto l = k.finding_leaves_start[fi]; l < k.finding_leaves_start[fi + 1]; ++l) {
                s[l] = Sets{none, slots[l] == Y ? all : none};
                if (WithNo) no[l] = slots[l] == N ? all : none;
            }
        }
        // The attribute answers: each changes only its finding's leaves, but can change a known one too
        // (a test can be true while an attribute is not given: AttrTest::not_given). Where one does,
        // known nodes above it are worked out too (`changed`); otherwise an answer only settles unknown
        // leaves, and no known node changes.
        std::uint64_t changed = 0;  // the bits of findings with a known leaf that an answer changes (changed_)
        if (c) for (const auto& a : answers_) {
            for (auto l = k.finding_leaves_start[static_cast<std::size_t>(a.finding)]; l < k.finding_leaves_start[static_cast<std::size_t>(a.finding) + 1]; ++l) {
                const Tri v = leaf_value(k, k.nodes[k.leaf_node[l]], a.answer);
                if (slots[l] != static_cast<std::uint8_t>(Tri::unknown) && static_cast<std::uint8_t>(v) != slots[l]) changed |= finding_bit(a.finding);
                if (v == Tri::yes) s[l].yes.set(a.bit);
                else s[l].yes.clear(a.bit);
                if (WithNo && v == Tri::no) no[l].set(a.bit);
                else if (WithNo) no[l].clear(a.bit);
            }
        }
        changed_ = changed;
        // Age and sex: known or unknown whatever the hypothesis.
        for (auto id : k.patient_nodes) {
            const std::uint8_t v = slots[leaves + id];
            s[leaves + id] = Sets{none, v == Y ? all : none};
            if (WithNo) no[leaves + id] = v == N ? all : none;
        }
        const std::uint32_t* child = k.child_slot.data();
        const std::uint64_t* reads = k.node_findings.data();
        const bool patient = c && c->has_patient();
        const std::int32_t* top = top_.data();
        for (auto id : k.node_order) {
            if (top[id] <= level) continue;
            const std::size_t at = leaves + id;
            if (c && k.reads_no_answer(id, answered, patient)) {
                s[at] = static_sets_[id];
                if (WithNo) no[at] = static_no_[id];
                continue;
            }
            // A known node stays known under a finding's "yes", but not always under an attribute answer.
            const std::uint8_t v = slots[at];
            const bool known = v != static_cast<std::uint8_t>(Tri::unknown);
            if (known && (reads[id] & changed) == 0) {
                s[at] = Sets{none, v == Y ? all : none};
                if (WithNo) no[at] = v == N ? all : none;
                continue;
            }
            const Node& n = k.nodes[id];
            const std::uint32_t* ch = child + n.first;
            // Locals, word by word: GCC keeps a struct's fields in memory across the loop otherwise.
            std::uint64_t o0 = 0, o1 = 0, y0 = 0, y1 = 0, x0 = 0, x1 = 0;
            switch (n.op) {
                case Op::all:
                    y0 = y1 = ~std::uint64_t{0};
                    x0 = x1 = 0;
                    for (std::uint32_t i = 0; i < n.count; ++i) {
                        const Sets& cs = s[ch[i]];
                        o0 |= cs.open.w[0], o1 |= cs.open.w[1];
                        y0 &= cs.yes.w[0], y1 &= cs.yes.w[1];
                        if (WithNo) x0 |= no[ch[i]].w[0], x1 |= no[ch[i]].w[1];
                    }
                    break;
                case Op::any:
                    y0 = y1 = 0;
                    x0 = x1 = ~std::uint64_t{0};
                    for (std::uint32_t i = 0; i < n.count; ++i) {
                        const Sets& cs = s[ch[i]];
                        o0 |= cs.open.w[0], o1 |= cs.open.w[1];
                        y0 |= cs.yes.w[0], y1 |= cs.yes.w[1];
                        if (WithNo) x0 &= no[ch[i]].w[0], x1 &= no[ch[i]].w[1];
                    }
                    break;
                case Op::not_:  // (only with_no_ rule sets have one)
                    if constexpr (WithNo) {
                        o0 = s[ch[0]].open.w[0], o1 = s[ch[0]].open.w[1];
                        y0 = no[ch[0]].w[0], y1 = no[ch[0]].w[1];
                        x0 = s[ch[0]].yes.w[0], x1 = s[ch[0]].yes.w[1];
                    }
                    break;
                default:  // at_least (the same)
                    if constexpr (WithNo) {
                        using Masks = SingleAnswers::Masks;
                        for (std::uint32_t i = 0; i < n.count; ++i) o0 |= s[ch[i]].open.w[0], o1 |= s[ch[i]].open.w[1];
                        const Masks r0 = SingleAnswers::at_least_masks(n, ~std::uint64_t{0}, [&](std::uint32_t i) {
                            return Masks{s[ch[i]].yes.w[0], no[ch[i]].w[0]};
                        });
                        const Masks r1 = SingleAnswers::at_least_masks(n, ~std::uint64_t{0}, [&](std::uint32_t i) {
                            return Masks{s[ch[i]].yes.w[1], no[ch[i]].w[1]};
                        });
                        y0 = r0.yes, y1 = r1.yes, x0 = r0.no, x1 = r1.no;
                    }
                    break;
            }
            if (known) o0 = o1 = 0;  // nothing left open
            s[at].open.w[0] = o0, s[at].open.w[1] = o1;
            s[at].yes.w[0] = y0, s[at].yes.w[1] = y1;
            if (WithNo) no[at].w[0] = x0, no[at].w[1] = x1;
        }
    }

    struct Answer {
        std::int32_t finding, bit;
        FindingValue answer;
    };
    std::vector<Answer> answers_;         // the attribute answers tried (add())
    std::int32_t next_bit_ = 128;         // the next free bit
    std::vector<Sets> leaf_init_;         // per leaf, while its finding is unanswered
    std::vector<FindingBits> leaf_no_;    // the same, the no sets
    bool with_no_ = false;                // the rule set has a `not` or at_least
    std::vector<Sets> sets_;              // per value slot
    std::vector<FindingBits> no_;         // per value slot, when with_no_
    std::vector<Sets> static_sets_;       // per node, with nothing answered (prepare())
    std::vector<FindingBits> static_no_;  // the same, the no sets
    std::vector<std::int32_t> top_;       // per node, the highest level of a rule above it (prepare())
    std::vector<FindingBits> level_open_, level_yes_;  // per level, from the unknown rules above the case's
    std::int32_t level_ = 0;              // the case's level
    std::uint64_t changed_ = 0;           // the last pass's `changed`
};

}  // namespace detail
}  // namespace symtri
