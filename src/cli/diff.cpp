// SPDX-License-Identifier: Apache-2.0
// `symtri diff OLD NEW [CASES.jsonl]`: the impact of a rule change (issue 15, DCB0129's "impact of every
// change"). Every case is triaged with both rule sets; each case whose level, red flags or blocked advice
// changed is reported, level decreases first. Without a case file the cases are generated from the two
// vocabularies: each finding alone, each pair of findings that share a rule, and for each rule one case
// built from its condition to make it fire (checked with the evaluator).
#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include "cli.hpp"
#include "words.hpp"

namespace symtri_cli {
namespace {

using symtri::Attr;
using symtri::RuleSet;
using symtri::detail::AttrTest;
using symtri::detail::Compiled;
using symtri::detail::Node;
using symtri::detail::Op;
using symtri::detail::Range;

// ---------------------------------------------------------------------------------------------------
// A case that makes a rule fire: a satisfying assignment of its condition, found by walking the
// compiled condition nodes with backtracking. Each finding the walk touches is given present (with
// attribute values chosen from the tests' masks and ranges) or absent; age and sex likewise. Anything
// the walk does not touch stays unknown, which never makes an `any` or a false child of an `all` fail.

Range intersect(Range a, const Range& b) {
    if (b.lo > a.lo || (b.lo == a.lo && !b.lo_incl)) { a.lo = b.lo; a.lo_incl = b.lo_incl; }
    if (b.hi < a.hi || (b.hi == a.hi && !b.hi_incl)) { a.hi = b.hi; a.hi_incl = b.hi_incl; }
    return a;
}

// The two halves of the complement of `r` (values below it, values above it); either may be empty.
Range below(const Range& r) {
    Range out;
    out.hi = r.lo;
    out.hi_incl = !r.lo_incl;
    if (!std::isfinite(r.lo)) out.hi = -std::numeric_limits<double>::infinity(), out.hi_incl = false;
    return out;
}
Range above(const Range& r) {
    Range out;
    out.lo = r.hi;
    out.lo_incl = !r.hi_incl;
    if (!std::isfinite(r.hi)) out.lo = std::numeric_limits<double>::infinity(), out.lo_incl = false;
    return out;
}

// A value in `r` within [dlo, dhi], integers preferred (integers only with `integer`); NaN when none.
double pick(const Range& r, double dlo, double dhi, bool integer) {
    Range d = intersect(r, Range{dlo, dhi, true, true});
    if (d.empty()) return std::nan("");
    double lo = d.lo, hi = d.hi;
    for (double v : {std::ceil(lo), std::floor(lo) + 1, std::floor(hi), std::ceil(hi) - 1})
        if (v >= dlo && v <= dhi && d.contains(v)) return v;
    if (integer) return std::nan("");
    double mid = (lo + hi) / 2;
    return d.contains(mid) ? mid : std::nan("");
}

struct FindingPlan {
    int state = 0;  // 0 untouched, 1 present, 2 absent
    std::uint32_t side = 7, onset = 3, trend = 7;  // allowed values
    bool side_used = false, onset_used = false, trend_used = false;
    std::vector<std::uint32_t> sites_need;  // each must overlap the sites given
    std::uint32_t sites_forbid = 0;
    bool sites_used = false;
    Range duration, severity;
    bool duration_used = false, severity_used = false;
    std::int8_t at_night = -1, constant = -1;
    std::vector<std::int32_t> char_allowed;  // interned ids; empty with char_any = any
    bool char_any = true;
    std::vector<std::int32_t> char_forbid;
    bool char_used = false;
};

struct Plan {
    std::map<std::int32_t, FindingPlan> findings;
    Range age;
    bool age_used = false;
    std::uint32_t sex = 7;
    bool sex_used = false;
};

constexpr std::uint32_t all_sites = (1u << symtri::site_names.size()) - 1;

class Solver {
public:
    explicit Solver(const RuleSet& rs) : rs_(rs), k_(rs.compiled) {}

    // A plan that makes `root` true, or false when none was found within the step budget.
    bool solve(std::uint32_t root, Plan& out) {
        budget_ = 20000;
        std::vector<Goal> goals{{root, true}};
        return step(goals, Plan{}, out);
    }

