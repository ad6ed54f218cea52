// SPDX-License-Identifier: Apache-2.0
// A case: one person's answers, checked against a rule set's vocabulary and turned into flat arrays
// the evaluator reads by finding index.
//
// Nothing in a case is ever silently ignored: an unknown finding id (with the closest known id), an
// unknown attribute, a value out of range or of the wrong type, a duplicate key or an unknown
// top-level key is an error naming the JSON Pointer of the offending value.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "attributes.hpp"
#include "case_data.hpp"
#include "config.hpp"
#include "detail/case_fast.hpp"
#include "detail/json_pointer.hpp"
#include "detail/text.hpp"
#include "ruleset.hpp"

namespace symtri {

namespace detail {

inline std::string json_type(const nlohmann::json& j) {
    switch (j.type()) {
        case nlohmann::json::value_t::null: return "null";
        case nlohmann::json::value_t::boolean: return "a boolean";
        case nlohmann::json::value_t::string: return "a string";
        case nlohmann::json::value_t::array: return "an array";
        case nlohmann::json::value_t::object: return "an object";
        case nlohmann::json::value_t::number_float: return "a number";
        default: return "an integer";
    }
}

class CaseParser {
public:
    CaseParser(const RuleSet& rs, Case& c) : rs_(rs), c_(c) {}

    bool parse(const nlohmann::json& j, CaseError& err) {
        c_.reset(rs_);
        if (!j.is_object()) return fail(err, "wrong_type", "a case must be a JSON object, got " + json_type(j), "");
        // case_id first, so even a rejected case can be matched with its error.
        if (auto it = j.find("case_id"); it != j.end()) {
            c_.case_id_json = *it;
            if (it->is_string()) c_.case_id = it->get<std::string>();
            else if (!it->is_null())
                return fail(err, "wrong_type", "'case_id' must be a string, got " + json_type(*it), "/case_id");
        }
        for (auto it = j.begin(); it != j.end(); ++it) {
            const std::string& k = it.key();
            if (k != "case_id" && k != "patient" && k != "findings" && k != "locale" && k != "unsure")
                return fail(err, "unknown_key", "unknown key '" + k + "' in case" +
                                                    did_you_mean(k, {"case_id", "patient", "findings", "locale", "unsure"}) +
                                                    "; a case has case_id, patient, findings, locale and unsure",
                            ptr("", k));
        }
        if (auto it = j.find("locale"); it != j.end() && !it->is_null()) {
            if (!it->is_string()) return fail(err, "wrong_type", "'locale' must be a string, got " + json_type(*it), "/locale");
            c_.locale = it->get<std::string>();
            c_.locale_index = rs_.locale_index(c_.locale);
        }
        if (auto it = j.find("patient"); it != j.end() && !it->is_null())
            if (!patient(*it, err)) return false;
        if (auto it = j.find("findings"); it != j.end() && !it->is_null()) {
            if (!it->is_object())
                return fail(err, "wrong_type", "'findings' must be an object of finding ids, got " + json_type(*it), "/findings");
            for (auto f = it->begin(); f != it->end(); ++f)
                if (!finding(f.key(), f.value(), err)) return false;
        }
        if (auto it = j.find("unsure"); it != j.end() && !it->is_null())
            if (!unsure(*it, err)) return false;
        return true;
    }

private:
    const RuleSet& rs_;
    Case& c_;
    std::vector<char> named_;  // by finding index: named in this case (answered or null)

    static std::string ptr(const std::string& base, const std::string& token) {
        std::string p = base;
        append_pointer_token(p, token);
        return p;
    }

    static bool fail(CaseError& err, std::string code, std::string message, std::string path) {
        err.code = std::move(code);
        err.message = std::move(message);
        err.path = std::move(path);
        return false;
    }

