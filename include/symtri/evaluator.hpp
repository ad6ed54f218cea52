// Evaluator: one case against a compiled rule set -> an Outcome (level, fired rules, blocks, questions).
//
// Cost follows the case, not the rule set: only rules that read an answered finding (or the patient's
// age or sex, when given) are evaluated. A rule none of whose findings was answered is, in Kleene
// logic, necessarily unknown, so it needs no evaluation: it can only contribute questions, and those
// are found through the finding -> rules index (highest level first) with an early stop.
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
                    Tri v = eval(k_.children[n.first + i]);
                    if (v == Tri::no) return Tri::no;
                    if (v == Tri::unknown) r = Tri::unknown;
                }
                return r;
            }
            case Op::any: {
                Tri r = Tri::no;
                for (std::uint32_t i = 0; i < n.count; ++i) {
                    Tri v = eval(k_.children[n.first + i]);
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
            case Op::finding: {
                const FindingValue& f = c_.findings[static_cast<std::size_t>(n.finding)];
                if (f.presence == Presence::unknown) return Tri::unknown;
                if (f.presence == Presence::absent) return Tri::no;
                Tri r = Tri::yes;
                for (std::uint32_t i = 0; i < n.count; ++i) {
                    Tri v = test(k_.tests[n.first + i], f);
                    if (v == Tri::no) return Tri::no;
                    if (v == Tri::unknown) r = Tri::unknown;
                }
                return r;
            }
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
        stamp_.assign(rs_->rules.size(), 0);
        value_.assign(rs_->rules.size(), Tri::unknown);
        qlevel_.assign(rs_->findings.size(), -1);
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
            std::fill(stamp_.begin(), stamp_.end(), 0);
            epoch_ = 1;
        }
        touched_.clear();
        auto touch = [&](std::int32_t r) {
            if (stamp_[static_cast<std::size_t>(r)] != epoch_) {
                stamp_[static_cast<std::size_t>(r)] = epoch_;
                touched_.push_back(r);
            }
        };
        for (auto f : c.answered)
            for (auto i = k.finding_rules_start[static_cast<std::size_t>(f)]; i < k.finding_rules_start[static_cast<std::size_t>(f) + 1]; ++i)
                touch(k.finding_rules[i]);
        if (c.has_patient())
            for (auto r : k.patient_rules) touch(r);

        detail::ConditionEval ev(rs, c);
        for (auto r : touched_) {
            Tri v = ev.eval(rs.rules[static_cast<std::size_t>(r)].root);
            value_[static_cast<std::size_t>(r)] = v;
            if (v == Tri::yes) {
                out.fired.push_back(r);
                out.level = std::max(out.level, rs.rules[static_cast<std::size_t>(r)].level);
            }
        }
        std::sort(out.fired.begin(), out.fired.end(), [&](std::int32_t a, std::int32_t b) {
            return rs.rules[static_cast<std::size_t>(a)].order < rs.rules[static_cast<std::size_t>(b)].order;
        });

        // Cautions hold back the recommendations they name (which still count for the level above).
        for (auto r : out.fired) {
            const Rule& rule = rs.rules[static_cast<std::size_t>(r)];
            if (rule.kind != RuleKind::caution) continue;
            for (auto b : rule.blocks)
                if (stamp_[static_cast<std::size_t>(b)] == epoch_ && value_[static_cast<std::size_t>(b)] == Tri::yes)
                    out.blocks.emplace_back(r, b);
        }

        questions(c, ev, out);
    }

private:
    RuleSetPtr rs_;
    TriageOptions opt_;
    std::vector<std::uint32_t> stamp_;  // stamp_[r] == epoch_: rule r was evaluated for this case
    std::vector<Tri> value_;
    std::vector<std::int32_t> touched_;
    std::vector<std::int32_t> qlevel_;  // per finding: highest level it could lead to, -1 = none
    std::vector<std::int32_t> qlist_;
    std::uint32_t epoch_ = 0;

    void questions(const Case& c, const detail::ConditionEval& ev, Outcome& out) {
        const RuleSet& rs = *rs_;
        const auto& k = rs.compiled;
        qlist_.clear();
        auto offer = [&](std::int32_t f, std::int32_t level) {
            auto& q = qlevel_[static_cast<std::size_t>(f)];
            if (q < 0) qlist_.push_back(f);
            if (level > q) q = level;
        };
        // Evaluated rules that are still unknown and could raise the level.
        for (auto r : touched_) {
            const Rule& rule = rs.rules[static_cast<std::size_t>(r)];
            if (rule.level <= out.level || value_[static_cast<std::size_t>(r)] != Tri::unknown) continue;
            ev.unknown_findings(rule.root, [&](std::int32_t f) { offer(f, rule.level); });
        }
        // Rules nothing in the case touched are unknown: each of their findings could settle them. The
        // index lists a finding's rules highest level first, so the first untouched one is the answer.
        for (std::size_t f = 0; f < rs.findings.size(); ++f) {
            if (c.findings[f].presence != Presence::unknown) continue;
            for (auto i = k.finding_rules_start[f]; i < k.finding_rules_start[f + 1]; ++i) {
                auto r = k.finding_rules[i];
                const Rule& rule = rs.rules[static_cast<std::size_t>(r)];
                if (rule.level <= out.level) break;
                if (stamp_[static_cast<std::size_t>(r)] == epoch_) continue;  // evaluated: handled above
                offer(static_cast<std::int32_t>(f), rule.level);
                break;
            }
        }
        for (auto f : qlist_) {
            out.questions.push_back(Question{f, qlevel_[static_cast<std::size_t>(f)]});
            qlevel_[static_cast<std::size_t>(f)] = -1;
        }
        std::sort(out.questions.begin(), out.questions.end(), [](const Question& a, const Question& b) {
            return a.level != b.level ? a.level > b.level : a.finding < b.finding;
        });
        if (opt_.max_questions && out.questions.size() > opt_.max_questions) out.questions.resize(opt_.max_questions);
    }
};

}  // namespace symtri
