// SPDX-License-Identifier: Apache-2.0
// The compiled rule set: what the compiler (compiler.hpp) makes of the rule files, and all the
// evaluator (evaluator.hpp) reads.
//
// Immutable once built: every member is filled by the compiler and then only read, so one
// std::shared_ptr<const RuleSet> may be shared by any number of threads without locking. Findings,
// levels and rules are referred to by their index (interned integer ids); conditions are flat arrays
// of nodes, so evaluation allocates nothing.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "attributes.hpp"
#include "detail/name_index.hpp"
#include "detail/text.hpp"

namespace symtri {

// Three-valued (Kleene) truth.
enum class Tri : std::uint8_t { no = 0, unknown = 1, yes = 2 };

enum class RuleKind : std::uint8_t { red_flag = 0, recommendation = 1, caution = 2, info = 3 };
inline const char* kind_name(RuleKind k) {
    switch (k) {
        case RuleKind::red_flag: return "red_flag";
        case RuleKind::recommendation: return "recommendation";
        case RuleKind::caution: return "caution";
        case RuleKind::info: return "info";
    }
    return "?";
}

// Localised text. Index i is the rule set's locale i (0 is always "en"); missing translations were
// filled with the English text by the compiler, so lookups never fail.
struct Text {
    std::vector<std::string> raw;
    const std::string& get(std::size_t locale = 0) const { return raw[locale < raw.size() ? locale : 0]; }
};

struct Citation {
    std::string title;
    std::string url;
};

// Where a definition came from, for messages and `symtri explain`.
struct SourceRef {
    std::string file;
    unsigned line = 0;
    unsigned column = 0;
    std::string pointer;
};

struct Level {
    std::string id;
    Text label, action, worse;
    std::string indicator;  // CDS Hooks card indicator: info | warning | critical
    std::vector<std::string> worse_json;  // per locale, `worse` as a JSON string literal
    // Per locale, the result's summary for this level, escaped, without quotes: the action alone, and
    // the action followed by " Reason: " (a red flag's reason_json follows). detail/flat_rules.hpp.
    std::vector<std::string> summary_json, summary_reason_json;
    // The end of a finding question whose could_raise_to is this level (result.hpp), after
    // `"could_raise_to":"`: per if_yes level L and screening flag (index 2 * L + screening),
    // `ID","if_yes":"L"}` or `ID","if_yes":"L","screening":true}`. detail/flat_rules.hpp. Empty
    // when the rule set has more than max_tail_levels levels (the pieces are then written one by one).
    std::vector<std::string> question_tail_json;
    static constexpr std::size_t max_tail_levels = 16;
};

// A code for a finding in a terminology (FHIR Coding: system URI and code), e.g. SNOMED CT
// {"system": "http://snomed.info/sct", "code": "279039007"}: lets a host map coded clinical data (a FHIR
// Condition or Observation from an EHR) to the finding. `display` is the terminology's own term.
struct Coding {
    std::string system, code, display;
};

struct Finding {
    std::string id;
    Text label, question;
    std::vector<std::string> aliases;
    std::uint16_t attributes = all_attrs_mask;  // bit per Attr the finding accepts
    std::vector<std::string> characters;        // allowed `character` values; empty = any id
    std::vector<std::string> icd10;
    std::vector<Coding> codes;  // the finding in terminologies such as SNOMED CT (see Coding)
    std::string group;
    // A screening question: a life threat every person is asked, whatever their complaint (the
    // interview asks it until answered, as NHS Pathways screens before the presenting complaint).
    bool screening = false;
    // Per attribute (Attr index), the rule set's question about it once the finding is present; empty
    // (no locales) when the rule set gives none, and then the engine's generic wording is used.
    std::array<Text, attr_count> attribute_prompts;
    // Attributes some rule tests on this finding (bit per Attr): the attribute questions it can have.
    std::uint16_t tested_attributes = 0;
    // Per locale, the question object up to its level: {"finding":"id","prompt":...,"label":...,"could_raise_to":"
    std::vector<std::string> question_json;
    // Per locale and tested attribute (locale * attr_count + attr), the attribute question's object up
    // to its level: {"finding":"id","attribute":"side","prompt":...,"label":...,"choices":[...],"could_raise_to":"
    std::vector<std::string> attribute_question_json;
    const std::string& attribute_json(std::size_t locale, std::size_t attr) const {
        std::size_t i = locale * attr_count + attr;
        return attribute_question_json[i < attribute_question_json.size() ? i : attr];
    }
};

struct Rule {
    std::string id;
    RuleKind kind = RuleKind::info;
    int priority = 0;
    int level = -1;          // index into levels, or -1 when the rule sets no level
    std::uint32_t root = 0;  // condition node
    Text title, advice;
    Text clinician;  // optional: the rule's message for a clinician (CDS Hooks cards); empty = none given
    std::vector<std::string> tags;
    std::vector<Citation> citations;
    std::vector<std::string> icd10;
    std::string validation;                // empty = the rule set's
    std::vector<std::string> block_rules;  // as written (cautions)
    std::vector<std::string> block_tags;
    std::vector<std::int32_t> blocks;      // recommendations this caution holds back (indices), sorted
    std::vector<std::int32_t> findings;    // findings the condition reads, sorted, unique
    bool reads_patient = false;
    std::uint32_t order = 0;               // position in result order (kind, level desc, priority desc, file order)
    SourceRef source;
    // The id as a JSON string literal (a caution's "blocks" list). The rule's whole object in a result
    // is pre-rendered too: Compiled::rule_json.
    std::string quoted_id;
    // Red flags: per locale, the title as the summary's reason (escaped, ending in a full stop).
    std::vector<std::string> reason_json;
};

namespace detail {

enum class Op : std::uint8_t { all, any, not_, at_least, finding, absent, age, sex };

// A numeric interval from comparisons: {">=": 4, "<": 8} is [4, 8).
struct Range {
    double lo = -std::numeric_limits<double>::infinity();
    double hi = std::numeric_limits<double>::infinity();
    bool lo_incl = true, hi_incl = true;
    bool contains(double v) const {
        return (lo_incl ? v >= lo : v > lo) && (hi_incl ? v <= hi : v < hi);
    }
    bool empty() const { return lo > hi || (lo == hi && !(lo_incl && hi_incl)); }
};

struct AttrTest {
    Attr attr;
    std::int8_t boolean = -1;    // at_night / constant: the required value
    std::uint32_t mask = 0;      // side / onset / trend / sites: bit per allowed value, and not_given
    // side / onset / trend: `null` in the rule's list, "or the case does not give it". The rule author's
    // way to make a missing answer count as the dangerous one (a speech difficulty of unknown onset is
    // treated as sudden), where Kleene logic would leave the test unknown.
    static constexpr std::uint32_t not_given = 1u << 31;
    std::uint32_t set_first = 0, set_count = 0;  // character: range in Compiled::character_sets
    Range range;                 // duration_days / severity
};

struct Node {
    Op op;
    std::uint16_t threshold = 0;  // at_least
    std::int32_t finding = -1;    // finding / absent
    std::uint32_t first = 0;      // children (composites), tests (finding), ranges (age) or sex mask
    std::uint32_t count = 0;
};

// The bit of finding f in Compiled::node_findings.
inline std::uint64_t finding_bit(std::int32_t f) { return std::uint64_t{1} << (static_cast<std::uint32_t>(f) & 63u); }

// The flat arrays conditions are made of.
struct Compiled {
    std::vector<Node> nodes;
    std::vector<std::uint32_t> children;
    std::vector<AttrTest> tests;
    std::vector<Range> ranges;
    std::vector<std::int32_t> character_sets;
    // finding -> rules that read it, highest level first (CSR layout)
    std::vector<std::uint32_t> finding_rules_start;
    std::vector<std::int32_t> finding_rules;
    // Rules whose age or sex tests could make them true while every finding is unknown: the only
    // rules a case's patient data must always evaluate. Other rules that read age or sex can matter
    // only through their findings, or for questions, where the evaluator reaches them lazily.
    std::vector<std::int32_t> patient_rules;

