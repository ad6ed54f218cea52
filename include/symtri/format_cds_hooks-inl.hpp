// SPDX-License-Identifier: Apache-2.0
// format_cds_hooks.hpp's definitions: included by format_cds_hooks.hpp in the header-only mode, compiled
// once into symtri::lib (src/lib/format.cpp) otherwise (config.hpp).
#pragma once

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "detail/markdown.hpp"
#include "detail/sha256.hpp"
#include "detail/utf8.hpp"
#include "question_text.hpp"
#include "ruleset.hpp"
#include "format_cds_hooks.hpp"

namespace symtri {

namespace detail {

// A URL made safe for a Markdown link target <...>: spaces and angle brackets percent-encoded.
inline std::string markdown_url(const std::string& url) {
    std::string out;
    for (char c : url) {
        if (c == ' ') out += "%20";
        else if (c == '<') out += "%3C";
        else if (c == '>') out += "%3E";
        else out += c;
    }
    return out;
}

// A UUID-shaped id from a hash of `key` (RFC 9562 version 8: name-based, our own hash).
inline std::string card_uuid(const std::string& key) {
    std::string h = sha256_hex(key);  // 64 hex digits
    h[12] = '8';
    static const char variant[] = "89ab";
    h[16] = variant[(h[16] >= 'a' ? h[16] - 'a' + 10 : h[16] - '0') & 3];
    return h.substr(0, 8) + '-' + h.substr(8, 4) + '-' + h.substr(12, 4) + '-' + h.substr(16, 4) + '-' + h.substr(20, 12);
}

class CdsCards {
public:
    using ojson = nlohmann::ordered_json;

    CdsCards(const RuleSet& rs, const nlohmann::json& r, const CdsHooksOptions& o)
        : rs_(rs), r_(r), o_(o), loc_(rs.locale_index(o.locale)) {
        std::string digest;
        if (r.contains("ruleset") && r["ruleset"].is_object()) digest = str(r["ruleset"], "digest");
        if (digest.empty()) digest = rs.info.digest;
        uuid_base_ = digest + '\n' + (r.contains("case_id") ? r["case_id"].dump() : std::string("null")) + '\n';
    }

    ojson build() {
        ojson cards = ojson::array();
        cards.push_back(summary_card());
        if (o_.rule_cards) {
            for (const char* section : {"red_flags", "cautions", "recommendations", "info"})
                for (const auto& f : arr(r_, section)) cards.push_back(rule_card(section, f));
        }
        ojson response = ojson::object();
        response["cards"] = std::move(cards);
        return response;
    }

private:
    const RuleSet& rs_;
    const nlohmann::json& r_;
    const CdsHooksOptions& o_;
    std::size_t loc_;
    std::string uuid_base_;

    static std::string str(const nlohmann::json& j, const char* key) {
        auto it = j.find(key);
        return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
    }
    static const nlohmann::json& arr(const nlohmann::json& j, const char* key) {
        static const nlohmann::json empty = nlohmann::json::array();
        auto it = j.find(key);
        return it != j.end() && it->is_array() ? *it : empty;
    }

    const Level* level(const std::string& id) const {
        int k = rs_.find_level(id);
        return k >= 0 ? &rs_.levels[static_cast<std::size_t>(k)] : nullptr;
    }
    std::string level_label(const std::string& id) const {
        const Level* l = level(id);
        return l ? l->label.get(loc_) : id;
    }
    std::string indicator_of(const std::string& level_id, const char* dflt = "info") const {
        const Level* l = level(level_id);
        return l && !l->indicator.empty() ? l->indicator : std::string(dflt);
    }
    std::string finding_label(const std::string& id) const {
        int f = rs_.find_finding(id);
        return f >= 0 ? rs_.findings[static_cast<std::size_t>(f)].label.get(loc_) : id;
    }
    std::string rule_title(const std::string& id) const {
        int k = rs_.find_rule(id);
        return k >= 0 ? rs_.rules[static_cast<std::size_t>(k)].title.get(loc_) : id;
    }
    // "symtri: Neuromuscular symptom triage 0.1.0": the title up to its first colon, if that leaves enough.
    std::string ruleset_label() const {
        std::string title = rs_.info.title.get(loc_);
        auto colon = title.find(':');
        if (colon != std::string::npos && colon >= 10) title.resize(colon);
        return utf8_shorten("symtri: " + title + " " + rs_.info.version, 100);
    }

    std::string footer() const {
        std::string md = "\n\n---\n\n*" + markdown_escape(str(r_, "disclaimer")) + "*\n\nRule set `" + rs_.info.id + "` " +
                         markdown_escape(rs_.info.version);
        if (!rs_.info.validation.empty()) md += " (validation: " + rs_.info.validation + ")";
        md += ", engine symtri ";
        md += r_.contains("engine") && r_["engine"].is_object() ? str(r_["engine"], "version") : std::string("?");
        md += '.';
        return md;
    }

