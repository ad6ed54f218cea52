// SPDX-License-Identifier: Apache-2.0
// Prints a fingerprint of what the compiler makes of a rule set, so a refactoring of the compiler
// (issue 16: compiler.hpp split by pass) can be shown to change nothing:
//   digest   the rule set's content digest (RuleSet::info.digest)
//   layout   sha256 over every array and pre-rendered fragment the compiler fills, field by field
//            (never raw struct bytes: padding is not part of the layout)
//   results  sha256 over the result JSON (or the rejection message) of every case in CASES, in order
//
//   symtri_fingerprint RULES|builtin CASES.jsonl [serial]
// RULES is a rule set path, or `builtin` for the embedded one; `serial` loads with
// LoadOptions::parallel off (the one-thread compile), otherwise it is on (a large set takes the
// two-thread attempt). tests/identity/check.py runs it and compares with tests/identity/expected.txt.
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <type_traits>

#include <symtri/detail/sha256.hpp>
#include <symtri/symtri.hpp>

namespace {

using symtri::detail::Sha256;

struct Put {
    Sha256 h;
    void str(const std::string& s) {
        num(s.size());
        h.update(s);
    }
    template <class T>
    void num(T v) {
        if constexpr (std::is_floating_point_v<T>) {
            char buf[40];
            std::snprintf(buf, sizeof buf, "%.17g;", static_cast<double>(v));
            h.update(buf);
        } else {
            h.update(std::to_string(static_cast<long long>(v)) + ";");
        }
    }
    template <class V>
    void nums(const V& v) {
        num(v.size());
        for (const auto& x : v) num(x);
    }
    void strs(const std::vector<std::string>& v) {
        num(v.size());
        for (const auto& s : v) str(s);
    }
    void text(const symtri::Text& t) { strs(t.raw); }
    void range(const symtri::detail::Range& r) {
        num(r.lo);
        num(r.hi);
        num(r.lo_incl);
        num(r.hi_incl);
    }
};

std::string layout(const symtri::RuleSet& rs) {
    Put p;
    p.strs(rs.locales);
    p.strs(rs.characters);
    for (const auto& l : rs.levels) {
        p.str(l.id);
        p.text(l.label);
        p.text(l.action);
        p.text(l.worse);
        p.str(l.indicator);
        p.strs(l.worse_json);
    }
    for (const auto& f : rs.findings) {
        p.str(f.id);
        p.text(f.label);
        p.text(f.question);
        p.strs(f.aliases);
        p.num(f.attributes);
        p.strs(f.characters);
        p.strs(f.icd10);
        p.str(f.group);
        p.num(f.screening);
        for (const auto& t : f.attribute_prompts) p.text(t);
        p.num(f.tested_attributes);
        p.strs(f.question_json);
        p.strs(f.attribute_question_json);
    }
    for (const auto& r : rs.rules) {
        p.str(r.id);
        p.num(static_cast<int>(r.kind));
        p.num(r.priority);
        p.num(r.level);
        p.num(r.root);
        p.text(r.title);
        p.text(r.advice);
        p.strs(r.tags);
        for (const auto& c : r.citations) {
            p.str(c.title);
            p.str(c.url);
        }
        p.strs(r.icd10);
        p.str(r.validation);
        p.strs(r.block_rules);
        p.strs(r.block_tags);
        p.nums(r.blocks);
        p.nums(r.findings);
        p.num(r.reads_patient);
        p.num(r.order);
        p.str(r.source.file);
        p.num(r.source.line);
        p.num(r.source.column);
        p.str(r.source.pointer);
        p.str(r.quoted_id);
    }
    for (const auto& t : rs.tests) {
        p.str(t.name);
        p.str(t.case_json.dump());
        p.str(t.expect.dump());
        p.str(t.source.pointer);
    }
    const auto& c = rs.compiled;
    for (const auto& n : c.nodes) {
        p.num(static_cast<int>(n.op));
        p.num(n.threshold);
        p.num(n.finding);
        p.num(n.first);
        p.num(n.count);
    }
    p.nums(c.children);
    for (const auto& t : c.tests) {
        p.num(static_cast<int>(t.attr));
        p.num(t.boolean);
        p.num(t.mask);
        p.num(t.set_first);
        p.num(t.set_count);
        p.range(t.range);
    }
    for (const auto& r : c.ranges) p.range(r);
    p.nums(c.character_sets);
    p.nums(c.finding_rules_start);
    p.nums(c.finding_rules);
    p.nums(c.patient_rules);
    for (const auto& h : c.hot) {
        p.num(h.root);
        p.num(h.level);
        p.num(h.order);
        p.num(h.reads_patient);
        p.num(static_cast<int>(h.kind));
    }
    p.nums(c.rules_in_order);
    p.nums(c.leaf_of_node);
    p.nums(c.leaf_node);
    p.nums(c.finding_leaves_start);
    for (const auto& f : c.flat) {
        p.num(f.rule);
        p.num(f.level);
        p.num(static_cast<int>(f.shape));
        p.num(f.count);
        p.num(f.first);
    }
    p.nums(c.flat_leaves);
    for (const auto& f : c.flat) p.num(f.slot);
    p.nums(c.node_order);
    p.nums(c.child_slot);
    p.nums(c.patient_nodes);
    p.nums(c.leaf_findings);
    p.nums(c.node_patient);
    p.str(c.rule_json);
    for (const auto& j : c.rule_json_index) {
        p.num(j.offset);
        p.num(j.size);
        p.num(j.because_at);
    }
    p.nums(c.finding_max_level);
    p.nums(c.findings_by_level);
    p.nums(c.screening);
    p.strs(rs.result_tail);
    return p.h.hex_final();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3 || argc > 4 || (argc == 4 && std::strcmp(argv[3], "serial") != 0)) {
        std::fprintf(stderr, "usage: symtri_fingerprint RULES|builtin CASES.jsonl [serial]\n");
        return 2;
    }
    try {
        symtri::LoadOptions options;
        options.parallel = argc != 4;
        const std::string path = argv[1];
        auto rules = path == "builtin" ? symtri::load_builtin_rules(options) : symtri::load_rules(path, options);
        std::ifstream in(argv[2]);
        if (!in) {
            std::fprintf(stderr, "cannot read %s\n", argv[2]);
            return 2;
        }
        symtri::Session session(rules);
        Sha256 results;
        std::string line, result;
        std::size_t cases = 0;
        while (std::getline(in, line)) {
            if (line.empty()) continue;
            symtri::CaseError err;
            results.update(session.triage(line, result, err) ? result : "rejected: " + err.message);
            results.update("\n");
            ++cases;
        }
        std::printf("digest %s\nlayout %s\nresults %s (%zu cases)\n", rules->info.digest.c_str(),
                    layout(*rules).c_str(), results.hex_final().c_str(), cases);
        return 0;
    } catch (const symtri::Error& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 3;
    }
}
