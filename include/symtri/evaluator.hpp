// SPDX-License-Identifier: Apache-2.0
// Evaluator: one case against a compiled rule set -> an Outcome (level, fired rules, blocks, questions).
//
// Cost follows the case, not the rule set: only rules that read an answered finding, or that the
// patient's age or sex alone could make true (when given), are evaluated. Every other rule has all of
// its findings unanswered, so in Kleene logic it cannot be true: it can only contribute questions,
// and those are found through the finding -> rules index (highest level first) with an early stop.
// When the answers index a large share of the rules, all rules are evaluated in result order instead.
//
// An Evaluator holds scratch memory and is not thread-safe; use one per thread. The RuleSet it reads is
// shared and never written.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "case.hpp"
#include "ruleset.hpp"

namespace symtri {

// One question of a result: about a finding (attr < 0), or about one attribute of a finding the case
// gives as present. Built by the question planner (detail/questions.hpp).
struct Question {
    std::int32_t finding;
    std::int32_t level;        // could_raise_to: the highest level answering it could lead to, with other answers
    std::int32_t if_yes = -1;  // finding questions: the exact level if it alone were answered present
    std::int8_t attr = -1;     // Attr index for an attribute question
    bool screening = false;    // one of the rule set's screening questions
    bool relevant = false;     // belongs to what the person said (a rule reading a present finding)
    // Attribute questions with choices: the choices that alone would raise the level, as
    // Outcome::answers[answers_first .. answers_first + answers_count).
    std::uint16_t answers_count = 0;
    std::uint32_t answers_first = 0;
    // Order keys (detail/questions.hpp): the best level one answer gives, and how many more "yes"
    // answers the closest rule behind it still needs.
    std::int32_t single = -1;
    std::uint32_t need = 0;
};

namespace detail {
// One thing a person can be asked (detail/questions.hpp, askables_and_need): a finding (attr < 0), an
// attribute of a present finding, or the patient's age (finding -1, attr 0) or sex (finding -1, attr 1).
struct Askable {
    std::int32_t finding;
    std::int32_t attr;
};
}  // namespace detail

// One choice of an attribute question and the level it alone would give: `value` is the attribute's
// value index (side, onset, trend, sites), 0/1 for at_night and constant, or the interned character.
struct AnswerLevel {
    std::int32_t value;
    std::int32_t level;
};

// Per-triage options a host may set (C: SYMTRI_OPT_MAX_QUESTIONS, Python: max_questions=, CLI:
// --max-questions). The defaults give the full result the contract describes.
struct TriageOptions {
    // Most questions listed (the first ones of the interview order); 0 = all.
    std::size_t max_questions = 0;
    // Also list, in `other_question_list`, the unknown findings that could still raise the level but
    // do not belong to what the person said (by default only counted in `other_questions`).
    bool list_other_questions = false;
};

// The findings that made one fired rule true (see Outcome::because_of).
struct BecauseRef {
    std::int32_t rule;
    std::uint32_t first, count;  // into Outcome::because
};

struct Outcome {
    std::int32_t level = 0;
    std::vector<std::int32_t> fired;  // rule indices, in result order
    std::vector<std::pair<std::int32_t, std::int32_t>> blocks;  // (caution, recommendation held back)
    std::vector<Question> questions;  // the interview's questions, in the order to ask them
    std::vector<AnswerLevel> answers; // choices of attribute questions that would raise the level
    std::vector<Question> others;     // other findings worth asking (only with list_other_questions)
    std::size_t other_questions = 0;  // how many those are
    // Patient data a rule behind the questions needs but the case lacks: bit 0 age, bit 1 sex.
    std::uint8_t needs_patient = 0;
    // For each fired rule whose `because` depends on the case (Compiled::RuleJson::because_at), the
    // findings that made it true, found while the case's values were at hand, so writing the result
    // evaluates nothing again.
    std::vector<std::int32_t> because;
    std::vector<BecauseRef> because_of;

