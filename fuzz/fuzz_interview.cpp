// SPDX-License-Identifier: Apache-2.0
// Fuzzes the interview a result describes (docs/case-and-result.md, "Questions and the interview"), on
// the shipped rule set. For any case the engine accepts, the promises a person relies on hold:
//
//   - interview.next is the first question, and complete is true exactly when there is none;
//   - nothing the case answered, or listed as unsure, is asked again;
//   - if_yes is exact: the case with that one finding answered present triages to that level, never
//     below the case's own level;
//   - an attribute question's if_answer is exact: each choice it lists gives that level, and every other
//     value of the attribute leaves the level as it is; for numbers (duration, severity) no value gives
//     more than the question's best single answer;
//   - a level never goes down when a question is answered "yes".
//
// The hypothetical cases are built as Case values and evaluated by a second Evaluator, so the check does
// not go through the planner it checks. Input: any bytes, read as a case.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include <symtri/symtri.hpp>

#include "fuzz_common.hpp"

namespace {

const symtri::RuleSetPtr& rules() {
    static const symtri::RuleSetPtr rs = symtri::load_builtin_rules();
    return rs;
}

// The level of `c` with finding f's answer replaced by `v`.
std::int32_t level_with(symtri::Evaluator& ev, const symtri::Case& c, std::int32_t f, const symtri::FindingValue& v) {
    symtri::Case h = c;
    h.set(f, symtri::Presence::present, v);
    symtri::Outcome o;
    ev.evaluate(h, o);
    return o.level;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using symtri::Attr;
    static symtri::Session session(rules());
    static symtri::Evaluator check(rules());
    std::string_view text(reinterpret_cast<const char*>(data), size);
    std::string result;
    symtri::CaseError err;
    if (!session.triage(text, result, err)) return 0;
    const symtri::RuleSet& rs = *rules();
    const symtri::Case& c = session.last_case();
    const symtri::Outcome& o = session.last_outcome();
    auto j = fuzz::must_parse(result, "result");

    const auto& questions = j["questions"];
    FUZZ_CHECK(j["interview"]["complete"].get<bool>() == questions.empty(), "complete exactly when nothing is left to ask");
    FUZZ_CHECK(questions.empty() ? j["interview"]["next"].is_null() : j["interview"]["next"] == questions[0],
               "next is the first question");
    FUZZ_CHECK(questions.size() == o.questions.size(), "the result lists the planner's questions");

    for (const symtri::Question& q : o.questions) {
        const symtri::FindingValue& given = c.findings[static_cast<std::size_t>(q.finding)];
        if (q.attr < 0) {
            FUZZ_CHECK(given.presence == symtri::Presence::unknown, "an answered finding is never asked");
            FUZZ_CHECK(!(given.unsure & symtri::FindingValue::unsure_finding), "an unsure finding is never asked");
            FUZZ_CHECK(q.if_yes >= o.level, "a yes never lowers the level");
            symtri::FindingValue yes = given;
            FUZZ_CHECK(level_with(check, c, q.finding, yes) == q.if_yes, "if_yes is the level of that one yes");
            continue;
        }
        FUZZ_CHECK(given.presence == symtri::Presence::present, "attributes are asked of present findings");
        FUZZ_CHECK(!symtri::attribute_given(given, static_cast<Attr>(q.attr)), "a given attribute is never asked");
        FUZZ_CHECK(!(given.unsure & (1u << static_cast<unsigned>(q.attr))), "an unsure attribute is never asked");
        // The listed choices and their levels; every other value must leave the level alone.
        auto listed = [&](std::int32_t value) -> std::int32_t {
            for (std::uint32_t i = 0; i < q.answers_count; ++i)
                if (o.answers[q.answers_first + i].value == value) return o.answers[q.answers_first + i].level;
            return o.level;
        };
        auto try_enum = [&](std::int32_t values, auto&& set) {
            for (std::int32_t v = 0; v < values; ++v) {
                symtri::FindingValue h = given;
                set(h, v);
                FUZZ_CHECK(level_with(check, c, q.finding, h) == listed(v), "if_answer is the level of that answer");
            }
        };
        switch (static_cast<Attr>(q.attr)) {
            case Attr::side: try_enum(static_cast<std::int32_t>(symtri::side_names.size()), [](auto& h, auto v) { h.side = static_cast<std::int8_t>(v); }); break;
            case Attr::onset: try_enum(static_cast<std::int32_t>(symtri::onset_names.size()), [](auto& h, auto v) { h.onset = static_cast<std::int8_t>(v); }); break;
            case Attr::trend: try_enum(static_cast<std::int32_t>(symtri::trend_names.size()), [](auto& h, auto v) { h.trend = static_cast<std::int8_t>(v); }); break;
            case Attr::at_night: try_enum(2, [](auto& h, auto v) { h.at_night = static_cast<std::int8_t>(v); }); break;
            case Attr::constant: try_enum(2, [](auto& h, auto v) { h.constant = static_cast<std::int8_t>(v); }); break;
            case Attr::sites: try_enum(static_cast<std::int32_t>(symtri::site_names.size()), [](auto& h, auto v) { h.sites = 1u << v; }); break;
            case Attr::character:
                for (std::size_t ch = 0; ch < rs.characters.size(); ++ch) {
                    symtri::FindingValue h = given;
                    h.character = static_cast<std::int32_t>(ch);
                    FUZZ_CHECK(level_with(check, c, q.finding, h) == listed(static_cast<std::int32_t>(ch)), "if_answer is the level of that character");
                }
                break;
            case Attr::severity:
            case Attr::duration_days: {
                std::int32_t best = o.level;
                const bool sev = static_cast<Attr>(q.attr) == Attr::severity;
                for (double d : {0.0, 1.0, 2.0, 3.0, 5.0, 6.0, 7.0, 8.0, 10.0, 14.0, 21.0, 28.0, 42.0, 56.0, 84.0, 90.0, 91.0, 180.0, 365.0, 1000.0}) {
                    if (sev && d > 10) break;
                    symtri::FindingValue h = given;
                    if (sev) h.severity = static_cast<std::int8_t>(d);
                    else h.duration_days = d;
                    const std::int32_t l = level_with(check, c, q.finding, h);
                    FUZZ_CHECK(l >= o.level, "an answer never lowers the level");
                    best = std::max(best, l);
                }
                FUZZ_CHECK(best <= q.single, "no number gives more than the question's best single answer");
                break;
            }
        }
    }
    return 0;
}