    ojson summary_card() const {
        const std::string level_id = str(r_, "level");
        const Level* lv = level(level_id);
        const auto& flags = arr(r_, "red_flags");
        std::string reason = flags.empty() ? (lv ? lv->action.get(loc_) : str(r_, "summary")) : str(flags[0], "title");
        ojson card = ojson::object();
        card["uuid"] = card_uuid(uuid_base_ + "summary");
        if (o_.clinician)
            card["summary"] = utf8_shorten("Triage level: " + level_label(level_id) +
                                               (flags.empty() ? std::string() : "; red flag: " + str(flags[0], "title")),
                                           cds_hooks_summary_max);
        else card["summary"] = utf8_shorten(level_label(level_id) + ": " + reason, cds_hooks_summary_max);
        card["indicator"] = indicator_of(level_id);
        if (o_.clinician) return clinician_summary_card(std::move(card), lv, flags);

        std::string md = "**" + markdown_escape(lv ? lv->action.get(loc_) : str(r_, "summary")) + "**";
        if (!flags.empty()) {
            md += "\n\nWarning signs found:\n";
            for (const auto& f : flags) {
                md += "\n- **" + markdown_escape(str(f, "title")) + "** (" + markdown_escape(level_label(str(f, "level"))) + ")";
                std::string because = because_text(f);
                if (!because.empty()) md += ": " + because;
            }
        }
        const auto& qs = arr(r_, "questions");
        if (!qs.empty()) {
            md += "\n\nStill worth asking, in this order (the answer could raise the level):\n";
            std::size_t shown = o_.max_questions ? std::min(o_.max_questions, qs.size()) : qs.size();
            const int rank = rs_.find_level(level_id);
            for (std::size_t i = 0; i < shown; ++i) {
                md += "\n- " + markdown_escape(str(qs[i], "prompt"));
                std::string choices = question_choices_text(qs[i]);
                if (!choices.empty()) md += " (" + markdown_escape(choices) + ")";
                md += " (*" + markdown_escape(question_label_text(rs_, qs[i], rank, loc_)) + "*)";
            }
            if (shown < qs.size()) md += "\n- ... and " + std::to_string(qs.size() - shown) + " more questions";
            md += "\n\nNext question: " + markdown_escape(str(qs[0], "prompt"));
        }
        const auto& unsure = arr(r_, "unsure");
        if (!unsure.empty()) {
            md += "\n\nNot answered (unsure): ";
            for (std::size_t i = 0; i < unsure.size(); ++i)
                md += (i ? ", " : "") + markdown_escape(unsure[i].is_string() ? unsure[i].get<std::string>() : std::string("?"));
        }
        std::string worse = str(r_, "if_worse");
        if (worse.empty() && lv) worse = lv->worse.get(loc_);
        if (!worse.empty()) md += "\n\n*If it gets worse:* " + markdown_escape(worse);
        return finish_summary_card(std::move(card), std::move(md), flags);
    }

    // The summary card's detail for a clinician: the level, the red flags and what they rest on, the
    // findings not yet documented that could raise the level; no questions addressed to the person.
    ojson clinician_summary_card(ojson card, const Level* lv, const nlohmann::json& flags) const {
        const std::string level_id = str(r_, "level");
        std::string md = "**Triage level: " + markdown_escape(level_label(level_id)) + "**";
        if (lv && !lv->action.get(loc_).empty())
            md += "\n\nAdvice the rule set gives the patient at this level: " + markdown_escape(lv->action.get(loc_));
        if (!flags.empty()) {
            md += "\n\nRed flags:\n";
            for (const auto& f : flags) {
                md += "\n- **" + markdown_escape(str(f, "title")) + "** (" + markdown_escape(level_label(str(f, "level"))) + ")";
                std::string because = because_text(f);
                if (!because.empty()) md += ", based on: " + because;
            }
        }
        const auto& qs = arr(r_, "questions");
        std::vector<std::string> open;
        for (const auto& q : qs) {
            std::string id = str(q, "finding");
            if (!id.empty() && !q.contains("attribute") && std::find(open.begin(), open.end(), id) == open.end()) open.push_back(id);
        }
        if (!open.empty()) {
            std::size_t shown = o_.max_questions ? std::min(o_.max_questions, open.size()) : open.size();
            md += "\n\nNot documented, and could raise the level:";
            for (std::size_t i = 0; i < shown; ++i) md += (i ? ", " : " ") + markdown_escape(finding_label(open[i]));
            if (shown < open.size()) md += " and " + std::to_string(open.size() - shown) + " more";
            md += '.';
        }
        return finish_summary_card(std::move(card), std::move(md), flags);
    }

