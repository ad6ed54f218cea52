// SPDX-License-Identifier: Apache-2.0
// The data of a case: one person's answers as flat arrays by finding index, what the evaluator reads.
// Filled by parse_case (case.hpp) from JSON, or directly by a host with Case::set.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "attributes.hpp"
#include "ruleset.hpp"

namespace symtri {

enum class Presence : std::uint8_t { unknown = 0, absent = 1, present = 2 };

// One finding's answer and attributes. Attributes are "not given" unless their flag says otherwise.
struct FindingValue {
    Presence presence = Presence::unknown;
    std::int8_t side = -1, onset = -1, trend = -1;  // index into the attribute's names, -1 = not given
    std::int8_t at_night = -1, constant = -1;       // 0/1, -1 = not given
    std::int8_t severity = -1;                      // 0-10, -1 = not given
    std::uint32_t sites = 0;                        // bit per site; 0 = not given
    double duration_days = std::numeric_limits<double>::quiet_NaN();
    std::int32_t character = -1;                    // interned id; -2 = a value the rules never name; -1 = not given
    // Questions the person could not answer (the case's `unsure`): bit per Attr for `finding.attribute`,
    // unsure_finding for the finding itself. They stay unknown for the logic and are never asked again.
    std::uint16_t unsure = 0;
    static constexpr std::uint16_t unsure_finding = 1u << 15;
};

// Whether the case gives attribute `a` of this finding.
inline bool attribute_given(const FindingValue& f, Attr a) {
    switch (a) {
        case Attr::side: return f.side >= 0;
        case Attr::sites: return f.sites != 0;
        case Attr::onset: return f.onset >= 0;
        case Attr::trend: return f.trend >= 0;
        case Attr::duration_days: return !std::isnan(f.duration_days);
        case Attr::severity: return f.severity >= 0;
        case Attr::at_night: return f.at_night >= 0;
        case Attr::constant: return f.constant >= 0;
        case Attr::character: return f.character != -1;
    }
    return false;
}

// Limits on a case, so a hostile input cannot exhaust memory.
struct CaseLimits {
    std::size_t max_bytes = 1u << 20;
    std::size_t max_depth = 16;
    // max_depth is used as at most this: the reader recurses once per level, and a deeper limit would
    // let a hostile case overflow the stack (the CLI, C and Python refuse more).
    static constexpr std::size_t max_depth_cap = 1000;
    std::size_t depth() const { return max_depth < max_depth_cap ? max_depth : max_depth_cap; }
};

struct CaseError {
    std::string code;     // invalid_json, wrong_type, unknown_key, unknown_finding, unknown_attribute,
                          // invalid_value, out_of_range, duplicate_finding, limit
    std::string message;  // names the offending key and value
    std::string path;     // JSON Pointer
    unsigned line = 0, column = 0;
};

class Case {
public:
    std::optional<std::string> case_id;
    nlohmann::json case_id_json;  // echoed back verbatim (null when absent)
    double age = std::numeric_limits<double>::quiet_NaN();
    std::int8_t sex = -1;  // index into sex_names
    std::string locale;
    std::size_t locale_index = 0;
    std::vector<FindingValue> findings;  // by finding index
    std::vector<std::int32_t> answered;  // findings answered true or false, in the order given
    // The case's `unsure` list in the order given: (finding, Attr index or -1 for the finding itself).
    std::vector<std::pair<std::int32_t, std::int8_t>> unsure;

    bool has_age() const { return !std::isnan(age); }
    bool has_patient() const { return has_age() || sex >= 0; }

    // Makes the case empty and sized for `rs`, reusing its memory.
    void reset(const RuleSet& rs) {
        case_id.reset();
        case_id_json = nullptr;
        age = std::numeric_limits<double>::quiet_NaN();
        sex = -1;
        locale.clear();
        locale_index = 0;
        if (findings.size() != rs.findings.size()) {
            findings.assign(rs.findings.size(), FindingValue{});
        } else {
            for (auto f : answered) findings[static_cast<std::size_t>(f)] = FindingValue{};
            for (const auto& u : unsure) findings[static_cast<std::size_t>(u.first)] = FindingValue{};
        }
        unsure.clear();
        // findings given as null/unknown with no answer leave nothing behind, so clearing answered ones suffices
        answered.clear();
    }

    // Sets a finding by index (for callers that build cases without JSON). An unknown finding keeps
    // no attributes, as when read from JSON: nothing was answered (only `unsure` is kept), and a rule
    // reads attributes only of a present finding.
    void set(std::int32_t f, Presence p, const FindingValue& attrs = {}) {
        FindingValue v = attrs;
        if (p == Presence::unknown) {
            v = FindingValue{};
            v.unsure = attrs.unsure;
        }
        v.presence = p;
        auto& slot = findings[static_cast<std::size_t>(f)];
        if (slot.presence == Presence::unknown && p != Presence::unknown) answered.push_back(f);
        slot = v;
    }
};

}  // namespace symtri
