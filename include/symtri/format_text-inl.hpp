// SPDX-License-Identifier: Apache-2.0
// format_text.hpp's definitions: included by format_text.hpp in the header-only mode, compiled once into
// symtri::lib (src/lib/format.cpp) otherwise (config.hpp).
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "detail/utf8.hpp"
#include "question_text.hpp"
#include "ruleset.hpp"
#include "format_text.hpp"

namespace symtri {

namespace detail {

class TextReport {
public:
    TextReport(const RuleSet& rs, const nlohmann::json& r, const TextReportOptions& o)
        : rs_(rs), r_(r), o_(o), loc_(rs.locale_index(o.locale)) {}

    std::string build() {
        const std::string level_id = str(r_, "level");
        int li = rs_.find_level(level_id);
        const Level* level = li >= 0 ? &rs_.levels[static_cast<std::size_t>(li)] : nullptr;

        std::string title = "symtri triage report";
        if (r_.contains("case_id") && r_["case_id"].is_string()) title += " - case " + r_["case_id"].get<std::string>();
        para(title, "", "");
        line(std::string(std::min<std::size_t>(detail::utf8_length(title), width_or(80)), '='));
        blank();

        std::string heading = "WHAT TO DO: " + (level ? level->label.get(loc_) : level_id);
        if (level && rs_.levels.size() > 1)
            heading += "  (level " + std::to_string(li + 1) + " of " + std::to_string(rs_.levels.size()) + ")";
        para(heading, "", "  ");
        para(level ? level->action.get(loc_) : str(r_, "summary"), "  ", "  ");
        blank();

        const auto& flags = arr("red_flags");
        if (flags.empty()) {
            line("WARNING SIGNS");
            para("None of the warning signs in this rule set matched your answers.", "  ", "  ");
        } else {
            line("WARNING SIGNS FOUND (" + std::to_string(flags.size()) + ")");
            for (const auto& f : flags) {
                std::string head = str(f, "title");
                std::string lv = str(f, "level");
                if (int k = rs_.find_level(lv); k >= 0) head += " -> " + rs_.levels[static_cast<std::size_t>(k)].label.get(loc_);
                para(head, "  ! ", "    ");
                rule_body(f);
            }
        }
        blank();

        section("ADVICE", arr("recommendations"), "  * ");
        section("CAUTIONS", arr("cautions"), "  ! ");
        section("MORE INFORMATION", arr("info"), "  i ");

        const auto& qs = arr("questions");
        if (!qs.empty()) {
            line("QUESTIONS STILL OPEN (" + std::to_string(qs.size()) + ")");
            para("Your answers to these could change the advice. If you can, answer them and check again:", "  ", "  ");
            std::size_t shown = o_.max_questions ? std::min(o_.max_questions, qs.size()) : qs.size();
            for (std::size_t i = 0; i < shown; ++i) {
                const auto& q = qs[i];
                std::string text = str(q, "prompt");
                std::string choices = question_choices_text(q);
                if (!choices.empty()) text += " (" + choices + ")";
                text += " [" + question_label_text(rs_, q, li, loc_) + "]";
                para(text, "  ? ", "    ");
            }
            if (shown < qs.size())
                para("... and " + std::to_string(qs.size() - shown) + " more (the JSON result lists them all).", "  ", "  ");
            para("Next question: " + str(qs[0], "prompt"), "  ", "  ");
            blank();
        }
        const auto& unsure = arr("unsure");
        if (!unsure.empty()) {
            std::string u = "Not answered (you were unsure): ";
            for (std::size_t i = 0; i < unsure.size(); ++i) {
                std::string id = unsure[i].is_string() ? unsure[i].get<std::string>() : std::string("?");
                auto dot = id.find('.');
                std::string text = finding_label(dot == std::string::npos ? id : id.substr(0, dot));
                if (dot != std::string::npos) {
                    std::string attr = id.substr(dot + 1);
                    for (auto& ch : attr)
                        if (ch == '_') ch = ' ';
                    text += " (" + attr + ")";
                }
                u += (i ? ", " : "") + text;
            }
            para(u + ".", "  ", "  ");
            blank();
        }

        std::string worse = str(r_, "if_worse");
        if (worse.empty() && level) worse = level->worse.get(loc_);
        if (!worse.empty()) {
            line("IF IT GETS WORSE");
            para(worse, "  ", "  ");
            blank();
        }

        line("PLEASE NOTE");
        para(str(r_, "disclaimer"), "  ", "  ");
        std::string about = "Rule set: ";
        if (r_.contains("ruleset") && r_["ruleset"].is_object()) {
            const auto& rsj = r_["ruleset"];
            about += str(rsj, "id") + " " + str(rsj, "version");
            std::string digest = str(rsj, "digest");
            if (!digest.empty()) about += " (" + digest.substr(0, std::min<std::size_t>(digest.size(), 19)) + ")";
        } else {
            about += rs_.info.id + " " + rs_.info.version;
        }
        if (r_.contains("engine") && r_["engine"].is_object()) about += "; engine " + str(r_["engine"], "version");
        about += ".";
        para(about, "  ", "  ");
        if (!rs_.info.validation.empty()) {
            std::string v = "Validation: " + rs_.info.validation;
            if (rs_.info.validation == "research") v += " (not for use with patients)";
            para(v + ".", "  ", "  ");
        }
        return out_;
    }

private:
    const RuleSet& rs_;
    const nlohmann::json& r_;
    const TextReportOptions& o_;
    std::size_t loc_;
    std::string out_;