    bool is_blocked(std::int32_t rule) const {
        for (const auto& b : blocks)
            if (b.second == rule) return true;
        return false;
    }
    bool has_fired(std::int32_t rule) const { return std::find(fired.begin(), fired.end(), rule) != fired.end(); }
};

namespace detail {

// An enumerated attribute the case does not give: unknown, unless the rule's list holds `null`.
inline Tri not_given(const AttrTest& t) { return (t.mask & AttrTest::not_given) ? Tri::yes : Tri::unknown; }

// One attribute test of a finding condition against the finding's answer (present).
inline Tri attribute_test(const Compiled& k, const AttrTest& t, const FindingValue& f) {
    switch (t.attr) {
        case Attr::side: return f.side < 0 ? not_given(t) : ((t.mask >> f.side) & 1u ? Tri::yes : Tri::no);
        case Attr::onset: return f.onset < 0 ? not_given(t) : ((t.mask >> f.onset) & 1u ? Tri::yes : Tri::no);
        case Attr::trend: return f.trend < 0 ? not_given(t) : ((t.mask >> f.trend) & 1u ? Tri::yes : Tri::no);
        case Attr::sites: return f.sites == 0 ? Tri::unknown : (f.sites & t.mask ? Tri::yes : Tri::no);
        case Attr::duration_days:
            return std::isnan(f.duration_days) ? Tri::unknown : (t.range.contains(f.duration_days) ? Tri::yes : Tri::no);
        case Attr::severity:
            return f.severity < 0 ? Tri::unknown : (t.range.contains(f.severity) ? Tri::yes : Tri::no);
        case Attr::at_night: return f.at_night < 0 ? Tri::unknown : (f.at_night == t.boolean ? Tri::yes : Tri::no);
        case Attr::constant: return f.constant < 0 ? Tri::unknown : (f.constant == t.boolean ? Tri::yes : Tri::no);
        case Attr::character: {
            if (f.character == -1) return Tri::unknown;
            for (std::uint32_t i = 0; i < t.set_count; ++i)
                if (k.character_sets[t.set_first + i] == f.character) return Tri::yes;
            return Tri::no;
        }
    }
    return Tri::unknown;
}

// A leaf's value for one finding's answer: what set_leaves gives it, and the question
// planner for a hypothetical answer.
inline Tri leaf_value(const Compiled& k, const Node& n, const FindingValue& fv) {
    if (fv.presence == Presence::unknown) return Tri::unknown;
    const bool present = fv.presence == Presence::present;
    if (n.op == Op::absent) return present ? Tri::no : Tri::yes;
    if (!present) return Tri::no;
    Tri v = Tri::yes;
    for (std::uint32_t i = 0; i < n.count; ++i) {
        Tri t = attribute_test(k, k.tests[n.first + i], fv);
        if (t == Tri::no) return Tri::no;
        if (t == Tri::unknown) v = Tri::unknown;
    }
    return v;
}

// Kleene's all, any, not and at_least over a composite node's children, `value(child)` giving each
// child's truth; unknown for any other node. The one definition of the logic: ConditionEval (the
// reference) and the leaf evaluator differ only in how they get a child's value.
template <class Value>
inline Tri combine(const Node& n, const Compiled& k, Value&& value) {
    switch (n.op) {
        case Op::all: {
            Tri r = Tri::yes;
            for (std::uint32_t i = 0; i < n.count; ++i) {
                Tri v = value(k.children[n.first + i]);
                if (v == Tri::no) return Tri::no;
                if (v == Tri::unknown) r = Tri::unknown;
            }
            return r;
        }
        case Op::any: {
            Tri r = Tri::no;
            for (std::uint32_t i = 0; i < n.count; ++i) {
                Tri v = value(k.children[n.first + i]);
                if (v == Tri::yes) return Tri::yes;
                if (v == Tri::unknown) r = Tri::unknown;
            }
            return r;
        }
        case Op::not_: {
            Tri v = value(k.children[n.first]);
            return v == Tri::yes ? Tri::no : v == Tri::no ? Tri::yes : Tri::unknown;
        }
        case Op::at_least: {
            std::uint32_t yes = 0, unknown = 0;
            for (std::uint32_t i = 0; i < n.count; ++i) {
                Tri v = value(k.children[n.first + i]);
                if (v == Tri::yes && ++yes >= n.threshold) return Tri::yes;
                if (v == Tri::unknown) ++unknown;
            }
            return yes + unknown >= n.threshold ? Tri::unknown : Tri::no;
        }
        default: return Tri::unknown;
    }
}

// The findings that made a true node true (for "because"), in node order, each once in out[first ..]:
// the findings of the true `finding` leaves reached through true children of all, any and at_least.
// `not`, absent, age and sex hold because something is *not* so, and name no finding. As combine(),
// one definition for ConditionEval and the leaf evaluator, which differ in how a child's value is read.
template <class Value>
inline void because_findings(const Compiled& k, std::uint32_t node, Value value, std::vector<std::int32_t>& out,
                             std::size_t first) {
    const Node& n = k.nodes[node];
    switch (n.op) {
        case Op::all:
        case Op::any:
        case Op::at_least:
            for (std::uint32_t i = 0; i < n.count; ++i) {
                const std::uint32_t ch = k.children[n.first + i];
                if (value(ch) == Tri::yes) because_findings(k, ch, value, out, first);
            }
            return;
        case Op::finding:
            if (std::find(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(), n.finding) == out.end())
                out.push_back(n.finding);
            return;
        default:
            return;
    }
}

// Unanswered findings reachable from `node` through unknown nodes: answering any of them could
// settle it. `eval` gives a node's value. A finding or absent test is unknown exactly when its finding
// is unanswered, so those are visited without asking `eval` (for the leaf evaluator, without looking
// their leaf up). One definition for both evaluators below.
template <class Eval, class Visit>
void visit_unknown_findings(const Compiled& k, const Case& c, std::uint32_t node, const Eval& eval, Visit& visit) {
    auto unanswered = [&](const Node& x) { return c.findings[static_cast<std::size_t>(x.finding)].presence == Presence::unknown; };
    const Node& n = k.nodes[node];
    switch (n.op) {
        case Op::finding:
        case Op::absent:
            if (unanswered(n)) visit(n.finding);
            return;
        case Op::age:
        case Op::sex:
            return;
        default:
            for (std::uint32_t i = 0; i < n.count; ++i) {
                std::uint32_t ch = k.children[n.first + i];
                const Node& cn = k.nodes[ch];
                if (cn.op == Op::finding || cn.op == Op::absent) {
                    if (unanswered(cn)) visit(cn.finding);
                } else if (cn.op != Op::age && cn.op != Op::sex && eval(ch) == Tri::unknown) {
                    visit_unknown_findings(k, c, ch, eval, visit);
                }
            }
    }
}

// Three-valued evaluation of condition nodes against a case. Stateless apart from the references.
class ConditionEval {
public:
    ConditionEval(const RuleSet& rs, const Case& c) : c_(c), k_(rs.compiled) {}