    bool patient(const nlohmann::json& p, CaseError& err) {
        if (!p.is_object()) return fail(err, "wrong_type", "'patient' must be an object, got " + json_type(p), "/patient");
        for (auto it = p.begin(); it != p.end(); ++it) {
            const std::string& k = it.key();
            const auto& v = it.value();
            std::string path = ptr("/patient", k);
            if (k == "age") {
                if (v.is_null()) continue;
                if (!v.is_number()) return fail(err, "wrong_type", "'age' must be a number of years, got " + json_type(v), path);
                double a = v.get<double>();
                if (!(a >= 0 && a <= 130))
                    return fail(err, "out_of_range", "'age' must be from 0 to 130 years, got " + v.dump(), path);
                c_.age = a;
            } else if (k == "sex") {
                if (v.is_null()) continue;
                if (!v.is_string()) return fail(err, "wrong_type", "'sex' must be a string, got " + json_type(v), path);
                int s = index_of(sex_names, v.get<std::string>());
                if (s < 0)
                    return fail(err, "invalid_value", "'sex' must be female, male or other, got " + v.dump() +
                                                          did_you_mean(v.get<std::string>(), as_strings(sex_names)), path);
                c_.sex = static_cast<std::int8_t>(s);
            } else {
                return fail(err, "unknown_key", "unknown key '" + k + "' in patient" + did_you_mean(k, {"age", "sex"}) +
                                                    "; a patient has age and sex", path);
            }
        }
        return true;
    }

    bool finding(const std::string& id, const nlohmann::json& v, CaseError& err) {
        std::string path = ptr("/findings", id);
        int f = rs_.find_finding(id);
        if (f < 0)
            return fail(err, "unknown_finding", "unknown finding '" + id + "'" + did_you_mean(id, rs_.finding_ids()), path);
        const Finding& def = rs_.findings[static_cast<std::size_t>(f)];
        FindingValue& slot = c_.findings[static_cast<std::size_t>(f)];
        // Given twice, e.g. by id and by alias: which answer counts would be a guess. Null counts as
        // given, so the verdict does not depend on which of the two comes first.
        if (named_.empty()) named_.assign(rs_.findings.size(), 0);
        if (named_[static_cast<std::size_t>(f)])
            return fail(err, "duplicate_finding", "finding '" + def.id + "' is given twice (by id and alias)", path);
        named_[static_cast<std::size_t>(f)] = 1;
        if (v.is_boolean()) return set(f, v.get<bool>() ? Presence::present : Presence::absent);
        if (v.is_null()) return true;
        if (!v.is_object())
            return fail(err, "wrong_type", "finding '" + id + "' must be true, false, null or an object, got " + json_type(v), path);
        auto pit = v.find("present");
        if (pit == v.end())
            return fail(err, "missing_key", "finding '" + id + "' is an object without 'present' (true, false or null)", path);
        FindingValue fv;
        if (pit->is_boolean()) fv.presence = pit->get<bool>() ? Presence::present : Presence::absent;
        else if (!pit->is_null())
            return fail(err, "wrong_type", "'present' must be true, false or null, got " + json_type(*pit), ptr(path, "present"));
        for (auto it = v.begin(); it != v.end(); ++it) {
            const std::string& k = it.key();
            if (k == "present") continue;
            // Attributes are checked whatever `present` says (the contract allows them with false and
            // null too); on an absent or unknown finding no condition reads them.
            if (!attribute(def, fv, k, it.value(), ptr(path, k), err)) return false;
        }
        if (fv.presence == Presence::unknown) return true;  // nothing answered: leave the slot empty
        Presence p = fv.presence;
        slot = fv;
        slot.presence = Presence::unknown;  // set() below records it as answered
        return set(f, p);
    }

