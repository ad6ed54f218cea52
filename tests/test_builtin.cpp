// SPDX-License-Identifier: Apache-2.0
// The shipped rule set, as built into the library: it loads, and it knows what the contract says it must.
#include "support.hpp"

namespace {
const std::vector<std::string> contract_findings = {
    "muscle_tightness", "muscle_cramps", "muscle_spasm", "tingling", "numbness", "burning_pain", "weakness",
    "neck_pain", "neck_stiffness", "low_back_pain", "sciatica", "headache", "stress", "poor_sleep", "fatigue",
    "saddle_numbness", "urinary_retention", "urinary_incontinence", "bowel_incontinence", "sexual_dysfunction",
    "foot_drop", "fever", "unexplained_weight_loss", "cancer_history", "recent_trauma", "osteoporosis",
    "long_term_steroids", "immunosuppression", "iv_drug_use", "night_pain", "facial_droop", "speech_difficulty",
    "breathing_difficulty", "swallowing_difficulty", "confusion", "vision_change", "painful_red_eye",
    "jaw_claudication", "scalp_tenderness", "head_injury_recent", "non_blanching_rash", "chest_pain",
    "calf_swelling", "muscle_wasting", "fasciculations", "unsteady_walking", "clumsy_hands",
    "irregular_heartbeat", "fainting", "diarrhoea", "diabetes", "kidney_disease", "pregnancy",
    "magnesium_supplement_use", "bisphosphonate_use", "tetracycline_or_quinolone_use", "diuretic_use", "ppi_use"};
}  // namespace

TEST_CASE("the built-in rule set loads and equals rules/ on disk") {
    REQUIRE(symtri::has_builtin_rules());
    auto builtin = symtri::load_builtin_rules();
    auto disk = symtri::load_rules(std::string(SYMTRI_SOURCE_DIR) + "/rules");
    CHECK(builtin->info.digest == disk->info.digest);
}

TEST_CASE("the built-in rule set has the contract's levels in order and every contract finding") {
    auto rs = symtri::load_builtin_rules();
    std::vector<std::string> levels;
    for (const auto& l : rs->levels) levels.push_back(l.id);
    CHECK(levels == std::vector<std::string>{"self_care", "routine", "soon", "same_day", "emergency", "ambulance"});
    for (const auto& f : contract_findings) {
        INFO("finding " << f);
        CHECK(rs->find_finding(f) >= 0);
    }
}

TEST_CASE("the built-in rule set says it is for research and not clinically reviewed") {
    auto rs = symtri::load_builtin_rules();
    CHECK(rs->info.validation == "research");
    CHECK_FALSE(rs->info.disclaimer.get().empty());
    CHECK_FALSE(rs->info.clinical_review.empty());
}