    Tri eval(std::uint32_t node) const {
        const Node& n = k_.nodes[node];
        switch (n.op) {
            case Op::all:
            case Op::any:
            case Op::not_:
            case Op::at_least:
                return combine(n, k_, [this](std::uint32_t ch) { return child(ch); });
            case Op::finding: return finding(n);
            case Op::absent: {
                Presence p = c_.findings[static_cast<std::size_t>(n.finding)].presence;
                return p == Presence::unknown ? Tri::unknown : p == Presence::absent ? Tri::yes : Tri::no;
            }
            case Op::age:
                if (!c_.has_age()) return Tri::unknown;
                return k_.ranges[n.first].contains(c_.age) ? Tri::yes : Tri::no;
            case Op::sex:
                if (c_.sex < 0) return Tri::unknown;
                return (n.first >> c_.sex) & 1u ? Tri::yes : Tri::no;
        }
        return Tri::unknown;
    }

    // Findings that made a true node true (for "because"), in node order, without duplicates.
    void because(std::uint32_t node, std::vector<std::int32_t>& out) const {
        because_findings(k_, node, [this](std::uint32_t ch) { return eval(ch); }, out, 0);
    }

    // Unanswered findings reachable through unknown nodes: answering any of them could settle `node`.
    template <class Visit>
    void unknown_findings(std::uint32_t node, Visit&& visit) const {
        visit_unknown_findings(k_, c_, node, [this](std::uint32_t ch) { return eval(ch); }, visit);
    }

private:
    const Case& c_;
    const Compiled& k_;

    // A child of all/any: finding leaves (most children) inline, the rest through eval(). Saves a
    // call and a switch per leaf in the hot loop.
    Tri child(std::uint32_t node) const {
        const Node& n = k_.nodes[node];
        return n.op == Op::finding ? finding(n) : eval(node);
    }

    Tri finding(const Node& n) const {
        const FindingValue& f = c_.findings[static_cast<std::size_t>(n.finding)];
        if (f.presence != Presence::present) return f.presence == Presence::unknown ? Tri::unknown : Tri::no;
        Tri r = Tri::yes;
        for (std::uint32_t i = 0; i < n.count; ++i) {
            Tri v = test(k_.tests[n.first + i], f);
            if (v == Tri::no) return Tri::no;
            if (v == Tri::unknown) r = Tri::unknown;
        }
        return r;
    }

    Tri test(const AttrTest& t, const FindingValue& f) const { return attribute_test(k_, t, f); }
};

// The evaluator's way of evaluating a node: the same three-valued semantics as ConditionEval (which
// stays the literal definition, and what tests compare the evaluator with), but a finding or absent
// node is read from the per-case leaf values (Compiled::leaf_of_node) instead of being worked out again.
//
// Composite nodes below a rule's root are evaluated once per case: a named condition many rules
// share, or a subtree unknown_findings() looks at again at every level above it, costs one lookup
// after the first time. memo[node] holds (stamp << 2) | value once the node was evaluated with this
// stamp: one byte a node, stamps 1 to max_stamp; the memo's owner changes the stamp whenever the case
// or the leaves do, and clears the memo when the stamps run out. A rule's root is evaluated once per
// case anyway (eval_root); leaves, age and sex cost less than a lookup.
class LeafEval {
public:
    LeafEval(const RuleSet& rs, const Case& c, const std::uint8_t* leaves, std::uint8_t* memo, std::uint8_t stamp)
        : c_(c), k_(rs.compiled), leaves_(leaves), memo_(memo), stamp_(stamp) {}

    // The largest stamp a memo entry can hold.
    static constexpr std::uint8_t max_stamp = 63;

    // Any node; composite ones through the memo.
    Tri eval(std::uint32_t node) const {
        std::int32_t l = k_.leaf_of_node[node];
        if (l >= 0) return static_cast<Tri>(leaves_[l]);
        const Node& n = k_.nodes[node];
        if (n.op == Op::age || n.op == Op::sex) return patient(n);
        std::uint8_t m = memo_[node];
        if ((m >> 2) == stamp_) return static_cast<Tri>(m & 3u);
        Tri v = composite(n);
        memo_[node] = static_cast<std::uint8_t>((stamp_ << 2) | static_cast<std::uint8_t>(v));
        return v;
    }