    // `unsure`: questions the person was asked and could not answer, as finding ids (or aliases) or
    // `finding.attribute`. Each must name something the rule set knows; one that was answered after all
    // is a contradiction the host must resolve, not something to guess about.
    bool unsure(const nlohmann::json& u, CaseError& err) {
        if (!u.is_array())
            return fail(err, "wrong_type", "'unsure' must be an array of finding ids or finding.attribute names, got " + json_type(u),
                        "/unsure");
        for (std::size_t i = 0; i < u.size(); ++i) {
            const std::string path = "/unsure/" + std::to_string(i);
            if (!u[i].is_string())
                return fail(err, "wrong_type", "an entry of 'unsure' must be a string, got " + json_type(u[i]), path);
            const std::string entry = u[i].get<std::string>();
            const auto dot = entry.find('.');
            const std::string id = entry.substr(0, dot);
            int f = rs_.find_finding(id);
            if (f < 0)
                return fail(err, "unknown_finding", "unknown finding '" + id + "' in 'unsure'" + did_you_mean(id, rs_.finding_ids()), path);
            const Finding& def = rs_.findings[static_cast<std::size_t>(f)];
            FindingValue& slot = c_.findings[static_cast<std::size_t>(f)];
            std::int8_t attr = -1;
            if (dot != std::string::npos) {
                const std::string name = entry.substr(dot + 1);
                int a = index_of(attr_names, name);
                if (a < 0)
                    return fail(err, "unknown_attribute", "unknown attribute '" + name + "' in 'unsure' entry '" + entry + "'" +
                                                              did_you_mean(name, as_strings(attr_names)), path);
                if (!(def.attributes & (1u << a)))
                    return fail(err, "unknown_attribute", "finding '" + def.id + "' does not take the attribute '" + name + "'", path);
                if (attribute_given(slot, static_cast<Attr>(a)))
                    return fail(err, "invalid_value", "'" + entry + "' is listed in 'unsure' but the case gives it", path);
                attr = static_cast<std::int8_t>(a);
            } else if (slot.presence != Presence::unknown) {
                return fail(err, "invalid_value", "finding '" + def.id + "' is listed in 'unsure' but the case answers it", path);
            }
            slot.unsure = static_cast<std::uint16_t>(slot.unsure | (attr < 0 ? FindingValue::unsure_finding : 1u << attr));
            c_.unsure.emplace_back(f, attr);
        }
        return true;
    }

    bool set(int f, Presence p) {
        auto& slot = c_.findings[static_cast<std::size_t>(f)];
        slot.presence = p;
        c_.answered.push_back(f);
        return true;
    }

    template <std::size_t N>
    bool enum_value(const std::array<std::string_view, N>& names, const nlohmann::json& v, const std::string& name,
                    const std::string& path, std::int8_t& out, CaseError& err) {
        if (!v.is_string()) return fail(err, "wrong_type", "'" + name + "' must be a string, got " + json_type(v), path);
        int k = index_of(names, v.get<std::string>());
        if (k < 0)
            return fail(err, "invalid_value", "'" + name + "' must be " + one_of(as_strings(names)) + ", got " + v.dump() +
                                                  did_you_mean(v.get<std::string>(), as_strings(names)), path);
        out = static_cast<std::int8_t>(k);
        return true;
    }

