// SPDX-License-Identifier: Apache-2.0
#include "fhir_case.hpp"

#include <cstdlib>
#include <map>

namespace symtri_service {

namespace {

using json = nlohmann::json;

const json& member(const json& j, const char* key) {
    static const json null;
    if (!j.is_object()) return null;
    auto it = j.find(key);
    return it == j.end() ? null : *it;
}
std::string string_at(const json& j, const char* key) {
    const json& v = member(j, key);
    return v.is_string() ? v.get<std::string>() : std::string();
}
// The codes of a CodeableConcept: [(system, code)].
std::vector<std::pair<std::string, std::string>> codings(const json& concept) {
    std::vector<std::pair<std::string, std::string>> out;
    const json& cs = member(concept, "coding");
    if (!cs.is_array()) return out;
    for (const auto& c : cs) {
        std::string system = string_at(c, "system"), code = string_at(c, "code");
        if (!system.empty() && !code.empty()) out.emplace_back(system, code);
    }
    return out;
}
bool has_code(const json& concept, std::initializer_list<const char*> codes) {
    for (const auto& [system, code] : codings(concept))
        for (const char* c : codes)
            if (code == c) return true;
    return false;
}

// Resources of a prefetch value: a Bundle's entries, or one resource.
void resources_of(const json& v, std::vector<const json*>& out) {
    if (!v.is_object()) return;
    if (string_at(v, "resourceType") == "Bundle") {
        const json& entries = member(v, "entry");
        if (!entries.is_array()) return;
        for (const auto& e : entries) {
            const json& r = member(e, "resource");
            if (r.is_object()) out.push_back(&r);
        }
    } else {
        out.push_back(&v);
    }
}

// Whole years from "YYYY-MM-DD" (or "YYYY-MM", "YYYY") to today; -1 when unreadable.
int age_in_years(const std::string& birth, const std::string& today) {
    auto num = [](const std::string& s, std::size_t at, std::size_t n) {
        if (s.size() < at + n) return -1;
        int v = 0;
        for (std::size_t i = at; i < at + n; ++i) {
            if (s[i] < '0' || s[i] > '9') return -1;
            v = v * 10 + (s[i] - '0');
        }
        return v;
    };
    int by = num(birth, 0, 4), ty = num(today, 0, 4), tm = num(today, 5, 2), td = num(today, 8, 2);
    if (by < 0 || ty < 0 || tm < 0 || td < 0) return -1;
    int bm = birth.size() >= 7 ? num(birth, 5, 2) : 1, bd = birth.size() >= 10 ? num(birth, 8, 2) : 1;
    if (bm < 0 || bd < 0) return -1;
    int age = ty - by - ((tm < bm || (tm == bm && td < bd)) ? 1 : 0);
    return age >= 0 && age <= 130 ? age : -1;
}

}  // namespace

FhirCase case_from_prefetch(const symtri::RuleSet& rs, const json& prefetch, const std::string& case_id,
                            const std::string& today) {
    FhirCase out;
    std::map<std::pair<std::string, std::string>, const symtri::Finding*> by_code;
    for (const auto& f : rs.findings)
        for (const auto& c : f.codes) by_code.emplace(std::make_pair(c.system, c.code), &f);
    auto finding_for = [&](const json& concept) -> const symtri::Finding* {
        for (const auto& sc : codings(concept)) {
            auto it = by_code.find(sc);
            if (it != by_code.end()) return it->second;
        }
        return nullptr;
    };

    json c = json::object();
    c["case_id"] = case_id;
    json patient = json::object();
    std::vector<const json*> resources;
    if (prefetch.is_object())
        for (auto it = prefetch.begin(); it != prefetch.end(); ++it) resources_of(it.value(), resources);
    std::map<std::string, bool> findings;  // id -> present
    auto set = [&](const symtri::Finding* f, bool present) {
        auto [it, fresh] = findings.emplace(f->id, present);
        if (!fresh) it->second = it->second || present;
    };
    for (const json* rp : resources) {
        const json& r = *rp;
        const std::string type = string_at(r, "resourceType");
        if (type == "Patient") {
            int age = age_in_years(string_at(r, "birthDate"), today);
            if (age >= 0) patient["age"] = age;
            std::string g = string_at(r, "gender");
            if (g == "male" || g == "female" || g == "other") patient["sex"] = g;
        } else if (type == "Condition") {
            ++out.resources;
            const symtri::Finding* f = finding_for(member(r, "code"));
            if (!f) continue;
            if (has_code(member(r, "verificationStatus"), {"entered-in-error"})) continue;
            if (has_code(member(r, "clinicalStatus"), {"inactive", "remission", "resolved"})) continue;
            set(f, !has_code(member(r, "verificationStatus"), {"refuted"}));
        } else if (type == "Observation") {
            ++out.resources;
            std::string status = string_at(r, "status");
            if (status == "entered-in-error" || status == "cancelled") continue;
            const symtri::Finding* f = finding_for(member(r, "code"));
            bool present = true;
            const json& vb = member(r, "valueBoolean");
            if (vb.is_boolean()) present = vb.get<bool>();
            const json& vc = member(r, "valueCodeableConcept");
            if (!f) {
                f = finding_for(vc);  // e.g. code LOINC 75325-1 "Symptom", value the SNOMED CT finding
            } else if (vc.is_object() && has_code(vc, {"373067005", "260385009"})) {
                present = false;  // SNOMED CT 373067005 |No|, 260385009 |Negative|
            }
            if (f) set(f, present);
        }
    }
    if (!patient.empty()) c["patient"] = patient;
    json fs = json::object();
    for (const auto& [id, present] : findings) fs[id] = present;
    out.mapped = findings.size();
    c["findings"] = std::move(fs);
    out.case_json = std::move(c);
    return out;
}

}  // namespace symtri_service