    // A rule's root (evaluated once per case): the same, without the memo.
    Tri eval_root(std::uint32_t node) const {
        std::int32_t l = k_.leaf_of_node[node];
        if (l >= 0) return static_cast<Tri>(leaves_[l]);
        const Node& n = k_.nodes[node];
        if (n.op == Op::age || n.op == Op::sex) return patient(n);
        return composite(n);
    }

    // A node's value, as eval(), for the question planner: through settled(), so that eval() keeps the
    // few callers GCC inlines it into on the hot paths.
    Tri value(std::uint32_t node) const { return settled(node); }

    // As ConditionEval::because, through the memo; a finding is added once to out[first ..].
    void because(std::uint32_t node, std::vector<std::int32_t>& out, std::size_t first) const {
        because_findings(k_, node, [this](std::uint32_t ch) { return settled(ch); }, out, first);
    }

    // As ConditionEval::unknown_findings.
    template <class Visit>
    void unknown_findings(std::uint32_t node, Visit&& visit) const {
        visit_unknown_findings(k_, c_, node, [this](std::uint32_t ch) { return eval(ch); }, visit);
    }

    // rule(), its value also kept as its root node's: a rule whose condition names other rules'
    // conditions (the cautions that hold home care back behind any red flag) then reads them from the
    // memo, when the evaluator goes through the rules in result order, as it does.
    Tri rule_noted(const Compiled::FlatRule& fr) const {
        Tri v = rule(fr);
        memo_[k_.hot[static_cast<std::size_t>(fr.rule)].root] = static_cast<std::uint8_t>((stamp_ << 2) | static_cast<std::uint8_t>(v));
        return v;
    }

    // One rule of the flat program (Compiled::flat): in Kleene order no < unknown < yes, `all` is the
    // minimum of its children and `any` the maximum.
    Tri rule(const Compiled::FlatRule& fr) const {
        const std::uint32_t* l = k_.flat_leaves.data() + fr.first;
        switch (fr.shape) {
            case Compiled::Shape::all_leaves: {
                std::uint8_t v = static_cast<std::uint8_t>(Tri::yes);
                for (std::uint32_t i = 0; i < fr.count; ++i) v = std::min(v, leaves_[l[i]]);
                return static_cast<Tri>(v);
            }
            case Compiled::Shape::any_leaves: {
                std::uint8_t v = static_cast<std::uint8_t>(Tri::no);
                for (std::uint32_t i = 0; i < fr.count; ++i) v = std::max(v, leaves_[l[i]]);
                return static_cast<Tri>(v);
            }
            case Compiled::Shape::tree: break;
        }
        return eval_root(k_.hot[static_cast<std::size_t>(fr.rule)].root);
    }

private:
    const Case& c_;
    const Compiled& k_;
    const std::uint8_t* leaves_;
    std::uint8_t* memo_;
    std::uint8_t stamp_;

    Tri patient(const Node& n) const {
        if (n.op == Op::age) {
            if (!c_.has_age()) return Tri::unknown;
            return k_.ranges[n.first].contains(c_.age) ? Tri::yes : Tri::no;
        }
        if (c_.sex < 0) return Tri::unknown;
        return (n.first >> c_.sex) & 1u ? Tri::yes : Tri::no;
    }

    // eval() for because(), written out rather than called: one more caller of eval() made GCC stop
    // inlining it on the hot paths (callgrind: +4,700 instructions per typical triage).
    Tri settled(std::uint32_t node) const {
        std::int32_t l = k_.leaf_of_node[node];
        if (l >= 0) return static_cast<Tri>(leaves_[l]);
        const Node& n = k_.nodes[node];
        if (n.op == Op::age || n.op == Op::sex) return patient(n);
        std::uint8_t m = memo_[node];
        if ((m >> 2) == stamp_) return static_cast<Tri>(m & 3u);
        return composite(n);
    }

    // all, any, not, at_least.
    Tri composite(const Node& n) const {
        return combine(n, k_, [this](std::uint32_t ch) { return eval(ch); });
    }
};

}  // namespace detail
}  // namespace symtri

#include "detail/finding_bits.hpp"
#include "detail/single_answers.hpp"  // needs leaf_value, above
#include "detail/node_sets.hpp"       // the same

namespace symtri {

class Evaluator {
public:
    explicit Evaluator(RuleSetPtr rules, TriageOptions options = {}) : rs_(std::move(rules)), opt_(options) {
        slot_.assign(rs_->rules.size(), Slot{});
        qlevel_.assign(rs_->findings.size(), -1);
        cand_of_.assign(rs_->findings.size(), -1);
        pick_.assign(rs_->findings.size(), -1);
        rule_seen_.assign(rs_->rules.size(), 0);
        // Leaves first, then a slot per node for the whole-case program (Compiled::node_order).
        leaves_.assign(rs_->compiled.leaf_node.size() + rs_->compiled.nodes.size(), static_cast<std::uint8_t>(Tri::unknown));
        answered_stamp_.assign(rs_->findings.size(), 0);
        memo_.assign(rs_->compiled.nodes.size(), 0);
        rules_above_.assign(rs_->levels.size() + 1, 0);
        for (const auto& h : rs_->compiled.hot)
            for (std::int32_t l = 0; l < h.level; ++l) ++rules_above_[static_cast<std::size_t>(l)];
    }

