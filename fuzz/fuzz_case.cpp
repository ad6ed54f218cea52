// SPDX-License-Identifier: Apache-2.0
// Fuzzes case parsing and triage on the shipped rule set: any bytes -> a result or a case error,
// never a crash. Checks what callers rely on: the result and the error line are valid JSON, the
// result is deterministic, and an error names a known code.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>

#include <symtri/symtri.hpp>

#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const symtri::RuleSetPtr rules = symtri::load_builtin_rules();
    static symtri::Session session(rules);
    static const std::set<std::string> codes = {"invalid_json", "wrong_type", "unknown_key", "unknown_finding",
                                                "unknown_attribute", "missing_key", "invalid_value", "out_of_range",
                                                "duplicate_finding", "limit"};
    std::string_view text(reinterpret_cast<const char*>(data), size);
    std::string result;
    symtri::CaseError err;
    if (session.triage(text, result, err)) {
        auto j = fuzz::must_parse(result, "result");
        FUZZ_CHECK(rules->find_level(j["level"].get<std::string>()) == j["level_rank"].get<int>(), "level and rank agree");
        FUZZ_CHECK(j.contains("disclaimer"), "the disclaimer is always there");
        std::string again;
        FUZZ_CHECK(session.triage(text, again, err) && again == result, "deterministic");
    } else {
        FUZZ_CHECK(codes.count(err.code), "a documented error code");
        FUZZ_CHECK(!err.message.empty(), "an error message");
        auto line = fuzz::must_parse(symtri::case_error_json(session.last_case().case_id_json, 7, err), "error line");
        FUZZ_CHECK(line["line"] == 7, "the error line keeps the input line number");
    }
    return 0;
}
