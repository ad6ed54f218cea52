// SPDX-License-Identifier: Apache-2.0
// The interview's question planner: from what the evaluator found for one case, the questions worth
// asking now, in the order to ask them (docs/case-and-result.md, "Questions and the interview").
//
// Which questions: those that belong to what the person said (an unknown finding, or an unknown
// attribute of a present finding, in a rule that reads a finding answered present and could still
// raise the level) and the rule set's screening questions (life threats every person is asked).
// Every other unknown that could raise the level is only counted (`other_questions`), or listed when
// the host asks (TriageOptions::list_other_questions).
//
// What a "yes" does: `if_yes` is the exact level with that one finding answered present and nothing
// else changed; an attribute question lists the choices that alone would raise the level. One answer
// changes only its finding's leaves, so only the rules reading that finding can change: every answer
// offered is a hypothesis, and one bit-parallel walk over those rules gives each of them the
// hypotheses that fire it (detail/single_answers.hpp). On the dense path, one pass over the nodes
// gives every finding's "yes" and the attribute answers at once (detail/node_sets.hpp).
//
// Order: the level one answer can give, highest first; at equal level the person's own complaint before
// the screening questions (what someone reports makes its own red flags far more likely); among
// questions no single answer makes urgent, attributes of what the person has before new findings (one
// answer settles a whole branch); then the highest level it could lead to with further answers; then
// the fewest further "yes" answers the closest rule behind it still needs; then vocabulary order, a
// finding before its attributes.
//
// A rule that can become true only through something the person was unsure of is no reason to ask
// anything: unsure answers stay unknown, so it never fires in this interview.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "../case_data.hpp"
#include "../ruleset.hpp"

