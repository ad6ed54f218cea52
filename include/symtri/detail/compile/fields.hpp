// SPDX-License-Identifier: Apache-2.0
// Compiler pass: the rule set's own fields. The locales every text is kept in (collected first, from
// every file), the shape of each file (format, allowed top-level keys), the root file's `ruleset`
// and `levels`, and the vocabulary of findings (ids, aliases, attributes, characters, prompts).
#pragma once

#include <functional>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "helpers.hpp"

namespace symtri {
namespace detail {

inline void Compiler::collect_locales() {
    std::set<std::string> locales;
    // The path to the value being walked, as keys and indices; made into a JSON Pointer only for
    // an error (building one per value was a fifth of the load time of a large rule set, and a
    // copy per value cost the length of every ancestor's key: a 1 MB key over an array of
    // 2 million numbers never finished).
    struct Step {
        std::string_view key;
        std::size_t index;
        bool member;  // else an array index
    };
    std::vector<Step> path;
    auto pointer = [&](const std::string& last) {
        std::string p;
        for (const auto& st : path) append_pointer_token(p, st.member ? st.key : std::string_view(std::to_string(st.index)));
        append_pointer_token(p, last);
        return p;
    };
    std::function<void(const SourceDocument&, const ojson&)> walk = [&](const SourceDocument& d, const ojson& j) {
        if (j.is_object()) {
            for (auto it = j.begin(); it != j.end(); ++it) {
                std::string_view key = it.key();
                const ojson& v = it.value();
                if (!v.is_structured()) continue;
                path.push_back(Step{key, 0, true});
                if (is_text_key(key) && v.is_object()) {
                    for (auto lt = v.begin(); lt != v.end(); ++lt) {
                        std::string locale(lt.key());
                        if (locale == "$comment") continue;
                        if (is_locale_tag(locale)) locales.insert(locale);
                        else {
                            const std::string where = pointer(locale);
                            error(d, where, "invalid_value", "'" + locale + "' is not a locale tag (like 'en' or 'pt-BR')", true);
                        }
                    }
                } else if (key != "case") {  // cases carry no texts
                    walk(d, v);
                }
                path.pop_back();
            }
        } else if (j.is_array()) {
            for (std::size_t i = 0; i < j.size(); ++i) {
                if (!j[i].is_structured()) continue;
                path.push_back(Step{{}, i, false});
                walk(d, j[i]);
                path.pop_back();
            }
        }
    };
    for (const auto& d : docs_) {
        path.clear();
        walk(d, d.doc());
    }
    rs_->locales.push_back("en");
    for (const auto& l : locales)
        if (l != "en") rs_->locales.push_back(l);
}

inline void Compiler::check_top(const SourceDocument& d) {
    if (!d.doc().is_object()) {
        error(d, "", "wrong_type", "a rule file must hold a JSON object, got " + type_name(d.doc()));
        if (d.root) root_ok_ = false;
        return;
    }
    static const std::vector<std::string> root_keys = {"format", "ruleset", "levels", "include", "vocabulary",
                                                       "conditions", "rules", "tests"};
    static const std::vector<std::string> part_keys = {"format", "include", "vocabulary", "conditions", "rules", "tests"};
    if (!d.root) {
        for (const char* k : {"ruleset", "levels"})
            if (d.doc().contains(k))
                error(d, join_ptr(PointerPath(), k), "misplaced_key",
                      std::string("'") + k + "' may appear only in the root file of a rule set", true);
    }
    // (ruleset and levels in an included file were reported just above: once is enough)
    static const std::vector<std::string> part_keys_reported = {"format", "include", "vocabulary", "conditions",
                                                                "rules", "tests", "ruleset", "levels"};
    check_keys(d, "", d.doc(), d.root ? root_keys : part_keys_reported, "a rule file");
    auto f = d.doc().find("format");
    if (f == d.doc().end()) {
        error(d, "", "missing_key", "missing required key 'format' (the rule-file format version, 1)");
        if (d.root) root_ok_ = false;
    } else if (!f->is_number_integer()) {
        error(d, "/format", "wrong_type", "'format' must be an integer, got " + type_name(*f));
        if (d.root) root_ok_ = false;
    } else {
        auto v = f->get<long long>();
        if (!fits_long_long(*f) || v < rules_format_min_version || v > rules_format_version) {
            error(d, "/format", "unsupported_format",
                  "rule-file format " + integer_text(*f) + " is not supported: this engine (" + engine_version +
                      ") reads formats " + std::to_string(rules_format_min_version) + " to " +
                      std::to_string(rules_format_version));
            if (d.root) root_ok_ = false;
        }
    }
}

inline void Compiler::compile_root(const SourceDocument& d) {
    auto& info = rs_->info;
    info.format = rules_format_version;
    const ojson* meta = member(d, "", d.doc(), "ruleset", true, "the root file");
    if (meta) {
        if (!expect_type(d, "/ruleset", *meta, meta->is_object(), "an object", "ruleset")) meta = nullptr;
    }
    if (meta) {
        const PointerPath p("/ruleset");
        check_keys(d, p, *meta, {"id", "version", "title", "authors", "last_reviewed", "validation", "clinical_review",
                                 "license", "disclaimer", "default_locale"}, "'ruleset'");
        get_id(d, p, *meta, "id", true, "'ruleset'", info.id);
        get_string(d, p, *meta, "version", true, "'ruleset'", info.version);
        text(d, p, *meta, "title", true, "'ruleset'", info.title);
        if (const ojson* a = member(d, p, *meta, "authors", true, "'ruleset'")) {
            string_array(d, join_ptr(p, "authors"), *a, "authors", info.authors, false);
            if (a->is_array() && a->empty()) error(d, join_ptr(p, "authors"), "invalid_value", "'authors' must name at least one author");
        }
        if (get_string(d, p, *meta, "last_reviewed", true, "'ruleset'", info.last_reviewed)) {
            static const std::regex date("^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$");
            if (!std::regex_match(info.last_reviewed, date))
                error(d, join_ptr(p, "last_reviewed"), "invalid_value",
                      "'last_reviewed' must be a date YYYY-MM-DD, got '" + info.last_reviewed + "'");
        }
        if (get_string(d, p, *meta, "validation", true, "'ruleset'", info.validation)) check_validation(d, join_ptr(p, "validation"), info.validation);
        get_string(d, p, *meta, "clinical_review", false, "'ruleset'", info.clinical_review);
        get_string(d, p, *meta, "license", true, "'ruleset'", info.license);
        text(d, p, *meta, "disclaimer", true, "'ruleset'", info.disclaimer);
        info.default_locale = "en";
        get_string(d, p, *meta, "default_locale", false, "'ruleset'", info.default_locale);
    }
    const ojson* levels = member(d, "", d.doc(), "levels", true, "the root file");
    if (levels && expect_type(d, "/levels", *levels, levels->is_array(), "an array", "levels")) {
        if (levels->empty()) error(d, "/levels", "invalid_value", "'levels' must list at least one level");
        for (std::size_t i = 0; i < levels->size(); ++i) {
            const std::string at = "/levels/" + std::to_string(i);
            const PointerPath p(at);
            const ojson& l = (*levels)[i];
            if (!expect_type(d, p, l, l.is_object(), "an object", "levels/" + std::to_string(i))) continue;
            check_keys(d, p, l, {"id", "label", "action", "worse", "indicator"}, "a level");
            Level lv;
            get_id(d, p, l, "id", true, "a level", lv.id);
            if (!lv.id.empty() && rs_->find_level(lv.id) >= 0)
                error(d, join_ptr(p, "id"), "duplicate_id", "level '" + lv.id + "' is defined twice");
            text(d, p, l, "label", true, "a level", lv.label);
            text(d, p, l, "action", true, "a level", lv.action);
            text(d, p, l, "worse", true, "a level", lv.worse);
            lv.indicator = "info";
            if (get_string(d, p, l, "indicator", false, "a level", lv.indicator) &&
                lv.indicator != "info" && lv.indicator != "warning" && lv.indicator != "critical")
                error(d, join_ptr(p, "indicator"), "invalid_value",
                      "'indicator' must be info, warning or critical, got '" + lv.indicator + "'");
            rs_->levels.push_back(std::move(lv));
        }
    }
}

// A finding's `attribute_prompts`: {attribute: text}, one question per attribute the interview may
// ask about once the finding is present. Only attributes the finding takes.
inline void Compiler::compile_attribute_prompts(const SourceDocument& d, const PointerPath& p, const ojson& f, Finding& fd) {
    auto a = f.find("attribute_prompts");
    if (a == f.end()) return;
    const PointerPath ap(p, "attribute_prompts");
    if (!expect_type(d, ap, *a, a->is_object(), "an object of attribute prompts", "attribute_prompts")) return;
    for (auto it = a->begin(); it != a->end(); ++it) {
        const std::string name(it.key());
        if (name == "$comment") continue;
        int k = index_of(attr_names, name);
        if (k < 0) {
            error(d, PointerPath(ap, name), "invalid_value",
                  "unknown attribute '" + name + "'" + did_you_mean(name, as_strings(attr_names)));
            continue;
        }
        if (!(fd.attributes & (1u << k))) {
            error(d, PointerPath(ap, name), "invalid_value",
                  "finding '" + fd.id + "' does not take the attribute '" + name + "' (see its 'attributes')");
            continue;
        }
        text(d, ap, *a, name.c_str(), true, "attribute_prompts", fd.attribute_prompts[static_cast<std::size_t>(k)]);
    }
}

inline void Compiler::compile_vocabulary(const SourceDocument& d) {
    auto v = d.doc().find("vocabulary");
    if (v == d.doc().end()) return;
    if (!expect_type(d, "/vocabulary", *v, v->is_object(), "an object of findings", "vocabulary")) return;
    const PointerPath vocabulary("/vocabulary");
    for (auto it = v->begin(); it != v->end(); ++it) {
        const std::string id(it.key());
        const PointerPath p(vocabulary, id);
        if (id == "$comment") continue;
        if (!is_id(id)) { error(d, p, "invalid_value", "finding id '" + id + "' is not a valid id", true); continue; }
        if (rs_->finding_index.count(id)) {
            error(d, p, "duplicate_id", "finding '" + id + "' is declared twice (or clashes with an alias)", true);
            continue;
        }
        const ojson& f = it.value();
        if (!expect_type(d, p, f, f.is_object(), "an object", id)) continue;
        check_keys(d, p, f, {"label", "question", "aliases", "attributes", "characters", "icd10", "codes", "group",
                             "screening", "attribute_prompts"},
                   "a finding");
        Finding fd;
        fd.id = id;
        text(d, p, f, "label", true, "a finding", fd.label);
        text(d, p, f, "question", true, "a finding", fd.question);
        if (auto a = f.find("aliases"); a != f.end()) string_array(d, join_ptr(p, "aliases"), *a, "aliases", fd.aliases, true);
        if (auto a = f.find("attributes"); a != f.end()) {
            std::vector<std::string> names;
            if (string_array(d, join_ptr(p, "attributes"), *a, "attributes", names, true)) {
                fd.attributes = 0;
                for (std::size_t i = 0; i < names.size(); ++i) {
                    int k = index_of(attr_names, names[i]);
                    if (k < 0)
                        error(d, join_ptr(join_ptr(p, "attributes"), i), "invalid_value",
                              "unknown attribute '" + names[i] + "'" + did_you_mean(names[i], as_strings(attr_names)));
                    else fd.attributes |= static_cast<std::uint16_t>(1u << k);
                }
            }
        }
        if (auto a = f.find("characters"); a != f.end()) string_array(d, join_ptr(p, "characters"), *a, "characters", fd.characters, true);
        for (const auto& c : fd.characters) intern_character(c);
        if (auto a = f.find("icd10"); a != f.end()) string_array(d, join_ptr(p, "icd10"), *a, "icd10", fd.icd10, false);
        if (auto a = f.find("codes"); a != f.end()) compile_codes(d, join_ptr(p, "codes"), *a, fd.codes);
        if (f.contains("group")) get_id(d, p, f, "group", false, "a finding", fd.group);
        if (auto s = f.find("screening"); s != f.end()) {
            const PointerPath sp(p, "screening");
            if (expect_type(d, sp, *s, s->is_boolean(), "true or false", "screening")) fd.screening = s->get<bool>();
            if (fd.screening) screening_where_.emplace_back(&d, id);
        }
        compile_attribute_prompts(d, p, f, fd);
        int index = static_cast<int>(rs_->findings.size());
        rs_->finding_index[id] = index;
        for (std::size_t i = 0; i < fd.aliases.size(); ++i) {
            if (rs_->finding_index.count(fd.aliases[i]))
                error(d, join_ptr(join_ptr(p, "aliases"), i), "duplicate_id",
                      "alias '" + fd.aliases[i] + "' clashes with another finding id or alias");
            else rs_->finding_index[fd.aliases[i]] = index;
        }
        rs_->findings.push_back(std::move(fd));
    }
    // An alias declared before the finding it clashes with is caught above; a finding declared
    // after an alias of the same name is caught by the duplicate check.
}

// A finding's `codes`: [{"system": absolute URI, "code": non-empty, no spaces, "display"?}], no
// coding twice. A host maps coded data (FHIR codings) to findings through them.
inline void Compiler::compile_codes(const SourceDocument& d, const PointerPath& p, const ojson& j, std::vector<Coding>& out) {
    if (!expect_type(d, p, j, j.is_array(), "an array of codings {\"system\", \"code\"}", "codes")) return;
    for (std::size_t i = 0; i < j.size(); ++i) {
        const PointerPath ip = join_ptr(p, i);
        const ojson& c = j[i];
        if (!expect_type(d, ip, c, c.is_object(), "an object {\"system\", \"code\", \"display\"}", "a coding")) continue;
        check_keys(d, ip, c, {"system", "code", "display", "$comment"}, "a coding");
        Coding cd;
        bool ok = get_string(d, ip, c, "system", true, "a coding", cd.system);
        ok = get_string(d, ip, c, "code", true, "a coding", cd.code) && ok;
        get_string(d, ip, c, "display", false, "a coding", cd.display);
        if (!ok) continue;
        auto colon = cd.system.find(':');
        if (colon == std::string::npos || colon == 0 || cd.system.find_first_of(" \t\r\n") != std::string::npos)
            error(d, join_ptr(ip, "system"), "invalid_value",
                  "'system' must be an absolute URI such as http://snomed.info/sct, got '" + cd.system + "'");
        else if (cd.code.find_first_of(" \t\r\n") != std::string::npos)
            error(d, join_ptr(ip, "code"), "invalid_value", "'code' must not hold white space, got '" + cd.code + "'");
        else if (std::any_of(out.begin(), out.end(), [&](const Coding& o) { return o.system == cd.system && o.code == cd.code; }))
            error(d, ip, "duplicate_id", "coding " + cd.system + "|" + cd.code + " is given twice");
        else out.push_back(std::move(cd));
    }
}

inline int Compiler::intern_character(const std::string& c) {
    auto it = rs_->character_index.find(c);
    if (it != rs_->character_index.end()) return it->second;
    int k = static_cast<int>(rs_->characters.size());
    rs_->characters.push_back(c);
    rs_->character_index[c] = k;
    return k;
}

// The flat name table (detail/name_index.hpp) for finding ids and aliases, as soon as the vocabulary
// is known: conditions look a finding up for every leaf, and std::unordered_map's lookups were a
// tenth of compiling 100k rules.
inline void Compiler::build_finding_names() {
    std::vector<std::string> names;
    std::vector<std::int32_t> values;
    for (const auto& [name, index] : rs_->finding_index) {
        names.push_back(name);
        values.push_back(index);
    }
    rs_->finding_names.build(names, values);
}

}  // namespace detail
}  // namespace symtri
