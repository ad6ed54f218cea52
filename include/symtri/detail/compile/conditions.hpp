// SPDX-License-Identifier: Apache-2.0
// Compiler pass: conditions. Every rule's `when` and every named condition becomes nodes in the
// flat arrays of Compiled (ruleset.hpp): composites (all, any, not, at_least) with their children,
// finding leaves with their attribute tests, age ranges and sex masks. Named conditions are compiled
// once and shared; a cycle, an unknown name or finding, or nesting past the limit is a Diagnostic.
// Each `all` is checked as it is built for tests that contradict each other (never_true.hpp).
#pragma once

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "helpers.hpp"
#include "never_true.hpp"

namespace symtri {
namespace detail {

inline void Compiler::collect_conditions(const SourceDocument& d) {
    auto c = d.doc().find("conditions");
    if (c == d.doc().end()) return;
    if (!expect_type(d, "/conditions", *c, c->is_object(), "an object of named conditions", "conditions")) return;
    const PointerPath conditions("/conditions");
    for (auto it = c->begin(); it != c->end(); ++it) {
        if (it.key() == "$comment") continue;
        const std::string name(it.key());
        const std::string p = join_ptr(conditions, name).str();
        if (!is_id(name)) { error(d, p, "invalid_value", "condition name '" + name + "' is not a valid id", true); continue; }
        if (named_.count(name)) { error(d, p, "duplicate_id", "named condition '" + name + "' is defined twice", true); continue; }
        named_[name] = Named{&d, p, 0, 0};
    }
}

inline const ojson& Compiler::at(const SourceDocument& d, const std::string& pointer) const {
    const JsonValue* v = d.json.find(pointer);  // pointers here were made from values of the document
    return v ? *v : JsonValue::null_value();
}

inline std::uint32_t Compiler::compile_named(const std::string& name, const SourceDocument* d, const PointerPath& ptr) {
    Named& n = named_.at(name);
    if (n.state == 2) return n.node;
    if (n.state == 1) {
        error(*d, ptr, "condition_cycle", "named condition '" + name + "' refers to itself");
        return placeholder();
    }
    n.state = 1;
    std::uint32_t node = compile_condition(*n.doc, at(*n.doc, n.pointer), n.pointer);
    n.state = 2;
    n.node = node;
    return node;
}

inline std::uint32_t Compiler::placeholder() {
    rs_->compiled.nodes.push_back(Node{Op::all, 0, -1, 0, 0});
    return static_cast<std::uint32_t>(rs_->compiled.nodes.size() - 1);
}

inline std::uint32_t Compiler::add_node(Node n) {
    rs_->compiled.nodes.push_back(n);
    return static_cast<std::uint32_t>(rs_->compiled.nodes.size() - 1);
}

// A comparison object {"<": n, ">=": m, ...} -> Range.
inline bool Compiler::compile_range(const SourceDocument& d, const PointerPath& ptr, const ojson& j, const std::string& name,
                                    Range& r, double min_value, double max_value) {
    if (!j.is_object() || j.empty()) {
        error(d, ptr, "wrong_type", "'" + name + "' must be a comparison such as {\">=\": 50}, got " + type_name(j));
        return false;
    }
    static const std::vector<std::string> ops = {"<", "<=", ">", ">=", "=="};
    bool ok = true;
    for (auto it = j.begin(); it != j.end(); ++it) {
        const PointerPath p(ptr, it.key());
        if (std::find(ops.begin(), ops.end(), it.key()) == ops.end()) {
            error(d, p, "unknown_key", "unknown comparison '" + std::string(it.key()) + "' (use <, <=, >, >= or ==)", true);
            ok = false;
            continue;
        }
        if (!it.value().is_number()) {
            error(d, p, "wrong_type", "comparison value must be a number, got " + type_name(it.value()));
            ok = false;
            continue;
        }
        double v = it.value().get<double>();
        if (v < min_value || v > max_value) {
            error(d, p, "out_of_range", "'" + name + "' compares with " + to_nlohmann<nlohmann::json>(it.value()).dump() + ", outside " +
                                             nlohmann::json(min_value).dump() + " to " + nlohmann::json(max_value).dump());
            ok = false;
            continue;
        }
        std::string_view op = it.key();
        if (op == "<" || op == "<=" || op == "==") {
            bool incl = op != "<";
            if (v < r.hi || (v == r.hi && !incl)) { r.hi = v; r.hi_incl = incl; }
        }
        if (op == ">" || op == ">=" || op == "==") {
            bool incl = op != ">";
            if (v > r.lo || (v == r.lo && !incl)) { r.lo = v; r.lo_incl = incl; }
        }
    }
    if (ok && r.empty()) {
        error(d, ptr, "never_true", "comparison on '" + name + "' can never be true");
        return false;
    }
    return ok;
}

// A value or array of values from a fixed enumeration -> bit mask.
template <std::size_t N>
inline bool Compiler::compile_enum(const SourceDocument& d, const PointerPath& ptr, const ojson& j, const std::string& name,
                                   const std::array<std::string_view, N>& names, std::uint32_t& mask, bool array_only,
                                   bool null_allowed) {
    auto one = [&](std::string_view v, const PointerPath& p) {
        int k = index_of(names, v);
        if (k < 0) {
            error(d, p, "invalid_value", "'" + std::string(v) + "' is not a valid " + name +
                                             did_you_mean(v, as_strings(names)) + "; expected " + one_of(as_strings(names)));
            return false;
        }
        mask |= 1u << k;
        return true;
    };
    if (j.is_string() && !array_only) return one(j.str(), ptr);
    if (!j.is_array() || j.empty()) {
        error(d, ptr, "wrong_type", "'" + name + "' must be " + (array_only ? "" : "a string or ") +
                                        "a non-empty array of: " + one_of(as_strings(names)) + "; got " + type_name(j));
        return false;
    }
    for (std::size_t i = 0; i < j.size(); ++i)  // every element's type first, then the values
        if (!j[i].is_string() && !(null_allowed && j[i].is_null())) {
            error(d, join_ptr(ptr, i), "wrong_type", "each '" + name + "' value must be a string" +
                                                         (null_allowed ? " or null" : "") + ", got " + type_name(j[i]));
            return false;
        }
    bool ok = true;
    for (std::size_t i = 0; i < j.size(); ++i) {
        if (j[i].is_null()) mask |= AttrTest::not_given;  // null: holds when the case does not give it
        else ok = one(j[i].str(), join_ptr(ptr, i)) && ok;
    }
    return ok;
}

inline std::uint32_t Compiler::compile_condition(const SourceDocument& d, const ojson& j, const PointerPath& ptr) {
    DepthGuard guard(condition_depth_);
    if (condition_depth_ > options_.limits.depth()) {
        error(d, ptr, "limit", "condition nests deeper than the limit of " + std::to_string(options_.limits.depth()) +
                                   " levels, counting named conditions (max_depth)");
        return placeholder();
    }
    if (!j.is_object()) {
        error(d, ptr, "wrong_type", "a condition must be an object, got " + type_name(j));
        return placeholder();
    }
    static const std::vector<std::string> forms = {"all", "any", "not", "at_least", "ref", "finding", "age", "sex"};
    // The forms present, found in one pass over the members, then taken in the order of `forms`.
    unsigned present = 0;
    for (const auto& m : j)
        for (std::size_t k = 0; k < forms.size(); ++k)
            if (m.key() == forms[k]) {
                present |= 1u << k;
                break;
            }
    const std::string* found[2] = {nullptr, nullptr};
    std::size_t nfound = 0;
    for (std::size_t k = 0; k < forms.size(); ++k)
        if (present & (1u << k) && nfound++ < 2) found[nfound - 1] = &forms[k];
    if (nfound == 0) {
        std::string hint;
        for (auto it = j.begin(); it != j.end() && hint.empty(); ++it) hint = did_you_mean(it.key(), forms);
        error(d, ptr, "invalid_condition",
              "a condition needs one of: all, any, not, at_least, ref, finding, age, sex" + hint);
        return placeholder();
    }
    if (nfound > 1) {
        error(d, ptr, "invalid_condition",
              "a condition has exactly one form; this one has '" + *found[0] + "' and '" + *found[1] +
                  "' (wrap them in \"all\" or \"any\")");
        return placeholder();
    }
    const std::string& form = *found[0];
    if (form == "all" || form == "any") {
        check_keys(d, ptr, j, {std::string_view(form)}, form == "all" ? "an 'all' condition" : "an 'any' condition");
        return compile_list(d, j[form], join_ptr(ptr, form), form, form == "all" ? Op::all : Op::any, 0);
    }
    if (form == "at_least") {
        check_keys(d, ptr, j, {"at_least", "of"}, "an 'at_least' condition");
        const ojson& n = j["at_least"];
        auto of = j.find("of");
        if (of == j.end()) {
            error(d, ptr, "missing_key", "'at_least' needs 'of': the conditions to count");
            return placeholder();
        }
        if (!n.is_number_integer()) {
            error(d, join_ptr(ptr, "at_least"), "wrong_type", "'at_least' must be an integer, got " + type_name(n));
            return placeholder();
        }
        long long k = n.get<long long>();
        if (!fits_long_long(n) || k > 65535) {  // Node::threshold is 16 bits: a larger count would silently wrap
            error(d, join_ptr(ptr, "at_least"), "out_of_range", "'at_least' is " + integer_text(n) +
                                                                    " but can be at most 65535");
            return placeholder();
        }
        std::size_t count = of->is_array() ? of->size() : 0;
        if (of->is_array() && (k < 1 || static_cast<std::size_t>(k) > count)) {
            error(d, join_ptr(ptr, "at_least"), "out_of_range",
                  "'at_least' is " + std::to_string(k) + " but must be from 1 to " + std::to_string(count) +
                      " (the number of conditions in 'of')");
            return placeholder();
        }
        return compile_list(d, *of, join_ptr(ptr, "of"), "of", Op::at_least, static_cast<std::uint16_t>(std::max(1LL, k)));
    }
    if (form == "not") {
        check_keys(d, ptr, j, {"not"}, "a 'not' condition");
        std::uint32_t child = compile_condition(d, j["not"], join_ptr(ptr, "not"));
        auto& c = rs_->compiled;
        std::uint32_t first = static_cast<std::uint32_t>(c.children.size());
        c.children.push_back(child);
        return add_node(Node{Op::not_, 0, -1, first, 1});
    }
    if (form == "ref") {
        check_keys(d, ptr, j, {"ref"}, "a 'ref' condition");
        const ojson& r = j["ref"];
        const PointerPath rp(ptr, "ref");
        if (!r.is_string()) {
            error(d, rp, "wrong_type", "'ref' must be the name of a condition, got " + type_name(r));
            return placeholder();
        }
        std::string name = r.get<std::string>();
        if (!named_.count(name)) {
            std::vector<std::string> names;
            for (const auto& [k, v] : named_) names.push_back(k);
            error(d, rp, "unknown_condition", "unknown named condition '" + name + "'" + did_you_mean(name, names));
            return placeholder();
        }
        return compile_named(name, &d, rp);
    }
    if (form == "age") {
        check_keys(d, ptr, j, {"age"}, "an 'age' condition");
        Range r;
        if (!compile_range(d, join_ptr(ptr, "age"), j["age"], "age", r, 0, 130)) return placeholder();
        auto& c = rs_->compiled;
        c.ranges.push_back(r);
        return add_node(Node{Op::age, 0, -1, static_cast<std::uint32_t>(c.ranges.size() - 1), 0});
    }
    if (form == "sex") {
        check_keys(d, ptr, j, {"sex"}, "a 'sex' condition");
        std::uint32_t mask = 0;
        if (!compile_enum(d, join_ptr(ptr, "sex"), j["sex"], "sex", sex_names, mask)) return placeholder();
        return add_node(Node{Op::sex, 0, -1, mask, 0});
    }
    return compile_leaf(d, j, ptr);
}

inline std::uint32_t Compiler::compile_list(const SourceDocument& d, const ojson& list, const PointerPath& ptr, const std::string& name,
                                            Op op, std::uint16_t threshold) {
    if (!list.is_array()) {
        error(d, ptr, "wrong_type", "'" + name + "' must be an array of conditions, got " + type_name(list));
        return placeholder();
    }
    if (list.empty()) {
        error(d, ptr, "empty_condition", "'" + name + "' must hold at least one condition");
        return placeholder();
    }
    // The children are compiled first (each may add children of its own), then stored together.
    const std::size_t base = kids_.size();
    for (std::size_t i = 0; i < list.size(); ++i) {
        std::uint32_t kid = compile_condition(d, list[i], join_ptr(ptr, i));
        kids_.push_back(kid);
    }
    auto& c = rs_->compiled;
    std::uint32_t first = static_cast<std::uint32_t>(c.children.size());
    c.children.insert(c.children.end(), kids_.begin() + static_cast<std::ptrdiff_t>(base), kids_.end());
    const auto count = static_cast<std::uint32_t>(kids_.size() - base);
    kids_.resize(base);
    std::uint32_t node = add_node(Node{op, threshold, -1, first, count});
    if (op == Op::all) check_satisfiable(d, ptr, node);
    return node;
}

inline std::uint32_t Compiler::compile_leaf(const SourceDocument& d, const ojson& j, const PointerPath& ptr) {
    static const std::vector<std::string_view> allowed = [] {
        std::vector<std::string_view> keys = {"finding", "present"};
        for (auto a : attr_names) keys.emplace_back(a);
        return keys;
    }();
    check_keys(d, ptr, j, allowed, "a finding condition");
    const ojson& fj = j["finding"];
    if (!fj.is_string()) {
        error(d, join_ptr(ptr, "finding"), "wrong_type", "'finding' must be a finding id, got " + type_name(fj));
        return placeholder();
    }
    int f = rs_->find_finding_fast(fj.str());
    if (f < 0) {
        const std::string id = fj.get<std::string>();
        error(d, join_ptr(ptr, "finding"), "unknown_finding",
              "unknown finding '" + id + "'" + did_you_mean(id, rs_->finding_ids()));
        return placeholder();
    }
    const Finding& finding = rs_->findings[static_cast<std::size_t>(f)];
    bool present = true;
    if (auto pj = j.find("present"); pj != j.end()) {
        if (!pj->is_boolean()) {
            error(d, join_ptr(ptr, "present"), "wrong_type", "'present' must be true or false, got " + type_name(*pj));
            return placeholder();
        }
        present = pj->get<bool>();
    }
    std::vector<AttrTest>& tests = leaf_tests_;
    tests.clear();
    // The attribute tests, found in one pass over the members and then taken in attribute order
    // (the order their messages have always come in).
    const ojson* by_attr[attr_count] = {};
    for (const auto& m : j)
        for (std::size_t a = 0; a < attr_count; ++a)
            if (m.key() == attr_names[a]) {
                by_attr[a] = &m;
                break;
            }
    for (std::size_t a = 0; a < attr_count; ++a) {
        if (!by_attr[a]) continue;
        const ojson* it = by_attr[a];
        std::string name(attr_names[a]);
        const PointerPath p(ptr, name);
        if (!present) {
            error(d, p, "invalid_condition", "a test on '" + name + "' cannot go with \"present\": false");
            continue;
        }
        if (!(finding.attributes & (1u << a))) {
            error(d, p, "invalid_condition", "finding '" + finding.id + "' does not take the attribute '" + name + "'");
            continue;
        }
        AttrTest t;
        t.attr = static_cast<Attr>(a);
        const ojson& v = *it;
        switch (t.attr) {
            case Attr::side: if (!compile_enum(d, p, v, name, side_names, t.mask, false, true)) continue; break;
            case Attr::sites: if (!compile_enum(d, p, v, name, site_names, t.mask, true)) continue; break;
            case Attr::onset: if (!compile_enum(d, p, v, name, onset_names, t.mask, false, true)) continue; break;
            case Attr::trend: if (!compile_enum(d, p, v, name, trend_names, t.mask, false, true)) continue; break;
            case Attr::duration_days:
                if (!compile_range(d, p, v, name, t.range, 0, 1e6)) continue;
                break;
            case Attr::severity:
                if (!compile_range(d, p, v, name, t.range, 0, 10)) continue;
                break;
            case Attr::at_night:
            case Attr::constant:
                if (!v.is_boolean()) {
                    error(d, p, "wrong_type", "'" + name + "' must be true or false, got " + type_name(v));
                    continue;
                }
                t.boolean = v.get<bool>() ? 1 : 0;
                break;
            case Attr::character: {
                auto& sets = rs_->compiled.character_sets;
                t.set_first = static_cast<std::uint32_t>(sets.size());
                auto one = [&](std::string_view c, const PointerPath& cp) {
                    if (!is_id(c)) {
                        error(d, cp, "invalid_value", "'" + std::string(c) + "' is not a valid character id");
                    } else if (!finding.characters.empty() &&
                               std::find(finding.characters.begin(), finding.characters.end(), c) == finding.characters.end()) {
                        error(d, cp, "invalid_value", "finding '" + finding.id + "' has no character '" + std::string(c) + "'" +
                                                          did_you_mean(c, finding.characters));
                    } else {
                        sets.push_back(intern_character(std::string(c)));
                    }
                };
                if (v.is_string()) {
                    one(v.str(), p);
                } else if (v.is_array() && !v.empty() && std::all_of(v.begin(), v.end(), [](const ojson& x) { return x.is_string(); })) {
                    for (std::size_t i = 0; i < v.size(); ++i) one(v[i].str(), join_ptr(p, i));
                } else {
                    error(d, p, "wrong_type", "'character' must be an id or a non-empty array of ids, got " + type_name(v));
                    continue;
                }
                t.set_count = static_cast<std::uint32_t>(sets.size()) - t.set_first;
                break;
            }
        }
        tests.push_back(t);
    }
    auto& c = rs_->compiled;
    std::uint32_t first = static_cast<std::uint32_t>(c.tests.size());
    c.tests.insert(c.tests.end(), tests.begin(), tests.end());
    return add_node(Node{present ? Op::finding : Op::absent, 0, f, first, static_cast<std::uint32_t>(tests.size())});
}

}  // namespace detail
}  // namespace symtri
