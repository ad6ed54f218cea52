// SPDX-License-Identifier: Apache-2.0
// Result: an Outcome written as the contract's result JSON (CONTRACT.md section 3).
//
// Written by hand from fragments the compiler pre-rendered, in a fixed key order, so the same case and
// rule set always give byte-identical output and writing costs little more than copying.
#pragma once

#include <string>
#include <vector>

#include "case.hpp"
#include "detail/appender.hpp"
#include "detail/flat_rules.hpp"
#include "detail/inline_hints.hpp"
#include "evaluator.hpp"
#include "ruleset.hpp"

namespace symtri {

namespace detail {

// `because` for an Outcome made without the evaluator's kept lists: worked out again from the case.
// Out of line: it is the rare path, and inlined it made GCC stop inlining write_rule_object.
SYMTRI_COLD inline void because_again(const RuleSet& rs, const Case& c, std::int32_t rule, std::vector<std::int32_t>& out) {
    ConditionEval(rs, c).because(rs.compiled.hot[static_cast<std::size_t>(rule)].root, out);
}

// One fired rule's object (Compiled::rule_json), with the closing brace except for a caution: the
// pre-rendered text, and for a rule whose `because` depends on the case, the findings that made it true
// (Outcome::because, found by the evaluator; worked out here only for an Outcome made some other way).
inline void write_rule_object(Appender& out, const RuleSet& rs, const Case& c, const Outcome& o, std::int32_t rule,
                              std::size_t loc, std::vector<std::int32_t>& scratch) {
    const auto& k = rs.compiled;
    const auto& j = k.json_of(static_cast<std::size_t>(rule), loc);
    const char* text = k.rule_json.data() + j.offset;
    if (j.because_at == Compiled::static_because) {
        out.append(text, j.size);
        return;
    }
    out.append(text, j.because_at);
    scratch.clear();
    auto kept = std::find_if(o.because_of.begin(), o.because_of.end(), [rule](const BecauseRef& b) { return b.rule == rule; });
    if (kept != o.because_of.end()) {
        scratch.assign(o.because.begin() + kept->first, o.because.begin() + kept->first + kept->count);
    } else {
        because_again(rs, c, rule, scratch);
    }
    write_findings(out, rs, scratch);
    out.append(text + j.because_at, j.size - j.because_at);
}

// One question object: the pre-rendered head (detail/question_json.hpp), then what this case adds:
// its levels, and for an attribute question the choices that alone would raise the level.
inline void write_question(Appender& out, const RuleSet& rs, const Outcome& o, const Question& q, std::size_t loc) {
    const Finding& f = rs.findings[static_cast<std::size_t>(q.finding)];
    auto level = [&](std::int32_t l) -> const Level& { return rs.levels[static_cast<std::size_t>(l)]; };
    auto level_id = [&](std::int32_t l) -> const std::string& { return level(l).id; };
    if (q.attr < 0) {
        out += f.question_json[loc < f.question_json.size() ? loc : 0];  // ...,"could_raise_to":"
        const auto& tails = level(q.level).question_tail_json;
        if (!tails.empty()) out += tails[2 * static_cast<std::size_t>(q.if_yes) + q.screening];
        else append_question_tail(out, level(q.level), level(q.if_yes), q.screening);  // many levels
        return;
    }
    out += f.attribute_json(loc, static_cast<std::size_t>(q.attr));  // ...,"choices":[..],"could_raise_to":"
    out += level_id(q.level);
    out += '"';
    if (q.answers_count) {
        out += ",\"if_answer\":{";
        for (std::uint32_t i = 0; i < q.answers_count; ++i) {
            const AnswerLevel& a = o.answers[q.answers_first + i];
            if (i) out += ',';
            out += '"';
            switch (static_cast<Attr>(q.attr)) {
                case Attr::side: out += side_names[static_cast<std::size_t>(a.value)]; break;
                case Attr::onset: out += onset_names[static_cast<std::size_t>(a.value)]; break;
                case Attr::trend: out += trend_names[static_cast<std::size_t>(a.value)]; break;
                case Attr::sites: out += site_names[static_cast<std::size_t>(a.value)]; break;
                case Attr::at_night:
                case Attr::constant: out += std::string_view(a.value ? "true" : "false"); break;
                case Attr::character: out += rs.characters[static_cast<std::size_t>(a.value)]; break;
                default: break;
            }
            out += "\":\"";
            out += level_id(a.level);
            out += '"';
        }
        out += '}';
    }
    out += '}';
}

}  // namespace detail

// The result as one line of JSON (no trailing newline), appended to `out`.
inline void write_result(std::string& result, const RuleSet& rs, const Case& c, const Outcome& o) {
    detail::Appender out(result);
    const std::size_t loc = c.locale_index;
    const Level& level = rs.levels[static_cast<std::size_t>(o.level)];
    const auto& hot = rs.compiled.hot;
    auto kind_of = [&](std::int32_t r) { return hot[static_cast<std::size_t>(r)].kind; };
    std::vector<std::int32_t> scratch;

    out += "{\"case_id\":";
    if (c.case_id) {
        std::string quoted;
        detail::append_quoted(quoted, *c.case_id);
        out += quoted;
    } else {
        out += "null";
    }
    out += ",\"level\":\"";
    out += level.id;
    out += "\",\"level_rank\":";
    out += std::to_string(o.level);

    // The evaluator lists fired rules in result order, so kind by kind: then each section is one run
    // of the list. (Any other order is written section by section, as it comes.)
    bool grouped = true;
    for (std::size_t i = 1; i < o.fired.size() && grouped; ++i) grouped = kind_of(o.fired[i - 1]) <= kind_of(o.fired[i]);

    // Summary: the level's action, and the most urgent reason when a red flag fired.
    const Rule* top = nullptr;
    for (auto r : o.fired) {
        if (kind_of(r) == RuleKind::red_flag) { top = &rs.rules[static_cast<std::size_t>(r)]; break; }
        if (grouped) break;
    }
    const std::size_t sloc = loc < level.summary_json.size() ? loc : 0;  // pre-rendered (detail/flat_rules.hpp)
    out += ",\"summary\":\"";
    if (top) {
        out += level.summary_reason_json[sloc];
        out += top->reason_json[sloc < top->reason_json.size() ? sloc : 0];
    } else {
        out += level.summary_json[sloc];
    }
    out += '"';

    static const std::string_view sections[] = {",\"red_flags\":[", ",\"recommendations\":[", ",\"cautions\":[", ",\"info\":["};
    std::size_t at = 0;  // grouped: where the next section's run starts
    for (int kind = 0; kind < 4; ++kind) {
        out += sections[kind];
        bool first = true;
        for (std::size_t i = grouped ? at : 0; i < o.fired.size(); ++i) {
            auto ri = o.fired[i];
            auto rk = kind_of(ri);
            if (static_cast<int>(rk) != kind) {
                if (grouped) break;
                continue;
            }
            at = i + 1;
            if (rk == RuleKind::recommendation && o.is_blocked(ri)) continue;
            if (!first) out += ',';
            first = false;
            detail::write_rule_object(out, rs, c, o, ri, loc, scratch);
            if (rk == RuleKind::caution) {
                out += ",\"blocks\":[";
                bool bf = true;
                for (const auto& b : o.blocks) {
                    if (b.first != ri) continue;
                    if (!bf) out += ',';
                    bf = false;
                    out += rs.rules[static_cast<std::size_t>(b.second)].quoted_id;
                }
                out += "]}";
            }
        }
        out += ']';
    }

    out += ",\"questions\":[";
    std::size_t first_at = out.size(), first_end = out.size();  // the first question, copied as interview.next
    for (std::size_t i = 0; i < o.questions.size(); ++i) {
        if (i) out += ',';
        detail::write_question(out, rs, o, o.questions[i], loc);
        if (i == 0) first_end = out.size();
    }
    out += "],\"interview\":{\"next\":";
    if (o.questions.empty()) out += "null,\"complete\":true";
    else {
        out.append_own(first_at, first_end - first_at);
        out += ",\"complete\":false";
    }
    if (o.needs_patient) {
        out += ",\"needs_patient\":[";
        if (o.needs_patient & 1u) out += "\"age\"";
        if (o.needs_patient == 3u) out += ',';
        if (o.needs_patient & 2u) out += "\"sex\"";
        out += ']';
    }
    out += "},\"other_questions\":";
    out += std::to_string(o.other_questions);
    if (!o.others.empty()) {
        out += ",\"other_question_list\":[";
        for (std::size_t i = 0; i < o.others.size(); ++i) {
            if (i) out += ',';
            detail::write_question(out, rs, o, o.others[i], loc);
        }
        out += ']';
    }
    if (!c.unsure.empty()) {
        out += ",\"unsure\":[";
        for (std::size_t i = 0; i < c.unsure.size(); ++i) {
            if (i) out += ',';
            out += '"';
            out += rs.findings[static_cast<std::size_t>(c.unsure[i].first)].id;
            if (c.unsure[i].second >= 0) {
                out += '.';
                out += attr_names[static_cast<std::size_t>(c.unsure[i].second)];
            }
            out += '"';
        }
        out += ']';
    }
    out += ",\"if_worse\":";
    out += level.worse_json[loc < level.worse_json.size() ? loc : 0];
    out += rs.result_tail[loc < rs.result_tail.size() ? loc : 0];
}

inline std::string result_json(const RuleSet& rs, const Case& c, const Outcome& o) {
    std::string out;
    out.reserve(2048);
    write_result(out, rs, c, o);
    return out;
}

// The error line `symtri batch` writes for a rejected case (CONTRACT.md section 4).
inline std::string case_error_json(const nlohmann::json& case_id, std::size_t line, const CaseError& e) {
    std::string out = "{\"case_id\":";
    out += case_id.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (line) out += ",\"line\":" + std::to_string(line);
    out += ",\"error\":{\"code\":" + detail::quote(e.code) + ",\"message\":" + detail::quote(e.message) +
           ",\"path\":" + detail::quote(e.path);
    if (e.line) out += ",\"line\":" + std::to_string(e.line) + ",\"column\":" + std::to_string(e.column);
    out += "}}";
    return out;
}

}  // namespace symtri