    // The character value a plan gives (an id the finding allows), or "" when none fits.
    std::string character(std::int32_t f, const FindingPlan& p) const {
        const auto& def = rs_.findings[static_cast<std::size_t>(f)];
        auto forbidden = [&](std::int32_t c) { return std::find(p.char_forbid.begin(), p.char_forbid.end(), c) != p.char_forbid.end(); };
        if (!p.char_any) {
            for (auto c : p.char_allowed) {
                if (forbidden(c)) continue;
                const std::string& name = rs_.characters[static_cast<std::size_t>(c)];
                if (def.characters.empty() || std::find(def.characters.begin(), def.characters.end(), name) != def.characters.end())
                    return name;
            }
            return "";
        }
        if (!def.characters.empty()) {
            for (const auto& name : def.characters) {
                int c = rs_.find_character(name);
                if (c < 0 || !forbidden(c)) return name;
            }
            return "";
        }
        for (int i = 0;; ++i) {  // any id: one the rules never name is not in any test
            std::string name = i ? "other_" + std::to_string(i) : "other";
            int c = rs_.find_character(name);
            if (c < 0 || !forbidden(c)) return name;
        }
    }

private:
    struct Goal {
        std::uint32_t node;
        bool want;
    };
    const RuleSet& rs_;
    const Compiled& k_;
    int budget_ = 0;

    bool feasible(std::int32_t f, const FindingPlan& p) const {
        if (p.state != 1) return true;
        if (p.side_used && !(p.side & 7u)) return false;
        if (p.onset_used && !(p.onset & 3u)) return false;
        if (p.trend_used && !(p.trend & 7u)) return false;
        if (p.sites_used) {
            for (auto m : p.sites_need)
                if (!(m & ~p.sites_forbid & all_sites)) return false;
            if (!(~p.sites_forbid & all_sites)) return false;
        }
        if (p.duration_used && std::isnan(pick(p.duration, 0, 1e6, false))) return false;
        if (p.severity_used && std::isnan(pick(p.severity, 0, 10, true))) return false;
        if (p.char_used && character(f, p).empty()) return false;
        return true;
    }

    bool feasible(const Plan& p) const {
        if (p.age_used && std::isnan(pick(p.age, 0, 130, false))) return false;
        if (p.sex_used && !(p.sex & 7u)) return false;
        return true;
    }

    // One attribute test made true (`want`) or false on a present finding. False for a range test has
    // two ways (below or above): `half` picks one.
    void apply_test(FindingPlan& p, const AttrTest& t, bool want, int half) const {
        switch (t.attr) {
            case Attr::side: p.side_used = true; p.side &= want ? t.mask : ~t.mask; break;
            case Attr::onset: p.onset_used = true; p.onset &= want ? t.mask : ~t.mask; break;
            case Attr::trend: p.trend_used = true; p.trend &= want ? t.mask : ~t.mask; break;
            case Attr::sites:
                p.sites_used = true;
                if (want) p.sites_need.push_back(t.mask);
                else p.sites_forbid |= t.mask;
                break;
            case Attr::duration_days:
                p.duration_used = true;
                p.duration = intersect(p.duration, want ? t.range : half ? above(t.range) : below(t.range));
                break;
            case Attr::severity:
                p.severity_used = true;
                p.severity = intersect(p.severity, want ? t.range : half ? above(t.range) : below(t.range));
                break;
            case Attr::at_night:
            case Attr::constant: {
                std::int8_t& v = t.attr == Attr::at_night ? p.at_night : p.constant;
                std::int8_t need = static_cast<std::int8_t>(want ? t.boolean : !t.boolean);
                if (v >= 0 && v != need) v = 2;  // contradiction: no value fits
                else v = need;
                break;
            }
            case Attr::character: {
                p.char_used = true;
                std::vector<std::int32_t> set(k_.character_sets.begin() + t.set_first,
                                              k_.character_sets.begin() + t.set_first + t.set_count);
                if (!want) {
                    p.char_forbid.insert(p.char_forbid.end(), set.begin(), set.end());
                } else if (p.char_any) {
                    p.char_any = false;
                    p.char_allowed = set;
                } else {
                    std::vector<std::int32_t> keep;
                    for (auto c : p.char_allowed)
                        if (std::find(set.begin(), set.end(), c) != set.end()) keep.push_back(c);
                    p.char_allowed = keep;
                }
                break;
            }
        }
    }

    static bool booleans_ok(const FindingPlan& p) { return p.at_night != 2 && p.constant != 2; }