    static std::string str(const nlohmann::json& j, const char* key) {
        auto it = j.find(key);
        return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
    }
    const nlohmann::json& arr(const char* key) const {
        static const nlohmann::json empty = nlohmann::json::array();
        auto it = r_.find(key);
        return it != r_.end() && it->is_array() ? *it : empty;
    }
    std::size_t width_or(std::size_t dflt) const { return o_.width ? o_.width : dflt; }

    void line(const std::string& s) {
        out_ += s;
        out_ += '\n';
    }
    void blank() {
        if (out_.size() >= 2 && out_.compare(out_.size() - 2, 2, "\n\n") == 0) return;
        out_ += '\n';
    }
    // Text wrapped to the width: the first line starts with `first`, the others with `rest`.
    void para(const std::string& text, const std::string& first, const std::string& rest) {
        std::size_t indent = detail::utf8_length(first);
        std::size_t w = o_.width ? (o_.width > indent + 20 ? o_.width - indent : 20) : 0;
        auto lines = detail::utf8_wrap(text, w);
        if (lines.empty()) lines.emplace_back();
        for (std::size_t i = 0; i < lines.size(); ++i) line((i ? rest : first) + lines[i]);
    }

    std::string finding_label(const std::string& id) const {
        int f = rs_.find_finding(id);
        if (f < 0) return id;
        std::string l = rs_.findings[static_cast<std::size_t>(f)].label.get(loc_);
        // "Sciatica: pain spreading..." reads better in a list as "Sciatica"; lower-case a leading capital
        // only when the second letter is lower case, so "ICD" or "A&E" stay as written.
        auto colon = l.find(':');
        if (colon != std::string::npos && colon > 0) l = l.substr(0, colon);
        if (l.size() > 1 && l[0] >= 'A' && l[0] <= 'Z' && l[1] >= 'a' && l[1] <= 'z') l[0] = static_cast<char>(l[0] - 'A' + 'a');
        return l;
    }

    std::string rule_title(const std::string& id) const {
        int k = rs_.find_rule(id);
        return k >= 0 ? rs_.rules[static_cast<std::size_t>(k)].title.get(loc_) : id;
    }

    void rule_body(const nlohmann::json& f) {
        para(str(f, "advice"), "    ", "    ");
        if (f.contains("because") && f["because"].is_array() && !f["because"].empty()) {
            std::string b = "Because you said: ";
            for (std::size_t i = 0; i < f["because"].size(); ++i) {
                if (i) b += i + 1 == f["because"].size() ? " and " : ", ";
                b += f["because"][i].is_string() ? finding_label(f["because"][i].get<std::string>()) : std::string("?");
            }
            para(b + ".", "    ", "      ");
        }
        if (f.contains("blocks") && f["blocks"].is_array() && !f["blocks"].empty()) {
            std::string b = "So this report leaves out: ";
            for (std::size_t i = 0; i < f["blocks"].size(); ++i) {
                if (i) b += "; ";
                b += f["blocks"][i].is_string() ? rule_title(f["blocks"][i].get<std::string>()) : std::string("?");
            }
            para(b + ".", "    ", "      ");
        }
        if (f.contains("citations") && f["citations"].is_array())
            for (const auto& c : f["citations"]) para("Source: " + str(c, "title") + " <" + str(c, "url") + ">", "    ", "      ");
    }

    void section(const char* name, const nlohmann::json& items, const char* mark) {
        if (items.empty()) return;
        para(std::string(name) + " (" + std::to_string(items.size()) + ")", "", "  ");
        for (const auto& f : items) {
            para(str(f, "title"), mark, "    ");
            rule_body(f);
        }
        blank();
    }
};

}  // namespace detail

// The plain-language report of `result` (a result JSON object made with the rule set `rs`).
// Tolerates missing keys (prints less); never throws for a result the engine wrote.
SYMTRI_FUNC std::string format_text(const RuleSet& rs, const nlohmann::json& result, const TextReportOptions& options) {
    return detail::TextReport(rs, result, options).build();
}

}  // namespace symtri