    const RuleSet& rules() const { return *rs_; }
    const RuleSetPtr& rules_ptr() const { return rs_; }
    const TriageOptions& options() const { return opt_; }
    void set_options(const TriageOptions& options) { opt_ = options; }

    // Evaluates `c` (prepared for this rule set) into `out`, reusing out's memory.
    void evaluate(const Case& c, Outcome& out) {
        const RuleSet& rs = *rs_;
        const auto& k = rs.compiled;
        out.level = 0;
        out.fired.clear();
        out.blocks.clear();
        out.questions.clear();
        if (++epoch_ == 0) {  // wrapped: stale stamps could collide
            for (auto& s : slot_) s.stamp = 0;
            std::fill(answered_stamp_.begin(), answered_stamp_.end(), 0u);
            epoch_ = 1;
        }
        touched_.clear();
        set_leaves(c);
        if (++memo_stamp_ > detail::LeafEval::max_stamp) {
            std::fill(memo_.begin(), memo_.end(), 0u);
            memo_stamp_ = 1;
        }
        detail::LeafEval ev(rs, c, leaves_.data(), memo_.data(), memo_stamp_);

        // How many rules the answers index. When that is a good share of the rule set, evaluating every
        // rule in result order is cheaper than collecting, de-duplicating and then sorting them.
        std::size_t indexed = 0;
        for (auto f : c.answered)
            indexed += k.finding_rules_start[static_cast<std::size_t>(f) + 1] - k.finding_rules_start[static_cast<std::size_t>(f)];
        dense_ = indexed * 4 >= rs.rules.size();
        if (dense_) {
            // Every rule has a value this time: no stamps needed. No branch on the value either: each
            // rule is written to the fired list, which grows only when it fired.
            if (fired_.size() < k.flat.size()) fired_.resize(k.flat.size());
            evaluate_all_nodes(c, ev);
            const std::uint8_t* values = leaves_.data();
            std::int32_t* fired = fired_.data();
            std::size_t n = 0;
            std::int32_t level = 0, unknown_level = -1;
            for (const auto& fr : k.flat) {
                const Tri v = static_cast<Tri>(values[fr.slot]);
                slot_[static_cast<std::size_t>(fr.rule)].value = v;
                const bool yes = v == Tri::yes;
                fired[n] = fr.rule;
                n += yes;
                level = std::max(level, yes ? fr.level : 0);
                unknown_level = std::max(unknown_level, v == Tri::unknown ? fr.level : -1);
            }
            out.fired.assign(fired, fired + n);
            out.level = level;
            unknown_level_ = unknown_level;
        } else {
            auto touch = [&](std::int32_t r) {
                if (slot_[static_cast<std::size_t>(r)].stamp != epoch_) {
                    slot_[static_cast<std::size_t>(r)].stamp = epoch_;
                    touched_.push_back(r);
                }
            };
            for (auto f : c.answered)
                for (auto i = k.finding_rules_start[static_cast<std::size_t>(f)]; i < k.finding_rules_start[static_cast<std::size_t>(f) + 1]; ++i)
                    touch(k.finding_rules[i]);
            if (c.has_patient())
                for (auto r : k.patient_rules) touch(r);
            // In result order: the fired list comes out sorted, and a rule that names other rules'
            // conditions (cautions come after red flags and recommendations) finds them in the memo.
            std::sort(touched_.begin(), touched_.end(), [&](std::int32_t a, std::int32_t b) {
                return k.hot[static_cast<std::size_t>(a)].order < k.hot[static_cast<std::size_t>(b)].order;
            });
            for (auto r : touched_) {
                auto ri = static_cast<std::size_t>(r);
                Tri v = ev.rule_noted(k.flat[k.hot[ri].order]);
                slot_[ri].value = v;
                if (v == Tri::yes) {
                    out.fired.push_back(r);
                    out.level = std::max(out.level, k.hot[ri].level);
                }
            }
        }

        // Cautions hold back the recommendations they name (which still count for the level above).
        for (auto r : out.fired) {
            if (k.hot[static_cast<std::size_t>(r)].kind != RuleKind::caution) continue;
            const Rule& rule = rs.rules[static_cast<std::size_t>(r)];
            for (auto b : rule.blocks)
                if ((dense_ || slot_[static_cast<std::size_t>(b)].stamp == epoch_) && slot_[static_cast<std::size_t>(b)].value == Tri::yes)
                    out.blocks.emplace_back(r, b);
        }

        keep_because(ev, out);  // while ev's memo holds this case's values
        candidates(c, ev, out);
        plan_questions(c, ev, out);  // detail/questions.hpp
    }

private:
    RuleSetPtr rs_;
    TriageOptions opt_;
    // Per rule: stamp == epoch_ says rule r was evaluated for this case (sparse path), and value is
    // what it gave. Side by side, so touching a rule costs one cache line.
    struct Slot {
        std::uint32_t stamp = 0;
        Tri value = Tri::unknown;
    };
    std::vector<Slot> slot_;
    std::vector<std::int32_t> touched_;
    bool dense_ = false;                // this case evaluated every rule
    std::int32_t unknown_level_ = -1;   // dense: the highest level of a rule that came out unknown
    std::vector<std::int32_t> qlevel_;  // per finding: highest level it could lead to, -1 = none
    std::vector<std::int32_t> qlist_;
    std::vector<Question> cand_;          // candidates(): every finding question that could raise the level
    std::vector<std::int32_t> cand_of_;   // per finding: its index in cand_, or -1
    // The question planner's scratch (detail/questions.hpp).
    std::vector<std::uint32_t> rule_seen_;      // per rule: plan_stamp_ once visited for this case
    std::vector<std::int32_t> pick_;            // per finding: index in out.questions, or -1
    std::vector<std::int32_t> picked_;          // findings with pick_ set
    detail::SingleAnswers single_;              // what one answer does, for every answer offered
    struct Tried {                              // one answer tried for an attribute or other question
        std::int32_t hyp;                       // its hypothesis in single_
        std::int32_t value;                     // the choice (AnswerLevel::value), or the finding
        bool listed;                            // a choice the result lists when it raises the level
    };
    std::vector<Tried> tried_;
    std::vector<std::int32_t> hyp_level_;       // per hypothesis in single_: the level it alone gives
    std::vector<detail::SingleAnswers::Masks> hyp_masks_;  // dense_hypothesis_levels(): per value slot, its masks
    std::vector<detail::Askable> askables_;     // plan_questions()' scratch
    std::vector<std::int32_t> choice_characters_;  // attribute_choices()' scratch
    std::vector<double> choice_numbers_, choice_points_;
    std::uint32_t plan_stamp_ = 0;
    std::uint32_t epoch_ = 0;
    // Per leaf (Compiled::leaf_node), its value for the case being evaluated, as a Tri. Unknown
    // except for the leaves of the findings in leaf_findings_ (the last case's answered ones). After
    // the leaves, one slot per node: the dense path's node values (evaluate_all_nodes; Compiled::slot_of).
    std::vector<std::uint8_t> leaves_;
    std::vector<std::int32_t> leaf_findings_;
    std::vector<std::uint32_t> answered_stamp_;  // per finding: epoch_ of the last case that answered it
    std::vector<std::uint8_t> memo_;             // per node: LeafEval's memo
    std::uint8_t memo_stamp_ = 0;
    std::vector<std::int32_t> fired_;  // dense path: room for every rule (made on first use)
    std::uint64_t answered_bits_ = 0;  // dense path: the case's answered findings' finding_bit()s
    detail::NodeSets node_sets_;  // dense_candidates(): the node sets of the dense path
    bool sets_pass_ = false;      // candidates() left cand_ to the planner's dense_candidates()
    std::vector<std::size_t> rules_above_;  // per level: how many rules have a higher one (fixed)

