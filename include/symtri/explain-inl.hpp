// SPDX-License-Identifier: Apache-2.0
// explain.hpp's definitions: included by explain.hpp in the header-only mode, compiled once into
// symtri::lib (src/lib/explain.cpp) otherwise (config.hpp).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "attributes.hpp"
#include "case.hpp"
#include "evaluator.hpp"
#include "explain.hpp"
#include "ruleset.hpp"
#include "detail/text.hpp"

namespace symtri {

namespace detail {

SYMTRI_FUNC std::string explain_number(double v) {
    std::ostringstream ss;
    ss << v;
    return ss.str();
}

SYMTRI_FUNC std::string explain_mask(std::uint32_t mask, const std::string_view* names, std::size_t count) {
    std::string out;
    for (std::size_t i = 0; i < count; ++i)
        if (mask & (1u << i)) out += (out.empty() ? "" : " or ") + std::string(names[i]);
    return out;
}

SYMTRI_FUNC std::string explain_range(const Range& r) {
    if (r.lo == r.hi && r.lo_incl && r.hi_incl) return "= " + explain_number(r.lo);
    std::string out;
    if (std::isfinite(r.lo)) out += (r.lo_incl ? ">= " : "> ") + explain_number(r.lo);
    if (std::isfinite(r.hi)) out += (out.empty() ? "" : " and ") + std::string(r.hi_incl ? "<= " : "< ") + explain_number(r.hi);
    return out;
}

// "side both", "sites including saddle", "duration_days >= 42", "at_night yes".
SYMTRI_FUNC std::string explain_attr_test(const RuleSet& rs, const AttrTest& t) {
    const auto& k = rs.compiled;
    std::string name(attr_names[static_cast<std::size_t>(t.attr)]);
    switch (t.attr) {
        case Attr::side:
        case Attr::onset:
        case Attr::trend: {
            std::size_t count = 0;
            const std::string_view* names = enum_values(t.attr, count);
            return name + " " + explain_mask(t.mask, names, count);
        }
        case Attr::sites: return "sites including " + explain_mask(t.mask, site_names.data(), site_names.size());
        case Attr::duration_days:
        case Attr::severity: return name + " " + explain_range(t.range);
        case Attr::at_night:
        case Attr::constant: return name + (t.boolean ? " yes" : " no");
        case Attr::character: {
            std::string out = "character ";
            for (std::uint32_t i = 0; i < t.set_count; ++i)
                out += (i ? " or " : "") + rs.characters[static_cast<std::size_t>(k.character_sets[t.set_first + i])];
            return out;
        }
    }
    return name;
}

class RuleExplainer {
public:
    RuleExplainer(const RuleSet& rs, const Case& c) : rs_(rs), c_(c), k_(rs.compiled), ev_(rs, c) {}

    Explanation run(std::int32_t rule) {
        Explanation e;
        e.rule = rule;
        std::uint32_t root = rs_.rules[static_cast<std::size_t>(rule)].root;
        e.value = ev_.eval(root);
        walk(e, root, "/when", 0);
        if (e.value == Tri::unknown) wanted(e, root, true);
        if (e.value == Tri::no) blockers(e, root, "/when", true);
        return e;
    }

private:
    const RuleSet& rs_;
    const Case& c_;
    const Compiled& k_;
    ConditionEval ev_;

    // The pointer step of a composite's i-th child.
    static std::string child_pointer(const Node& n, const std::string& at, std::uint32_t i) {
        switch (n.op) {
            case Op::all: return at + "/all/" + std::to_string(i);
            case Op::any: return at + "/any/" + std::to_string(i);
            case Op::at_least: return at + "/of/" + std::to_string(i);
            case Op::not_: return at + "/not";
            default: return at;
        }
    }

    const std::string& finding_id(const Node& n) const { return rs_.findings[static_cast<std::size_t>(n.finding)].id; }

    std::string leaf_text(const Node& n) const {
        switch (n.op) {
            case Op::finding:
            case Op::absent: {
                std::string s = finding_id(n) + (n.op == Op::absent ? " answered no" : " present");
                for (std::uint32_t i = 0; i < n.count; ++i) s += (i ? ", " : " with ") + explain_attr_test(rs_, k_.tests[n.first + i]);
                return s;
            }
            case Op::age: return "age " + explain_range(k_.ranges[n.first]);
            case Op::sex: return "sex " + explain_mask(n.first, sex_names.data(), sex_names.size());
            default: return "";
        }
    }

