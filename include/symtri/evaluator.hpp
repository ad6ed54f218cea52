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

struct Question {
    std::int32_t finding;
    std::int32_t level;  // the highest level answering it could lead to
};

// Per-triage options a host may set (C: SYMTRI_OPT_MAX_QUESTIONS, Python: max_questions=, CLI:
// --max-questions). The defaults give the full result the contract describes.
struct TriageOptions {
    // Most questions listed, highest level first (ties in vocabulary order); 0 = all. A large rule set
    // can leave thousands of findings worth asking about; an interview needs only the first few, and
    // with a cap the cost of a triage no longer grows with the size of the vocabulary.
    std::size_t max_questions = 0;
};

struct Outcome {
    std::int32_t level = 0;
    std::vector<std::int32_t> fired;  // rule indices, in result order
    std::vector<std::pair<std::int32_t, std::int32_t>> blocks;  // (caution, recommendation held back)
    std::vector<Question> questions;  // highest level first, then vocabulary order

    bool is_blocked(std::int32_t rule) const {
        for (const auto& b : blocks)
            if (b.second == rule) return true;
        return false;
    }
    bool has_fired(std::int32_t rule) const { return std::find(fired.begin(), fired.end(), rule) != fired.end(); }
};

namespace detail {

// Three-valued evaluation of condition nodes against a case. Stateless apart from the references.
class ConditionEval {
public:
    ConditionEval(const RuleSet& rs, const Case& c) : rs_(rs), c_(c), k_(rs.compiled) {}

    Tri eval(std::uint32_t node) const {
        const Node& n = k_.nodes[node];
        switch (n.op) {
            case Op::all: {
                Tri r = Tri::yes;
                for (std::uint32_t i = 0; i < n.count; ++i) {
                    Tri v = child(k_.children[n.first + i]);
                    if (v == Tri::no) return Tri::no;
                    if (v == Tri::unknown) r = Tri::unknown;
                }
                return r;
            }
            case Op::any: {
                Tri r = Tri::no;
                for (std::uint32_t i = 0; i < n.count; ++i) {
                    Tri v = child(k_.children[n.first + i]);
                    if (v == Tri::yes) return Tri::yes;
                    if (v == Tri::unknown) r = Tri::unknown;
                }
                return r;
            }
            case Op::not_: {
                Tri v = eval(k_.children[n.first]);
                return v == Tri::yes ? Tri::no : v == Tri::no ? Tri::yes : Tri::unknown;
            }
            case Op::at_least: {
                std::uint32_t yes = 0, unknown = 0;
                for (std::uint32_t i = 0; i < n.count; ++i) {
                    Tri v = eval(k_.children[n.first + i]);
                    if (v == Tri::yes && ++yes >= n.threshold) return Tri::yes;
                    if (v == Tri::unknown) ++unknown;
                }
                return yes + unknown >= n.threshold ? Tri::unknown : Tri::no;
            }
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
        const Node& n = k_.nodes[node];
        switch (n.op) {
            case Op::all:
            case Op::any:
            case Op::at_least:
                for (std::uint32_t i = 0; i < n.count; ++i) {
                    std::uint32_t ch = k_.children[n.first + i];
                    if (eval(ch) == Tri::yes) because(ch, out);
                }
                return;
            case Op::finding:
                if (std::find(out.begin(), out.end(), n.finding) == out.end()) out.push_back(n.finding);
                return;
            default:
                return;  // `not`, absent, age and sex hold because something is *not* so: no finding to name
        }
    }

    // Unanswered findings reachable through unknown nodes: answering any of them could settle `node`.
    template <class Visit>
    void unknown_findings(std::uint32_t node, Visit&& visit) const {
        const Node& n = k_.nodes[node];
        switch (n.op) {
            case Op::finding:
            case Op::absent:
                if (c_.findings[static_cast<std::size_t>(n.finding)].presence == Presence::unknown) visit(n.finding);
                return;
            case Op::age:
            case Op::sex:
                return;
            default:
                for (std::uint32_t i = 0; i < n.count; ++i) {
                    std::uint32_t ch = k_.children[n.first + i];
                    if (eval(ch) == Tri::unknown) unknown_findings(ch, visit);
                }
        }
    }

private:
    const RuleSet& rs_;
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

    Tri test(const AttrTest& t, const FindingValue& f) const {
        switch (t.attr) {
            case Attr::side: return f.side < 0 ? Tri::unknown : ((t.mask >> f.side) & 1u ? Tri::yes : Tri::no);
            case Attr::onset: return f.onset < 0 ? Tri::unknown : ((t.mask >> f.onset) & 1u ? Tri::yes : Tri::no);
            case Attr::trend: return f.trend < 0 ? Tri::unknown : ((t.mask >> f.trend) & 1u ? Tri::yes : Tri::no);
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
                    if (k_.character_sets[t.set_first + i] == f.character) return Tri::yes;
                return Tri::no;
            }
        }
        return Tri::unknown;
    }
};

}  // namespace detail