    // Whether the dense path's passes over every node (dense_candidates, dense_hypothesis_levels) pay
    // at this level: they cost about as much as walking the rules above the level when those are a
    // quarter as many as the composite nodes, so they are taken when there are more (a low level; a red
    // flag's leaves few rules above it, and walking just those is cheaper).
    bool node_passes_pay(std::int32_t level) const {
        return rules_above_[static_cast<std::size_t>(level)] * 4 >= rs_->compiled.node_order.size();
    }

    // The leaves of the case's answered findings, worked out once (every other leaf is unknown: its
    // finding is unanswered); the previous case's first put back to unknown. What ConditionEval
    // gives for a finding or absent node, finding by finding.
    void set_leaves(const Case& c) {
        const auto& k = rs_->compiled;
        const auto& start = k.finding_leaves_start;
        std::uint8_t* leaves = leaves_.data();
        // The last case's leaves back to unknown, but for findings this case answers again (most, in a
        // run of similar cases), which the loop below overwrites anyway.
        for (auto f : c.answered) answered_stamp_[static_cast<std::size_t>(f)] = epoch_;
        for (auto f : leaf_findings_) {
            auto fi = static_cast<std::size_t>(f);
            if (answered_stamp_[fi] == epoch_) continue;
            for (auto l = start[fi]; l < start[fi + 1]; ++l) leaves[l] = static_cast<std::uint8_t>(Tri::unknown);
        }
        leaf_findings_.assign(c.answered.begin(), c.answered.end());
        for (auto f : c.answered) {
            auto fi = static_cast<std::size_t>(f);
            const FindingValue& fv = c.findings[fi];
            // (unknown for a finding answered, then unset with Case::set)
            for (auto l = start[fi]; l < start[fi + 1]; ++l)
                leaves[l] = static_cast<std::uint8_t>(detail::leaf_value(k, k.nodes[k.leaf_node[l]], fv));
        }
    }

