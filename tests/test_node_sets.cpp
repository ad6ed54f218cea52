// SPDX-License-Identifier: Apache-2.0
// detail::NodeSets (the dense path's one pass that gives every unanswered finding's if_yes and each
// attribute answer's level) against its definition: the level of the case evaluated again with that
// one answer (ConditionEval, the reference logic), for every answer, on the shipped rule set and on
// rules where an attribute answer turns a known test (`null` in a list: true while not given) false,
// under `not` and at_least, and where that changes a known node above it.
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <symtri/symtri.hpp>

#include "support.hpp"

namespace {

// The highest level of a rule that is true for `c`, and of those above `above` (or `above`).
std::int32_t level_of(const symtri::RuleSet& rs, const symtri::Case& c, std::int32_t above) {
    const symtri::detail::ConditionEval ev(rs, c);
    std::int32_t level = above;
    for (const auto& fr : rs.compiled.flat)
        if (fr.level > level && ev.eval(rs.compiled.hot[static_cast<std::size_t>(fr.rule)].root) == symtri::Tri::yes) level = fr.level;
    return level;
}

struct Counts {
    std::size_t answers = 0, raised = 0;  // answers checked, and those that raised the level
};

void check_case(const symtri::RuleSetPtr& rs, const std::string& text, Counts& counts) {
    symtri::Case c;
    symtri::CaseError err;
    REQUIRE(symtri::parse_case(*rs, text, c, err));
    const auto& k = rs->compiled;
    // The value slots as the dense path has them: leaves, then one per node.
    std::vector<std::uint8_t> slots(k.leaf_node.size() + k.nodes.size());
    for (std::size_t l = 0; l < k.leaf_node.size(); ++l) {
        const auto& n = k.nodes[k.leaf_node[l]];
        slots[l] = static_cast<std::uint8_t>(symtri::detail::leaf_value(k, n, c.findings[static_cast<std::size_t>(n.finding)]));
    }
    const symtri::detail::ConditionEval now(*rs, c);
    for (std::uint32_t id = 0; id < k.nodes.size(); ++id) slots[k.leaf_node.size() + id] = static_cast<std::uint8_t>(now.eval(id));
    const std::int32_t level = level_of(*rs, c, 0);

    // Every attribute answer for each present finding: each value of each attribute.
    struct Tried {
        std::int32_t finding, bit;
        symtri::FindingValue answer;
    };
    std::vector<Tried> tried;
    symtri::detail::NodeSets sets;
    sets.begin(rs->findings.size());
    for (std::size_t f = 0; f < rs->findings.size(); ++f) {
        const symtri::FindingValue& given = c.findings[f];
        if (given.presence != symtri::Presence::present) continue;
        auto with = [&](auto&& set) {
            symtri::FindingValue v = given;
            set(v);
            const std::int32_t bit = sets.add(static_cast<std::int32_t>(f), v);
            if (bit >= 0) tried.push_back(Tried{static_cast<std::int32_t>(f), bit, v});
        };
        for (std::int8_t s = 0; s < 3; ++s) with([s](symtri::FindingValue& v) { v.side = s; });
        for (std::int8_t s = 0; s < 2; ++s) with([s](symtri::FindingValue& v) { v.onset = s; });
        for (std::int8_t s = 0; s <= 10; s += 5) with([s](symtri::FindingValue& v) { v.severity = s; });
        for (double d : {0.0, 10.0, 42.0}) with([d](symtri::FindingValue& v) { v.duration_days = d; });
        for (std::int8_t b = 0; b < 2; ++b) with([b](symtri::FindingValue& v) { v.at_night = b; });
    }
    std::uint64_t answered = 0;  // as Evaluator::evaluate_all_nodes gives them
    for (auto f : c.answered)
        if (c.findings[static_cast<std::size_t>(f)].presence != symtri::Presence::unknown) answered |= symtri::detail::finding_bit(f);
    sets.run(k, c, slots.data(), answered, level, rs->levels.size());

    auto expect = [&](std::int32_t f, const symtri::FindingValue& answer) {
        symtri::Case with = c;
        with.findings[static_cast<std::size_t>(f)] = answer;
        return level_of(*rs, with, level);
    };
    for (std::size_t f = 0; f < rs->findings.size(); ++f) {
        if (c.findings[f].presence != symtri::Presence::unknown) continue;
        symtri::FindingValue yes = c.findings[f];
        yes.presence = symtri::Presence::present;
        const std::int32_t want = expect(static_cast<std::int32_t>(f), yes);
        INFO("case " << text << ", " << rs->findings[f].id << " answered present");
        CHECK(sets.if_yes(static_cast<std::int32_t>(f)) == want);
        ++counts.answers;
        counts.raised += want > level;
    }
    for (const auto& t : tried) {
        const std::int32_t want = expect(t.finding, t.answer);
        INFO("case " << text << ", an attribute answer of " << rs->findings[static_cast<std::size_t>(t.finding)].id << " (bit " << t.bit << ")");
        CHECK(sets.if_yes(t.bit) == want);
        ++counts.answers;
        counts.raised += want > level;
    }
}

}  // namespace

