// SPDX-License-Identifier: Apache-2.0
// `symtri rules` (what a rule set contains) and `symtri explain RULE-ID` (one rule: what it says, when it
// fires, and why it exists). Both read the compiled RuleSet, so they show exactly what the engine runs:
// named conditions appear inlined, aliases resolved, comparisons merged into ranges.
#include <algorithm>
#include <cmath>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <symtri/detail/utf8.hpp>
#include <symtri/explain.hpp>

#include "cli.hpp"
#include "words.hpp"

namespace symtri_cli {
namespace {

class ConditionPrinter {
public:
    explicit ConditionPrinter(const symtri::RuleSet& rs) : rs_(rs), k_(rs.compiled) {}

    void print(std::ostream& os, std::uint32_t node, const std::string& indent) const {
        using symtri::detail::Op;
        const auto& n = k_.nodes[node];
        switch (n.op) {
            case Op::all:
            case Op::any:
            case Op::at_least: {
                std::string head = n.op == Op::all ? "all of:" : n.op == Op::any ? "any of:"
                                   : "at least " + std::to_string(n.threshold) + " of:";
                os << indent << head << "\n";
                for (std::uint32_t i = 0; i < n.count; ++i) print(os, k_.children[n.first + i], indent + "  ");
                return;
            }
            case Op::not_:
                os << indent << "not:\n";
                print(os, k_.children[n.first], indent + "  ");
                return;
            case Op::finding:
            case Op::absent: {
                const auto& f = rs_.findings[static_cast<std::size_t>(n.finding)];
                os << indent << "- " << f.id << (n.op == Op::absent ? " answered no" : " present");
                std::vector<std::string> tests;
                for (std::uint32_t i = 0; i < n.count; ++i) tests.push_back(symtri::detail::explain_attr_test(rs_, k_.tests[n.first + i]));
                for (std::size_t i = 0; i < tests.size(); ++i) os << (i ? ", " : " with ") << tests[i];
                os << "  (" << f.label.get() << ")\n";
                return;
            }
            case Op::age:
                os << indent << "- age " << symtri::detail::explain_range(k_.ranges[n.first]) << "\n";
                return;
            case Op::sex:
                os << indent << "- sex " << symtri::detail::explain_mask(n.first, symtri::sex_names.data(), symtri::sex_names.size()) << "\n";
                return;
        }
    }

private:
    const symtri::RuleSet& rs_;
    const symtri::detail::Compiled& k_;
};

std::string kind_label(symtri::RuleKind k) {
    switch (k) {
        case symtri::RuleKind::red_flag: return "red flag";
        case symtri::RuleKind::recommendation: return "recommendation";
        case symtri::RuleKind::caution: return "caution";
        case symtri::RuleKind::info: return "info";
    }
    return "rule";
}

void wrapped(std::ostream& os, const std::string& text, const std::string& indent) {
    for (const auto& l : symtri::detail::utf8_wrap(text, 96 - indent.size())) os << indent << l << "\n";
}

}  // namespace

int cmd_rules(const Options& o) {
    auto rules = load_rules_or_report(o);
    if (!rules) return exit_ruleset;
    const auto& rs = *rules;
    std::ostream& os = std::cout;
    os << rs.info.id << " " << rs.info.version << ": " << rs.info.title.get() << "\n"
       << "  validation: " << rs.info.validation << (rs.info.validation == "research" ? " (not for use with patients)" : "")
       << "; license: " << rs.info.license << "; last reviewed: " << rs.info.last_reviewed << "\n";
    if (!rs.info.clinical_review.empty()) wrapped(os, "clinical review: " + rs.info.clinical_review, "  ");
    os << "  authors: " << join(rs.info.authors) << "\n"
       << "  digest: " << rs.info.digest << "\n";
    if (rs.locales.size() > 1) os << "  locales: " << join(rs.locales) << "\n";

    os << "\nlevels, lowest first (" << rs.levels.size() << "):\n";
    for (std::size_t i = 0; i < rs.levels.size(); ++i) {
        const auto& l = rs.levels[i];
        std::string ind = "[" + l.indicator + "]";
        os << "  " << i << "  " << l.id << std::string(l.id.size() < 12 ? 12 - l.id.size() : 1, ' ') << ind
           << std::string(ind.size() < 11 ? 11 - ind.size() : 1, ' ') << l.label.get() << "\n";
    }

    os << "\nfindings (" << rs.findings.size() << "):\n";
    for (const auto& f : rs.findings) {
        os << "  " << f.id << std::string(f.id.size() < 30 ? 30 - f.id.size() : 1, ' ') << f.label.get();
        if (!f.aliases.empty()) os << "  (also: " << join(f.aliases) << ")";
        os << "\n";
    }

    std::vector<const symtri::Rule*> sorted;
    for (const auto& r : rs.rules) sorted.push_back(&r);
    std::sort(sorted.begin(), sorted.end(), [](const symtri::Rule* a, const symtri::Rule* b) { return a->order < b->order; });
    os << "\nrules (" << rs.rules.size() << "), in result order; 'symtri explain ID' tells more:\n";
    int kind = -1;
    for (const auto* r : sorted) {
        if (static_cast<int>(r->kind) != kind) {
            kind = static_cast<int>(r->kind);
            std::size_t n = std::count_if(sorted.begin(), sorted.end(), [&](const symtri::Rule* x) { return x->kind == r->kind; });
            os << "  " << kind_label(r->kind) << (r->kind == symtri::RuleKind::info ? "" : "s") << " (" << n << "):\n";
        }
        std::string level = r->level >= 0 ? rs.levels[static_cast<std::size_t>(r->level)].id : "-";
        os << "    " << r->id << std::string(r->id.size() < 40 ? 40 - r->id.size() : 1, ' ') << level
           << std::string(level.size() < 11 ? 11 - level.size() : 1, ' ') << r->title.get();
        if (!r->citations.empty()) os << "  [" << r->citations.size() << " source" << (r->citations.size() == 1 ? "" : "s") << "]";
        os << "\n";
    }
    if (!rs.tests.empty()) os << "\n" << rs.tests.size() << " carried tests ('symtri check' runs them).\n";
    return exit_ok;
}

int cmd_explain(const Options& o) {
    auto rules = load_rules_or_report(o);
    if (!rules) return exit_ruleset;
    const auto& rs = *rules;
    const std::string& id = o.args[0];
    int k = rs.find_rule(id);
    if (k < 0) {
        std::vector<std::string> ids;
        for (const auto& r : rs.rules) ids.push_back(r.id);
        std::cerr << "symtri: unknown rule '" << id << "'" << symtri::detail::did_you_mean(id, ids)
                  << " in " << rs.info.id << " (run 'symtri rules' for the list)\n";
        return exit_usage;
    }
    if (o.case_file) return explain_case(o, rules, k);
    const auto& r = rs.rules[static_cast<std::size_t>(k)];
    std::ostream& os = std::cout;
    os << r.id << ": " << kind_label(r.kind);
    if (r.level >= 0) {
        const auto& l = rs.levels[static_cast<std::size_t>(r.level)];
        os << ", raises the level to " << l.id << " (" << l.label.get() << ")";
    }
    if (r.priority) os << ", priority " << r.priority;
    os << "\n";
    wrapped(os, r.title.get(), "  ");

    os << "\nadvice:\n";
    wrapped(os, r.advice.get(), "  ");

    os << "\nfires when:\n";
    ConditionPrinter(rs).print(os, r.root, "  ");
    std::vector<std::string> reads;
    for (auto f : r.findings) reads.push_back(rs.findings[static_cast<std::size_t>(f)].id);
    if (r.reads_patient) reads.push_back("the patient's age or sex");
    os << "  (reads " << join(reads) << ")\n";

    os << "\nwhy this rule exists:\n";
    if (r.citations.empty()) os << "  no citation given" << (r.kind == symtri::RuleKind::red_flag ? "" : " (only red flags must cite)") << "\n";
    for (const auto& c : r.citations) os << "  - " << c.title << "\n    " << c.url << "\n";

    if (!r.blocks.empty()) {
        os << "\nwhen it fires, it holds back these recommendations:\n";
        for (auto b : r.blocks) os << "  - " << rs.rules[static_cast<std::size_t>(b)].id << "\n";
    }
    std::vector<std::string> blocked_by;
    for (const auto& c : rs.rules)
        if (std::find(c.blocks.begin(), c.blocks.end(), k) != c.blocks.end()) blocked_by.push_back(c.id);
    if (!blocked_by.empty()) os << "\nheld back when any of these cautions fires: " << join(blocked_by) << "\n";

    os << "\n";
    if (!r.tags.empty()) os << "tags: " << join(r.tags) << "\n";
    if (!r.icd10.empty()) os << "ICD-10: " << join(r.icd10) << "\n";
    os << "validation: " << (r.validation.empty() ? rs.info.validation + " (the rule set's)" : r.validation) << "\n";
    os << "defined at: " << r.source.file;
    if (r.source.line) os << ":" << r.source.line << ":" << r.source.column;
    os << " (" << r.source.pointer << ") in " << rs.info.id << " " << rs.info.version << "\n";
    return exit_ok;
}

}  // namespace symtri_cli
