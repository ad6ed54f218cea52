// SPDX-License-Identifier: Apache-2.0
// `symtri check --coverage [PATH]`: how well the tests a rule set carries exercise its rules (issue 15).
// For each rule: whether some carried test makes it fire, and masking MC/DC over its leaf conditions
// (`finding`, `absent`, `age`, `sex` nodes): a leaf is covered when one test has it true and one has it
// false, each time deciding the rule (negating that leaf alone would change whether the rule's condition
// is true). The decision is worked out by re-evaluating the rule's condition with the leaf forced.
#include <algorithm>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <symtri/explain.hpp>

#include "cli.hpp"

namespace symtri_cli {
namespace {

using symtri::Attr;
using symtri::RuleSet;
using symtri::Tri;
using symtri::detail::AttrTest;
using symtri::detail::explain_number;
using symtri::detail::Compiled;
using symtri::detail::Node;
using symtri::detail::Op;
using symtri::detail::Range;

// "age >= 18 and age < 65", "x.duration_days == 7"
std::string range_text(const std::string& name, const Range& r) {
    if (r.lo == r.hi && r.lo_incl && r.hi_incl) return name + " == " + explain_number(r.lo);
    std::string out;
    if (std::isfinite(r.lo)) out += name + (r.lo_incl ? " >= " : " > ") + explain_number(r.lo);
    if (std::isfinite(r.hi)) out += (out.empty() ? "" : " and ") + name + (r.hi_incl ? " <= " : " < ") + explain_number(r.hi);
    return out.empty() ? name + " any" : out;
}

std::string mask_list(std::uint32_t mask, const std::string_view* names, std::size_t count) {
    std::string out;
    for (std::size_t i = 0; i < count; ++i)
        if (mask & (1u << i)) out += (out.empty() ? "" : ", ") + std::string(names[i]);
    return "[" + out + "]";
}

// A leaf as a reader would name it: "finding saddle_numbness", "sciatica.side in [both]", "age >= 50".
std::string leaf_text(const RuleSet& rs, std::uint32_t node) {
    const Compiled& k = rs.compiled;
    const Node& n = k.nodes[node];
    switch (n.op) {
        case Op::age: return range_text("age", k.ranges[n.first]);
        case Op::sex: return "sex in " + mask_list(n.first, symtri::sex_names.data(), symtri::sex_names.size());
        case Op::absent: return "finding " + rs.findings[static_cast<std::size_t>(n.finding)].id + " absent";
        case Op::finding: break;
        default: return "?";
    }
    const std::string& id = rs.findings[static_cast<std::size_t>(n.finding)].id;
    if (n.count == 0) return "finding " + id;
    std::string out;
    for (std::uint32_t i = 0; i < n.count; ++i) {
        const AttrTest& t = k.tests[n.first + i];
        std::string name = id + "." + std::string(symtri::attr_names[static_cast<std::size_t>(t.attr)]);
        std::string s;
        switch (t.attr) {
            case Attr::side:
            case Attr::onset:
            case Attr::trend: {
                std::size_t count = 0;
                const std::string_view* names = symtri::enum_values(t.attr, count);
                s = name + " in " + mask_list(t.mask, names, count);
                break;
            }
            case Attr::sites: s = name + " overlap " + mask_list(t.mask, symtri::site_names.data(), symtri::site_names.size()); break;
            case Attr::duration_days:
            case Attr::severity: s = range_text(name, t.range); break;
            case Attr::at_night:
            case Attr::constant: s = name + " is " + (t.boolean ? "true" : "false"); break;
            case Attr::character: {
                std::string list;
                for (std::uint32_t c = 0; c < t.set_count; ++c)
                    list += (c ? ", " : "") + rs.characters[static_cast<std::size_t>(k.character_sets[t.set_first + c])];
                s = name + " in [" + list + "]";
                break;
            }
        }
        out += (out.empty() ? "" : " and ") + s;
    }
    return out;
}

// One rule's condition as a tree of node occurrences: a node reached twice (a named condition used twice)
// is two occurrences, each a condition of its own for MC/DC.
struct Occurrence {
    std::uint32_t node;
    std::vector<std::uint32_t> kids;  // occurrence indices, in the node's child order; empty for a leaf
};

class RuleTree {
public:
    RuleTree(const RuleSet& rs, std::uint32_t root) : k_(rs.compiled) { add(root); }

    std::vector<Occurrence> occ;
    std::vector<std::uint32_t> leaves;  // occurrence indices of the leaves, in condition order