    // Per rule, a dense copy of what the evaluator and the result writer read for every rule they
    // visit: one 16-byte record, so a rule costs one cache line, not a walk into its large Rule record.
    struct RuleHot {
        std::uint32_t root;
        std::int32_t level;
        std::uint32_t order;
        std::uint8_t reads_patient;
        RuleKind kind;
        std::uint16_t unused;
    };
    std::vector<RuleHot> hot;
    std::vector<std::int32_t> rules_in_order;  // rule indices in result order

    // Leaves: the `finding` and `absent` nodes, de-duplicated (the same op, finding and attribute tests
    // are one leaf however many rules use them). A leaf's value depends on its finding's answer alone,
    // so the evaluator works out each leaf of each answered finding once per case, and every other
    // leaf is unknown, before it evaluates any rule.
    // Leaves are numbered finding by finding: finding f's are finding_leaves_start[f] up to
    // finding_leaves_start[f + 1].
    std::vector<std::int32_t> leaf_of_node;            // per node: its leaf, or -1 for other ops
    std::vector<std::uint32_t> leaf_node;              // per leaf: a node that computes it
    std::vector<std::uint32_t> finding_leaves_start;   // per finding, its first leaf; one more at the end
    std::int32_t leaf_finding(std::uint32_t leaf) const { return nodes[leaf_node[leaf]].finding; }
    // Per node, a 64-bit signature of the findings its condition reads (bit f % 64 for finding f): the
    // question planner's "what one answer does" (detail/single_answers.hpp) skips a subtree that reads
    // none of the findings it tries answers for without walking it.
    std::vector<std::uint64_t> node_findings;
    // The whole-case program (Evaluator::evaluate_all_nodes), for a case that answers enough findings
    // that every rule is evaluated: every composite node once, each after its children, reading each
    // child's value from one array of value slots (a leaf's slot is its leaf number, any other node's
    // is leaf_node.size() + its node index). No recursion, no memo look-up, no call per node.
    std::vector<std::uint32_t> node_order;     // the composite nodes, children first
    std::vector<std::uint32_t> child_slot;     // parallel to children: each child's value slot
    std::vector<std::uint32_t> patient_nodes;  // the age and sex nodes
    std::vector<std::int32_t> leaf_findings;   // per leaf, its finding (leaf_finding(), without the two look-ups)
    std::vector<std::uint8_t> node_patient;    // per node: 1 when an age or sex test is below it
    // Whether node `id` reads none of the answered findings (`answered`: their finding_bit()s; a shared
    // bit only costs work) and no age or sex test a case giving either (`patient`) could settle: then
    // every leaf below it is unknown, and so is it (all, any, not and at_least of unknowns are unknown).
    // Evaluator::evaluate_all_nodes and detail/node_sets.hpp skip such nodes.
    bool reads_no_answer(std::uint32_t id, std::uint64_t answered, bool patient) const {
        return (node_findings[id] & answered) == 0 && !(patient && node_patient[id]);
    }
    std::uint32_t slot_of(std::uint32_t node) const {
        return leaf_of_node[node] >= 0 ? static_cast<std::uint32_t>(leaf_of_node[node]) : static_cast<std::uint32_t>(leaf_node.size()) + node;
    }

