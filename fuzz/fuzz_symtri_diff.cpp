// SPDX-License-Identifier: Apache-2.0
// Fuzzes the case generator of `symtri diff` (src/cli/diff.cpp): any rule text that loads -> the cases
// diff would compare the set with, never a crash, and cases a rule author can trust:
//
//   - every generated case is one JSON object the engine reads (the generator writes cases from the
//     sets' vocabularies, so a set accepts every case made only from itself);
//   - a set diffed with itself changes nothing: each case triages to the same bytes twice;
//   - against the shipped rule set (the usual OLD of a rule change), every case is accepted by at
//     least one of the two sets.
//
// Input: one rule file, loaded from a string (the root of a rule set, as fuzz_loader takes it).
#include <cstddef>
#include <cstdint>
#include <string>

#include <symtri/symtri.hpp>

#include "cli.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const symtri::RuleSetPtr shipped = symtri::load_builtin_rules();
    symtri::LoadOptions lo;
    lo.limits.max_rules = 200;  // the generator is quadratic in a rule's findings: keep each input quick
    symtri::RuleSetPtr rs;
    try {
        rs = symtri::load_rules_from_string(std::string(reinterpret_cast<const char*>(data), size), "<fuzz>", lo);
    } catch (const symtri::Error&) {
        return 0;  // fuzz_loader checks the diagnostics
    }
    symtri::Session a(rs), b(rs);
    for (const std::string& text : symtri_cli::diff_generated_cases(rs, rs)) {
        auto j = fuzz::must_parse(text, "generated case");
        FUZZ_CHECK(j.is_object() && j.contains("findings"), "a generated case is a case object");
        std::string ra, rb;
        symtri::CaseError err;
        FUZZ_CHECK(a.triage(text, ra, err), "a set accepts every case generated from its own vocabulary");
        FUZZ_CHECK(b.triage(text, rb, err) && ra == rb, "a set diffed with itself changes nothing");
    }
    symtri::Session old_s(shipped);
    for (const std::string& text : symtri_cli::diff_generated_cases(shipped, rs)) {
        fuzz::must_parse(text, "generated case");
        std::string r;
        symtri::CaseError err;
        const bool by_old = old_s.triage(text, r, err);
        const bool by_new = a.triage(text, r, err);
        FUZZ_CHECK(by_old || by_new, "every generated case comes from one of the two vocabularies");
    }
    return 0;
}