    // The root's value with occurrence `forced` set to `value` (no occurrence forced: forced = npos),
    // given each leaf occurrence's own value in `leaf_value`.
    Tri eval(std::uint32_t o, std::uint32_t forced, Tri value, const std::vector<Tri>& leaf_value) const {
        if (o == forced) return value;
        const Occurrence& x = occ[o];
        if (x.kids.empty()) return leaf_value[o];
        const Node& n = k_.nodes[x.node];
        std::uint32_t cursor = 0;
        return symtri::detail::combine(n, k_, [&](std::uint32_t child) {
            // combine asks for children in their order; find which of them (a node may be a child twice).
            std::uint32_t i = cursor;
            while (i < n.count && k_.children[n.first + i] != child) ++i;
            if (i == n.count)
                for (i = 0; i < n.count && k_.children[n.first + i] != child; ++i) {}
            cursor = i + 1;
            return eval(x.kids[i], forced, value, leaf_value);
        });
    }

private:
    const Compiled& k_;

    std::uint32_t add(std::uint32_t node) {
        auto self = static_cast<std::uint32_t>(occ.size());
        occ.push_back(Occurrence{node, {}});
        const Node& n = k_.nodes[node];
        switch (n.op) {
            case Op::all:
            case Op::any:
            case Op::not_:
            case Op::at_least: {
                std::uint32_t count = n.op == Op::not_ ? 1 : n.count;
                std::vector<std::uint32_t> kids;
                for (std::uint32_t i = 0; i < count; ++i) kids.push_back(add(k_.children[n.first + i]));
                occ[self].kids = std::move(kids);
                break;
            }
            default: leaves.push_back(self); break;
        }
        return self;
    }
};

struct RuleCoverage {
    bool fires = false;
    std::vector<bool> covered_true, covered_false;  // per leaf (RuleTree::leaves order)
    std::size_t covered() const {
        std::size_t n = 0;
        for (std::size_t i = 0; i < covered_true.size(); ++i) n += covered_true[i] && covered_false[i];
        return n;
    }
};

std::string percent(std::size_t covered, std::size_t total) {
    if (!total) return "n/a";
    std::ostringstream ss;
    ss << std::fixed << std::setprecision(1) << 100.0 * static_cast<double>(covered) / static_cast<double>(total) << "%";
    return ss.str();
}

}  // namespace

int cmd_coverage(const Options& o) {
    Options lo = o;
    if (!o.args.empty()) lo.rules = o.args[0];
    auto rules = load_rules_or_report(lo);
    if (!rules) return exit_ruleset;
    // First what `check` does with the loaded set: run the carried tests, print its summary.
    int rc = check_loaded(lo, rules);
    const RuleSet& rs = *rules;
    const Compiled& k = rs.compiled;

    std::vector<RuleTree> trees;
    std::vector<RuleCoverage> cov(rs.rules.size());
    trees.reserve(rs.rules.size());
    for (std::size_t r = 0; r < rs.rules.size(); ++r) {
        trees.emplace_back(rs, rs.rules[r].root);
        cov[r].covered_true.assign(trees[r].leaves.size(), false);
        cov[r].covered_false.assign(trees[r].leaves.size(), false);
    }
    std::vector<std::int32_t> patient_rules;
    for (std::size_t r = 0; r < rs.rules.size(); ++r)
        if (rs.rules[r].reads_patient) patient_rules.push_back(static_cast<std::int32_t>(r));

    symtri::Case c;
    std::size_t used = 0;
    std::vector<std::uint32_t> stamp(rs.rules.size(), 0);
    std::vector<Tri> leaf_value;
    for (const auto& t : rs.tests) {
        if (t.expect.contains("error")) continue;  // a case meant to be rejected exercises no rule
        symtri::CaseError err;
        if (!symtri::parse_case(rs, t.case_json, c, err)) continue;
        ++used;
        symtri::detail::ConditionEval ev(rs, c);
        // Rules with every leaf unknown are decided by nothing: only rules reading an answered finding,
        // or the patient's age or sex, need a look.
        std::vector<std::int32_t> todo;
        auto touch = [&](std::int32_t r) {
            if (stamp[static_cast<std::size_t>(r)] != used) {
                stamp[static_cast<std::size_t>(r)] = static_cast<std::uint32_t>(used);
                todo.push_back(r);
            }
        };
        for (auto f : c.answered)
            for (auto i = k.finding_rules_start[static_cast<std::size_t>(f)]; i < k.finding_rules_start[static_cast<std::size_t>(f) + 1]; ++i)
                touch(k.finding_rules[i]);
        if (c.has_patient())
            for (auto r : patient_rules) touch(r);
        for (auto r : todo) {
            auto ri = static_cast<std::size_t>(r);
            const RuleTree& tree = trees[ri];
            RuleCoverage& rcov = cov[ri];
            leaf_value.assign(tree.occ.size(), Tri::unknown);
            for (auto l : tree.leaves) leaf_value[l] = ev.eval(tree.occ[l].node);
            constexpr std::uint32_t none = 0xffffffffu;
            const bool root_yes = tree.eval(0, none, Tri::unknown, leaf_value) == Tri::yes;
            if (root_yes) rcov.fires = true;
            for (std::size_t i = 0; i < tree.leaves.size(); ++i) {
                auto l = tree.leaves[i];
                Tri v = leaf_value[l];
                if (v == Tri::unknown) continue;  // an unknown leaf decides nothing
                if (v == Tri::yes ? rcov.covered_true[i] : rcov.covered_false[i]) continue;
                Tri flipped = v == Tri::yes ? Tri::no : Tri::yes;
                bool decides = (tree.eval(0, l, flipped, leaf_value) == Tri::yes) != root_yes;
                if (!decides) continue;
                if (v == Tri::yes) rcov.covered_true[i] = true;
                else rcov.covered_false[i] = true;
            }
        }
    }

    // The report: rules in result order (red flags first).
    std::vector<std::size_t> order(rs.rules.size());
    for (std::size_t r = 0; r < order.size(); ++r) order[r] = r;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return rs.rules[a].order < rs.rules[b].order; });
    std::ostream& os = std::cout;
    os << "\ncoverage by " << used << " carried test" << (used == 1 ? "" : "s")
       << " (masking MC/DC over leaf conditions; see docs/cli.md):\n";
    std::size_t width = 4;
    for (const auto& r : rs.rules) width = std::max(width, r.id.size());
    os << "  " << std::left << std::setw(static_cast<int>(width)) << "rule" << "  " << std::setw(15) << "kind"
       << "fires  leaves covered\n";
    std::size_t rf_rules = 0, rf_firing = 0, rf_cov = 0, rf_total = 0, all_cov = 0, all_total = 0;
    for (auto r : order) {
        const auto& rule = rs.rules[r];
        std::size_t covd = cov[r].covered(), total = trees[r].leaves.size();
        all_cov += covd;
        all_total += total;
        if (rule.kind == symtri::RuleKind::red_flag) {
            ++rf_rules;
            rf_firing += cov[r].fires;
            rf_cov += covd;
            rf_total += total;
        }
        std::string kind = symtri::kind_name(rule.kind);
        os << "  " << std::setw(static_cast<int>(width)) << rule.id << "  " << std::setw(15) << kind << std::setw(7)
           << (cov[r].fires ? "yes" : "no") << covd << "/" << total << "\n";
    }
    os << std::right;
    std::ostringstream gaps;
    std::size_t gap_count = 0;
    for (auto r : order) {
        const auto& tree = trees[r];
        for (std::size_t i = 0; i < tree.leaves.size(); ++i) {
            bool t = cov[r].covered_true[i], f = cov[r].covered_false[i];
            if (t && f) continue;
            ++gap_count;
            gaps << "  " << rs.rules[r].id << ": " << leaf_text(rs, tree.occ[tree.leaves[i]].node)
                 << ": missing " << (!t && !f ? "true, false" : !t ? "true" : "false") << "\n";
        }
    }
    if (gap_count)
        os << "\nnot covered (" << gap_count << " leaf condition" << (gap_count == 1 ? "" : "s")
           << "; 'missing' names the value no test gives it while deciding the rule):\n"
           << gaps.str();
    os << "\nred flags firing in at least one test: " << rf_firing << " of " << rf_rules << "\n"
       << "MC/DC over red-flag conditions: " << percent(rf_cov, rf_total) << " (" << rf_cov << " of " << rf_total
       << " leaves)\n"
       << "MC/DC over all rules: " << percent(all_cov, all_total) << " (" << all_cov << " of " << all_total << " leaves)\n";
    if (o.min_mcdc && rf_total && static_cast<double>(rf_cov) * 100.0 < *o.min_mcdc * static_cast<double>(rf_total)) {
        std::cerr << "symtri check: red-flag MC/DC " << percent(rf_cov, rf_total) << " is below --min-mcdc "
                  << explain_number(*o.min_mcdc) << "%\n";
        rc = exit_failed;
    }
    return rc;
}

}  // namespace symtri_cli