    // Every rule in result order as a flat program over leaves: a rule whose condition is a leaf, or
    // an `all` or `any` of leaves (most rules), is the minimum or maximum of its leaves' values in
    // Kleene order (no < unknown < yes); any other condition is evaluated as its node tree.
    enum class Shape : std::uint8_t { tree, all_leaves, any_leaves };
    struct FlatRule {
        std::int32_t rule;
        std::int32_t level;
        Shape shape;
        std::uint8_t unused = 0;
        std::uint16_t count = 0;  // leaves (all_leaves, any_leaves)
        std::uint32_t first = 0;  // into flat_leaves
        std::uint32_t slot = 0;   // its root's value slot (node_order)
    };
    std::vector<FlatRule> flat;                // result order (flat[hot[r].order].rule == r)
    std::vector<std::uint32_t> flat_leaves;

    // Each rule's object in a result, pre-rendered per locale, so writing a result is mostly copying:
    // {"rule":..,"level":..,"title":..,"advice":..,"because":[..],"tags":[..],"citations":[..]}
    // with its closing brace, except for cautions (their "blocks" go before it). When the findings
    // `because` names do not depend on the case (an `all` of findings, as most rules are: every
    // finding it reads is one the rule fired through), the list is part of the text; otherwise the
    // text leaves it out and the writer puts the case's list in at `because_at`.
    struct RuleJson {
        std::size_t offset;            // into rule_json
        std::uint32_t size;
        std::uint32_t because_at;      // offset in the object, or static_because
    };
    static constexpr std::uint32_t static_because = 0xffffffffu;
    std::string rule_json;                 // every object, locale by locale, rules in result order
    std::vector<RuleJson> rule_json_index;  // [locale * rules + rule]
    const RuleJson& json_of(std::size_t rule, std::size_t locale) const {
        std::size_t rules = hot.size();
        if (rules == 0 || (locale + 1) * rules > rule_json_index.size()) locale = 0;
        return rule_json_index[locale * rules + rule];
    }