    static const char* op_name(Op op) {
        switch (op) {
            case Op::all: return "all";
            case Op::any: return "any";
            case Op::not_: return "not";
            case Op::at_least: return "at_least";
            case Op::finding: return "finding";
            case Op::absent: return "absent";
            case Op::age: return "age";
            case Op::sex: return "sex";
        }
        return "";
    }

    void walk(Explanation& e, std::uint32_t node, const std::string& at, int depth) {
        const Node& n = k_.nodes[node];
        ExplainedTest t;
        t.pointer = at;
        t.test = op_name(n.op);
        t.value = ev_.eval(node);
        t.depth = depth;
        switch (n.op) {
            case Op::all: t.text = "all of:"; break;
            case Op::any: t.text = "any of:"; break;
            case Op::not_: t.text = "not:"; break;
            case Op::at_least: t.text = "at least " + std::to_string(n.threshold) + " of:"; break;
            default: t.text = leaf_text(n); break;
        }
        e.tests.push_back(std::move(t));
        if (n.op == Op::all || n.op == Op::any || n.op == Op::at_least || n.op == Op::not_) {
            std::uint32_t count = n.op == Op::not_ ? 1 : n.count;
            for (std::uint32_t i = 0; i < count; ++i) walk(e, k_.children[n.first + i], child_pointer(n, at, i), depth + 1);
        }
    }

    void add(std::vector<std::string>& v, std::string s) {
        if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(std::move(s));
    }

    // Answers that could move an unknown node to `want` (true or false).
    void wanted(Explanation& e, std::uint32_t node, bool want) {
        const Node& n = k_.nodes[node];
        if (ev_.eval(node) != Tri::unknown) return;
        switch (n.op) {
            case Op::all:
            case Op::any:
            case Op::at_least:
                for (std::uint32_t i = 0; i < n.count; ++i) wanted(e, k_.children[n.first + i], want);
                return;
            case Op::not_: wanted(e, k_.children[n.first], !want); return;
            case Op::age: add(e.would_fire_if, "age given (" + std::string(want ? "" : "not ") + explain_range(k_.ranges[n.first]) + ")"); return;
            case Op::sex:
                add(e.would_fire_if, "sex given (" + std::string(want ? "" : "not ") +
                                         explain_mask(n.first, sex_names.data(), sex_names.size()) + ")");
                return;
            case Op::finding:
            case Op::absent: {
                const FindingValue& f = c_.findings[static_cast<std::size_t>(n.finding)];
                const bool yes = (n.op == Op::finding) == want;  // the finding's answer that moves the leaf
                if (f.presence == Presence::unknown) {
                    std::string s = finding_id(n) + (yes ? " answered yes" : " answered no");
                    if (yes && n.op == Op::finding && want)
                        for (std::uint32_t i = 0; i < n.count; ++i) s += (i ? ", " : " with ") + explain_attr_test(rs_, k_.tests[n.first + i]);
                    add(e.would_fire_if, s);
                    return;
                }
                // Present, with an attribute the condition tests not given.
                for (std::uint32_t i = 0; i < n.count; ++i) {
                    const AttrTest& t = k_.tests[n.first + i];
                    if (attribute_given(f, t.attr)) continue;
                    add(e.would_fire_if, finding_id(n) + (want ? " answered with " : " answered without ") + explain_attr_test(rs_, t));
                }
                return;
            }
        }
    }

