// The evaluator against a reference that follows the definitions in docs/rules-format.md literally:
// evaluate every rule; the level is the highest fired level; a caution blocks the fired
// recommendations it names; a question is every unanswered finding through which an unknown rule
// above the level could still be settled, with the highest such rule's level.
//
// The evaluator takes short cuts the reference does not (only touched rules, all rules in result
// order when many are touched, patient rules evaluated lazily for questions, an early stop in the
// vocabulary walk, a capped question list): on random rule sets and random cases the two must agree
// exactly, with and without max_questions.
#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <symtri/symtri.hpp>

namespace {

using symtri::Tri;

struct Reference {
    std::int32_t level = 0;
    std::vector<std::int32_t> fired;
    std::vector<std::pair<std::int32_t, std::int32_t>> blocks;
    std::vector<symtri::Question> questions;
};

Reference reference(const symtri::RuleSet& rs, const symtri::Case& c, std::size_t max_questions) {
    Reference out;
    symtri::detail::ConditionEval ev(rs, c);
    std::vector<Tri> value(rs.rules.size());
    for (std::size_t r = 0; r < rs.rules.size(); ++r) {
        value[r] = ev.eval(rs.rules[r].root);
        if (value[r] == Tri::yes) {
            out.fired.push_back(static_cast<std::int32_t>(r));
            out.level = std::max(out.level, rs.rules[r].level);
        }
    }
    std::sort(out.fired.begin(), out.fired.end(),
              [&](std::int32_t a, std::int32_t b) { return rs.rules[a].order < rs.rules[b].order; });
    for (auto r : out.fired)
        if (rs.rules[r].kind == symtri::RuleKind::caution)
            for (auto b : rs.rules[r].blocks)
                if (value[b] == Tri::yes) out.blocks.emplace_back(r, b);
    std::vector<std::int32_t> qlevel(rs.findings.size(), -1);
    for (std::size_t r = 0; r < rs.rules.size(); ++r) {
        if (value[r] != Tri::unknown || rs.rules[r].level <= out.level) continue;
        ev.unknown_findings(rs.rules[r].root, [&](std::int32_t f) { qlevel[f] = std::max(qlevel[f], rs.rules[r].level); });
    }
    for (std::size_t f = 0; f < qlevel.size(); ++f)
        if (qlevel[f] >= 0) out.questions.push_back(symtri::Question{static_cast<std::int32_t>(f), qlevel[f]});
    std::sort(out.questions.begin(), out.questions.end(), [](const symtri::Question& a, const symtri::Question& b) {
        return a.level != b.level ? a.level > b.level : a.finding < b.finding;
    });
    if (max_questions && out.questions.size() > max_questions) out.questions.resize(max_questions);
    return out;
}

// Random rule sets: 12 findings, 5 levels, rules of every kind over nested conditions with attribute,
// age and sex tests.
class Generator {
public:
    explicit Generator(unsigned seed) : rng_(seed) {}

    std::string ruleset(int rules) {
        std::string vocab;
        for (int f = 0; f < kFindings; ++f)
            vocab += (f ? ",\"f" : "\"f") + std::to_string(f) + "\": {\"label\": \"F" + std::to_string(f) +
                     "\", \"question\": \"F" + std::to_string(f) + "?\"}";
        std::string list;
        for (int r = 0; r < rules; ++r) {
            std::string kind = pick({"red_flag", "recommendation", "recommendation", "caution", "info"});
            std::string rule = "{\"id\": \"r" + std::to_string(r) + "\", \"kind\": \"" + kind + "\", \"when\": " +
                               condition(0) + ", \"title\": \"Rule " + std::to_string(r) + "\", \"advice\": \"A.\"";
            int level = kind == "red_flag" ? 1 + below(4) : below(3) == 0 ? -1 : below(5);
            if (level >= 0) rule += ", \"level\": \"l" + std::to_string(level) + "\"";
            if (kind == "red_flag") rule += ", \"citations\": [{\"title\": \"T\", \"url\": \"https://example.org\"}]";
            if (kind == "recommendation" && below(3) == 0) rule += ", \"tags\": [\"t\"]";
            if (kind == "caution" && below(2) == 0) rule += ", \"blocks\": {\"tags\": [\"t\"]}";
            list += (r ? "," : "") + rule + "}";
        }
        return R"({"format": 1,
  "ruleset": {"id": "random", "version": "1", "title": "Random", "authors": ["tests"], "last_reviewed": "2026-01-01",
              "validation": "research", "license": "MIT", "disclaimer": "Not a diagnosis."},
  "levels": [{"id": "l0", "label": "L0", "action": "A0.", "worse": "W0."}, {"id": "l1", "label": "L1", "action": "A1.", "worse": "W1."},
             {"id": "l2", "label": "L2", "action": "A2.", "worse": "W2."}, {"id": "l3", "label": "L3", "action": "A3.", "worse": "W3."},
             {"id": "l4", "label": "L4", "action": "A4.", "worse": "W4."}],
  "vocabulary": {)" + vocab + R"(},
  "rules": [)" + list + "]}";
    }

    std::string case_json() {
        std::string findings;
        for (int f = 0; f < kFindings; ++f) {
            int pick = below(6);
            if (pick < 3) continue;  // not given
            std::string v = pick == 3 ? "false"
                             : pick == 4 ? "true"
                                         : "{\"present\": true, \"severity\": " + std::to_string(below(11)) +
                                               (below(2) ? ", \"side\": \"left\"" : "") + "}";
            findings += (findings.empty() ? "\"f" : ",\"f") + std::to_string(f) + "\": " + v;
        }
        std::string patient;
        if (below(2)) patient += "\"age\": " + std::to_string(below(90));
        if (below(2)) patient += std::string(patient.empty() ? "" : ",") + "\"sex\": \"" + pick({"female", "male"}) + "\"";
        return "{\"patient\": {" + patient + "}, \"findings\": {" + findings + "}}";
    }