class Evaluator {
public:
    explicit Evaluator(RuleSetPtr rules, TriageOptions options = {}) : rs_(std::move(rules)), opt_(options) {
        slot_.assign(rs_->rules.size(), Slot{});
        qlevel_.assign(rs_->findings.size(), -1);
        level_count_.assign(rs_->levels.size(), 0);
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
            epoch_ = 1;
        }
        touched_.clear();
        detail::ConditionEval ev(rs, c);

        // How many rules the answers index. When that is a good share of the rule set, evaluating every
        // rule in result order is cheaper than collecting, de-duplicating and then sorting them.
        std::size_t indexed = 0;
        for (auto f : c.answered)
            indexed += k.finding_rules_start[static_cast<std::size_t>(f) + 1] - k.finding_rules_start[static_cast<std::size_t>(f)];
        dense_ = indexed * 4 >= rs.rules.size();
        if (dense_) {
            for (auto r : k.rules_in_order) {
                auto ri = static_cast<std::size_t>(r);
                Tri v = ev.eval(k.hot[ri].root);
                slot_[ri].value = v;  // every rule has a value this time: no stamps needed
                if (v == Tri::yes) {
                    out.fired.push_back(r);
                    out.level = std::max(out.level, k.hot[ri].level);
                }
            }
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
            for (auto r : touched_) {
                auto ri = static_cast<std::size_t>(r);
                Tri v = ev.eval(k.hot[ri].root);
                slot_[ri].value = v;
                if (v == Tri::yes) {
                    out.fired.push_back(r);
                    out.level = std::max(out.level, k.hot[ri].level);
                }
            }
            std::sort(out.fired.begin(), out.fired.end(), [&](std::int32_t a, std::int32_t b) {
                return k.hot[static_cast<std::size_t>(a)].order < k.hot[static_cast<std::size_t>(b)].order;
            });
        }

        // Cautions hold back the recommendations they name (which still count for the level above).
        for (auto r : out.fired) {
            const Rule& rule = rs.rules[static_cast<std::size_t>(r)];
            if (rule.kind != RuleKind::caution) continue;
            for (auto b : rule.blocks)
                if ((dense_ || slot_[static_cast<std::size_t>(b)].stamp == epoch_) && slot_[static_cast<std::size_t>(b)].value == Tri::yes)
                    out.blocks.emplace_back(r, b);
        }

        questions(c, ev, out);
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
    std::vector<std::int32_t> qlevel_;  // per finding: highest level it could lead to, -1 = none
    std::vector<std::int32_t> qlist_;
    std::vector<std::uint32_t> level_count_;  // offered findings per level (their current qlevel)
    std::uint32_t epoch_ = 0;

