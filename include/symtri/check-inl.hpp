// SPDX-License-Identifier: Apache-2.0
// run_carried_tests: included by check.hpp in the header-only mode, compiled once into symtri::lib
// (src/lib/check.cpp) otherwise (config.hpp).
#pragma once

#include <string>
#include <vector>

#include "attributes.hpp"
#include "case.hpp"
#include "check.hpp"
#include "evaluator.hpp"

namespace symtri {

SYMTRI_FUNC CheckReport run_carried_tests(const RuleSetPtr& rules) {
    CheckReport report;
    const RuleSet& rs = *rules;
    Evaluator eval(rules);
    Case c;
    Outcome o;
    for (const auto& t : rs.tests) {
        ++report.run;
        std::vector<std::string> problems;
        const auto& e = t.expect;
        CaseError err;
        bool parsed = parse_case(rs, t.case_json, c, err);
        if (e.contains("error")) {
            std::string want = e["error"].get<std::string>();
            if (parsed) problems.push_back("expected the case to be rejected with '" + want + "', but it was accepted");
            else if (err.code != want) problems.push_back("expected error '" + want + "', got '" + err.code + "': " + err.message);
        } else if (!parsed) {
            problems.push_back("case rejected: " + err.message + (err.path.empty() ? "" : " at " + err.path));
        } else {
            eval.evaluate(c, o);
            const std::string& got = rs.levels[static_cast<std::size_t>(o.level)].id;
            if (e.contains("level") && got != e["level"].get<std::string>())
                problems.push_back("level is " + got + ", expected " + e["level"].get<std::string>());
            if (e.contains("min_level") && o.level < rs.find_level(e["min_level"].get<std::string>()))
                problems.push_back("level is " + got + ", expected at least " + e["min_level"].get<std::string>());
            if (e.contains("max_level") && o.level > rs.find_level(e["max_level"].get<std::string>()))
                problems.push_back("level is " + got + ", expected at most " + e["max_level"].get<std::string>());
            if (e.contains("fires"))
                for (const auto& id : e["fires"])
                    if (!o.has_fired(rs.find_rule(id.get<std::string>())))
                        problems.push_back("rule '" + id.get<std::string>() + "' did not fire");
            if (e.contains("not_fires"))
                for (const auto& id : e["not_fires"])
                    if (o.has_fired(rs.find_rule(id.get<std::string>())))
                        problems.push_back("rule '" + id.get<std::string>() + "' fired but must not");
            if (e.contains("blocked"))
                for (const auto& id : e["blocked"])
                    if (!o.is_blocked(rs.find_rule(id.get<std::string>())))
                        problems.push_back("rule '" + id.get<std::string>() + "' was not blocked");
            // "finding" names a finding question, "finding.attribute" an attribute question.
            auto asked = [&](const std::string& name) {
                auto dot = name.find('.');
                int k = rs.find_finding(name.substr(0, dot));
                int a = dot == std::string::npos ? -1 : index_of(attr_names, name.substr(dot + 1));
                for (const auto& q : o.questions)
                    if (q.finding == k && q.attr == a) return true;
                return false;
            };
            if (e.contains("questions_include"))
                for (const auto& f : e["questions_include"])
                    if (!asked(f.get<std::string>())) problems.push_back("questions lack '" + f.get<std::string>() + "'");
            if (e.contains("questions_exclude"))
                for (const auto& f : e["questions_exclude"])
                    if (asked(f.get<std::string>())) problems.push_back("questions include '" + f.get<std::string>() + "'");
        }
        if (!problems.empty()) {
            std::string all;
            for (const auto& p : problems) all += (all.empty() ? "" : "; ") + p;
            report.failures.push_back(TestFailure{t.name, t.source, all});
        }
    }
    return report;
}

}  // namespace symtri