    // The tests that keep `node` from being `want` (its value is the opposite).
    void blockers(Explanation& e, std::uint32_t node, const std::string& at, bool want) {
        const Node& n = k_.nodes[node];
        const Tri blocking = want ? Tri::no : Tri::yes;
        if (ev_.eval(node) != blocking) return;
        switch (n.op) {
            case Op::all:
            case Op::any:
            case Op::at_least:
                for (std::uint32_t i = 0; i < n.count; ++i) {
                    std::uint32_t ch = k_.children[n.first + i];
                    if (ev_.eval(ch) == blocking) blockers(e, ch, child_pointer(n, at, i), want);
                }
                return;
            case Op::not_: blockers(e, k_.children[n.first], at + "/not", !want); return;
            default:
                add(e.blocked_by, at + ": " + leaf_text(n) + (want ? " is false" : " is true"));
                return;
        }
    }
};

inline const char* tri_json(Tri v) { return v == Tri::yes ? "true" : v == Tri::no ? "false" : "\"unknown\""; }
inline const char* tri_word(Tri v) { return v == Tri::yes ? "true" : v == Tri::no ? "false" : "unknown"; }

}  // namespace detail

// Explains rule `rule` (an index into rs.rules) for case `c` (parsed for `rs`).
SYMTRI_FUNC Explanation explain_rule(const RuleSet& rs, std::int32_t rule, const Case& c) {
    return detail::RuleExplainer(rs, c).run(rule);
}

// The explanation as one line of JSON:
// {"rule":ID,"kind":...,"level":ID|null,"value":true|false|"unknown","fires":bool,
//  "tests":[{"pointer","test","text","value"}...],"would_fire_if":[...],"blocked_by":[...]}
SYMTRI_FUNC std::string explanation_json(const RuleSet& rs, const Explanation& e) {
    const Rule& r = rs.rules[static_cast<std::size_t>(e.rule)];
    static const char* const kinds[] = {"red_flag", "recommendation", "caution", "info"};
    std::string out = "{\"rule\":" + detail::quote(r.id) + ",\"kind\":\"" + kinds[static_cast<int>(r.kind)] + "\",\"level\":";
    out += r.level >= 0 ? detail::quote(rs.levels[static_cast<std::size_t>(r.level)].id) : std::string("null");
    out += ",\"value\":";
    out += detail::tri_json(e.value);
    out += ",\"fires\":";
    out += e.value == Tri::yes ? "true" : "false";
    out += ",\"tests\":[";
    for (std::size_t i = 0; i < e.tests.size(); ++i) {
        const auto& t = e.tests[i];
        if (i) out += ',';
        out += "{\"pointer\":" + detail::quote(t.pointer) + ",\"test\":\"" + t.test + "\",\"text\":" + detail::quote(t.text) +
               ",\"value\":" + detail::tri_json(t.value) + "}";
    }
    out += ']';
    auto list = [&](const char* key, const std::vector<std::string>& v) {
        out += ",\"";
        out += key;
        out += "\":[";
        for (std::size_t i = 0; i < v.size(); ++i) out += (i ? "," : "") + detail::quote(v[i]);
        out += ']';
    };
    list("would_fire_if", e.would_fire_if);
    list("blocked_by", e.blocked_by);
    out += '}';
    return out;
}

// The explanation as a readable tree (what `symtri explain RULE --case FILE` prints).
SYMTRI_FUNC std::string explanation_text(const RuleSet& rs, const Explanation& e) {
    const Rule& r = rs.rules[static_cast<std::size_t>(e.rule)];
    std::string out = r.id + " for this case: ";
    out += e.value == Tri::yes ? "fires" : e.value == Tri::no ? "does not fire" : "unknown (could still fire)";
    out += "\n";
    std::size_t width = 0;
    for (const auto& t : e.tests) width = std::max(width, t.pointer.size());
    for (const auto& t : e.tests) {
        std::string v = detail::tri_word(t.value);
        out += "  " + t.pointer + std::string(width - t.pointer.size() + 2, ' ') + v + std::string(9 - v.size(), ' ') +
               std::string(static_cast<std::size_t>(t.depth) * 2, ' ') + (t.depth && t.text.back() != ':' ? "- " : "") + t.text + "\n";
    }
    if (e.value == Tri::unknown) {
        out += "it could fire with more answers; any of these could settle it (some only together):\n";
        for (const auto& s : e.would_fire_if) out += "  - " + s + "\n";
    } else if (e.value == Tri::no) {
        out += "it does not fire because of:\n";
        for (const auto& s : e.blocked_by) out += "  - " + s + "\n";
    }
    return out;
}

}  // namespace symtri