    void questions(const Case& c, const detail::ConditionEval& ev, Outcome& out) {
        const RuleSet& rs = *rs_;
        const auto& k = rs.compiled;
        qlist_.clear();
        std::fill(level_count_.begin(), level_count_.end(), 0u);
        auto offer = [&](std::int32_t f, std::int32_t level) {
            auto& q = qlevel_[static_cast<std::size_t>(f)];
            if (level <= q) return;
            if (q < 0) qlist_.push_back(f);
            else --level_count_[static_cast<std::size_t>(q)];
            q = level;
            ++level_count_[static_cast<std::size_t>(level)];
        };
        // An evaluated rule that is still unknown and could raise the level: every unanswered finding
        // through which it could still be settled is worth asking.
        auto offer_unknown = [&](std::int32_t r) {
            std::int32_t level = k.hot[static_cast<std::size_t>(r)].level;
            ev.unknown_findings(k.hot[static_cast<std::size_t>(r)].root, [&](std::int32_t f) { offer(f, level); });
        };
        if (dense_) {
            for (std::size_t r = 0; r < rs.rules.size(); ++r)
                if (k.hot[r].level > out.level && slot_[r].value == Tri::unknown) offer_unknown(static_cast<std::int32_t>(r));
        } else {
            for (auto r : touched_)
                if (k.hot[static_cast<std::size_t>(r)].level > out.level && slot_[static_cast<std::size_t>(r)].value == Tri::unknown)
                    offer_unknown(r);
            untouched_questions(c, ev, out.level, offer, offer_unknown);
        }
        for (auto f : qlist_) {
            out.questions.push_back(Question{f, qlevel_[static_cast<std::size_t>(f)]});
            qlevel_[static_cast<std::size_t>(f)] = -1;
        }
        auto by_level = [](const Question& a, const Question& b) {
            return a.level != b.level ? a.level > b.level : a.finding < b.finding;
        };
        if (opt_.max_questions && out.questions.size() > opt_.max_questions) {
            auto cut = out.questions.begin() + static_cast<std::ptrdiff_t>(opt_.max_questions);
            std::partial_sort(out.questions.begin(), cut, out.questions.end(), by_level);
            out.questions.erase(cut, out.questions.end());
        } else {
            std::sort(out.questions.begin(), out.questions.end(), by_level);
        }
    }

    // Rules nothing in the case touched are unknown (every finding they read is unanswered), so each of
    // their findings could settle them. Findings are visited highest possible level first and the walk
    // stops at the first that cannot raise the level, or once max_questions findings are known to rank
    // above anything still to come; each finding's rules are listed highest level first, so its first
    // untouched rule gives its level.
    template <class Offer, class OfferUnknown>
    void untouched_questions(const Case& c, const detail::ConditionEval& ev, std::int32_t level, Offer& offer,
                             OfferUnknown& offer_unknown) {
        const RuleSet& rs = *rs_;
        const auto& k = rs.compiled;
        const bool patient = c.has_patient();
        // For the early stop with max_questions: questions rank by level, then by finding index, and
        // the walk visits findings by highest possible level, then by index. So a finding f ranks
        // below every question already at a level above f's highest possible level, and below every
        // finding this walk gave exactly that level before reaching f (`group_ranked`): once those
        // fill max_questions, neither f nor anything after it can make the list.
        std::int32_t group = -1;
        std::size_t group_ranked = 0;
        for (auto f : k.findings_by_level) {
            auto fi = static_cast<std::size_t>(f);
            std::int32_t top = k.finding_max_level[fi];
            if (top <= level) break;
            if (top != group) {
                group = top;
                group_ranked = 0;
            }
            if (opt_.max_questions) {
                std::size_t above = group_ranked;
                for (std::size_t l = static_cast<std::size_t>(top) + 1; l < level_count_.size(); ++l) above += level_count_[l];
                if (above >= opt_.max_questions) break;
            }
            if (c.findings[fi].presence != Presence::unknown) continue;
            walk_finding(f, level, patient, ev, offer, offer_unknown);
            if (qlevel_[fi] == top) ++group_ranked;
        }
    }

    // One unanswered finding: its first untouched rule above the level gives its question's level.
    template <class Offer, class OfferUnknown>
    void walk_finding(std::int32_t f, std::int32_t level, bool patient, const detail::ConditionEval& ev, Offer& offer,
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
                slot_[ri].value = ev.eval(k.hot[ri].root);
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