    bool attribute(const Finding& def, FindingValue& fv, const std::string& k, const nlohmann::json& v,
                   const std::string& path, CaseError& err) {
        int a = index_of(attr_names, k);
        if (a < 0)
            return fail(err, "unknown_attribute", "unknown attribute '" + k + "' on finding '" + def.id + "'" +
                                                      did_you_mean(k, as_strings(attr_names)), path);
        if (!(def.attributes & (1u << a)))
            return fail(err, "unknown_attribute", "finding '" + def.id + "' does not take the attribute '" + k + "'", path);
        if (v.is_null()) return true;  // an attribute given as null is "not given"
        switch (static_cast<Attr>(a)) {
            case Attr::side: return enum_value(side_names, v, k, path, fv.side, err);
            case Attr::onset: return enum_value(onset_names, v, k, path, fv.onset, err);
            case Attr::trend: return enum_value(trend_names, v, k, path, fv.trend, err);
            case Attr::sites: {
                if (!v.is_array()) return fail(err, "wrong_type", "'sites' must be an array of site ids, got " + json_type(v), path);
                std::uint32_t mask = 0;
                for (std::size_t i = 0; i < v.size(); ++i) {
                    std::int8_t s = -1;
                    if (!enum_value(site_names, v[i], "sites", ptr(path, std::to_string(i)), s, err)) return false;
                    mask |= 1u << s;
                }
                fv.sites = mask;
                return true;
            }
            case Attr::duration_days: {
                if (!v.is_number()) return fail(err, "wrong_type", "'duration_days' must be a number, got " + json_type(v), path);
                double d = v.get<double>();
                if (!(d >= 0 && d <= 1e6))
                    return fail(err, "out_of_range", "'duration_days' must be a number of days from 0 to 1000000, got " + v.dump(), path);
                fv.duration_days = d;
                return true;
            }
            case Attr::severity: {
                if (!v.is_number_integer())
                    return fail(err, "wrong_type", "'severity' must be an integer from 0 to 10, got " + json_type(v) +
                                                       (v.is_number() ? " " + v.dump() : std::string()), path);
                auto s = v.get<long long>();
                if ((v.is_number_unsigned() && v.get<std::uint64_t>() > 10) || s < 0 || s > 10)  // never wrapped
                    return fail(err, "out_of_range", "'severity' must be an integer from 0 to 10, got " + v.dump(), path);
                fv.severity = static_cast<std::int8_t>(s);
                return true;
            }
            case Attr::at_night:
            case Attr::constant: {
                if (!v.is_boolean()) return fail(err, "wrong_type", "'" + k + "' must be true or false, got " + json_type(v), path);
                (a == static_cast<int>(Attr::at_night) ? fv.at_night : fv.constant) = static_cast<std::int8_t>(v.get<bool>() ? 1 : 0);
                return true;
            }
            case Attr::character: {
                if (!v.is_string()) return fail(err, "wrong_type", "'character' must be a string id, got " + json_type(v), path);
                std::string c = v.get<std::string>();
                if (!def.characters.empty() && std::find(def.characters.begin(), def.characters.end(), c) == def.characters.end())
                    return fail(err, "invalid_value", "finding '" + def.id + "' has no character '" + c + "'" +
                                                          did_you_mean(c, def.characters) + "; expected " + one_of(def.characters), path);
                bool id_ok = !c.empty() && c.size() <= 64 && std::all_of(c.begin(), c.end(), [](char ch) {
                    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
                });
                if (!id_ok) return fail(err, "invalid_value", "'character' must be an id like band_like, got " + v.dump(), path);
                int k2 = rs_.find_character(c);
                fv.character = k2 >= 0 ? k2 : -2;
                return true;
            }
        }
        return true;
    }
};

}  // namespace detail

// Checks a parsed case against the rule set and fills `out`. Returns false and fills `err` if the case
// is rejected. Safe to call from several threads at once with different `out`.
inline bool parse_case(const RuleSet& rs, const nlohmann::json& j, Case& out, CaseError& err) {
    return detail::CaseParser(rs, out).parse(j, err);
}

namespace detail {
// The checked way of reading case text (a JSON tree, then exact errors with line and column): for what
// the fast reader is not sure of. Defined in case-inl.hpp (compiled into symtri::lib in that mode), so
// a program that links the library does not compile the JSON reader for it.
SYMTRI_FUNC bool parse_case_checked(const RuleSet& rs, std::string_view text, Case& out, CaseError& err,
                                    const CaseLimits& limits);
}  // namespace detail

// Same, from JSON text. Syntax errors give line and column; other errors give line and column of the
// offending value too (found by a second, position-recording read, so the happy path pays nothing).
inline bool parse_case(const RuleSet& rs, std::string_view text, Case& out, CaseError& err,
                       const CaseLimits& limits = {}) {
    if (text.size() > limits.max_bytes) {
        out.reset(rs);
        err = CaseError{"limit", "case is " + std::to_string(text.size()) + " bytes, over the limit of " +
                                     std::to_string(limits.max_bytes) + " (max_case_bytes)", "", 0, 0};
        return false;
    }
    // Well-formed cases (nearly all) are read in one pass with no JSON tree; anything the fast reader
    // is not sure of goes the checked way, which gives the exact error. The fast reader nests at
    // most 4 levels (case, findings, finding, sites), so a lower depth limit always takes the checked way.
    if (limits.max_depth >= 4 && detail::FastCaseReader(rs, out, text).read()) return true;
    return detail::parse_case_checked(rs, text, out, err, limits);
}

// std::string and C strings are text, not JSON values (without these, the call would be ambiguous).
inline bool parse_case(const RuleSet& rs, const std::string& text, Case& out, CaseError& err, const CaseLimits& limits = {}) {
    return parse_case(rs, std::string_view(text), out, err, limits);
}
inline bool parse_case(const RuleSet& rs, const char* text, Case& out, CaseError& err, const CaseLimits& limits = {}) {
    return parse_case(rs, std::string_view(text), out, err, limits);
}

}  // namespace symtri

#ifdef SYMTRI_HEADER_ONLY
#include "case-inl.hpp"
#endif