    // The end both summary cards share: the detail with the footer, the rule set as the source, and the
    // red flags' links, each once.
    ojson finish_summary_card(ojson card, std::string md, const nlohmann::json& flags) const {
        md += footer();
        card["detail"] = std::move(md);
        ojson source = ojson::object();
        source["label"] = ruleset_label();
        card["source"] = source;
        ojson links = ojson::array();
        std::vector<std::string> seen;
        for (const auto& f : flags) add_links(f, links, seen);
        if (!links.empty()) card["links"] = links;
        return card;
    }

    std::string because_text(const nlohmann::json& f) const {
        std::string out;
        const auto& b = arr(f, "because");
        for (std::size_t i = 0; i < b.size(); ++i) {
            if (!b[i].is_string()) continue;
            if (!out.empty()) out += ", ";
            out += markdown_escape(finding_label(b[i].get<std::string>()));
        }
        return out;
    }

    void add_links(const nlohmann::json& f, ojson& links, std::vector<std::string>& seen) const {
        for (const auto& c : arr(f, "citations")) {
            std::string url = str(c, "url");
            if (url.empty() || std::find(seen.begin(), seen.end(), url) != seen.end()) continue;
            seen.push_back(url);
            ojson link = ojson::object();
            link["label"] = str(c, "title").empty() ? url : str(c, "title");
            link["url"] = url;
            link["type"] = "absolute";
            links.push_back(std::move(link));
        }
    }

    ojson rule_card(const std::string& section, const nlohmann::json& f) const {
        ojson card = ojson::object();
        std::string rule = str(f, "rule");
        card["uuid"] = card_uuid(uuid_base_ + section + '\n' + rule);
        const Rule* rp = nullptr;
        if (int k = rs_.find_rule(rule); k >= 0) rp = &rs_.rules[static_cast<std::size_t>(k)];
        std::string prefix;
        if (o_.clinician)
            prefix = section == "red_flags" ? "Red flag: " : section == "cautions" ? "Caution: " : section == "recommendations" ? "Suggestion: " : "";
        card["summary"] = utf8_shorten(prefix + str(f, "title"), cds_hooks_summary_max);
        std::string indicator = "info";
        if (section == "cautions") indicator = "warning";
        else if (f.contains("level")) indicator = indicator_of(str(f, "level"));
        card["indicator"] = indicator;

        std::string md;
        std::string because = because_text(f);
        if (!o_.clinician) {
            md = markdown_escape(str(f, "advice"));
            if (!because.empty()) md += "\n\n*Because of:* " + because;
        } else if (rp && !rp->clinician.raw.empty() && !rp->clinician.get(loc_).empty()) {
            md = markdown_escape(rp->clinician.get(loc_));
            if (!because.empty()) md += "\n\n*Based on:* " + because;
        } else {
            md = prefix + markdown_escape(str(f, "title")) + '.';
            if (!because.empty()) md += "\n\n*Based on:* " + because;
        }
        if (section == "red_flags" && f.contains("level"))
            md += "\n\n*Level:* " + markdown_escape(level_label(str(f, "level")));
        const auto& blocks = arr(f, "blocks");
        if (!blocks.empty()) {
            md += "\n\n*Held back because of this caution:*\n";
            for (const auto& b : blocks)
                if (b.is_string()) md += "\n- " + markdown_escape(rule_title(b.get<std::string>()));
        }
        const auto& cites = arr(f, "citations");
        if (!cites.empty()) {
            md += "\n\n*Sources:*\n";
            for (const auto& c : cites)
                md += "\n- [" + markdown_escape(str(c, "title")) + "](<" + markdown_url(str(c, "url")) + ">)";
        }
        md += "\n\nRule `" + rule + "` of the rule set `" + rs_.info.id + "` " + markdown_escape(rs_.info.version) +
              "; see the summary card for the disclaimer.";
        card["detail"] = md;

        ojson source = ojson::object();
        if (!cites.empty() && !str(cites[0], "url").empty()) {
            source["label"] = str(cites[0], "title").empty() ? str(cites[0], "url") : str(cites[0], "title");
            source["url"] = str(cites[0], "url");
        } else {
            source["label"] = ruleset_label();
        }
        card["source"] = source;
        ojson links = ojson::array();
        std::vector<std::string> seen;
        add_links(f, links, seen);
        if (!links.empty()) card["links"] = links;
        return card;
    }
};

}  // namespace detail

// The CDS Hooks 2.0 response {"cards": [...]} for `result` (a result JSON object made with `rs`).
SYMTRI_FUNC nlohmann::ordered_json cds_hooks_response(const RuleSet& rs, const nlohmann::json& result,
                                                      const CdsHooksOptions& options) {
    return detail::CdsCards(rs, result, options).build();
}

// The same, as JSON text: one line, or indented by `indent` spaces when indent >= 0.
SYMTRI_FUNC std::string format_cds_hooks(const RuleSet& rs, const nlohmann::json& result,
                                         const CdsHooksOptions& options, int indent) {
    return cds_hooks_response(rs, result, options).dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace symtri