    // Every node's value for the case, for the dense path: the patient nodes, then every composite
    // node after its children (Compiled::node_order), each read from and written to its value slot in
    // leaves_; the composites also go into the memo, where LeafEval (because, questions) finds them.
    // Kleene's all and any are the minimum and maximum in the order no < unknown < yes; `not` swaps
    // yes and no; at_least goes through combine(). What combine() gives for each (the reference test compares
    // every rule with ConditionEval). A node with no answered finding below it (Compiled::node_findings
    // against the answered ones' bits: a shared bit only costs the work) and no age or sex test the case
    // could settle has only unknown leaves, and is unknown without looking at its children: all, any,
    // not and at_least (1 <= threshold <= children) of unknowns are unknown (Compiled::reads_no_answer).
    void evaluate_all_nodes(const Case& c, const detail::LeafEval& ev) {
        const auto& k = rs_->compiled;
        answered_bits_ = 0;
        for (auto f : c.answered)
            if (c.findings[static_cast<std::size_t>(f)].presence != Presence::unknown) answered_bits_ |= detail::finding_bit(f);
        const std::uint64_t answered = answered_bits_;
        const bool patient = c.has_patient();
        std::uint8_t* values = leaves_.data() + k.leaf_node.size();  // indexed by node
        const std::uint8_t* slots = leaves_.data();
        for (auto id : k.patient_nodes) values[id] = static_cast<std::uint8_t>(ev.eval_root(id));
        const std::uint8_t stamp = static_cast<std::uint8_t>(memo_stamp_ << 2);
        const detail::Node* nodes = k.nodes.data();
        const std::uint32_t* child = k.child_slot.data();
        std::uint8_t* memo = memo_.data();
        for (auto id : k.node_order) {
            if (k.reads_no_answer(id, answered, patient)) {
                values[id] = static_cast<std::uint8_t>(Tri::unknown);
                memo[id] = static_cast<std::uint8_t>(stamp | static_cast<std::uint8_t>(Tri::unknown));
                continue;
            }
            const detail::Node& n = nodes[id];
            const std::uint32_t* ch = child + n.first;
            std::uint8_t v;
            switch (n.op) {
                case detail::Op::all:
                    v = static_cast<std::uint8_t>(Tri::yes);
                    for (std::uint32_t i = 0; i < n.count; ++i) v = std::min(v, slots[ch[i]]);
                    break;
                case detail::Op::any:
                    v = static_cast<std::uint8_t>(Tri::no);
                    for (std::uint32_t i = 0; i < n.count; ++i) v = std::max(v, slots[ch[i]]);
                    break;
                case detail::Op::not_:
                    v = static_cast<std::uint8_t>(2u - slots[ch[0]]);
                    break;
                default:  // at_least (rare): combine()'s, by child node
                    v = static_cast<std::uint8_t>(
                        detail::combine(n, k, [&](std::uint32_t node) { return static_cast<Tri>(slots[k.slot_of(node)]); }));
                    break;
            }
            values[id] = v;
            memo[id] = static_cast<std::uint8_t>(stamp | v);
        }
    }

    // Outcome::because: the findings behind each fired rule whose list depends on the case. Kept out of
    // evaluate() (noinline): inlined, it made GCC stop inlining LeafEval::eval on the hot paths.
#if defined(__GNUC__)
    __attribute__((noinline))
#endif
    void keep_because(const detail::LeafEval& ev, Outcome& out) const {
        const auto& k = rs_->compiled;
        out.because.clear();
        out.because_of.clear();
        for (auto r : out.fired) {
            auto ri = static_cast<std::size_t>(r);
            if (k.json_of(ri, 0).because_at == detail::Compiled::static_because) continue;
            const std::size_t first = out.because.size();
            ev.because(k.hot[ri].root, out.because, first);
            out.because_of.push_back(BecauseRef{r, static_cast<std::uint32_t>(first), static_cast<std::uint32_t>(out.because.size() - first)});
        }
    }

    // detail/questions.hpp: the interview's questions, in order, from the candidates.
    void plan_questions(const Case& c, const detail::LeafEval& ev, Outcome& out);
    void hypothesis_levels(const detail::LeafEval& ev, std::int32_t level);
    void dense_hypothesis_levels(std::int32_t level);
    template <class Add>
    void attribute_choices(const Case& c, const Question& q, Add&& add);