namespace symtri {
namespace detail {

// askables_and_need's "never": the node cannot become true in this interview. An answer the person
// could not give (unsure) stays unknown, so a test that needs one can never become true: a rule that
// needs one is no reason to ask anything else.
constexpr std::uint32_t never_needed = 1u << 20;

// askables_and_need for an unknown finding or absent node.
inline std::uint32_t leaf_askables_and_need(const Compiled& k, const Case& c, const Node& n, std::vector<Askable>& found) {
    const FindingValue& fv = c.findings[static_cast<std::size_t>(n.finding)];
    if (fv.presence == Presence::unknown) {
        if (fv.unsure & FindingValue::unsure_finding) return never_needed;
        found.push_back(Askable{n.finding, -1});
        return 1;
    }
    std::uint32_t need = 1;
    if (n.op != Op::finding || fv.presence != Presence::present) return need;
    for (std::uint32_t i = 0; i < n.count; ++i) {
        const AttrTest& t = k.tests[n.first + i];
        if (attribute_test(k, t, fv) != Tri::unknown) continue;
        if (fv.unsure & (1u << static_cast<unsigned>(t.attr))) need = never_needed;
        else found.push_back(Askable{n.finding, static_cast<std::int32_t>(t.attr)});
    }
    return need;
}

// What could still settle an unknown node, and how many more "yes" answers make it true at the least,
// in one walk. Its askables (Askable, evaluator.hpp: unanswered findings not listed as unsure, attributes
// of present findings that the case does not give and are not unsure, the patient's age or sex, each
// reached through unknown nodes only) are appended to `found`. The return is 0 when the node is true,
// never_needed when it cannot become true in this interview; `eval` gives a node's value.
template <class Eval>
std::uint32_t askables_and_need(const Compiled& k, const Case& c, std::uint32_t node, const Eval& eval, std::vector<Askable>& found) {
    constexpr std::uint32_t never = never_needed;
    const Node& n = k.nodes[node];
    switch (n.op) {
        case Op::finding:
        case Op::absent: return leaf_askables_and_need(k, c, n, found);
        case Op::age:
        case Op::sex:
            found.push_back(Askable{-1, n.op == Op::age ? 0 : 1});
            return 1;
        case Op::not_:
            askables_and_need(k, c, k.children[n.first], eval, found);  // a `not` needs one answer
            return 1;
        default: break;
    }
    auto child_need = [&](std::uint32_t ch) {
        const Tri v = eval(ch);
        if (v != Tri::unknown) return v == Tri::yes ? 0u : never;
        const Node& cn = k.nodes[ch];  // a leaf (most children) without the call
        if (cn.op == Op::finding || cn.op == Op::absent) return leaf_askables_and_need(k, c, cn, found);
        return askables_and_need(k, c, ch, eval, found);
    };
    switch (n.op) {
        case Op::all: {
            std::uint32_t sum = 0;
            for (std::uint32_t i = 0; i < n.count; ++i) sum = std::min(never, sum + child_need(k.children[n.first + i]));
            return sum;
        }
        case Op::any: {
            std::uint32_t best = never;
            for (std::uint32_t i = 0; i < n.count; ++i) best = std::min(best, child_need(k.children[n.first + i]));
            return best;
        }
        case Op::at_least: {
            std::vector<std::uint32_t> each;
            for (std::uint32_t i = 0; i < n.count; ++i) each.push_back(child_need(k.children[n.first + i]));
            std::sort(each.begin(), each.end());
            std::uint32_t sum = 0;
            for (std::uint32_t i = 0; i < n.threshold && i < each.size(); ++i) sum = std::min(never, sum + each[i]);
            return sum;
        }
        default: return 1;
    }
}

}  // namespace detail

inline void Evaluator::plan_questions(const Case& c, const detail::LeafEval& ev, Outcome& out) {
    const RuleSet& rs = *rs_;
    const auto& k = rs.compiled;
    out.questions.clear();
    out.answers.clear();
    out.others.clear();
    out.other_questions = 0;
    out.needs_patient = 0;
    if (++plan_stamp_ == 0) {
        std::fill(rule_seen_.begin(), rule_seen_.end(), 0u);
        plan_stamp_ = 1;
    }
    picked_.clear();
    auto eval = [&ev](std::uint32_t node) { return ev.value(node); };

    // A finding question, once per finding.
    auto finding_question = [&](std::int32_t f, std::int32_t rule_level) -> Question& {
        auto& at = pick_[static_cast<std::size_t>(f)];
        if (at < 0) {
            at = static_cast<std::int32_t>(out.questions.size());
            picked_.push_back(f);
            Question q;
            q.finding = f;
            std::int32_t cand = cand_of_[static_cast<std::size_t>(f)];
            q.level = cand >= 0 ? cand_[static_cast<std::size_t>(cand)].level : rule_level;
            q.need = ~0u;
            out.questions.push_back(q);
        }
        return out.questions[static_cast<std::size_t>(at)];
    };

    // 1. What belongs to what the person said: unknown rules above the level that read a present finding.
    for (auto f : c.answered) {
        auto fi = static_cast<std::size_t>(f);
        if (c.findings[fi].presence != Presence::present) continue;
        for (auto i = k.finding_rules_start[fi]; i < k.finding_rules_start[fi + 1]; ++i) {
            const auto r = k.finding_rules[i];
            const auto ri = static_cast<std::size_t>(r);
            const std::int32_t level = k.hot[ri].level;
            if (level <= out.level) break;  // highest level first: nothing further can raise it
            if (rule_seen_[ri] == plan_stamp_) continue;
            rule_seen_[ri] = plan_stamp_;
            Tri v = (dense_ || slot_[ri].stamp == epoch_) ? slot_[ri].value : ev.eval_root(k.hot[ri].root);
            if (v != Tri::unknown) continue;
            askables_.clear();
            const std::uint32_t need = detail::askables_and_need(k, c, k.hot[ri].root, eval, askables_);
            if (need >= detail::never_needed) continue;  // it can only become true through an unsure answer
            for (const auto& a : askables_) {
                if (a.finding < 0) {
                    out.needs_patient |= a.attr == 0 ? 1u : 2u;
                } else if (a.attr < 0) {
                    Question& q = finding_question(a.finding, level);
                    q.relevant = true;
                    q.need = std::min(q.need, need);
                } else {
                    auto it = std::find_if(out.questions.begin(), out.questions.end(), [&](const Question& q) {
                        return q.finding == a.finding && q.attr == static_cast<std::int8_t>(a.attr);
                    });
                    if (it == out.questions.end()) {
                        Question q;
                        q.finding = a.finding;
                        q.attr = static_cast<std::int8_t>(a.attr);
                        q.level = level;
                        q.need = need;
                        q.relevant = true;
                        out.questions.push_back(q);
                    } else {
                        it->level = std::max(it->level, level);
                        it->need = std::min(it->need, need);
                    }
                }
            }
        }
    }

    // What one answer does (step 3) is worked out for every answer offered at once: a finding
    // question's "yes", each choice of an attribute question, and the other questions' "yes" when they
    // are listed. On the dense path the node sets (dense_candidates, detail/node_sets.hpp) give every
    // finding's "yes" and take the attribute choices as bits of their own: they are made here, between
    // the steps, since they also give the candidates step 2 needs. Otherwise, and for choices beyond
    // those bits, each is a hypothesis of one walk (detail/single_answers.hpp). A hypothesis id below
    // zero is the node sets' bit -1 - id.
    single_.begin(rs.findings.size());
    tried_.clear();
    const bool sets = sets_pass_;
    auto add_choices = [&](Question& q) {
        // Its choices' hypotheses are tried_[answers_first .. + answers_count) until their levels are
        // known; then the two say which of them the result lists (Outcome::answers).
        q.answers_first = static_cast<std::uint32_t>(tried_.size());
        attribute_choices(c, q, [&](std::int32_t value, bool listed, const FindingValue& h) {
            const std::int32_t bit = sets ? node_sets_.add(q.finding, h) : -1;
            tried_.push_back(Tried{bit >= 0 ? -1 - bit : single_.add(q.finding, h), value, listed});
        });
        q.answers_count = static_cast<std::uint16_t>(tried_.size() - q.answers_first);
    };
    if (sets) {
        node_sets_.begin(rs.findings.size());
        for (auto& q : out.questions)
            if (q.attr >= 0) add_choices(q);
        dense_candidates(c, out.level);
        for (auto& q : out.questions) {  // step 1 gave them their first rule's level, without cand_
            const std::int32_t cand = q.attr < 0 ? cand_of_[static_cast<std::size_t>(q.finding)] : -1;
            if (cand >= 0) q.level = cand_[static_cast<std::size_t>(cand)].level;
        }
    }

    // 2. The screening questions every person is asked, while they could still raise the level.
    for (auto s : k.screening) {
        const FindingValue& fv = c.findings[static_cast<std::size_t>(s)];
        if (fv.presence != Presence::unknown || (fv.unsure & FindingValue::unsure_finding)) continue;
        if (cand_of_[static_cast<std::size_t>(s)] < 0) continue;  // no rule left that a yes could fire
        Question& q = finding_question(s, -1);
        q.screening = true;
        q.need = std::min(q.need, 1u);
    }

    // 3. What one answer does (above).
    auto add_yes = [&](std::int32_t f) {  // the hypothesis "f answered present"
        if (sets) return -1 - f;          // a finding is its own bit
        FindingValue yes = c.findings[static_cast<std::size_t>(f)];
        yes.presence = Presence::present;
        return single_.add(f, yes);
    };
    auto level_of = [&](std::int32_t hyp) {  // its level, once hypothesis_levels() has run
        return hyp < 0 ? node_sets_.if_yes(-1 - hyp) : hyp_level_[static_cast<std::size_t>(hyp)];
    };
    for (auto& q : out.questions) {
        if (q.attr < 0) q.if_yes = add_yes(q.finding);  // the hypothesis' id until its level is known
        else if (!sets) add_choices(q);
    }
    // The other questions (step 5), when the host lists them.
    const std::size_t others_first = tried_.size();
    if (opt_.list_other_questions)
        for (const auto& cq : cand_) {
            const auto fi = static_cast<std::size_t>(cq.finding);
            if (pick_[fi] >= 0 || (c.findings[fi].unsure & FindingValue::unsure_finding)) continue;
            tried_.push_back(Tried{add_yes(cq.finding), cq.finding, false});
        }
    hypothesis_levels(ev, out.level);
    for (auto& q : out.questions) {
        if (q.attr < 0) {
            q.if_yes = q.single = level_of(q.if_yes);
            continue;
        }
        const std::uint32_t first = q.answers_first, count = q.answers_count;
        q.answers_first = static_cast<std::uint32_t>(out.answers.size());
        q.answers_count = 0;
        q.single = out.level;
        for (std::uint32_t i = first; i < first + count; ++i) {
            const std::int32_t level = level_of(tried_[i].hyp);
            q.single = std::max(q.single, level);
            if (tried_[i].listed && level > out.level) {
                out.answers.push_back(AnswerLevel{tried_[i].value, level});
                ++q.answers_count;
            }
        }
    }

    // 4. The order to ask them in (see the top of this file).
    const std::int32_t level = out.level;
    std::sort(out.questions.begin(), out.questions.end(), [level](const Question& a, const Question& b) {
        if (a.single != b.single) return a.single > b.single;
        if (a.relevant != b.relevant) return a.relevant;
        // Questions no single answer makes urgent: an attribute of what the person has first, since one
        // answer to it settles a branch that may hold several findings' worth of questions.
        if (a.single <= level && (a.attr < 0) != (b.attr < 0)) return a.attr >= 0;
        if (a.level != b.level) return a.level > b.level;
        if (a.need != b.need) return a.need < b.need;
        if (a.finding != b.finding) return a.finding < b.finding;
        return a.attr < b.attr;
    });
    if (opt_.max_questions && out.questions.size() > opt_.max_questions) out.questions.resize(opt_.max_questions);

    // 5. Everything else that could still raise the level: counted, and listed when the host asks.
    std::size_t other = others_first;
    for (const auto& cq : cand_) {
        const auto fi = static_cast<std::size_t>(cq.finding);
        if (pick_[fi] >= 0 || (c.findings[fi].unsure & FindingValue::unsure_finding)) continue;
        ++out.other_questions;
        if (!opt_.list_other_questions) continue;
        Question q = cq;
        q.if_yes = q.single = level_of(tried_[other++].hyp);
        out.others.push_back(q);
    }
    if (opt_.list_other_questions)
        std::sort(out.others.begin(), out.others.end(), [](const Question& a, const Question& b) {
            if (a.if_yes != b.if_yes) return a.if_yes > b.if_yes;
            if (a.level != b.level) return a.level > b.level;
            return a.finding < b.finding;
        });

    for (auto f : picked_) pick_[static_cast<std::size_t>(f)] = -1;
    for (const auto& cq : cand_) cand_of_[static_cast<std::size_t>(cq.finding)] = -1;
}

// Every hypothesis' level (hyp_level_): the highest rule it alone makes true, or `level`. The
// hypotheses are taken 64 at a time (detail/single_answers.hpp); in each batch every rule above the
// level that reads one of the batch's findings is walked once, and its true mask says which of them
// fire it. A rule nothing in the case touched is walked too (its value comes from the leaves).
inline void Evaluator::hypothesis_levels(const detail::LeafEval& ev, std::int32_t level) {
    const auto& k = rs_->compiled;
    const std::size_t count = single_.size();
    hyp_level_.assign(count, level);
    // Every node once per batch, rather than the rules that read the answers' findings, when the rules
    // above the level are a good share of the rule set (as in candidates()), and, in a large rule set
    // (where a batch's findings may be read by few of its rules), when the rules reading them are too.
    // Below a few thousand nodes a pass costs little whatever the answers.
    if (dense_ && !sets_pass_ && node_passes_pay(level)) {
        std::size_t reading = 0;  // rules reading one of the answers' findings (once per finding)
        if (k.node_order.size() > 4096)
            for (std::size_t h = 0; h < count; ++h) {
                const auto f = single_.finding_of(static_cast<std::int32_t>(h));
                if (h > 0 && single_.finding_of(static_cast<std::int32_t>(h - 1)) == f) continue;
                reading += k.finding_rules_start[static_cast<std::size_t>(f) + 1] - k.finding_rules_start[static_cast<std::size_t>(f)];
            }
        if (k.node_order.size() <= 4096 || reading * 2 >= k.flat.size()) {
            dense_hypothesis_levels(level);
            return;
        }
    }
    auto eval = [&ev](std::uint32_t node) { return ev.value(node); };
    for (std::size_t first = 0; first < count; first += detail::SingleAnswers::batch_size) {
        single_.start_batch(k, first);
        if (++plan_stamp_ == 0) {
            std::fill(rule_seen_.begin(), rule_seen_.end(), 0u);
            plan_stamp_ = 1;
        }
        const std::size_t last = std::min(count, first + detail::SingleAnswers::batch_size);
        for (std::size_t h = first; h < last; ++h) {
            const auto fi = static_cast<std::size_t>(single_.finding_of(static_cast<std::int32_t>(h)));
            if (h > first && single_.finding_of(static_cast<std::int32_t>(h - 1)) == static_cast<std::int32_t>(fi)) continue;  // its rules are seen
            for (auto i = k.finding_rules_start[fi]; i < k.finding_rules_start[fi + 1]; ++i) {
                const auto r = static_cast<std::size_t>(k.finding_rules[i]);
                const std::int32_t rule_level = k.hot[r].level;
                if (rule_level <= level) break;  // highest level first
                if (rule_seen_[r] == plan_stamp_) continue;
                rule_seen_[r] = plan_stamp_;
                for (std::uint64_t fires = single_.masks(k, k.hot[r].root, leaves_.data(), eval).yes; fires; fires &= fires - 1) {
                    auto& l = hyp_level_[first + static_cast<std::size_t>(detail::lowest_bit(fires))];
                    if (l < rule_level) l = rule_level;
                }
            }
        }
    }
}

// hypothesis_levels() when every node has its value for the case (the dense path): each batch's masks
// for every value slot at once, as SingleAnswers' (which stays the definition the tests check against),
// without recursion or memo: every leaf and patient node as for the case, then the leaves of the batch's
// findings under their hypotheses, then every composite node after its children (Compiled::node_order).
// Then each rule above the level fires under the hypotheses in its root's true mask.
inline void Evaluator::dense_hypothesis_levels(std::int32_t level) {
    using Masks = detail::SingleAnswers::Masks;
    const auto& k = rs_->compiled;
    const std::size_t count = single_.size(), leaves = k.leaf_node.size();
    const std::uint8_t* slots = leaves_.data();
    hyp_masks_.resize(leaves + k.nodes.size());
    Masks* m = hyp_masks_.data();
    const std::uint32_t* child = k.child_slot.data();
    constexpr auto Y = static_cast<std::uint8_t>(Tri::yes), N = static_cast<std::uint8_t>(Tri::no);
    for (std::size_t first = 0; first < count; first += detail::SingleAnswers::batch_size) {
        const std::size_t last = std::min(count, first + detail::SingleAnswers::batch_size);
        const std::uint64_t all = last - first == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << (last - first)) - 1;
        const Masks constant[3] = {Masks{0, all}, Masks{0, 0}, Masks{all, 0}};  // by Tri: no, unknown, yes
        for (std::size_t s = 0; s < leaves; ++s) m[s] = constant[slots[s]];
        for (auto id : k.patient_nodes) m[leaves + id] = constant[slots[leaves + id]];
        std::uint64_t signature = 0;  // the batch's findings (Compiled::node_findings' bits)
        for (std::size_t h = first; h < last; ++h) {
            const std::int32_t f = single_.finding_of(static_cast<std::int32_t>(h));
            const auto fi = static_cast<std::size_t>(f);
            const FindingValue& answer = single_.answer_of(static_cast<std::int32_t>(h));
            const std::uint64_t bit = std::uint64_t{1} << (h - first);
            signature |= detail::finding_bit(f);
            for (auto l = k.finding_leaves_start[fi]; l < k.finding_leaves_start[fi + 1]; ++l) {
                const auto v = static_cast<std::uint8_t>(detail::leaf_value(k, k.nodes[k.leaf_node[l]], answer));
                m[l].yes = v == Y ? m[l].yes | bit : m[l].yes & ~bit;
                m[l].no = v == N ? m[l].no | bit : m[l].no & ~bit;
            }
        }
        for (auto id : k.node_order) {
            if ((k.node_findings[id] & signature) == 0) {  // reads none of them: as for the case
                m[leaves + id] = constant[slots[leaves + id]];
                continue;
            }
            const detail::Node& n = k.nodes[id];
            const std::uint32_t* ch = child + n.first;
            Masks r;
            switch (n.op) {
                case detail::Op::all: {
                    std::uint64_t y = all, x = 0;  // locals: GCC keeps a struct's fields in memory here
                    for (std::uint32_t i = 0; i < n.count; ++i) {
                        const Masks& c = m[ch[i]];
                        y &= c.yes, x |= c.no;
                    }
                    r = Masks{y, x};
                    break;
                }
                case detail::Op::any: {
                    std::uint64_t y = 0, x = all;
                    for (std::uint32_t i = 0; i < n.count; ++i) {
                        const Masks& c = m[ch[i]];
                        y |= c.yes, x &= c.no;
                    }
                    r = Masks{y, x};
                    break;
                }
                case detail::Op::not_:
                    r = Masks{m[ch[0]].no, m[ch[0]].yes};
                    break;
                default:  // at_least
                    r = detail::SingleAnswers::at_least_masks(n, all, [&](std::uint32_t i) { return m[ch[i]]; });
                    break;
            }
            m[leaves + id] = r;
        }
        for (const auto& fr : k.flat) {
            if (fr.level <= level) continue;
            for (std::uint64_t fires = m[fr.slot].yes; fires; fires &= fires - 1) {
                auto& l = hyp_level_[first + static_cast<std::size_t>(detail::lowest_bit(fires))];
                if (l < fr.level) l = fr.level;
            }
        }
    }
}

