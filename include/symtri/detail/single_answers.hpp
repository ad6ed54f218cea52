// SPDX-License-Identifier: Apache-2.0
// What one answer alone does, for every answer the interview offers at once: the exact `if_yes` of a
// finding question and the `if_answer` levels of an attribute question (docs/case-and-result.md).
//
// A hypothesis is one answer: finding f's value replaced by another (an unanswered finding answered
// present, or one attribute of a present finding given). It changes f's leaves only. Instead of
// evaluating the rules again once per hypothesis, hypotheses are taken 64 at a time, one bit each, and
// one walk gives each node two masks: the hypotheses under which it is true, and those under which it
// is false (unknown under the rest). A leaf's come from its finding's hypotheses (and its value for
// the case under every other); a composite node's from its children's, bit-parallel:
//   all: true = AND of the children's true, false = OR of their false;  any: the other way round;
//   not: true and false swapped;  at_least: counted bit by bit.
// No monotonicity is assumed (an attribute given can turn a test with `null` in its list from true to
// false), so a rule's true mask is exactly the hypotheses under which evaluating the case with that one
// answer makes it fire.
//
// Each node is worked out once per batch (memo), and a node none of whose findings has a hypothesis in
// the batch is not walked: its value for the case holds under them all (Compiled::node_findings, a
// 64-bit signature of the findings below each node).
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "../case_data.hpp"
#include "../ruleset.hpp"

namespace symtri {
namespace detail {

// The index of x's lowest set bit (x != 0).
inline unsigned lowest_bit(std::uint64_t x) {
#if defined(__GNUC__)
    return static_cast<unsigned>(__builtin_ctzll(x));
#else
    unsigned i = 0;
    while (!((x >> i) & 1u)) ++i;
    return i;
#endif
}

class SingleAnswers {
public:
    // The hypotheses one batch holds, one bit each.
    static constexpr std::size_t batch_size = 64;

    // A node's value under each hypothesis of the batch: bit i of `yes` (of `no`) when hypothesis
    // first + i makes it true (false); unknown when neither.
    struct Masks {
        std::uint64_t yes = 0, no = 0;
    };

    // Starts a case: no hypotheses.
    void begin(std::size_t findings) {
        if (head_.size() != findings) {
            head_.assign(findings, -1);
            tail_.assign(findings, -1);
        }
        for (auto f : used_) head_[static_cast<std::size_t>(f)] = tail_[static_cast<std::size_t>(f)] = -1;
        used_.clear();
        hyps_.clear();
    }

    // A hypothesis: finding f answered `fv` instead of what the case says. Returns its id (0, 1, ...).
    std::int32_t add(std::int32_t f, const FindingValue& fv) {
        const auto fi = static_cast<std::size_t>(f);
        const auto id = static_cast<std::int32_t>(hyps_.size());
        hyps_.push_back(Hyp{f, -1, fv});
        if (head_[fi] < 0) {
            head_[fi] = id;
            used_.push_back(f);
        } else {
            hyps_[static_cast<std::size_t>(tail_[fi])].next = id;
        }
        tail_[fi] = id;
        return id;
    }

    // An at_least node's masks from its children's (`child(i)`, i < n.count), counted bit by bit: true
    // when `threshold` children are true, false when too few can be. Also Evaluator's dense pass's.
    template <class Child>
    static Masks at_least_masks(const Node& n, std::uint64_t all, Child&& child) {
        std::uint32_t yes[batch_size] = {}, open[batch_size] = {};
        for (std::uint32_t i = 0; i < n.count; ++i) {
            const Masks c = child(i);
            for (std::size_t b = 0; b < batch_size; ++b) {
                yes[b] += static_cast<std::uint32_t>((c.yes >> b) & 1u);
                open[b] += static_cast<std::uint32_t>(((c.no >> b) & 1u) ^ 1u);  // true or unknown
            }
        }
        Masks r;
        for (std::size_t b = 0; b < batch_size; ++b) {
            const std::uint64_t bit = std::uint64_t{1} << b;
            if (yes[b] >= n.threshold) r.yes |= bit;
            else if (open[b] < n.threshold) r.no |= bit;
        }
        r.yes &= all;
        r.no &= all;
        return r;
    }

    std::size_t size() const { return hyps_.size(); }
    std::int32_t finding_of(std::int32_t h) const { return hyps_[static_cast<std::size_t>(h)].finding; }
    const FindingValue& answer_of(std::int32_t h) const { return hyps_[static_cast<std::size_t>(h)].answer; }

