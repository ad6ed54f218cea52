// The compiled rule set: what the compiler (compiler.hpp) makes of the rule files, and all the
// evaluator (evaluator.hpp) reads.
//
// Immutable once built: every member is filled by the compiler and then only read, so one
// std::shared_ptr<const RuleSet> may be shared by any number of threads without locking. Findings,
// levels and rules are referred to by their index (interned integer ids); conditions are flat arrays
// of nodes, so evaluation allocates nothing.
#pragma once

#include <algorithm>
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
};

struct Finding {
    std::string id;
    Text label, question;
    std::vector<std::string> aliases;
    std::uint16_t attributes = all_attrs_mask;  // bit per Attr the finding accepts
    std::vector<std::string> characters;        // allowed `character` values; empty = any id
    std::vector<std::string> icd10;
    std::string group;
    // Per locale, the question object up to its level: {"finding":"id","prompt":...,"label":...,"could_raise_to":"
    std::vector<std::string> question_json;
};

struct Rule {
    std::string id;
    RuleKind kind = RuleKind::info;
    int priority = 0;
    int level = -1;          // index into levels, or -1 when the rule sets no level
    std::uint32_t root = 0;  // condition node
    Text title, advice;
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
    std::uint32_t mask = 0;      // side / onset / trend / sites: bit per allowed value
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
    // one, highest first (ties in vocabulary order): questions() walks this list and stops at the
    // first finding that could not raise the level, instead of walking the whole vocabulary.
    std::vector<std::int32_t> finding_max_level;
    std::vector<std::int32_t> findings_by_level;
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

namespace detail {

// Compiled::leaf_of_node, leaf_node, finding_leaves_start and the flat program (Compiled::flat), from the
// node trees, the hot records and rules_in_order. Called by the compiler once those are built.
inline void build_flat_rules(RuleSet& rs) {
    Compiled& k = rs.compiled;
    const std::size_t rules = rs.rules.size();
    k.leaf_of_node.assign(k.nodes.size(), -1);
    // Leaves reachable from some rule, keyed by what their value depends on: op, finding, tests;
    // first numbered as found, then renumbered finding by finding.
    std::unordered_map<std::string, std::int32_t> ids;
    ids.reserve(k.nodes.size());
    std::vector<std::uint32_t> found_node;  // per leaf as found: its node
    std::vector<std::vector<std::uint32_t>> by_finding(rs.findings.size());
    std::vector<char> seen(k.nodes.size(), 0);
    std::vector<std::uint32_t> stack;
    auto bytes = [](std::string& key, const auto& v) { key.append(reinterpret_cast<const char*>(&v), sizeof v); };
    for (std::size_t r = 0; r < rules; ++r) {
        stack.assign(1, k.hot[r].root);
        while (!stack.empty()) {
            std::uint32_t id = stack.back();
            stack.pop_back();
            if (seen[id]) continue;
            seen[id] = 1;
            const Node& n = k.nodes[id];
            if (n.op == Op::all || n.op == Op::any || n.op == Op::not_ || n.op == Op::at_least) {
                for (std::uint32_t i = 0; i < n.count; ++i) stack.push_back(k.children[n.first + i]);
                continue;
            }
            if (n.op != Op::finding && n.op != Op::absent) continue;
            std::string key;
            bytes(key, n.op);
            bytes(key, n.finding);
            if (n.op == Op::finding) {
                bytes(key, n.count);
                for (std::uint32_t i = 0; i < n.count; ++i) {
                    const AttrTest& t = k.tests[n.first + i];
                    bytes(key, t.attr);
                    bytes(key, t.boolean);
                    bytes(key, t.mask);
                    bytes(key, t.range.lo);
                    bytes(key, t.range.hi);
                    bytes(key, t.range.lo_incl);
                    bytes(key, t.range.hi_incl);
                    bytes(key, t.set_count);
                    for (std::uint32_t s = 0; s < t.set_count; ++s) bytes(key, k.character_sets[t.set_first + s]);
                }
            }
            auto [it, added] = ids.emplace(std::move(key), static_cast<std::int32_t>(found_node.size()));
            if (added) {
                found_node.push_back(id);
                by_finding[static_cast<std::size_t>(n.finding)].push_back(static_cast<std::uint32_t>(it->second));
            }
            k.leaf_of_node[id] = it->second;
        }
    }
    std::vector<std::int32_t> renumber(found_node.size());
    k.leaf_node.clear();
    k.finding_leaves_start.assign(1, 0);
    for (const auto& list : by_finding) {
        for (auto l : list) {
            renumber[l] = static_cast<std::int32_t>(k.leaf_node.size());
            k.leaf_node.push_back(found_node[l]);
        }
        k.finding_leaves_start.push_back(static_cast<std::uint32_t>(k.leaf_node.size()));
    }
    for (auto& l : k.leaf_of_node)
        if (l >= 0) l = renumber[static_cast<std::size_t>(l)];

    k.flat.clear();
    k.flat_leaves.clear();
    for (auto r : k.rules_in_order) {
        const auto& h = k.hot[static_cast<std::size_t>(r)];
        Compiled::FlatRule fr{r, h.level, Compiled::Shape::tree};
        const Node& root = k.nodes[h.root];
        if (k.leaf_of_node[h.root] >= 0) {
            fr.shape = Compiled::Shape::all_leaves;
            fr.count = 1;
            fr.first = static_cast<std::uint32_t>(k.flat_leaves.size());
            k.flat_leaves.push_back(static_cast<std::uint32_t>(k.leaf_of_node[h.root]));
        } else if ((root.op == Op::all || root.op == Op::any) && root.count <= 0xffffu) {
            bool leaves = true;
            for (std::uint32_t i = 0; i < root.count && leaves; ++i) leaves = k.leaf_of_node[k.children[root.first + i]] >= 0;
            if (leaves) {
                fr.shape = root.op == Op::all ? Compiled::Shape::all_leaves : Compiled::Shape::any_leaves;
                fr.count = static_cast<std::uint16_t>(root.count);
                fr.first = static_cast<std::uint32_t>(k.flat_leaves.size());
                for (std::uint32_t i = 0; i < root.count; ++i)
                    k.flat_leaves.push_back(static_cast<std::uint32_t>(k.leaf_of_node[k.children[root.first + i]]));
            }
        }
        k.flat.push_back(fr);
    }
}

// The findings ConditionEval::because names for `node` whenever it is true, when that list does not
// depend on the case: true through `all` nodes only, every child of a true `all` is true, so every
// finding reached is named (`not`, absent, age and sex name none). False when an `any` or `at_least`
// is reached (which of its children are true depends on the case).
inline bool fixed_because(const Compiled& k, std::uint32_t node, std::vector<std::int32_t>& out) {
    const Node& n = k.nodes[node];
    switch (n.op) {
        case Op::all:
            for (std::uint32_t i = 0; i < n.count; ++i)
                if (!fixed_because(k, k.children[n.first + i], out)) return false;
            return true;
        case Op::any:
        case Op::at_least: return false;
        case Op::finding:
            if (std::find(out.begin(), out.end(), n.finding) == out.end()) out.push_back(n.finding);
            return true;
        default: return true;
    }
}

// Compiled::rule_json: every rule's object in a result, per locale (see RuleJson). Needs quoted_id,
// the hot records and rules_in_order.
inline void render_rule_objects(RuleSet& rs) {
    Compiled& k = rs.compiled;
    const std::size_t rules = rs.rules.size();
    const std::size_t locales = std::max<std::size_t>(1, rs.locales.size());
    std::vector<std::string> because(rules), tail(rules);
    std::vector<char> is_static(rules, 0);
    std::vector<std::int32_t> found;
    for (std::size_t i = 0; i < rules; ++i) {
        const Rule& r = rs.rules[i];
        found.clear();
        if (fixed_because(k, k.hot[i].root, found)) {
            is_static[i] = 1;
            because[i] = "[";
            for (std::size_t f = 0; f < found.size(); ++f) {
                if (f) because[i] += ',';
                because[i] += '"';
                because[i] += rs.findings[static_cast<std::size_t>(found[f])].id;  // ids are [a-z0-9_.-]: no escaping needed
                because[i] += '"';
            }
            because[i] += ']';
        }
        std::string& t = tail[i];
        t = ",\"tags\":[";
        for (std::size_t j = 0; j < r.tags.size(); ++j) t += (j ? "," : "") + quote(r.tags[j]);
        t += "],\"citations\":[";
        for (std::size_t j = 0; j < r.citations.size(); ++j)
            t += (j ? ",{\"title\":" : "{\"title\":") + quote(r.citations[j].title) + ",\"url\":" + quote(r.citations[j].url) + "}";
        t += "]";
        if (r.kind != RuleKind::caution) t += '}';
    }
    k.rule_json.clear();
    std::size_t bytes = 0;  // an estimate: every locale as long as English
    for (std::size_t i = 0; i < rules; ++i) {
        const Rule& r = rs.rules[i];
        bytes += 64 + r.quoted_id.size() + because[i].size() + tail[i].size() + r.title.get(0).size() + r.advice.get(0).size();
    }
    k.rule_json.reserve(bytes * locales + bytes / 8);
    k.rule_json_index.assign(locales * rules, Compiled::RuleJson{0, 0, 0});
    for (std::size_t loc = 0; loc < locales; ++loc) {
        for (auto ri : k.rules_in_order) {
            auto i = static_cast<std::size_t>(ri);
            const Rule& r = rs.rules[i];
            std::string& s = k.rule_json;
            std::size_t start = s.size();
            s += "{\"rule\":";
            s += r.quoted_id;
            if (r.level >= 0) s += ",\"level\":" + quote(rs.levels[static_cast<std::size_t>(r.level)].id);
            s += ",\"title\":" + quote(r.title.get(loc)) + ",\"advice\":" + quote(r.advice.get(loc)) + ",\"because\":";
            std::uint32_t because_at = Compiled::static_because;
            if (is_static[i]) s += because[i];
            else because_at = static_cast<std::uint32_t>(s.size() - start);
            s += tail[i];
            k.rule_json_index[loc * rules + i] = Compiled::RuleJson{start, static_cast<std::uint32_t>(s.size() - start), because_at};
        }
    }
}

}  // namespace detail

}  // namespace symtri