// An attribute question's choices, each tried alone: `add(value, listed, answer)` for each, where
// `answer` is the finding's value with that choice given. Choices are listed in the result when they
// would raise the level; numbers are not listed, but tried so that every outcome the rules' ranges
// allow is seen, for the best level one answer can reach (the question's place in the order).
template <class Add>
inline void Evaluator::attribute_choices(const Case& c, const Question& q, Add&& add) {
    const RuleSet& rs = *rs_;
    const auto& k = rs.compiled;
    const auto fi = static_cast<std::size_t>(q.finding);
    const FindingValue& given = c.findings[fi];
    const Attr attr = static_cast<Attr>(q.attr);
    auto try_value = [&](std::int32_t value, bool listed, auto&& set) {
        FindingValue h = given;
        set(h);
        add(value, listed, h);
    };
    // The tests on this finding's attribute, through its leaves (for the attributes whose choices
    // depend on them). The lists are the evaluator's scratch: no allocation per question.
    std::uint32_t site_mask = 0;
    auto& characters = choice_characters_;
    auto& numbers = choice_numbers_;
    characters.clear();
    numbers.clear();
    const bool from_tests = attr == Attr::sites || attr == Attr::character || attr == Attr::duration_days;
    for (auto l = k.finding_leaves_start[fi]; from_tests && l < k.finding_leaves_start[fi + 1]; ++l) {
        const detail::Node& n = k.nodes[k.leaf_node[l]];
        if (n.op != detail::Op::finding) continue;
        for (std::uint32_t i = 0; i < n.count; ++i) {
            const detail::AttrTest& t = k.tests[n.first + i];
            if (t.attr != attr) continue;
            site_mask |= t.mask;
            for (std::uint32_t s = 0; s < t.set_count; ++s) characters.push_back(k.character_sets[t.set_first + s]);
            if (std::isfinite(t.range.lo)) numbers.push_back(t.range.lo);
            if (std::isfinite(t.range.hi)) numbers.push_back(t.range.hi);
        }
    }
    // Every test's outcome is constant between two neighbouring range ends, so trying each end, a point
    // between each two, and a point beyond each side tries every outcome there is (for duration_days).
    // severity has 11 values: all are tried.
    if (attr == Attr::duration_days) {
        std::sort(numbers.begin(), numbers.end());
        numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
        auto& points = choice_points_;
        points.assign(1, 0.0);
        for (std::size_t i = 0; i < numbers.size(); ++i) {
            points.push_back(numbers[i]);
            points.push_back(i + 1 < numbers.size() ? (numbers[i] + numbers[i + 1]) / 2 : numbers[i] + 1);
            if (i == 0) points.push_back(numbers[i] / 2);  // between 0 and the first end
        }
        numbers.swap(points);
    }
    switch (attr) {
        case Attr::side:
            for (std::int8_t v = 0; v < static_cast<std::int8_t>(side_names.size()); ++v) try_value(v, true, [v](FindingValue& h) { h.side = v; });
            break;
        case Attr::onset:
            for (std::int8_t v = 0; v < static_cast<std::int8_t>(onset_names.size()); ++v) try_value(v, true, [v](FindingValue& h) { h.onset = v; });
            break;
        case Attr::trend:
            for (std::int8_t v = 0; v < static_cast<std::int8_t>(trend_names.size()); ++v) try_value(v, true, [v](FindingValue& h) { h.trend = v; });
            break;
        case Attr::at_night:
            for (std::int8_t v = 1; v >= 0; --v) try_value(v, true, [v](FindingValue& h) { h.at_night = v; });
            break;
        case Attr::constant:
            for (std::int8_t v = 1; v >= 0; --v) try_value(v, true, [v](FindingValue& h) { h.constant = v; });
            break;
        case Attr::sites:
            for (std::int32_t s = 0; s < static_cast<std::int32_t>(site_names.size()); ++s)
                if (site_mask & (1u << s)) try_value(s, true, [s](FindingValue& h) { h.sites = 1u << s; });
            break;
        case Attr::character:
            std::sort(characters.begin(), characters.end());
            characters.erase(std::unique(characters.begin(), characters.end()), characters.end());
            for (auto ch : characters) try_value(ch, true, [ch](FindingValue& h) { h.character = ch; });
            break;
        case Attr::duration_days:
            for (double d : numbers)
                if (d >= 0 && d <= 1e6) try_value(0, false, [d](FindingValue& h) { h.duration_days = d; });
            break;
        case Attr::severity:
            for (std::int8_t v = 0; v <= 10; ++v) try_value(0, false, [v](FindingValue& h) { h.severity = v; });
            break;
    }
}

}  // namespace symtri