    // Starts the batch of hypotheses first .. first + 63 (a multiple of 64): forgets what the last
    // batch worked out.
    void start_batch(const Compiled& k, std::size_t first) {
        if (memo_.size() != k.nodes.size() + k.leaf_node.size()) {
            memo_.assign(k.nodes.size() + k.leaf_node.size(), 0);
            stamp_ = 0;
        }
        if (++stamp_ == 0) {
            std::fill(memo_.begin(), memo_.end(), 0);
            stamp_ = 1;
        }
        results_.clear();
        first_ = first;
        const std::size_t count = std::min(batch_size, hyps_.size() - first);
        all_ = count == batch_size ? ~std::uint64_t{0} : (std::uint64_t{1} << count) - 1;
        signature_ = 0;
        for (std::size_t h = first; h < first + count; ++h) signature_ |= finding_bit(hyps_[h].finding);
    }

    // `node`'s masks for the batch. `eval` gives any node's value for the case; `leaves` are the case's
    // leaf values.
    template <class Eval>
    Masks masks(const Compiled& k, std::uint32_t node, const std::uint8_t* leaves, const Eval& eval) {
        const std::int32_t leaf = k.leaf_of_node[node];
        if ((k.node_findings[node] & signature_) == 0)  // reads no hypothesis' finding: as for the case
            return constant(leaf >= 0 ? static_cast<Tri>(leaves[leaf]) : eval(node));
        // A leaf is remembered by its leaf number: rules share leaves through different nodes.
        const std::size_t slot = leaf >= 0 ? k.nodes.size() + static_cast<std::size_t>(leaf) : node;
        const std::uint64_t m = memo_[slot];
        if ((m >> 32) == stamp_) return results_[static_cast<std::uint32_t>(m)];
        const Masks r = leaf >= 0 ? leaf_masks(k, k.nodes[node], static_cast<Tri>(leaves[leaf])) : composite_masks(k, node, leaves, eval);
        memo_[slot] = (static_cast<std::uint64_t>(stamp_) << 32) | results_.size();
        results_.push_back(r);
        return r;
    }

private:
    struct Hyp {
        std::int32_t finding;
        std::int32_t next;    // the next hypothesis on the same finding, -1 at the end
        FindingValue answer;  // the finding's value under it
    };

    std::vector<Hyp> hyps_;
    std::vector<std::int32_t> head_, tail_, used_;  // per finding: its hypotheses, as a list
    std::size_t first_ = 0;                         // the batch's first hypothesis
    std::uint64_t all_ = 0;                         // the batch's bits
    std::uint64_t signature_ = 0;                   // its hypotheses' findings (Compiled::node_findings' bits)
    std::vector<std::uint64_t> memo_;               // per node, then per leaf: (stamp << 32) | index in results_
    std::uint32_t stamp_ = 0;
    std::vector<Masks> results_;

    Masks constant(Tri v) const { return Masks{v == Tri::yes ? all_ : 0, v == Tri::no ? all_ : 0}; }

    // A leaf: its value for the case, but under its finding's hypotheses the value it takes there.
    Masks leaf_masks(const Compiled& k, const Node& n, Tri now) const {
        Masks r = constant(now);
        const std::size_t last = first_ + batch_size;
        for (std::int32_t h = head_[static_cast<std::size_t>(n.finding)]; h >= 0; h = hyps_[static_cast<std::size_t>(h)].next) {
            const auto hi = static_cast<std::size_t>(h);
            if (hi < first_) continue;
            if (hi >= last) break;  // the list is in the order of h
            const std::uint64_t bit = std::uint64_t{1} << (hi - first_);
            const Tri v = leaf_value(k, n, hyps_[hi].answer);
            r.yes = v == Tri::yes ? r.yes | bit : r.yes & ~bit;
            r.no = v == Tri::no ? r.no | bit : r.no & ~bit;
        }
        return r;
    }

    template <class Eval>
    Masks composite_masks(const Compiled& k, std::uint32_t node, const std::uint8_t* leaves, const Eval& eval) {
        const Node& n = k.nodes[node];
        const std::uint32_t* child = k.children.data() + n.first;
        switch (n.op) {
            case Op::all: {
                Masks r{all_, 0};
                for (std::uint32_t i = 0; i < n.count; ++i) {
                    const Masks c = masks(k, child[i], leaves, eval);
                    r.yes &= c.yes;
                    r.no |= c.no;
                    if (r.no == all_) break;  // false under every hypothesis
                }
                return r;
            }
            case Op::any: {
                Masks r{0, all_};
                for (std::uint32_t i = 0; i < n.count; ++i) {
                    const Masks c = masks(k, child[i], leaves, eval);
                    r.yes |= c.yes;
                    r.no &= c.no;
                    if (r.yes == all_) break;  // true under every hypothesis
                }
                return r;
            }
            case Op::not_: {
                const Masks c = masks(k, child[0], leaves, eval);
                return Masks{c.no, c.yes};
            }
            case Op::at_least:
                return at_least_masks(n, all_, [&](std::uint32_t i) { return masks(k, child[i], leaves, eval); });
            default: return constant(eval(node));  // age, sex
        }
    }
};

}  // namespace detail
}  // namespace symtri
