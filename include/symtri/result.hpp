// Result: an Outcome written as the contract's result JSON (CONTRACT.md section 3).
//
// Written by hand from fragments the compiler pre-rendered, in a fixed key order, so the same case and
// rule set always give byte-identical output and writing costs little more than copying.
#pragma once

#include <string>
#include <vector>

#include "case.hpp"
#include "detail/flat_rules.hpp"
#include "evaluator.hpp"
#include "ruleset.hpp"

namespace symtri {

namespace detail {

// One fired rule's object (Compiled::rule_json), with the closing brace except for a caution: the
// pre-rendered text, and for a rule whose `because` depends on the case, the findings that made it true.
inline void write_rule_object(std::string& out, const RuleSet& rs, std::int32_t rule, std::size_t loc,
                              const detail::ConditionEval& ev, std::vector<std::int32_t>& scratch) {
    const auto& k = rs.compiled;
    const auto& j = k.json_of(static_cast<std::size_t>(rule), loc);
    const char* text = k.rule_json.data() + j.offset;
    if (j.because_at == Compiled::static_because) {
        out.append(text, j.size);
        return;
    }
    out.append(text, j.because_at);
    scratch.clear();
    ev.because(k.hot[static_cast<std::size_t>(rule)].root, scratch);
    write_findings(out, rs, scratch);
    out.append(text + j.because_at, j.size - j.because_at);
}

}  // namespace detail

// The result as one line of JSON (no trailing newline), appended to `out`.
inline void write_result(std::string& out, const RuleSet& rs, const Case& c, const Outcome& o) {
    const std::size_t loc = c.locale_index;
    const Level& level = rs.levels[static_cast<std::size_t>(o.level)];
    const auto& hot = rs.compiled.hot;
    auto kind_of = [&](std::int32_t r) { return hot[static_cast<std::size_t>(r)].kind; };
    detail::ConditionEval ev(rs, c);
    std::vector<std::int32_t> scratch;

    out += "{\"case_id\":";
    if (c.case_id) detail::append_quoted(out, *c.case_id);
    else out += "null";
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
    const std::string& action = level.action.get(loc);
    out += ",\"summary\":\"";
    detail::append_escaped(out, action);
    if (top) {
        const std::string& t = top->title.get(loc);
        detail::append_escaped(out, action.empty() || action.back() == '.' ? " Reason: " : ". Reason: ");
        detail::append_escaped(out, t);
        if (!t.empty() && t.back() != '.') out += '.';
    }
    out += '"';

    static const char* const sections[] = {",\"red_flags\":[", ",\"recommendations\":[", ",\"cautions\":[", ",\"info\":["};
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
            detail::write_rule_object(out, rs, ri, loc, ev, scratch);
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
    for (std::size_t i = 0; i < o.questions.size(); ++i) {
        const Question& q = o.questions[i];
        const Finding& f = rs.findings[static_cast<std::size_t>(q.finding)];
        if (i) out += ',';
        out += f.question_json[loc < f.question_json.size() ? loc : 0];  // {"finding":..,"prompt":..,"label":..,"could_raise_to":"
        out += rs.levels[static_cast<std::size_t>(q.level)].id;
        out += "\"}";
    }
    out += ']';
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