    // Depth-first over the goals still to meet; `plan` is this branch's own copy.
    bool step(std::vector<Goal> goals, Plan plan, Plan& out) {
        if (--budget_ < 0) return false;
        if (goals.empty()) {
            out = plan;
            return true;
        }
        Goal g = goals.back();
        goals.pop_back();
        const Node& n = k_.nodes[g.node];
        auto children = [&](std::uint32_t i) { return k_.children[n.first + i]; };
        auto with = [&](std::vector<Goal> more, const Plan& p) {
            std::vector<Goal> next = goals;
            // Pushed in reverse, so the first child is met first.
            for (auto it = more.rbegin(); it != more.rend(); ++it) next.push_back(*it);
            return step(next, p, out);
        };
        switch (n.op) {
            case Op::not_:
                return with({{children(0), !g.want}}, plan);
            case Op::all:
            case Op::any: {
                bool every = (n.op == Op::all) == g.want;  // all true / any false: every child
                if (every) {
                    std::vector<Goal> more;
                    for (std::uint32_t i = 0; i < n.count; ++i) more.push_back({children(i), g.want});
                    return with(more, plan);
                }
                for (std::uint32_t i = 0; i < n.count; ++i)
                    if (with({{children(i), g.want}}, plan)) return true;
                return false;
            }
            case Op::at_least: {
                // True: `threshold` children true; false: count - threshold + 1 children false.
                std::uint32_t need = g.want ? n.threshold : n.count - n.threshold + 1;
                std::vector<std::uint32_t> pickv(need);
                for (std::uint32_t i = 0; i < need; ++i) pickv[i] = i;
                while (true) {
                    std::vector<Goal> more;
                    for (auto i : pickv) more.push_back({children(i), g.want});
                    if (with(more, plan)) return true;
                    if (budget_ < 0) return false;
                    // next combination
                    int i = static_cast<int>(need) - 1;
                    while (i >= 0 && pickv[static_cast<std::size_t>(i)] == n.count - need + static_cast<std::uint32_t>(i)) --i;
                    if (i < 0) return false;
                    ++pickv[static_cast<std::size_t>(i)];
                    for (auto j = static_cast<std::size_t>(i) + 1; j < need; ++j) pickv[j] = pickv[j - 1] + 1;
                }
            }
            case Op::finding:
            case Op::absent: {
                bool present = (n.op == Op::finding) == g.want;  // absent false = present
                if (n.op == Op::finding && !g.want) {
                    // False: absent, or present with one attribute test false.
                    Plan p = plan;
                    FindingPlan& fp = p.findings[n.finding];
                    if (fp.state != 1) {
                        fp.state = 2;
                        if (step(goals, p, out)) return true;
                    }
                    for (std::uint32_t i = 0; i < n.count; ++i)
                        for (int half = 0; half < 2; ++half) {
                            const AttrTest& t = k_.tests[n.first + i];
                            bool ranged = t.attr == Attr::duration_days || t.attr == Attr::severity;
                            if (half && !ranged) continue;
                            Plan q = plan;
                            FindingPlan& fq = q.findings[n.finding];
                            if (fq.state == 2) continue;
                            fq.state = 1;
                            apply_test(fq, t, false, half);
                            if (booleans_ok(fq) && feasible(n.finding, fq) && step(goals, q, out)) return true;
                        }
                    return false;
                }
                Plan p = plan;
                FindingPlan& fp = p.findings[n.finding];
                if (fp.state == (present ? 2 : 1)) return false;
                fp.state = present ? 1 : 2;
                if (n.op == Op::finding)
                    for (std::uint32_t i = 0; i < n.count; ++i) apply_test(fp, k_.tests[n.first + i], true, 0);
                if (!booleans_ok(fp) || !feasible(n.finding, fp)) return false;
                return step(goals, p, out);
            }
            case Op::age: {
                const Range& r = k_.ranges[n.first];
                for (int half = 0; half < (g.want ? 1 : 2); ++half) {
                    Plan p = plan;
                    p.age_used = true;
                    p.age = intersect(p.age, g.want ? r : half ? above(r) : below(r));
                    if (feasible(p) && step(goals, p, out)) return true;
                }
                return false;
            }
            case Op::sex: {
                Plan p = plan;
                p.sex_used = true;
                p.sex &= g.want ? n.first : ~n.first;
                return feasible(p) && step(goals, p, out);
            }
        }
        return false;
    }
};

// ---------------------------------------------------------------------------------------------------
// Generated cases.

struct CaseInput {
    std::string name;  // "c7 (line 3)", "line 3", "{sciatica, saddle_numbness}"
    std::string case_id;   // a file case's case_id, when it has one
    std::size_t line = 0;  // in the case file; 0 for generated cases
    std::string text;      // the case JSON
    std::string kind;      // "file", "single", "pair", "rule"
};

using OJson = nlohmann::ordered_json;

// "{sciatica(side=left), no saddle_numbness, age=50}": a generated case in a few words.
std::string describe(const OJson& c) {
    std::string out;
    auto add = [&](const std::string& s) { out += (out.empty() ? "" : ", ") + s; };
    if (c.contains("findings"))
        for (auto it = c["findings"].begin(); it != c["findings"].end(); ++it) {
            const auto& v = it.value();
            if (v.is_boolean()) {
                add(v.get<bool>() ? it.key() : "no " + it.key());
                continue;
            }
            std::string attrs;
            for (auto a = v.begin(); a != v.end(); ++a) {
                if (a.key() == "present") continue;
                std::string val;
                if (a.value().is_array()) {
                    for (const auto& s : a.value()) val += (val.empty() ? "" : "+") + s.get<std::string>();
                } else if (a.value().is_string()) {
                    val = a.value().get<std::string>();
                } else {
                    val = a.value().dump();
                }
                attrs += (attrs.empty() ? "" : ", ") + a.key() + "=" + val;
            }
            add(it.key() + "(" + attrs + ")");
        }
    if (c.contains("patient")) {
        const auto& p = c["patient"];
        if (p.contains("age")) add("age=" + p["age"].dump());
        if (p.contains("sex")) add("sex=" + p["sex"].get<std::string>());
    }
    return "{" + out + "}";
}

// The case JSON of a plan (findings in vocabulary order).
OJson case_of(const RuleSet& rs, const Solver& solver, const Plan& plan) {
    OJson c = OJson::object();
    OJson findings = OJson::object();
    for (const auto& [f, p] : plan.findings) {
        const std::string& id = rs.findings[static_cast<std::size_t>(f)].id;
        if (p.state == 2) {
            findings[id] = false;
            continue;
        }
        if (p.state != 1) continue;
        OJson v = OJson::object();
        v["present"] = true;
        auto first_bit = [](std::uint32_t m) {
            for (int i = 0; i < 32; ++i)
                if (m & (1u << i)) return i;
            return -1;
        };
        if (p.side_used) v["side"] = std::string(symtri::side_names[static_cast<std::size_t>(first_bit(p.side & 7u))]);
        if (p.sites_used) {
            std::uint32_t sites = 0;
            for (auto m : p.sites_need) sites |= 1u << first_bit(m & ~p.sites_forbid & all_sites);
            if (!sites) sites = 1u << first_bit(~p.sites_forbid & all_sites);
            OJson arr = OJson::array();
            for (std::size_t i = 0; i < symtri::site_names.size(); ++i)
                if (sites & (1u << i)) arr.push_back(std::string(symtri::site_names[i]));
            v["sites"] = arr;
        }
        if (p.onset_used) v["onset"] = std::string(symtri::onset_names[static_cast<std::size_t>(first_bit(p.onset & 3u))]);
        if (p.trend_used) v["trend"] = std::string(symtri::trend_names[static_cast<std::size_t>(first_bit(p.trend & 7u))]);
        if (p.duration_used) {
            double d = pick(p.duration, 0, 1e6, false);
            if (d == std::floor(d)) v["duration_days"] = static_cast<long long>(d);
            else v["duration_days"] = d;
        }
        if (p.severity_used) v["severity"] = static_cast<int>(pick(p.severity, 0, 10, true));
        if (p.at_night >= 0) v["at_night"] = p.at_night == 1;
        if (p.constant >= 0) v["constant"] = p.constant == 1;
        if (p.char_used) v["character"] = solver.character(f, p);
        if (v.size() == 1) findings[id] = true;
        else findings[id] = v;
    }
    c["findings"] = findings;
    if (plan.age_used || plan.sex_used) {
        OJson pat = OJson::object();
        if (plan.age_used) {
            double a = pick(plan.age, 0, 130, false);
            if (a == std::floor(a)) pat["age"] = static_cast<long long>(a);
            else pat["age"] = a;
        }
        if (plan.sex_used)
            for (std::size_t i = 0; i < symtri::sex_names.size(); ++i)
                if (plan.sex & (1u << i)) {
                    pat["sex"] = std::string(symtri::sex_names[i]);
                    break;
                }
        c["patient"] = pat;
    }
    return c;
}

struct Generated {
    std::vector<CaseInput> cases;
    std::size_t singles = 0, pairs = 0, rule_cases = 0;
    std::vector<std::string> rules_without_case;  // "old:rule_id"
};

Generated generate(const symtri::RuleSetPtr& old_rs, const symtri::RuleSetPtr& new_rs) {
    Generated g;
    std::set<std::string> seen;
    auto add = [&](const OJson& c, std::string name, const std::string& kind) {
        std::string text = c.dump();
        if (!seen.insert(text).second) return false;
        g.cases.push_back(CaseInput{std::move(name), "", 0, text, kind});
        return true;
    };
    // The union of the two vocabularies: the old one's order, then the new one's additions.
    std::vector<std::string> ids;
    std::map<std::string, std::size_t> rank;
    for (const RuleSet* rs : {old_rs.get(), new_rs.get()})
        for (const auto& f : rs->findings)
            if (rank.emplace(f.id, ids.size()).second) ids.push_back(f.id);
    for (const auto& id : ids) {
        OJson c = OJson::object();
        c["findings"][id] = true;
        if (add(c, "{" + id + "}", "single")) ++g.singles;
    }
    // Pairs of findings a rule reads together, in either set.
    std::set<std::pair<std::size_t, std::size_t>> pairs;
    for (const RuleSet* rs : {old_rs.get(), new_rs.get()})
        for (const auto& r : rs->rules)
            for (std::size_t i = 0; i < r.findings.size(); ++i)
                for (std::size_t j = i + 1; j < r.findings.size(); ++j) {
                    std::size_t a = rank.at(rs->findings[static_cast<std::size_t>(r.findings[i])].id);
                    std::size_t b = rank.at(rs->findings[static_cast<std::size_t>(r.findings[j])].id);
                    pairs.insert({std::min(a, b), std::max(a, b)});
                }
    for (const auto& [a, b] : pairs) {
        OJson c = OJson::object();
        c["findings"][ids[a]] = true;
        c["findings"][ids[b]] = true;
        if (add(c, "{" + ids[a] + ", " + ids[b] + "}", "pair")) ++g.pairs;
    }
    // One case per rule that makes it fire, checked with the evaluator.
    const char* which[2] = {"old", "new"};
    int side = 0;
    for (const auto& rsp : {old_rs, new_rs}) {
        const RuleSet& rs = *rsp;
        Solver solver(rs);
        symtri::TriageOptions one_question;
        one_question.max_questions = 1;
        symtri::Evaluator eval(rsp, one_question);
        symtri::Case kase;
        symtri::Outcome out;
        for (std::size_t r = 0; r < rs.rules.size(); ++r) {
            Plan plan;
            bool made = false;
            OJson c;
            if (solver.solve(rs.rules[r].root, plan)) {
                c = case_of(rs, solver, plan);
                symtri::CaseError err;
                if (symtri::parse_case(rs, c.dump(), kase, err)) {
                    eval.evaluate(kase, out);
                    made = out.has_fired(static_cast<std::int32_t>(r));
                }
            }
            if (!made) {
                g.rules_without_case.push_back(std::string(which[side]) + ":" + rs.rules[r].id);
                continue;
            }
            if (add(c, describe(c) + " to fire " + which[side] + " " + rs.rules[r].id, "rule")) ++g.rule_cases;
            // The same at an age in the middle of the rule's range too: an age at its edge can fire a
            // neighbouring rule as well (age 0 for "under 16" is also "under 3 months"), which would
            // hide a change to this one.
            if (plan.age_used) {
                Range d = intersect(plan.age, Range{0, 130, true, true});
                double mid = std::round((d.lo + d.hi) / 2);
                if (!d.empty() && d.contains(mid) && c.contains("patient") && c["patient"]["age"] != static_cast<long long>(mid)) {
                    OJson m = c;
                    m["patient"]["age"] = static_cast<long long>(mid);
                    symtri::CaseError err;
                    if (symtri::parse_case(rs, m.dump(), kase, err)) {
                        eval.evaluate(kase, out);
                        if (out.has_fired(static_cast<std::int32_t>(r)) &&
                            add(m, describe(m) + " to fire " + which[side] + " " + rs.rules[r].id, "rule"))
                            ++g.rule_cases;
                    }
                }
            }
        }
        ++side;
    }
    return g;
}

// ---------------------------------------------------------------------------------------------------
// Triage with both sets and compare.

struct Side {
    bool ok = false;
    symtri::CaseError err;
    int level = 0;
    std::string level_id;
    std::vector<std::string> red_flags, blocked;  // sorted
    std::map<std::string, std::pair<int, std::string>> red_flag_level;  // red flag id -> its level (rank, id)
};

Side triage(const symtri::RuleSetPtr& rsp, symtri::Evaluator& eval, symtri::Case& kase, const std::string& text,
            const symtri::CaseLimits& limits) {
    const RuleSet& rs = *rsp;
    Side s;
    symtri::Outcome out;
    s.ok = symtri::parse_case(rs, text, kase, s.err, limits);
    if (!s.ok) return s;
    eval.evaluate(kase, out);
    s.level = out.level;
    s.level_id = rs.levels[static_cast<std::size_t>(out.level)].id;
    for (auto r : out.fired)
        if (rs.rules[static_cast<std::size_t>(r)].kind == symtri::RuleKind::red_flag)
        {
            const auto& rule = rs.rules[static_cast<std::size_t>(r)];
            s.red_flags.push_back(rule.id);
            s.red_flag_level[rule.id] = {rule.level, rs.levels[static_cast<std::size_t>(rule.level)].id};
        }
    for (const auto& b : out.blocks) s.blocked.push_back(rs.rules[static_cast<std::size_t>(b.second)].id);
    std::sort(s.red_flags.begin(), s.red_flags.end());
    std::sort(s.blocked.begin(), s.blocked.end());
    s.blocked.erase(std::unique(s.blocked.begin(), s.blocked.end()), s.blocked.end());
    return s;
}

std::vector<std::string> minus(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    std::vector<std::string> out;
    std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
    return out;
}

// What a change is, in report order.
enum Kind { level_down, rejected_by_new, level_up, red_flags_changed, blocked_changed, rejected_by_old, error, kinds };
const char* const kind_mark[kinds] = {"LEVEL DOWN", "REJECTED BY NEW", "LEVEL UP", "RED FLAGS", "BLOCKED",
                                      "REJECTED BY OLD", "ERROR"};
const char* const kind_id[kinds] = {"level_down", "rejected_by_new", "level_up", "red_flags", "blocked",
                                    "rejected_by_old", "error"};

struct Change {
    Kind kind;
    CaseInput in;
    Side old_s, new_s;
    std::vector<std::string> rf_gained, rf_lost, bl_gained, bl_lost;
    // Red flags that fire with both sets but raise to another level ("id (emergency -> routine)"): a
    // red flag lowered where another rule still holds the case's level changes nothing else.
    std::vector<std::string> rf_relevelled;
};

std::string error_text(const symtri::CaseError& e) {
    return e.message + (e.path.empty() ? "" : " at " + e.path);
}

OJson side_json(const Side& s) {
    OJson j = OJson::object();
    if (!s.ok) {
        j["error"] = {{"code", s.err.code}, {"message", s.err.message}, {"path", s.err.path}};
        return j;
    }
    j["level"] = s.level_id;
    j["level_rank"] = s.level;
    j["red_flags"] = s.red_flags;
    j["blocked"] = s.blocked;
    return j;
}

OJson set_json(const std::string& path, const RuleSet& rs) {
    OJson levels = OJson::array();
    for (const auto& l : rs.levels) levels.push_back(l.id);
    return OJson{{"path", path}, {"id", rs.info.id}, {"version", rs.info.version}, {"digest", rs.info.digest}, {"levels", levels}};
}

}  // namespace

std::vector<std::string> diff_generated_cases(const symtri::RuleSetPtr& old_rs, const symtri::RuleSetPtr& new_rs) {
    std::vector<std::string> out;
    for (auto& c : generate(old_rs, new_rs).cases) out.push_back(std::move(c.text));
    return out;
}

int cmd_diff(const Options& o) {
    const std::string names[2] = {o.args[0], o.args[1]};
    symtri::RuleSetPtr sets[2];
    for (int i = 0; i < 2; ++i) {
        Options lo = o;
        if (names[i] == "builtin") lo.rules.reset();
        else lo.rules = names[i];
        sets[i] = load_rules_or_report(lo);
        if (!sets[i]) {
            std::cerr << "symtri diff: the " << (i ? "NEW" : "OLD") << " rule set '" << names[i] << "' failed to load\n";
            return exit_ruleset;
        }
    }
    const std::string format = o.format_set ? o.format : "text";

    // The diff reads levels, fired rules and blocks, never questions: one question is the least the
    // evaluator can be asked to list, and spares most of its work on large rule sets.
    symtri::TriageOptions one_question;
    one_question.max_questions = 1;
    symtri::Evaluator evals[2] = {symtri::Evaluator(sets[0], one_question), symtri::Evaluator(sets[1], one_question)};
    symtri::Case kase[2];
    std::vector<Change> changes;  // only changed cases are kept: memory follows the changes, not the input
    std::size_t cases = 0;
    std::size_t count[kinds] = {};
    std::size_t rf_changes = 0, bl_changes = 0, red_flags_lowered = 0;
    auto compare = [&](CaseInput c) {
        ++cases;
        Change ch{error, {}, triage(sets[0], evals[0], kase[0], c.text, o.case_limits),
                  triage(sets[1], evals[1], kase[1], c.text, o.case_limits), {}, {}, {}, {}, {}};
        if (c.kind == "file") {
            const symtri::Case& k = ch.old_s.ok ? kase[0] : kase[1];
            if ((ch.old_s.ok || ch.new_s.ok) && k.case_id) {
                c.case_id = *k.case_id;
                c.name = c.case_id + " (line " + std::to_string(c.line) + ")";
            }
        }
        if (!ch.old_s.ok && !ch.new_s.ok) {
            ch.kind = error;
        } else if (!ch.new_s.ok) {
            ch.kind = rejected_by_new;
        } else if (!ch.old_s.ok) {
            ch.kind = rejected_by_old;
        } else {
            ch.rf_gained = minus(ch.new_s.red_flags, ch.old_s.red_flags);
            ch.rf_lost = minus(ch.old_s.red_flags, ch.new_s.red_flags);
            ch.bl_gained = minus(ch.new_s.blocked, ch.old_s.blocked);
            ch.bl_lost = minus(ch.old_s.blocked, ch.new_s.blocked);
            for (const auto& [id, lv] : ch.old_s.red_flag_level) {
                auto it = ch.new_s.red_flag_level.find(id);
                if (it == ch.new_s.red_flag_level.end() || it->second.first == lv.first) continue;  // by rank
                ch.rf_relevelled.push_back(id + " (" + lv.second + " -> " + it->second.second + ")");
                if (it->second.first < lv.first) ++red_flags_lowered;
            }
            bool rf = !ch.rf_gained.empty() || !ch.rf_lost.empty() || !ch.rf_relevelled.empty();
            bool bl = !ch.bl_gained.empty() || !ch.bl_lost.empty();
            rf_changes += rf;
            bl_changes += bl;
            if (ch.new_s.level < ch.old_s.level) ch.kind = level_down;
            else if (ch.new_s.level > ch.old_s.level) ch.kind = level_up;
            else if (rf) ch.kind = red_flags_changed;
            else if (bl) ch.kind = blocked_changed;
            else return;  // unchanged
        }
        ++count[ch.kind];
        ch.in = std::move(c);
        changes.push_back(std::move(ch));
    };

    // The cases: a file (or stdin), one JSON object a line, read as it goes; or generated.
    Generated gen;
    const bool generated = o.args.size() < 3;
    if (generated) {
        gen = generate(sets[0], sets[1]);
        for (auto& c : gen.cases) compare(std::move(c));
        gen.cases.clear();
    } else {
        const std::string& file = o.args[2];
        std::ifstream f;
        if (file != "-") {
            f.open(file, std::ios::binary);
            if (!f) {
                std::cerr << "symtri diff: cannot read case file '" << file << "'\n";
                return exit_case;
            }
        }
        std::istream& in = file == "-" ? std::cin : f;
        std::string line;
        std::size_t n = 0;
        while (std::getline(in, line)) {
            ++n;
            if (!line.empty() && line.back() == '\r') line.pop_back();
            if (line.find_first_not_of(" \t") == std::string::npos) continue;  // blank lines are not cases
            CaseInput c{"line " + std::to_string(n), "", n, line, "file"};
            // A vignette line ({"id", "case": {...}, expectations}, as in tests/vignettes) gives its case.
            if (line.find("\"case\"") != std::string::npos) {
                auto j = nlohmann::json::parse(line, nullptr, false);
                if (j.is_object() && j.contains("case") && j["case"].is_object() && !j.contains("findings")) {
                    c.text = j["case"].dump();
                    if (j.contains("id") && j["id"].is_string()) c.name = j["id"].get<std::string>() + " (line " + std::to_string(n) + ")";
                }
            }
            compare(std::move(c));
        }
    }
    std::stable_sort(changes.begin(), changes.end(), [](const Change& a, const Change& b) { return a.kind < b.kind; });

    bool levels_differ = sets[0]->levels.size() != sets[1]->levels.size();
    for (std::size_t i = 0; !levels_differ && i < sets[0]->levels.size(); ++i)
        levels_differ = sets[0]->levels[i].id != sets[1]->levels[i].id;
    auto level_list = [](const RuleSet& rs) {
        std::string out;
        for (const auto& l : rs.levels) out += (out.empty() ? "" : " < ") + l.id;
        return out;
    };

    if (format == "json") {
        OJson j = OJson::object();
        j["summary"] = {{"cases", cases},
                        {"level_down", count[level_down]},
                        {"level_up", count[level_up]},
                        {"red_flag_changes", rf_changes},
                        {"blocked_changes", bl_changes},
                        {"errors", count[error]},
                        {"rejected_by_new", count[rejected_by_new]},
                        {"rejected_by_old", count[rejected_by_old]}};
        j["old"] = set_json(names[0], *sets[0]);
        j["new"] = set_json(names[1], *sets[1]);
        j["levels_differ"] = levels_differ;
        if (generated)
            j["generated"] = {{"singles", gen.singles}, {"pairs", gen.pairs}, {"rule_cases", gen.rule_cases},
                              {"rules_without_case", gen.rules_without_case}};
        OJson arr = OJson::array();
        for (const auto& ch : changes) {
            OJson c = OJson::object();
            c["change"] = kind_id[ch.kind];
            c["case"] = ch.in.name;
            if (!ch.in.case_id.empty()) c["case_id"] = ch.in.case_id;
            if (ch.in.line) c["line"] = ch.in.line;
            else c["input"] = OJson::parse(ch.in.text);
            c["old"] = side_json(ch.old_s);
            c["new"] = side_json(ch.new_s);
            if (ch.old_s.ok && ch.new_s.ok) {
                c["red_flags_gained"] = ch.rf_gained;
                c["red_flags_lost"] = ch.rf_lost;
                c["red_flags_relevelled"] = ch.rf_relevelled;
                c["blocked_gained"] = ch.bl_gained;
                c["blocked_lost"] = ch.bl_lost;
            }
            arr.push_back(c);
        }
        j["changes"] = arr;
        std::cout << j.dump(2) << "\n";
    } else {
        std::ostream& os = std::cout;
        os << cases << " cases: " << count[level_down] << " level down, " << count[level_up] << " level up, "
           << rf_changes << " red-flag changes, " << bl_changes << " blocked-advice changes, " << count[error] << " errors";
        if (count[rejected_by_new] || count[rejected_by_old])
            os << "; rejected by one set only: " << count[rejected_by_new] << " by new, " << count[rejected_by_old] << " by old";
        os << "\n";
        os << "old: " << names[0] << " (" << sets[0]->info.id << " " << sets[0]->info.version << ", "
           << sets[0]->info.digest.substr(0, 19) << ")\nnew: " << names[1] << " (" << sets[1]->info.id << " "
           << sets[1]->info.version << ", " << sets[1]->info.digest.substr(0, 19) << ")\n";
        if (levels_differ)
            os << "note: the two sets' level ids differ; levels are compared by rank\n  old: " << level_list(*sets[0])
               << "\n  new: " << level_list(*sets[1]) << "\n";
        if (generated) {
            os << "cases generated from the vocabularies: " << gen.singles << " single findings, " << gen.pairs
               << " pairs sharing a rule, " << gen.rule_cases << " built to fire a rule";
            if (!gen.rules_without_case.empty()) os << " (none found for " << join(gen.rules_without_case) << ")";
            os << "\n";
        }
        if (!changes.empty()) os << "\n";
        for (const auto& ch : changes) {
            std::string mark = kind_mark[ch.kind];
            os << mark << std::string(mark.size() < 16 ? 16 - mark.size() : 1, ' ') << ch.in.name << ": ";
            auto level_of = [&](const Side& s) {
                if (!s.ok) return std::string("rejected");
                return levels_differ ? s.level_id + " (rank " + std::to_string(s.level) + ")" : s.level_id;
            };
            if (ch.kind == error) {
                std::string e0 = error_text(ch.old_s.err), e1 = error_text(ch.new_s.err);
                os << (e0 == e1 ? e0 : "old: " + e0 + "; new: " + e1) << "\n";
                continue;
            }
            os << level_of(ch.old_s) << " -> " << level_of(ch.new_s);
            if (!ch.old_s.ok) os << " (old: " << error_text(ch.old_s.err) << ")";
            if (!ch.new_s.ok) os << " (new: " << error_text(ch.new_s.err) << ")";
            if (!ch.new_s.ok && !ch.old_s.red_flags.empty()) os << "; old red flags: " << join(ch.old_s.red_flags);
            if (!ch.rf_gained.empty()) os << "; red flags gained: " << join(ch.rf_gained);
            if (!ch.rf_lost.empty()) os << "; red flags lost: " << join(ch.rf_lost);
            if (!ch.rf_relevelled.empty()) os << "; red flags at another level: " << join(ch.rf_relevelled);
            if (!ch.bl_gained.empty()) os << "; now held back: " << join(ch.bl_gained);
            if (!ch.bl_lost.empty()) os << "; no longer held back: " << join(ch.bl_lost);
            os << "\n";
        }
    }
    // A case the old set triaged that the new one rejects has lost its level altogether (a finding was
    // removed or renamed): as unsafe as a level that went down.
    // A red flag that now raises to a lower level fails the diff too, even where another rule still
    // holds the case's level: the safety net is weaker for every case that rule alone would catch.
    return count[level_down] || count[rejected_by_new] || red_flags_lowered ? exit_failed : exit_ok;
}

}  // namespace symtri_cli
