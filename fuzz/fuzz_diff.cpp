// SPDX-License-Identifier: Apache-2.0
// Differential fuzzing: three pairs of readers or APIs that must agree on every input.
//
//   1. symtri's JSON reader (detail/json_reader.hpp) against nlohmann::json::parse: the same verdict and
//      the same value (compared as nlohmann's dump), except for the documented deviations
//      (docs/reliability.md): symtri rejects duplicate keys, nesting over its limit, numbers with no
//      finite double (nlohmann reads 1e400 as infinity) and unpaired surrogate escapes; and nlohmann's
//      own: it takes a NUL byte for the end of the input.
//   2. The fast case reader (detail/case_fast.hpp) against the checked one (case.hpp, over a JSON tree):
//      whenever the fast one accepts, the checked one accepts too and fills the same Case (answered
//      findings compared as a set: the checked path walks keys sorted, the fast one in text order).
//   3. The C API against the C++ API on the shipped rules: symtri_engine_triage gives the same bytes
//      (result, or error object) as symtri::Session::triage, and the same case_id.
//
// Input: any bytes; all three run on each input.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include <symtri/symtri.h>
#include <symtri/detail/json_reader.hpp>
#include <symtri/symtri.hpp>

#include "fuzz_common.hpp"

namespace {

bool all_finite(const nlohmann::json& j) {
    if (j.is_number_float()) return std::isfinite(j.get<double>());
    if (j.is_structured())
        for (const auto& v : j)
            if (!all_finite(v)) return false;
    return true;
}

std::size_t depth_of(const nlohmann::json& j) {
    std::size_t d = 0;
    if (j.is_structured())
        for (const auto& v : j) d = std::max(d, depth_of(v));
    return j.is_structured() ? d + 1 : 0;
}

void json_readers(const std::string& text) {
    nlohmann::json ours;
    symtri::detail::JsonReadError err;
    symtri::detail::JsonReadLimits limits;
    limits.max_depth = 64;
    const bool ok = symtri::detail::read_json(text, ours, err, limits);
    nlohmann::json theirs;
    bool their_ok = true;
    try {
        theirs = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception&) {
        their_ok = false;
    }
    if (ok) {
        FUZZ_CHECK(their_ok, "nlohmann rejects what symtri's reader accepts");
        FUZZ_CHECK(ours.dump() == theirs.dump(), "symtri's reader and nlohmann read different values");
        return;
    }
    if (!their_ok) return;
    // nlohmann accepted and we did not: only for a documented deviation.
    const bool deviation = err.depth_limit || err.message.find("duplicate key") != std::string::npos ||
                           (err.message.find("out of range") != std::string::npos && !all_finite(theirs)) ||
                           err.message.find("surrogate") != std::string::npos ||
                           // nlohmann's deviation: it reads a NUL byte as the end of the input ("{}\0x" is
                           // accepted there); symtri rejects a NUL anywhere but escaped in a string.
                           text.find('\0') != std::string::npos;
    if (!deviation) std::fprintf(stderr, "symtri's reader: %s\n", err.message.c_str());
    FUZZ_CHECK(deviation, "symtri's reader rejects valid JSON that is no documented deviation");
    if (err.depth_limit) FUZZ_CHECK(depth_of(theirs) > 64, "the depth limit only over the limit");
}

bool same_case(const symtri::Case& a, const symtri::Case& b) {
    auto same_num = [](double x, double y) { return (std::isnan(x) && std::isnan(y)) || x == y; };
    // The checked path walks keys sorted, the fast one in text order (as tests/test_case_fast.cpp compares).
    auto sa = a.answered, sb = b.answered;
    std::sort(sa.begin(), sa.end());
    std::sort(sb.begin(), sb.end());
    if (a.case_id != b.case_id || a.case_id_json != b.case_id_json || !same_num(a.age, b.age) || a.sex != b.sex ||
        a.locale != b.locale || a.locale_index != b.locale_index || sa != sb || a.findings.size() != b.findings.size())
        return false;
    for (std::size_t i = 0; i < a.findings.size(); ++i) {
        const auto &x = a.findings[i], &y = b.findings[i];
        if (x.presence != y.presence || x.side != y.side || x.onset != y.onset || x.trend != y.trend ||
            x.at_night != y.at_night || x.constant != y.constant || x.severity != y.severity || x.sites != y.sites ||
            !same_num(x.duration_days, y.duration_days) || x.character != y.character)
            return false;
    }
    return true;
}

void case_readers(const symtri::RuleSet& rs, const std::string& text) {
    symtri::Case fast;
    if (!symtri::detail::FastCaseReader(rs, fast, text).read()) return;  // it only ever decides "good"
    nlohmann::json j;
    symtri::detail::JsonReadError jerr;
    FUZZ_CHECK(symtri::detail::read_json(text, j, jerr), "the fast reader accepted invalid JSON");
    symtri::Case checked;
    symtri::CaseError err;
    bool ok = symtri::parse_case(rs, j, checked, err);
    if (!ok) std::fprintf(stderr, "checked reader: %s at %s\n", err.message.c_str(), err.path.c_str());
    FUZZ_CHECK(ok, "the fast reader accepted a case the checked one rejects");
    FUZZ_CHECK(same_case(fast, checked), "the fast and the checked readers fill different Cases");
}

void apis(const symtri::RuleSetPtr& rules, const symtri_engine* engine, const std::string& text) {
    symtri::Session session(rules);
    std::string cpp;
    symtri::CaseError err;
    const bool ok = session.triage(text, cpp, err);
    if (!ok) cpp = symtri::case_error_json(session.last_case().case_id_json, 0, err);
    symtri_result* r = nullptr;
    const int status = symtri_engine_triage(engine, text.data(), text.size(), &r);
    FUZZ_CHECK(r != nullptr, "a result handle");
    FUZZ_CHECK((status == SYMTRI_OK) == ok, "the C API and C++ give different verdicts");
    std::size_t len = 0;
    const char* json = symtri_result_json(r, &len);
    FUZZ_CHECK(std::string(json, len) == cpp, "the C API and C++ give different bytes");
    std::size_t id_len = 0;
    const char* id = symtri_result_case_id_len(r, &id_len);
    const auto& want = session.last_case().case_id;
    FUZZ_CHECK((id != nullptr) == want.has_value(), "case_id present in one API only");
    if (id) FUZZ_CHECK(std::string(id, id_len) == *want, "the C API's case_id differs");
    symtri_result_destroy(r);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const symtri::RuleSetPtr rules = symtri::load_builtin_rules();
    static symtri_engine* engine = [] {
        symtri_engine* e = nullptr;
        FUZZ_CHECK(symtri_engine_open_builtin(nullptr, &e) == SYMTRI_OK, "the built-in rules open");
        return e;
    }();
    const std::string text(reinterpret_cast<const char*>(data), size);
    json_readers(text);
    case_readers(*rules, text);
    apis(rules, engine, text);
    return 0;
}