    // Every unanswered finding whose answer could still raise the level, with the highest level it
    // could lead to (cand_, and cand_of_ per finding): what the interview chooses its questions from.
    void candidates(const Case& c, const detail::LeafEval& ev, Outcome& out) {
        const RuleSet& rs = *rs_;
        const auto& k = rs.compiled;
        qlist_.clear();
        cand_.clear();
        sets_pass_ = false;
        auto offer = [&](std::int32_t f, std::int32_t level) {
            auto& q = qlevel_[static_cast<std::size_t>(f)];
            if (level <= q) return;
            if (q < 0) qlist_.push_back(f);
            q = level;
        };
        // An evaluated rule that is still unknown and could raise the level: every unanswered finding
        // through which it could still be settled is worth asking.
        auto offer_unknown = [&](std::int32_t r) {
            std::int32_t level = k.hot[static_cast<std::size_t>(r)].level;
            ev.unknown_findings(k.hot[static_cast<std::size_t>(r)].root, [&](std::int32_t f) { offer(f, level); });
        };
        if (dense_) {
            // No unknown rule above the level (unknown_level_): nothing to ask, no need to look.
            // Sets of findings for every node, when that pays (node_passes_pay).
            if (unknown_level_ > out.level && rs.findings.size() <= 128 && node_passes_pay(out.level)) {
                sets_pass_ = true;  // the planner makes them, with its attribute answers (dense_candidates)
                return;
            }
            if (unknown_level_ > out.level)
                for (std::size_t r = 0; r < rs.rules.size(); ++r)
                    if (k.hot[r].level > out.level && slot_[r].value == Tri::unknown) offer_unknown(static_cast<std::int32_t>(r));
        } else {
            for (auto r : touched_)
                if (k.hot[static_cast<std::size_t>(r)].level > out.level && slot_[static_cast<std::size_t>(r)].value == Tri::unknown)
                    offer_unknown(r);
            untouched_questions(c, ev, out.level, offer, offer_unknown);
        }
        for (auto f : qlist_) {
            cand_of_[static_cast<std::size_t>(f)] = static_cast<std::int32_t>(cand_.size());
            Question q;
            q.finding = f;
            q.level = qlevel_[static_cast<std::size_t>(f)];
            cand_.push_back(q);
            qlevel_[static_cast<std::size_t>(f)] = -1;
        }
    }

    // candidates() for the dense path when the vocabulary fits in 128 bits: what visit_unknown_findings
    // gives, as sets (detail/node_sets.hpp): each unknown rule above the level adds its root's open set
    // at its level, and a finding's question takes the highest level whose set holds it. The same pass
    // gives every unanswered finding's if_yes and the level of each attribute answer given to
    // node_sets_ (node_sets_.if_yes): the planner runs it once it knows those answers.
    // The order of cand_ does not matter (the planner sorts what it takes from it by a total order):
    // here it is by level, then finding.
    void dense_candidates(const Case& c, std::int32_t level) {
        const RuleSet& rs = *rs_;
        node_sets_.run(rs.compiled, c, leaves_.data(), answered_bits_, level, rs.levels.size());
        detail::FindingBits done{};
        for (auto l = static_cast<std::int32_t>(rs.levels.size()) - 1; l > level; --l) {
            const detail::FindingBits& open = node_sets_.open_at(l);
            for (int w = 0; w < 2; ++w) {
                for (std::uint64_t fresh = open.w[w] & ~done.w[w]; fresh; fresh &= fresh - 1) {
                    const auto f = static_cast<std::int32_t>(64 * w + detail::lowest_bit(fresh));
                    cand_of_[static_cast<std::size_t>(f)] = static_cast<std::int32_t>(cand_.size());
                    Question q;
                    q.finding = f;
                    q.level = l;
                    cand_.push_back(q);
                }
                done.w[w] |= open.w[w];
            }
        }
    }

    // Rules nothing in the case touched are unknown (every finding they read is unanswered), so each of
    // their findings could settle them. Findings are visited highest possible level first and the walk
    // stops at the first that cannot raise the level; each finding's rules are listed highest level
    // first, so its first untouched rule gives its level.
    template <class Offer, class OfferUnknown>
    void untouched_questions(const Case& c, const detail::LeafEval& ev, std::int32_t level, Offer& offer,
                             OfferUnknown& offer_unknown) {
        const RuleSet& rs = *rs_;
        const auto& k = rs.compiled;
        const bool patient = c.has_patient();
        for (auto f : k.findings_by_level) {
            auto fi = static_cast<std::size_t>(f);
            if (k.finding_max_level[fi] <= level) break;
            if (c.findings[fi].presence != Presence::unknown) continue;
            walk_finding(f, level, patient, ev, offer, offer_unknown);
        }
    }

    // One unanswered finding: its first untouched rule above the level gives its question's level.
    template <class Offer, class OfferUnknown>
    void walk_finding(std::int32_t f, std::int32_t level, bool patient, const detail::LeafEval& ev, Offer& offer,
                      OfferUnknown& offer_unknown) {
        const auto& k = rs_->compiled;
        auto fi = static_cast<std::size_t>(f);
        for (auto i = k.finding_rules_start[fi]; i < k.finding_rules_start[fi + 1]; ++i) {
            auto r = k.finding_rules[i];
            auto ri = static_cast<std::size_t>(r);
            if (k.hot[ri].level <= level) break;
            if (slot_[ri].stamp == epoch_) continue;  // evaluated: its questions are already offered
            if (patient && k.hot[ri].reads_patient) {
                // The patient's age or sex may already settle this rule (it cannot make it true:
                // such rules are in patient_rules and were evaluated). Evaluate it now, once.
                slot_[ri].stamp = epoch_;
                slot_[ri].value = ev.eval_root(k.hot[ri].root);
                if (slot_[ri].value != Tri::unknown) continue;
                offer_unknown(r);
                if (qlevel_[fi] >= k.hot[ri].level) break;
                continue;
            }
            offer(f, k.hot[ri].level);
            break;
        }
    }
};

}  // namespace symtri

#include "detail/questions.hpp"
