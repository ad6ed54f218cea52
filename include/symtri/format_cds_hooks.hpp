// SPDX-License-Identifier: Apache-2.0
// A result as a CDS Hooks 2.0 service response (`symtri triage --format cds-hooks`): {"cards": [...]},
// so an EHR that speaks CDS Hooks can show symtri's advice without a custom integration.
//
//   #include <symtri/format_cds_hooks.hpp>
//   nlohmann::ordered_json response = symtri::cds_hooks_response(session.rules(), nlohmann::json::parse(result));
//
// Cards (CDS Hooks 2.0, "Card Attributes"; https://cds-hooks.hl7.org/2.0/#card-attributes):
//   - first, one summary card for the whole result: the level and its most urgent reason;
//   - then one card per fired rule: red flags, cautions, recommendations, info, in the result's order.
// Each card has
//   uuid       derived from the rule-set digest, the case_id and the card (same input -> same uuid);
//   summary    under 140 characters (cut at a word, with "..."), as the specification requires;
//   indicator  info | warning | critical: the level's `indicator` in the rule set (a caution is a warning);
//   detail     GitHub-flavoured Markdown: advice, the findings it rests on, sources (the summary card
//              also the open questions, "if it gets worse" and the disclaimer);
//   source     label and url from the rule's first citation (the rule set itself when it cites nothing);
//   links      every citation as {"label", "url", "type": "absolute"}.
// No suggestions (symtri proposes no orders), so no selectionBehavior. A pure function of its
// arguments, safe to call from several threads at once.
// format_cds_hooks-inl.hpp defines the functions (config.hpp: inline here, or compiled into symtri::lib).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "question_text.hpp"
#include "config.hpp"
#include "ruleset.hpp"

namespace symtri {

struct CdsHooksOptions {
    std::string locale;             // the case's locale, for level and finding labels ("" = English)
    bool rule_cards = true;         // false: the summary card only
    std::size_t max_questions = 0;  // open questions listed on the summary card (0: all)
    // Cards for a clinician in an EHR (`symtri serve`'s CDS Hooks service) rather than the person: a
    // rule's `clinician` text when the rule set gives one, else neutral wording ("Red flag: <title>",
    // the findings it rests on); open questions as findings not yet documented.
    bool clinician = false;
};

// The CDS Hooks specification: a card's summary is "<140-character".
inline constexpr std::size_t cds_hooks_summary_max = 139;

// The CDS Hooks 2.0 response {"cards": [...]} for `result` (a result JSON object made with `rs`).
SYMTRI_FUNC nlohmann::ordered_json cds_hooks_response(const RuleSet& rs, const nlohmann::json& result,
                                                      const CdsHooksOptions& options = {});

// The same, as JSON text: one line, or indented by `indent` spaces when indent >= 0.
SYMTRI_FUNC std::string format_cds_hooks(const RuleSet& rs, const nlohmann::json& result,
                                         const CdsHooksOptions& options = {}, int indent = -1);

}  // namespace symtri

#ifdef SYMTRI_HEADER_ONLY
#include "format_cds_hooks-inl.hpp"
#endif
