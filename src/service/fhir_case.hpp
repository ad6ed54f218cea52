// SPDX-License-Identifier: Apache-2.0
// A case from FHIR data (a CDS Hooks call's prefetch): the patient's Conditions and Observations
// mapped to findings through the `codes` of the rule set's vocabulary, the Patient to age and sex.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <symtri/ruleset.hpp>

namespace symtri_service {

struct FhirCase {
    nlohmann::json case_json;          // {"case_id", "patient"?, "findings"}
    std::size_t mapped = 0;            // findings set from the data
    std::size_t resources = 0;         // Conditions and Observations looked at
};

// `today` is "YYYY-MM-DD" (UTC), for the age from Patient.birthDate.
//   Condition: present, unless its verificationStatus is refuted (absent) or entered-in-error, or its
//              clinicalStatus is inactive, remission or resolved (skipped: not current).
//   Observation: its code, or else its valueCodeableConcept (a "symptom" observation), names the
//              finding; absent when valueBoolean is false or the value is SNOMED CT "No"/"Negative";
//              skipped when entered-in-error or cancelled.
// A finding reported both present and absent is present (a red flag is never hidden by a conflict).
FhirCase case_from_prefetch(const symtri::RuleSet& rs, const nlohmann::json& prefetch, const std::string& case_id,
                            const std::string& today);

}  // namespace symtri_service