private:
    static constexpr int kFindings = 12;
    std::mt19937 rng_;

    int below(int n) { return static_cast<int>(rng_() % static_cast<unsigned>(n)); }
    std::string pick(std::initializer_list<const char*> xs) { return *(xs.begin() + below(static_cast<int>(xs.size()))); }

    std::string leaf() {
        std::string f = "\"f" + std::to_string(below(kFindings)) + "\"";
        switch (below(7)) {
            case 0: return "{\"finding\": " + f + ", \"present\": false}";
            case 1: return "{\"finding\": " + f + ", \"severity\": {\">=\": " + std::to_string(below(10)) + "}}";
            case 2: return "{\"finding\": " + f + ", \"side\": \"left\"}";
            case 3: return "{\"age\": {\">=\": " + std::to_string(below(80)) + "}}";
            case 4: return "{\"sex\": \"" + pick({"female", "male"}) + "\"}";
            default: return "{\"finding\": " + f + "}";
        }
    }

    std::string condition(int depth) {
        if (depth >= 2 || below(3) == 0) return leaf();
        int n = 1 + below(3);
        std::string kids;
        for (int i = 0; i < n; ++i) kids += (i ? "," : "") + condition(depth + 1);
        switch (below(4)) {
            case 0: return "{\"any\": [" + kids + "]}";
            case 1: return "{\"not\": " + condition(depth + 1) + "}";
            case 2: return "{\"at_least\": " + std::to_string(1 + below(n)) + ", \"of\": [" + kids + "]}";
            default: return "{\"all\": [" + kids + "]}";
        }
    }
};

void compare(const symtri::RuleSetPtr& rs, const std::string& text, std::size_t max_questions) {
    symtri::Case c;
    symtri::CaseError err;
    REQUIRE(symtri::parse_case(*rs, text, c, err));
    symtri::Evaluator ev(rs, symtri::TriageOptions{max_questions});
    symtri::Outcome out;
    ev.evaluate(c, out);
    Reference ref = reference(*rs, c, max_questions);
    INFO("case " << text << ", max_questions " << max_questions);
    CHECK(out.level == ref.level);
    CHECK(out.fired == ref.fired);
    CHECK(out.blocks == ref.blocks);
    REQUIRE(out.questions.size() == ref.questions.size());
    for (std::size_t i = 0; i < ref.questions.size(); ++i) {
        CHECK(out.questions[i].finding == ref.questions[i].finding);
        CHECK(out.questions[i].level == ref.questions[i].level);
    }
}

}  // namespace

TEST_CASE("evaluator agrees with the reference on random rule sets and cases", "[evaluator][reference]") {
    int sets = 0;
    for (unsigned seed = 1; sets < 60 && seed < 400; ++seed) {
        Generator g(seed);
        // Small sets take the sparse path (few rules touched), large ones the dense path too.
        int rules = seed % 3 == 0 ? 6 : seed % 3 == 1 ? 40 : 150;
        symtri::RuleSetPtr rs;
        try {
            rs = symtri::load_rules_from_string(g.ruleset(rules), "random.json");
        } catch (const symtri::Error&) {
            continue;  // e.g. a generated rule that can never be true: the compiler rightly refuses it
        }
        ++sets;
        for (int k = 0; k < 40; ++k) {
            std::string text = g.case_json();
            for (std::size_t cap : {std::size_t{0}, std::size_t{1}, std::size_t{3}}) compare(rs, text, cap);
        }
    }
    CHECK(sets == 60);
}

TEST_CASE("evaluator agrees with the reference on the shipped rule set", "[evaluator][reference]") {
    auto rs = symtri::load_builtin_rules();
    std::mt19937 rng(7);
    for (int k = 0; k < 300; ++k) {
        std::string findings;
        for (std::size_t f = 0; f < rs->findings.size(); ++f) {
            auto pick = rng() % 12;
            if (pick > 1) continue;
            findings += (findings.empty() ? "\"" : ",\"") + rs->findings[f].id + "\": " + (pick ? "true" : "false");
        }
        std::string text = "{\"patient\": {\"age\": " + std::to_string(rng() % 90) + "}, \"findings\": {" + findings + "}}";
        compare(rs, text, 0);
        compare(rs, text, 5);
    }
}
