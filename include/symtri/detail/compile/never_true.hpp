// SPDX-License-Identifier: Apache-2.0
// Compiler check, run on each `all` as conditions.hpp builds it: conditions that can never be true.
// A rule that can never fire is a mistake its author cannot see in testing: the red flag it was
// meant to raise silently never shows. An `all` (with the `all`s inside it, named ones included) is
// checked for tests that contradict each other: a finding both present and absent, attribute
// values or ranges with nothing in common, ages or sexes that exclude each other. (Sites are not
// checked: a case may give several.)
#pragma once

#include <algorithm>
#include <iterator>
#include <string>
#include <vector>

#include "helpers.hpp"

namespace symtri {
namespace detail {

inline bool Compiler::intersect(Range& a, const Range& b) {
    if (b.lo > a.lo || (b.lo == a.lo && !b.lo_incl)) { a.lo = b.lo; a.lo_incl = b.lo_incl; }
    if (b.hi < a.hi || (b.hi == a.hi && !b.hi_incl)) { a.hi = b.hi; a.hi_incl = b.hi_incl; }
    return !a.empty();
}

inline Compiler::Need& Compiler::need(std::int32_t finding) {
    auto f = static_cast<std::size_t>(finding);
    if (f >= needs_.size()) {
        needs_.resize(f + 1);
        need_visit_.resize(f + 1, 0);
    }
    if (need_visit_[f] != visit_) {
        need_visit_[f] = visit_;
        needs_[f].reset();
    }
    return needs_[f];
}

inline void Compiler::check_satisfiable(const SourceDocument& d, const PointerPath& ptr, std::uint32_t node) {
    const auto& c = rs_->compiled;
    if (never_true_.size() < c.nodes.size()) never_true_.resize(c.nodes.size(), false);
    if (node_visit_.size() < c.nodes.size()) node_visit_.resize(c.nodes.size() * 2, 0);
    ++visit_;
    Range age;
    std::uint32_t sex = ~0u;
    std::string why;
    std::vector<std::uint32_t>& stack = stack_;
    stack.assign(1, node);
    while (!stack.empty() && why.empty()) {
        std::uint32_t at = stack.back();
        stack.pop_back();
        if (node_visit_[at] == visit_) continue;
        node_visit_[at] = visit_;
        const Node& n = c.nodes[at];
        if (at != node && never_true_[at]) return;  // reported where it is written
        switch (n.op) {
            case Op::all:
                for (std::uint32_t k = 0; k < n.count; ++k) stack.push_back(c.children[n.first + k]);
                break;
            case Op::absent: {
                Need& x = need(n.finding);
                x.absent = true;
                if (x.present) why = "it needs finding '" + rs_->findings[static_cast<std::size_t>(n.finding)].id + "' both present and absent";
                break;
            }
            case Op::finding: {
                const std::string& fid = rs_->findings[static_cast<std::size_t>(n.finding)].id;
                Need& x = need(n.finding);
                x.present = true;
                if (x.absent) { why = "it needs finding '" + fid + "' both present and absent"; break; }
                for (std::uint32_t k = 0; k < n.count && why.empty(); ++k) {
                    const AttrTest& t = c.tests[n.first + k];
                    auto a = static_cast<std::size_t>(t.attr);
                    auto what = [&] { return "the tests on '" + std::string(attr_names[a]) + "' of finding '" + fid + "' cannot all hold"; };
                    switch (t.attr) {
                        case Attr::side: case Attr::onset: case Attr::trend:
                            if (!(x.mask[a] &= t.mask)) why = what();
                            break;
                        case Attr::duration_days: case Attr::severity:
                            if (!intersect(x.range[a], t.range)) why = what();
                            break;
                        case Attr::at_night: case Attr::constant:
                            if (x.boolean[a] >= 0 && x.boolean[a] != t.boolean) why = what();
                            x.boolean[a] = t.boolean;
                            break;
                        case Attr::character: {
                            std::vector<std::int32_t> set(c.character_sets.begin() + t.set_first,
                                                          c.character_sets.begin() + t.set_first + t.set_count);
                            std::sort(set.begin(), set.end());
                            if (x.has_characters) {
                                std::vector<std::int32_t> both;
                                std::set_intersection(x.characters.begin(), x.characters.end(), set.begin(), set.end(),
                                                      std::back_inserter(both));
                                set.swap(both);
                            }
                            x.characters.swap(set);
                            x.has_characters = true;
                            if (x.characters.empty()) why = what();
                            break;
                        }
                        case Attr::sites: break;
                    }
                }
                break;
            }
            case Op::age:
                if (!intersect(age, c.ranges[n.first])) why = "its tests on 'age' cannot all hold";
                break;
            case Op::sex:
                if (!(sex &= n.first)) why = "its tests on 'sex' cannot all hold";
                break;
            default:
                break;  // any, not, at_least: may hold in more than one way
        }
    }
    if (!why.empty()) {
        never_true_[node] = true;
        error(d, ptr, "never_true", "condition can never be true: " + why);
    }
}

}  // namespace detail
}  // namespace symtri