TEST_CASE("the node sets give each answer's level as evaluating the case with it does (shipped rules)", "[interview][node_sets]") {
    auto rs = symtri::load_builtin_rules();
    Counts counts;
    for (const auto& text : test::shipped_answer_cases()) check_case(rs, text, counts);
    CHECK(counts.raised > 50);  // answers do raise the level: the sets are not all "as before"
}

TEST_CASE("the node sets: an attribute answer that turns a known test false, under not and at_least", "[interview][node_sets]") {
    // `null` in a list holds while the case does not give the attribute: an answer can turn it false,
    // and with it a known node above it ("flip": a true `all` under a `not`), which a `not` turns true.
    auto rs = test::rules("[" +
                          test::rule("n", "red_flag", R"({"not": {"finding": "a", "side": ["left", null]}})", "mid") + "," +
                          test::rule("al", "red_flag", R"({"at_least": 2, "of": [{"finding": "a", "onset": ["sudden", null]}, {"finding": "b"}, {"finding": "c", "severity": {">=": 4}}, {"not": {"finding": "d"}}]})", "high") + "," +
                          test::rule("flip", "red_flag", R"({"not": {"all": [{"finding": "a", "side": ["left", null]}, {"finding": "c"}]}})", "top") + "," +
                          test::rule("al2", "red_flag", R"({"at_least": 2, "of": [{"finding": "a", "onset": ["sudden", null]}, {"finding": "a", "onset": "gradual"}, {"finding": "c", "severity": {">=": 4}}, {"not": {"finding": "d"}}]})", "top") + "," +
                          test::rule("mix", "red_flag", R"({"all": [{"finding": "a"}, {"any": [{"finding": "e", "side": "both"}, {"not": {"finding": "b", "present": false}}]}]})", "top") + "]");
    Counts counts;
    for (const auto& text : test::random_abcde_cases(5, 80)) check_case(rs, text, counts);
    // "flip" on its own: a present without a side and c make the `all` true and "flip" false, and no
    // rule is true; the answer side = right makes "n" (mid) and "flip" (top) true, which only working
    // out the known leaf and the known `all` again shows.
    Counts flip;
    check_case(rs, R"({"findings": {"a": true, "b": false, "c": true, "d": true, "e": false}})", flip);
    CHECK(flip.raised > 0);
    // "al2" on its own: onset = gradual turns its first test false and its second true: one true test,
    // and c still unknown, so it does not fire (as it would if the first stayed true).
    check_case(rs, R"({"findings": {"a": true, "b": false, "c": true, "d": true, "e": false}})", flip);
    CHECK(counts.raised > 20);
}