    // Per finding, the highest level a rule reading it sets (-1: none), and the findings that have
    // one, highest first (ties in vocabulary order): candidates() walks this list and stops at the
    // first finding that could not raise the level, instead of walking the whole vocabulary.
    std::vector<std::int32_t> finding_max_level;
    std::vector<std::int32_t> findings_by_level;
    // The screening findings (Finding::screening), in vocabulary order.
    std::vector<std::int32_t> screening;
};

}  // namespace detail

// A test case carried by the rule set (run by `symtri check`).
struct CarriedTest {
    std::string name;
    nlohmann::json case_json;
    nlohmann::json expect;
    SourceRef source;
};

struct RuleSetInfo {
    std::string id, version, last_reviewed, validation, license, clinical_review, default_locale;
    Text title, disclaimer;
    std::vector<std::string> authors;
    int format = 1;
    std::string digest;  // "sha256:<hex>"
};

class RuleSet {
public:
    RuleSetInfo info;
    std::vector<std::string> locales;  // locales[0] == "en"
    std::vector<Level> levels;         // lowest first
    std::vector<Finding> findings;     // vocabulary order
    std::vector<Rule> rules;           // file order
    std::vector<std::string> characters;  // interned `character` values
    std::vector<CarriedTest> tests;
    detail::Compiled compiled;

    // Finding index for an id or alias, or -1.
    int find_finding(std::string_view id) const { return lookup(finding_index, id); }
    // The same without allocating (the case reader's hot path).
    int find_finding_fast(std::string_view id) const { return finding_names.find(id); }
    int find_rule(std::string_view id) const { return lookup(rule_index, id); }
    int find_level(std::string_view id) const {
        for (std::size_t i = 0; i < levels.size(); ++i)
            if (levels[i].id == id) return static_cast<int>(i);
        return -1;
    }
    int find_character(std::string_view id) const { return lookup(character_index, id); }
    // Locale index for a case's locale tag ("en", "fr", "fr-CA" -> "fr"), falling back to 0 ("en").
    std::size_t locale_index(std::string_view tag) const {
        for (int pass = 0; pass < 2; ++pass) {
            for (std::size_t i = 0; i < locales.size(); ++i)
                if (locales[i] == tag) return i;
            auto dash = tag.find_first_of("-_");
            if (dash == std::string_view::npos) break;
            tag = tag.substr(0, dash);
        }
        return 0;
    }
    std::vector<std::string> finding_ids() const {
        std::vector<std::string> out;
        for (const auto& f : findings) out.push_back(f.id);
        return out;
    }

    // Filled by the compiler.
    std::unordered_map<std::string, int> finding_index;  // ids and aliases
    detail::NameIndex finding_names;                     // the same, looked up by string_view
    std::unordered_map<std::string, int> rule_index;
    std::unordered_map<std::string, int> character_index;
    // Pre-rendered result tail per locale: disclaimer, ruleset and engine objects.
    std::vector<std::string> result_tail;

private:
    static int lookup(const std::unordered_map<std::string, int>& m, std::string_view id) {
        auto it = m.find(std::string(id));
        return it == m.end() ? -1 : it->second;
    }
};

using RuleSetPtr = std::shared_ptr<const RuleSet>;

}  // namespace symtri
