// SPDX-License-Identifier: Apache-2.0
// detail::SingleAnswers (the planner's "what one answer alone does"), against its definition: for
// every hypothesis (one finding's answer replaced) and every rule, the rule's true and false masks say
// exactly what evaluating the case with that one answer gives (ConditionEval, the reference logic).
// Enough hypotheses for several batches of 64, on the shipped rule set and on rules made to turn a true
// test false (`null` in a list), under `not` and `at_least`.
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <symtri/detail/single_answers.hpp>
#include <symtri/symtri.hpp>

#include "support.hpp"

namespace {

// One answer: finding f's value replaced by `value`.
struct Answer {
    std::int32_t finding;
    symtri::FindingValue value;
};

// Every answer a planner could try for this case, and some more: each unanswered finding present, and
// for each finding given present each value of each attribute it takes. Repeated until there are at
// least `at_least` (a repeated answer must get the same masks as its first).
std::vector<Answer> answers_for(const symtri::RuleSet& rs, const symtri::Case& c, std::size_t at_least) {
    std::vector<Answer> out;
    while (out.size() < at_least) {
        for (std::size_t f = 0; f < rs.findings.size(); ++f) {
            const symtri::FindingValue& now = c.findings[f];
            if (now.presence == symtri::Presence::unknown) {
                symtri::FindingValue yes = now;
                yes.presence = symtri::Presence::present;
                out.push_back(Answer{static_cast<std::int32_t>(f), yes});
                continue;
            }
            if (now.presence != symtri::Presence::present) continue;
            auto with = [&](auto&& set) {
                symtri::FindingValue v = now;
                set(v);
                out.push_back(Answer{static_cast<std::int32_t>(f), v});
            };
            for (std::int8_t s = 0; s < 3; ++s) with([s](symtri::FindingValue& v) { v.side = s; });
            for (std::int8_t s = 0; s < 2; ++s) with([s](symtri::FindingValue& v) { v.onset = s; });
            for (std::int8_t s = 0; s < 3; ++s) with([s](symtri::FindingValue& v) { v.trend = s; });
            for (std::int8_t s = 0; s <= 10; s += 2) with([s](symtri::FindingValue& v) { v.severity = s; });
            for (double d : {0.0, 3.0, 10.0, 42.0, 400.0}) with([d](symtri::FindingValue& v) { v.duration_days = d; });
            for (std::int8_t b = 0; b < 2; ++b) with([b](symtri::FindingValue& v) { v.at_night = b; });
            for (std::uint32_t s : {1u, 8u, 1u << 14}) with([s](symtri::FindingValue& v) { v.sites = s; });
        }
        if (out.empty()) break;
    }
    return out;
}

// How often an answer changed a rule's value, and how often it turned a true rule false.
struct Seen {
    std::size_t changed = 0, true_to_false = 0;
};

// For one case: every rule's masks, batch by batch, against evaluating the case with each answer.
void check_case(const symtri::RuleSetPtr& rs, const std::string& text, std::size_t at_least, Seen& seen) {
    symtri::Case c;
    symtri::CaseError err;
    REQUIRE(symtri::parse_case(*rs, text, c, err));
    const auto& k = rs->compiled;
    std::vector<std::uint8_t> leaves(k.leaf_node.size());
    for (std::size_t l = 0; l < leaves.size(); ++l) {
        const auto& n = k.nodes[k.leaf_node[l]];
        leaves[l] = static_cast<std::uint8_t>(symtri::detail::leaf_value(k, n, c.findings[static_cast<std::size_t>(n.finding)]));
    }
    const symtri::detail::ConditionEval now(*rs, c);
    auto eval = [&now](std::uint32_t node) { return now.eval(node); };

    const std::vector<Answer> answers = answers_for(*rs, c, at_least);
    symtri::detail::SingleAnswers single;
    single.begin(rs->findings.size());
    for (const auto& a : answers) single.add(a.finding, a.value);
    REQUIRE(single.size() == answers.size());

    INFO("case " << text);
    std::size_t batches = 0;
    for (std::size_t first = 0; first < answers.size(); first += symtri::detail::SingleAnswers::batch_size) {
        ++batches;
        single.start_batch(k, first);
        const std::size_t last = std::min(answers.size(), first + symtri::detail::SingleAnswers::batch_size);
        for (std::size_t r = 0; r < rs->rules.size(); ++r) {
            const auto root = rs->rules[r].root;
            const auto m = single.masks(k, root, leaves.data(), eval);
            for (std::size_t h = first; h < last; ++h) {
                symtri::Case with = c;
                with.findings[static_cast<std::size_t>(answers[h].finding)] = answers[h].value;
                const symtri::Tri expect = symtri::detail::ConditionEval(*rs, with).eval(root);
                const std::uint64_t bit = std::uint64_t{1} << (h - first);
                const symtri::Tri got = (m.yes & bit) ? symtri::Tri::yes : (m.no & bit) ? symtri::Tri::no : symtri::Tri::unknown;
                INFO("rule " << rs->rules[r].id << ", answer " << h << " about " << rs->findings[static_cast<std::size_t>(answers[h].finding)].id);
                REQUIRE(got == expect);
                const symtri::Tri before = now.eval(root);
                seen.changed += expect != before;
                seen.true_to_false += before == symtri::Tri::yes && expect == symtri::Tri::no;
            }
        }
    }
    CHECK(batches == (answers.size() + 63) / 64);
}

}  // namespace

TEST_CASE("what one answer does, for hundreds of answers at once, is what evaluating with it gives (shipped rules)",
          "[interview][single_answers]") {
    auto rs = symtri::load_builtin_rules();
    Seen seen;
    for (const auto& text : test::shipped_answer_cases()) check_case(rs, text, 150, seen);
    CHECK(seen.changed > 100);  // the answers do change rules: the masks are not all "as before"
}

TEST_CASE("what one answer does: a true test turned false by an answer, under not and at_least", "[interview][single_answers]") {
    // `null` in a list holds while the case does not give the attribute: an answer can turn it false,
    // which a `not` turns true. at_least counts answers bit by bit.
    auto rs = test::rules("[" +
                          test::rule("n", "red_flag", R"({"not": {"finding": "a", "side": ["left", null]}})", "mid") + "," +
                          test::rule("al", "red_flag", R"({"at_least": 2, "of": [{"finding": "a", "onset": ["sudden", null]}, {"finding": "b"}, {"finding": "c", "severity": {">=": 4}}, {"not": {"finding": "d"}}]})", "high") + "," +
                          test::rule("mix", "red_flag", R"({"all": [{"finding": "a"}, {"any": [{"finding": "e", "side": "both"}, {"not": {"finding": "b", "present": false}}]}]})", "top") + "]");
    Seen seen;
    for (const auto& text : test::random_abcde_cases(3, 60)) check_case(rs, text, 70, seen);
    CHECK(seen.changed > 100);
    CHECK(seen.true_to_false > 0);  // an answer did turn a true rule false, and the masks said so
}
