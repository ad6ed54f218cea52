// SPDX-License-Identifier: Apache-2.0
// Compiler pass: the tests a rule set carries (`tests`: name, case, expect), checked against the
// compiled rules, levels and findings; `symtri check` (check.hpp) runs them.
#pragma once

#include <string>
#include <vector>

#include "helpers.hpp"

namespace symtri {
namespace detail {

inline void Compiler::compile_tests(const SourceDocument& d) {
    auto tl = d.doc().find("tests");
    if (tl == d.doc().end()) return;
    if (!expect_type(d, "/tests", *tl, tl->is_array(), "an array of tests", "tests")) return;
    for (std::size_t i = 0; i < tl->size(); ++i) {
        const std::string where = "/tests/" + std::to_string(i);
        const PointerPath p(where);
        const ojson& t = (*tl)[i];
        if (!expect_type(d, p, t, t.is_object(), "an object", "tests/" + std::to_string(i))) continue;
        check_keys(d, p, t, {"name", "case", "expect"}, "a test");
        CarriedTest ct;
        get_string(d, p, t, "name", true, "a test", ct.name);
        for (const auto& other : rs_->tests)
            if (other.name == ct.name && !ct.name.empty())
                error(d, join_ptr(p, "name"), "duplicate_id", "duplicate test name '" + ct.name + "'");
        if (const ojson* c = member(d, p, t, "case", true, "a test")) {
            if (expect_type(d, join_ptr(p, "case"), *c, c->is_object(), "an object", "case"))
                ct.case_json = to_nlohmann<nlohmann::json>(*c);
        }
        if (const ojson* e = member(d, p, t, "expect", true, "a test")) {
            if (expect_type(d, join_ptr(p, "expect"), *e, e->is_object(), "an object", "expect")) {
                check_expect(d, join_ptr(p, "expect"), *e);
                ct.expect = to_nlohmann<nlohmann::json>(*e);
            }
        }
        SourcePos sp = t.pos();
        ct.source = SourceRef{d.name, sp.line, sp.column, where};
        rs_->tests.push_back(std::move(ct));
    }
}

inline void Compiler::check_expect(const SourceDocument& d, const PointerPath& p, const ojson& e) {
    check_keys(d, p, e, {"level", "min_level", "max_level", "fires", "not_fires", "questions_include",
                         "questions_exclude", "blocked", "error"}, "'expect'");
    for (const char* k : {"level", "min_level", "max_level"}) {
        std::string v;
        if (get_string(d, p, e, k, false, "'expect'", v) && rs_->find_level(v) < 0)
            error(d, join_ptr(p, k), "unknown_level", "unknown level '" + v + "'" + did_you_mean(v, level_ids()));
    }
    for (const char* k : {"fires", "not_fires", "blocked"}) {
        auto it = e.find(k);
        if (it == e.end()) continue;
        std::vector<std::string> ids;
        if (!string_array(d, join_ptr(p, k), *it, k, ids, true)) continue;
        for (std::size_t i = 0; i < ids.size(); ++i)
            if (rs_->find_rule(ids[i]) < 0) {
                std::vector<std::string> all;
                for (const auto& x : rs_->rules) all.push_back(x.id);
                error(d, join_ptr(join_ptr(p, k), i), "unknown_rule",
                      "unknown rule '" + ids[i] + "'" + did_you_mean(ids[i], all));
            }
    }
    for (const char* k : {"questions_include", "questions_exclude"}) {
        auto it = e.find(k);
        if (it == e.end()) continue;
        std::vector<std::string> ids;
        if (!string_array(d, join_ptr(p, k), *it, k, ids, true)) continue;
        // A finding question by its finding id, an attribute question as `finding.attribute`.
        for (std::size_t i = 0; i < ids.size(); ++i) {
            const auto dot = ids[i].find('.');
            const std::string id = ids[i].substr(0, dot);
            if (rs_->find_finding(id) < 0)
                error(d, join_ptr(join_ptr(p, k), i), "unknown_finding",
                      "unknown finding '" + id + "'" + did_you_mean(id, rs_->finding_ids()));
            else if (dot != std::string::npos && index_of(attr_names, ids[i].substr(dot + 1)) < 0)
                error(d, join_ptr(join_ptr(p, k), i), "invalid_value",
                      "unknown attribute '" + ids[i].substr(dot + 1) + "'" +
                          did_you_mean(ids[i].substr(dot + 1), as_strings(attr_names)));
        }
    }
    std::string code;
    get_string(d, p, e, "error", false, "'expect'", code);
}

}  // namespace detail
}  // namespace symtri
