// SPDX-License-Identifier: Apache-2.0
// Compiler: checks the loaded documents against the rule-set format (docs/rules-format.md) and
// builds the immutable RuleSet: interned ids, flat condition arrays, the finding -> rules index,
// result ordering, pre-rendered JSON fragments and the content digest.
//
// Every problem becomes a Diagnostic with file, line, column and JSON Pointer; compilation goes on
// after an error where it can, so an author sees all their mistakes at once.
#pragma once

#include <algorithm>
#include <atomic>
#include <functional>
#include <future>
#include <system_error>
#include <initializer_list>
#include <iterator>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "detail/canonical.hpp"
#include "detail/flat_rules.hpp"
#include "detail/question_json.hpp"
#include "detail/json_pointer.hpp"
#include "detail/memory.hpp"
#include "detail/sha256.hpp"
#include "detail/text.hpp"
#include "loader.hpp"
#include "ruleset.hpp"
#include "version.hpp"

namespace symtri {
namespace detail {

using ojson = JsonValue;

inline std::string type_name(const ojson& j) {
    switch (j.type()) {
        case JsonType::null: return "null";
        case JsonType::boolean: return "a boolean";
        case JsonType::string: return "a string";
        case JsonType::array: return "an array";
        case JsonType::object: return "an object";
        case JsonType::floating: return "a number";
        default: return "an integer";
    }
}

// An integer value read without wrapping: one above the largest long long (held unsigned) does not
// fit, and is over every range a rule file has; integer_text says it as written.
inline bool fits_long_long(const ojson& j) { return !j.is_number_unsigned(); }
inline std::string integer_text(const ojson& j) {
    return j.is_number_unsigned() ? std::to_string(j.get<std::uint64_t>()) : std::to_string(j.get<long long>());
}

inline bool is_id(std::string_view s) {
    if (s.empty() || s.size() > 128) return false;
    for (char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-')) return false;
    return true;
}

// ^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$, by hand: std::regex is slow, and every localised text asks.
inline bool is_locale_tag(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size() && s[i] >= 'a' && s[i] <= 'z') ++i;
    if (i < 2 || i > 3) return false;
    while (i < s.size()) {
        if (s[i++] != '-') return false;
        std::size_t start = i;
        while (i < s.size() && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9'))) ++i;
        if (i - start < 2 || i - start > 8) return false;
    }
    return true;
}

// The keys of text fields, so the compiler can learn every locale before building Text values.
inline bool is_text_key(std::string_view k) {
    return k == "title" || k == "advice" || k == "label" || k == "question" || k == "action" || k == "worse" ||
           k == "disclaimer";
}

class Compiler {
public:
    Compiler(const std::vector<SourceDocument>& docs, const LoadOptions& options, Diagnostics& diags)
        : docs_(docs), options_(options), diags_(diags) {}

    // From this many rules, the rules' conditions and their other fields are compiled on two threads.
    static constexpr std::size_t split_rules_from = 10000;

    std::shared_ptr<RuleSet> compile() {
        // A large rule set is first compiled on two threads (compile_rules_split). Problems are only
        // ever reported from a compile on one thread, in the order an author reads the files: if the
        // two-thread attempt finds any, it is set aside and the rule set compiled again on this one.
        if (options_.parallel && !diags_.any() && rule_count() >= split_rules_from) {
            Diagnostics problems;
            Compiler attempt(docs_, options_, problems);
            attempt.split_rules_ = true;
            auto rs = attempt.compile_steps();
            if (rs && !problems.any()) return rs;
        }
        return compile_steps();
    }

private:
    std::shared_ptr<RuleSet> compile_steps() {
        rs_ = std::make_shared<RuleSet>();
        if (docs_.empty()) return nullptr;
        collect_locales();
        for (const auto& d : docs_) check_top(d);
        if (!root_ok_) return nullptr;
        start_digest();
        compile_root(docs_.front());
        for (const auto& d : docs_) compile_vocabulary(d);
        build_finding_names();
        for (const auto& d : docs_) collect_conditions(d);
        reserve_rules();
        if (split_rules_) {
            compile_rules_split();
            if (diags_.any()) return nullptr;  // compile() compiles again, on one thread, to report them
        } else {
            for (const auto& d : docs_) compile_rules(d);
        }
        resolve_blocks();
        for (const auto& [name, nc] : named_)
            if (nc.state == 0) compile_named(name, nc.doc, nc.pointer);  // check unused ones too
        check_condition_shapes();
        for (const auto& d : docs_) compile_tests(d);
        if (diags_.any()) return nullptr;  // includes problems the loader found
        finish();
        return rs_;
    }

    const std::vector<SourceDocument>& docs_;
    const LoadOptions& options_;
    Diagnostics& diags_;
    std::shared_ptr<RuleSet> rs_;
    bool root_ok_ = true;

    struct Named {
        const SourceDocument* doc = nullptr;
        std::string pointer;
        int state = 0;  // 0 not compiled, 1 compiling (cycle guard), 2 done
        std::uint32_t node = 0;
    };
    std::map<std::string, Named> named_;
    std::vector<std::pair<const SourceDocument*, std::string>> rule_where_;  // per rule: doc, pointer
    std::vector<std::pair<const SourceDocument*, std::string>> screening_where_;  // screening findings: doc, id
    bool split_rules_ = false;          // compile_rules_split, not compile_rules
    std::atomic<bool>* stop_ = nullptr; // while on one of its two threads: set at the first problem
    std::vector<std::uint32_t> roots_;  // per rule, its condition (compile_rules_split)
    std::future<std::string> digest_;  // the digest, being worked out on another thread (start_digest)
    std::string digest_hex_;           // or already worked out (compile_rules_split)

    // The digest depends on the documents alone, so for a large rule set it is worked out on a
    // second thread while this one compiles (hashing is ~7% of loading 100k rules). Documents are
    // not changed while they are compiled; the thread is joined before compile() returns, also on
    // failure (a std::async future waits in its destructor).
    void start_digest() {
        if (!options_.parallel || split_rules_) return;  // split: hashed while the fields compile
        std::size_t bytes = 0;
        for (const auto& d : docs_) bytes += d.json.text().size();
        if (bytes < (std::size_t(1) << 20)) return;  // a thread costs more than hashing under 1 MiB
        try {
            digest_ = std::async(std::launch::async, [parts = canonical_parts()] {
                return canonical_sha256_hex(parts, rules_format_version);
            });
        } catch (const std::system_error&) {
            // No thread to be had: finish() hashes on this one.
        }
    }

    // ---------------------------------------------------------------- helpers
    // Pointers are passed down as PointerPaths (detail/json_pointer.hpp) and written out only here.
    void error(const SourceDocument& d, const PointerPath& ptr, std::string code, std::string msg, bool at_key = false) {
        diags_.add(std::move(code), std::move(msg), d, ptr.str(), at_key);
    }

    // `base` followed by a member's key or an element's index. The result refers to `base`: pass it
    // on as an argument, or keep it only where `base` is a PointerPath that outlives it.
    static PointerPath join_ptr(const PointerPath& base, std::string_view key) { return PointerPath(base, key); }
    static PointerPath join_ptr(const PointerPath& base, std::size_t index) { return PointerPath(base, index); }
    template <class T> static PointerPath join_ptr(const std::string&, T) = delete;  // name the base first
    template <class T> static PointerPath join_ptr(const char*, T) = delete;

    // Reports members of `obj` not in `allowed` ($schema and $comment are always allowed). Called for
    // every object of every rule, so the allowed keys are views: no strings are built unless a key is
    // unknown.
    template <class Keys>
    void check_keys(const SourceDocument& d, const PointerPath& ptr, const ojson& obj, const Keys& allowed,
                    const char* what) {
        for (auto it = obj.begin(); it != obj.end(); ++it) {
            std::string_view k = it.key();
            if (k == "$schema" || k == "$comment") continue;
            if (std::find(std::begin(allowed), std::end(allowed), k) != std::end(allowed)) continue;
            error(d, join_ptr(ptr, k), "unknown_key",
                  "unknown key '" + std::string(k) + "' in " + what +
                      did_you_mean(k, std::vector<std::string>(std::begin(allowed), std::end(allowed))),
                  true);
        }
    }
    void check_keys(const SourceDocument& d, const PointerPath& ptr, const ojson& obj,
                    std::initializer_list<std::string_view> allowed, const char* what) {
        check_keys<std::initializer_list<std::string_view>>(d, ptr, obj, allowed, what);
    }

    bool expect_type(const SourceDocument& d, const PointerPath& ptr, const ojson& j, bool ok, const char* want,
                     const std::string& name) {
        if (ok) return true;
        error(d, ptr, "wrong_type", "'" + name + "' must be " + want + ", got " + type_name(j));
        return false;
    }

    const ojson* member(const SourceDocument& d, const PointerPath& ptr, const ojson& obj, const char* key,
                        bool required, const char* what) {
        auto it = obj.find(key);
        if (it == obj.end()) {
            if (required) error(d, ptr, "missing_key", std::string("missing required key '") + key + "' in " + what);
            return nullptr;
        }
        return &*it;
    }

    bool get_string(const SourceDocument& d, const PointerPath& ptr, const ojson& obj, const char* key, bool required,
                    const char* what, std::string& out) {
        const ojson* j = member(d, ptr, obj, key, required, what);
        if (!j) return false;
        if (!expect_type(d, join_ptr(ptr, key), *j, j->is_string(), "a string", key)) return false;
        out = j->get<std::string>();
        if (out.empty() && required) {
            error(d, join_ptr(ptr, key), "invalid_value", std::string("'") + key + "' must not be empty");
            return false;
        }
        return true;
    }

    bool get_id(const SourceDocument& d, const PointerPath& ptr, const ojson& obj, const char* key, bool required,
                const char* what, std::string& out) {
        if (!get_string(d, ptr, obj, key, required, what, out)) return false;
        if (!is_id(out)) {
            error(d, join_ptr(ptr, key), "invalid_value",
                  std::string("'") + key + "' must be an id of lower-case letters, digits, '_', '.' or '-', got '" + out + "'");
            return false;
        }
        return true;
    }

    bool string_array(const SourceDocument& d, const PointerPath& ptr, const ojson& j, const std::string& name,
                      std::vector<std::string>& out, bool ids) {
        if (!expect_type(d, ptr, j, j.is_array(), "an array of strings", name)) return false;
        bool ok = true;
        for (std::size_t i = 0; i < j.size(); ++i) {
            const PointerPath p(ptr, i);
            if (!j[i].is_string()) {
                error(d, p, "wrong_type", "each element of '" + name + "' must be a string, got " + type_name(j[i]));
                ok = false;
                continue;
            }
            std::string s = j[i].get<std::string>();
            if (ids && !is_id(s)) {
                error(d, p, "invalid_value", "'" + s + "' in '" + name + "' is not a valid id");
                ok = false;
                continue;
            }
            out.push_back(std::move(s));
        }
        return ok;
    }

    // A text field: a string (English) or {locale: string} with "en".
    bool text(const SourceDocument& d, const PointerPath& ptr, const ojson& obj, const char* key, bool required,
              const char* what, Text& out) {
        const ojson* j = member(d, ptr, obj, key, required, what);
        if (!j) {
            if (!required) out = make_text({});
            return false;
        }
        if (j->is_string() && !j->str().empty()) {  // the common case, without a map of translations
            out.raw.resize(rs_->locales.size());
            out.raw[0].assign(j->str());
            for (std::size_t i = 1; i < out.raw.size(); ++i) out.raw[i] = out.raw[0];
            return true;
        }
        const PointerPath p(ptr, key);
        std::map<std::string, std::string> by_locale;
        if (j->is_string()) {
            by_locale["en"] = j->get<std::string>();
        } else if (j->is_object()) {
            for (auto it = j->begin(); it != j->end(); ++it) {
                std::string locale(it.key());
                if (locale == "$comment") continue;
                if (!it.value().is_string()) {
                    error(d, join_ptr(p, locale), "wrong_type", "translation '" + locale + "' must be a string, got " + type_name(it.value()));
                    continue;
                }
                by_locale[locale] = it.value().get<std::string>();
            }
            if (!by_locale.count("en")) {
                error(d, p, "missing_key", std::string("text '") + key + "' has no 'en' (English) version");
                return false;
            }
        } else {
            error(d, p, "wrong_type", std::string("'") + key + "' must be a string or an object of translations, got " +
                                          type_name(*j));
            return false;
        }
        if (by_locale["en"].empty()) {
            error(d, p, "invalid_value", std::string("'") + key + "' must not be empty");
            return false;
        }
        out = make_text(by_locale);
        return true;
    }

    Text make_text(const std::map<std::string, std::string>& by_locale) const {
        Text t;
        auto en = by_locale.find("en");
        std::string fallback = en == by_locale.end() ? std::string() : en->second;
        for (const auto& loc : rs_->locales) {
            auto it = by_locale.find(loc);
            t.raw.push_back(it == by_locale.end() ? fallback : it->second);
        }
        return t;
    }

    // ---------------------------------------------------------------- passes
    void collect_locales() {
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

    void check_top(const SourceDocument& d) {
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

    void compile_root(const SourceDocument& d) {
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

    void check_validation(const SourceDocument& d, const PointerPath& p, const std::string& v) {
        static const std::vector<std::string> ok = {"research", "testing", "production"};
        if (std::find(ok.begin(), ok.end(), v) == ok.end())
            error(d, p, "invalid_value", "'validation' must be research, testing or production, got '" + v + "'" +
                                             did_you_mean(v, ok));
    }

    static std::string list_ids(const std::vector<std::string>& ids) {
        std::string out;
        for (const auto& id : ids) out += (out.empty() ? "" : ", ") + id;
        return out;
    }

    std::vector<std::string> level_ids() const {
        std::vector<std::string> out;
        for (const auto& l : rs_->levels) out.push_back(l.id);
        return out;
    }

    // A finding's `attribute_prompts`: {attribute: text}, one question per attribute the interview may
    // ask about once the finding is present. Only attributes the finding takes.
    void compile_attribute_prompts(const SourceDocument& d, const PointerPath& p, const ojson& f, Finding& fd) {
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

    void compile_vocabulary(const SourceDocument& d) {
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
    void compile_codes(const SourceDocument& d, const PointerPath& p, const ojson& j, std::vector<Coding>& out) {
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

    int intern_character(const std::string& c) {
        auto it = rs_->character_index.find(c);
        if (it != rs_->character_index.end()) return it->second;
        int k = static_cast<int>(rs_->characters.size());
        rs_->characters.push_back(c);
        rs_->character_index[c] = k;
        return k;
    }

    void collect_conditions(const SourceDocument& d) {
        auto c = d.doc().find("conditions");
        if (c == d.doc().end()) return;
        if (!expect_type(d, "/conditions", *c, c->is_object(), "an object of named conditions", "conditions")) return;
        const PointerPath conditions("/conditions");
        for (auto it = c->begin(); it != c->end(); ++it) {
            if (it.key() == "$comment") continue;
            const std::string name(it.key());
            const std::string p = join_ptr(conditions, name).str();
            if (!is_id(name)) { error(d, p, "invalid_value", "condition name '" + name + "' is not a valid id", true); continue; }
            if (named_.count(name)) { error(d, p, "duplicate_id", "named condition '" + name + "' is defined twice", true); continue; }
            named_[name] = Named{&d, p, 0, 0};
        }
    }

    const ojson& at(const SourceDocument& d, const std::string& pointer) const {
        const JsonValue* v = d.json.find(pointer);  // pointers here were made from values of the document
        return v ? *v : JsonValue::null_value();
    }

    std::uint32_t compile_named(const std::string& name, const SourceDocument* d, const PointerPath& ptr) {
        Named& n = named_.at(name);
        if (n.state == 2) return n.node;
        if (n.state == 1) {
            error(*d, ptr, "condition_cycle", "named condition '" + name + "' refers to itself");
            return placeholder();
        }
        n.state = 1;
        std::uint32_t node = compile_condition(*n.doc, at(*n.doc, n.pointer), n.pointer);
        n.state = 2;
        n.node = node;
        return node;
    }

    std::uint32_t placeholder() {
        rs_->compiled.nodes.push_back(Node{Op::all, 0, -1, 0, 0});
        return static_cast<std::uint32_t>(rs_->compiled.nodes.size() - 1);
    }

    std::uint32_t add_node(Node n) {
        rs_->compiled.nodes.push_back(n);
        return static_cast<std::uint32_t>(rs_->compiled.nodes.size() - 1);
    }

    // A comparison object {"<": n, ">=": m, ...} -> Range.
    bool compile_range(const SourceDocument& d, const PointerPath& ptr, const ojson& j, const std::string& name,
                       Range& r, double min_value, double max_value) {
        if (!j.is_object() || j.empty()) {
            error(d, ptr, "wrong_type", "'" + name + "' must be a comparison such as {\">=\": 50}, got " + type_name(j));
            return false;
        }
        static const std::vector<std::string> ops = {"<", "<=", ">", ">=", "=="};
        bool ok = true;
        for (auto it = j.begin(); it != j.end(); ++it) {
            const PointerPath p(ptr, it.key());
            if (std::find(ops.begin(), ops.end(), it.key()) == ops.end()) {
                error(d, p, "unknown_key", "unknown comparison '" + std::string(it.key()) + "' (use <, <=, >, >= or ==)", true);
                ok = false;
                continue;
            }
            if (!it.value().is_number()) {
                error(d, p, "wrong_type", "comparison value must be a number, got " + type_name(it.value()));
                ok = false;
                continue;
            }
            double v = it.value().get<double>();
            if (v < min_value || v > max_value) {
                error(d, p, "out_of_range", "'" + name + "' compares with " + to_nlohmann<nlohmann::json>(it.value()).dump() + ", outside " +
                                                 nlohmann::json(min_value).dump() + " to " + nlohmann::json(max_value).dump());
                ok = false;
                continue;
            }
            std::string_view op = it.key();
            if (op == "<" || op == "<=" || op == "==") {
                bool incl = op != "<";
                if (v < r.hi || (v == r.hi && !incl)) { r.hi = v; r.hi_incl = incl; }
            }
            if (op == ">" || op == ">=" || op == "==") {
                bool incl = op != ">";
                if (v > r.lo || (v == r.lo && !incl)) { r.lo = v; r.lo_incl = incl; }
            }
        }
        if (ok && r.empty()) {
            error(d, ptr, "never_true", "comparison on '" + name + "' can never be true");
            return false;
        }
        return ok;
    }

    // A value or array of values from a fixed enumeration -> bit mask.
    template <std::size_t N>
    bool compile_enum(const SourceDocument& d, const PointerPath& ptr, const ojson& j, const std::string& name,
                      const std::array<std::string_view, N>& names, std::uint32_t& mask, bool array_only = false,
                      bool null_allowed = false) {
        auto one = [&](std::string_view v, const PointerPath& p) {
            int k = index_of(names, v);
            if (k < 0) {
                error(d, p, "invalid_value", "'" + std::string(v) + "' is not a valid " + name +
                                                 did_you_mean(v, as_strings(names)) + "; expected " + one_of(as_strings(names)));
                return false;
            }
            mask |= 1u << k;
            return true;
        };
        if (j.is_string() && !array_only) return one(j.str(), ptr);
        if (!j.is_array() || j.empty()) {
            error(d, ptr, "wrong_type", "'" + name + "' must be " + (array_only ? "" : "a string or ") +
                                            "a non-empty array of: " + one_of(as_strings(names)) + "; got " + type_name(j));
            return false;
        }
        for (std::size_t i = 0; i < j.size(); ++i)  // every element's type first, then the values
            if (!j[i].is_string() && !(null_allowed && j[i].is_null())) {
                error(d, join_ptr(ptr, i), "wrong_type", "each '" + name + "' value must be a string" +
                                                             (null_allowed ? " or null" : "") + ", got " + type_name(j[i]));
                return false;
            }
        bool ok = true;
        for (std::size_t i = 0; i < j.size(); ++i) {
            if (j[i].is_null()) mask |= AttrTest::not_given;  // null: holds when the case does not give it
            else ok = one(j[i].str(), join_ptr(ptr, i)) && ok;
        }
        return ok;
    }

    // Nesting of compile_condition calls, counting named conditions compiled on the way: a chain of
    // refs (c1 -> c2 -> ... -> c100000) recursed once per link and overflowed the stack.
    std::size_t condition_depth_ = 0;
    struct DepthGuard {
        std::size_t& d;
        explicit DepthGuard(std::size_t& depth) : d(depth) { ++d; }
        ~DepthGuard() { --d; }
    };

    std::uint32_t compile_condition(const SourceDocument& d, const ojson& j, const PointerPath& ptr) {
        DepthGuard guard(condition_depth_);
        if (condition_depth_ > options_.limits.depth()) {
            error(d, ptr, "limit", "condition nests deeper than the limit of " + std::to_string(options_.limits.depth()) +
                                       " levels, counting named conditions (max_depth)");
            return placeholder();
        }
        if (!j.is_object()) {
            error(d, ptr, "wrong_type", "a condition must be an object, got " + type_name(j));
            return placeholder();
        }
        static const std::vector<std::string> forms = {"all", "any", "not", "at_least", "ref", "finding", "age", "sex"};
        // The forms present, found in one pass over the members, then taken in the order of `forms`.
        unsigned present = 0;
        for (const auto& m : j)
            for (std::size_t k = 0; k < forms.size(); ++k)
                if (m.key() == forms[k]) {
                    present |= 1u << k;
                    break;
                }
        const std::string* found[2] = {nullptr, nullptr};
        std::size_t nfound = 0;
        for (std::size_t k = 0; k < forms.size(); ++k)
            if (present & (1u << k) && nfound++ < 2) found[nfound - 1] = &forms[k];
        if (nfound == 0) {
            std::string hint;
            for (auto it = j.begin(); it != j.end() && hint.empty(); ++it) hint = did_you_mean(it.key(), forms);
            error(d, ptr, "invalid_condition",
                  "a condition needs one of: all, any, not, at_least, ref, finding, age, sex" + hint);
            return placeholder();
        }
        if (nfound > 1) {
            error(d, ptr, "invalid_condition",
                  "a condition has exactly one form; this one has '" + *found[0] + "' and '" + *found[1] +
                      "' (wrap them in \"all\" or \"any\")");
            return placeholder();
        }
        const std::string& form = *found[0];
        if (form == "all" || form == "any") {
            check_keys(d, ptr, j, {std::string_view(form)}, form == "all" ? "an 'all' condition" : "an 'any' condition");
            return compile_list(d, j[form], join_ptr(ptr, form), form, form == "all" ? Op::all : Op::any, 0);
        }
        if (form == "at_least") {
            check_keys(d, ptr, j, {"at_least", "of"}, "an 'at_least' condition");
            const ojson& n = j["at_least"];
            auto of = j.find("of");
            if (of == j.end()) {
                error(d, ptr, "missing_key", "'at_least' needs 'of': the conditions to count");
                return placeholder();
            }
            if (!n.is_number_integer()) {
                error(d, join_ptr(ptr, "at_least"), "wrong_type", "'at_least' must be an integer, got " + type_name(n));
                return placeholder();
            }
            long long k = n.get<long long>();
            if (!fits_long_long(n) || k > 65535) {  // Node::threshold is 16 bits: a larger count would silently wrap
                error(d, join_ptr(ptr, "at_least"), "out_of_range", "'at_least' is " + integer_text(n) +
                                                                        " but can be at most 65535");
                return placeholder();
            }
            std::size_t count = of->is_array() ? of->size() : 0;
            if (of->is_array() && (k < 1 || static_cast<std::size_t>(k) > count)) {
                error(d, join_ptr(ptr, "at_least"), "out_of_range",
                      "'at_least' is " + std::to_string(k) + " but must be from 1 to " + std::to_string(count) +
                          " (the number of conditions in 'of')");
                return placeholder();
            }
            return compile_list(d, *of, join_ptr(ptr, "of"), "of", Op::at_least, static_cast<std::uint16_t>(std::max(1LL, k)));
        }
        if (form == "not") {
            check_keys(d, ptr, j, {"not"}, "a 'not' condition");
            std::uint32_t child = compile_condition(d, j["not"], join_ptr(ptr, "not"));
            auto& c = rs_->compiled;
            std::uint32_t first = static_cast<std::uint32_t>(c.children.size());
            c.children.push_back(child);
            return add_node(Node{Op::not_, 0, -1, first, 1});
        }
        if (form == "ref") {
            check_keys(d, ptr, j, {"ref"}, "a 'ref' condition");
            const ojson& r = j["ref"];
            const PointerPath rp(ptr, "ref");
            if (!r.is_string()) {
                error(d, rp, "wrong_type", "'ref' must be the name of a condition, got " + type_name(r));
                return placeholder();
            }
            std::string name = r.get<std::string>();
            if (!named_.count(name)) {
                std::vector<std::string> names;
                for (const auto& [k, v] : named_) names.push_back(k);
                error(d, rp, "unknown_condition", "unknown named condition '" + name + "'" + did_you_mean(name, names));
                return placeholder();
            }
            return compile_named(name, &d, rp);
        }
        if (form == "age") {
            check_keys(d, ptr, j, {"age"}, "an 'age' condition");
            Range r;
            if (!compile_range(d, join_ptr(ptr, "age"), j["age"], "age", r, 0, 130)) return placeholder();
            auto& c = rs_->compiled;
            c.ranges.push_back(r);
            return add_node(Node{Op::age, 0, -1, static_cast<std::uint32_t>(c.ranges.size() - 1), 0});
        }
        if (form == "sex") {
            check_keys(d, ptr, j, {"sex"}, "a 'sex' condition");
            std::uint32_t mask = 0;
            if (!compile_enum(d, join_ptr(ptr, "sex"), j["sex"], "sex", sex_names, mask)) return placeholder();
            return add_node(Node{Op::sex, 0, -1, mask, 0});
        }
        return compile_leaf(d, j, ptr);
    }

    std::vector<AttrTest> leaf_tests_;  // compile_leaf's list, reused (a leaf holds no other leaf)
    std::vector<std::uint32_t> kids_;   // compile_list's children, a stack shared by the lists inside it

    std::uint32_t compile_list(const SourceDocument& d, const ojson& list, const PointerPath& ptr, const std::string& name,
                               Op op, std::uint16_t threshold) {
        if (!list.is_array()) {
            error(d, ptr, "wrong_type", "'" + name + "' must be an array of conditions, got " + type_name(list));
            return placeholder();
        }
        if (list.empty()) {
            error(d, ptr, "empty_condition", "'" + name + "' must hold at least one condition");
            return placeholder();
        }
        // The children are compiled first (each may add children of its own), then stored together.
        const std::size_t base = kids_.size();
        for (std::size_t i = 0; i < list.size(); ++i) {
            std::uint32_t kid = compile_condition(d, list[i], join_ptr(ptr, i));
            kids_.push_back(kid);
        }
        auto& c = rs_->compiled;
        std::uint32_t first = static_cast<std::uint32_t>(c.children.size());
        c.children.insert(c.children.end(), kids_.begin() + static_cast<std::ptrdiff_t>(base), kids_.end());
        const auto count = static_cast<std::uint32_t>(kids_.size() - base);
        kids_.resize(base);
        std::uint32_t node = add_node(Node{op, threshold, -1, first, count});
        if (op == Op::all) check_satisfiable(d, ptr, node);
        return node;
    }

    // ---------------------------------------------------------------- conditions that can never be true
    // A rule that can never fire is a mistake its author cannot see in testing: the red flag it was
    // meant to raise silently never shows. An `all` (with the `all`s inside it, named ones included) is
    // checked for tests that contradict each other: a finding both present and absent, attribute
    // values or ranges with nothing in common, ages or sexes that exclude each other. (Sites are not
    // checked: a case may give several.)
    std::vector<bool> never_true_;  // by node: already reported

    static bool intersect(Range& a, const Range& b) {
        if (b.lo > a.lo || (b.lo == a.lo && !b.lo_incl)) { a.lo = b.lo; a.lo_incl = b.lo_incl; }
        if (b.hi < a.hi || (b.hi == a.hi && !b.hi_incl)) { a.hi = b.hi; a.hi_incl = b.hi_incl; }
        return !a.empty();
    }

    // What the `all` being checked needs of one finding.
    struct Need {
        bool present = false, absent = false;
        std::uint32_t mask[attr_count];
        Range range[attr_count];
        std::int8_t boolean[attr_count];
        std::vector<std::int32_t> characters;
        bool has_characters = false;
        Need() { reset(); }
        void reset() {
            present = absent = has_characters = false;
            for (std::size_t a = 0; a < attr_count; ++a) { mask[a] = ~0u; boolean[a] = -1; range[a] = Range{}; }
            characters.clear();
        }
    };
    // Scratch for check_satisfiable, which runs for every `all` (100k rules: 100k calls): per finding
    // and per node, stamped with the call that last used them, so nothing is allocated or cleared per call.
    std::uint32_t visit_ = 0;
    std::vector<std::uint32_t> node_visit_, need_visit_;
    std::vector<Need> needs_;
    std::vector<std::uint32_t> stack_;

    Need& need(std::int32_t finding) {
        auto f = static_cast<std::size_t>(finding);
        if (f >= needs_.size()) {
            needs_.resize(f + 1);
            need_visit_.resize(f + 1, 0);
        }
        if (need_visit_[f] != visit_) {
            need_visit_[f] = visit_;
            needs_[f].reset();
        }
        return needs_[f];
    }

    void check_satisfiable(const SourceDocument& d, const PointerPath& ptr, std::uint32_t node) {
        const auto& c = rs_->compiled;
        if (never_true_.size() < c.nodes.size()) never_true_.resize(c.nodes.size(), false);
        if (node_visit_.size() < c.nodes.size()) node_visit_.resize(c.nodes.size() * 2, 0);
        ++visit_;
        Range age;
        std::uint32_t sex = ~0u;
        std::string why;
        std::vector<std::uint32_t>& stack = stack_;
        stack.assign(1, node);
        while (!stack.empty() && why.empty()) {
            std::uint32_t at = stack.back();
            stack.pop_back();
            if (node_visit_[at] == visit_) continue;
            node_visit_[at] = visit_;
            const Node& n = c.nodes[at];
            if (at != node && never_true_[at]) return;  // reported where it is written
            switch (n.op) {
                case Op::all:
                    for (std::uint32_t k = 0; k < n.count; ++k) stack.push_back(c.children[n.first + k]);
                    break;
                case Op::absent: {
                    Need& x = need(n.finding);
                    x.absent = true;
                    if (x.present) why = "it needs finding '" + rs_->findings[static_cast<std::size_t>(n.finding)].id + "' both present and absent";
                    break;
                }
                case Op::finding: {
                    const std::string& fid = rs_->findings[static_cast<std::size_t>(n.finding)].id;
                    Need& x = need(n.finding);
                    x.present = true;
                    if (x.absent) { why = "it needs finding '" + fid + "' both present and absent"; break; }
                    for (std::uint32_t k = 0; k < n.count && why.empty(); ++k) {
                        const AttrTest& t = c.tests[n.first + k];
                        auto a = static_cast<std::size_t>(t.attr);
                        auto what = [&] { return "the tests on '" + std::string(attr_names[a]) + "' of finding '" + fid + "' cannot all hold"; };
                        switch (t.attr) {
                            case Attr::side: case Attr::onset: case Attr::trend:
                                if (!(x.mask[a] &= t.mask)) why = what();
                                break;
                            case Attr::duration_days: case Attr::severity:
                                if (!intersect(x.range[a], t.range)) why = what();
                                break;
                            case Attr::at_night: case Attr::constant:
                                if (x.boolean[a] >= 0 && x.boolean[a] != t.boolean) why = what();
                                x.boolean[a] = t.boolean;
                                break;
                            case Attr::character: {
                                std::vector<std::int32_t> set(c.character_sets.begin() + t.set_first,
                                                              c.character_sets.begin() + t.set_first + t.set_count);
                                std::sort(set.begin(), set.end());
                                if (x.has_characters) {
                                    std::vector<std::int32_t> both;
                                    std::set_intersection(x.characters.begin(), x.characters.end(), set.begin(), set.end(),
                                                          std::back_inserter(both));
                                    set.swap(both);
                                }
                                x.characters.swap(set);
                                x.has_characters = true;
                                if (x.characters.empty()) why = what();
                                break;
                            }
                            case Attr::sites: break;
                        }
                    }
                    break;
                }
                case Op::age:
                    if (!intersect(age, c.ranges[n.first])) why = "its tests on 'age' cannot all hold";
                    break;
                case Op::sex:
                    if (!(sex &= n.first)) why = "its tests on 'sex' cannot all hold";
                    break;
                default:
                    break;  // any, not, at_least: may hold in more than one way
            }
        }
        if (!why.empty()) {
            never_true_[node] = true;
            error(d, ptr, "never_true", "condition can never be true: " + why);
        }
    }

    std::uint32_t compile_leaf(const SourceDocument& d, const ojson& j, const PointerPath& ptr) {
        static const std::vector<std::string_view> allowed = [] {
            std::vector<std::string_view> keys = {"finding", "present"};
            for (auto a : attr_names) keys.emplace_back(a);
            return keys;
        }();
        check_keys(d, ptr, j, allowed, "a finding condition");
        const ojson& fj = j["finding"];
        if (!fj.is_string()) {
            error(d, join_ptr(ptr, "finding"), "wrong_type", "'finding' must be a finding id, got " + type_name(fj));
            return placeholder();
        }
        int f = rs_->find_finding_fast(fj.str());
        if (f < 0) {
            const std::string id = fj.get<std::string>();
            error(d, join_ptr(ptr, "finding"), "unknown_finding",
                  "unknown finding '" + id + "'" + did_you_mean(id, rs_->finding_ids()));
            return placeholder();
        }
        const Finding& finding = rs_->findings[static_cast<std::size_t>(f)];
        bool present = true;
        if (auto pj = j.find("present"); pj != j.end()) {
            if (!pj->is_boolean()) {
                error(d, join_ptr(ptr, "present"), "wrong_type", "'present' must be true or false, got " + type_name(*pj));
                return placeholder();
            }
            present = pj->get<bool>();
        }
        std::vector<AttrTest>& tests = leaf_tests_;
        tests.clear();
        // The attribute tests, found in one pass over the members and then taken in attribute order
        // (the order their messages have always come in).
        const ojson* by_attr[attr_count] = {};
        for (const auto& m : j)
            for (std::size_t a = 0; a < attr_count; ++a)
                if (m.key() == attr_names[a]) {
                    by_attr[a] = &m;
                    break;
                }
        for (std::size_t a = 0; a < attr_count; ++a) {
            if (!by_attr[a]) continue;
            const ojson* it = by_attr[a];
            std::string name(attr_names[a]);
            const PointerPath p(ptr, name);
            if (!present) {
                error(d, p, "invalid_condition", "a test on '" + name + "' cannot go with \"present\": false");
                continue;
            }
            if (!(finding.attributes & (1u << a))) {
                error(d, p, "invalid_condition", "finding '" + finding.id + "' does not take the attribute '" + name + "'");
                continue;
            }
            AttrTest t;
            t.attr = static_cast<Attr>(a);
            const ojson& v = *it;
            switch (t.attr) {
                case Attr::side: if (!compile_enum(d, p, v, name, side_names, t.mask, false, true)) continue; break;
                case Attr::sites: if (!compile_enum(d, p, v, name, site_names, t.mask, true)) continue; break;
                case Attr::onset: if (!compile_enum(d, p, v, name, onset_names, t.mask, false, true)) continue; break;
                case Attr::trend: if (!compile_enum(d, p, v, name, trend_names, t.mask, false, true)) continue; break;
                case Attr::duration_days:
                    if (!compile_range(d, p, v, name, t.range, 0, 1e6)) continue;
                    break;
                case Attr::severity:
                    if (!compile_range(d, p, v, name, t.range, 0, 10)) continue;
                    break;
                case Attr::at_night:
                case Attr::constant:
                    if (!v.is_boolean()) {
                        error(d, p, "wrong_type", "'" + name + "' must be true or false, got " + type_name(v));
                        continue;
                    }
                    t.boolean = v.get<bool>() ? 1 : 0;
                    break;
                case Attr::character: {
                    auto& sets = rs_->compiled.character_sets;
                    t.set_first = static_cast<std::uint32_t>(sets.size());
                    auto one = [&](std::string_view c, const PointerPath& cp) {
                        if (!is_id(c)) {
                            error(d, cp, "invalid_value", "'" + std::string(c) + "' is not a valid character id");
                        } else if (!finding.characters.empty() &&
                                   std::find(finding.characters.begin(), finding.characters.end(), c) == finding.characters.end()) {
                            error(d, cp, "invalid_value", "finding '" + finding.id + "' has no character '" + std::string(c) + "'" +
                                                              did_you_mean(c, finding.characters));
                        } else {
                            sets.push_back(intern_character(std::string(c)));
                        }
                    };
                    if (v.is_string()) {
                        one(v.str(), p);
                    } else if (v.is_array() && !v.empty() && std::all_of(v.begin(), v.end(), [](const ojson& x) { return x.is_string(); })) {
                        for (std::size_t i = 0; i < v.size(); ++i) one(v[i].str(), join_ptr(p, i));
                    } else {
                        error(d, p, "wrong_type", "'character' must be an id or a non-empty array of ids, got " + type_name(v));
                        continue;
                    }
                    t.set_count = static_cast<std::uint32_t>(sets.size()) - t.set_first;
                    break;
                }
            }
            tests.push_back(t);
        }
        auto& c = rs_->compiled;
        std::uint32_t first = static_cast<std::uint32_t>(c.tests.size());
        c.tests.insert(c.tests.end(), tests.begin(), tests.end());
        return add_node(Node{present ? Op::finding : Op::absent, 0, f, first, static_cast<std::uint32_t>(tests.size())});
    }

    // The flat name table (detail/name_index.hpp) for finding ids and aliases, as soon as the vocabulary
    // is known: conditions look a finding up for every leaf, and std::unordered_map's lookups were a
    // tenth of compiling 100k rules.
    void build_finding_names() {
        std::vector<std::string> names;
        std::vector<std::int32_t> values;
        for (const auto& [name, index] : rs_->finding_index) {
            names.push_back(name);
            values.push_back(index);
        }
        rs_->finding_names.build(names, values);
    }

    // Room for every rule up front: growing a vector of 100k rules moved each several times.
    void reserve_rules() {
        const std::size_t n = std::min<std::size_t>(rule_count(), options_.limits.max_rules);
        rs_->rules.reserve(n);
        advise_huge_pages(rs_->rules.data(), n * sizeof(Rule));  // 100k rules: tens of MB, written once
        rs_->rule_index.reserve(n);
        rule_where_.reserve(n);
        // Condition nodes and finding tests: at most one per JSON value of the rules (an upper
        // bound; pages never written cost nothing), so they never move while they grow.
        std::size_t values = 0;
        for (const auto& d : docs_) values += d.json.value_count();
        auto& c = rs_->compiled;
        c.nodes.reserve(c.nodes.size() + values);
        advise_huge_pages(c.nodes.data(), c.nodes.capacity() * sizeof(Node));
        c.tests.reserve(c.tests.size() + values);
        advise_huge_pages(c.tests.data(), c.tests.capacity() * sizeof(AttrTest));
        c.children.reserve(c.children.size() + values);
        advise_huge_pages(c.children.data(), c.children.capacity() * sizeof(std::uint32_t));
        // check_satisfiable's scratch, made once rather than grown as findings and nodes are met.
        needs_.resize(rs_->findings.size());
        need_visit_.resize(rs_->findings.size(), 0);
        assign_huge(node_visit_, c.nodes.capacity(), std::uint32_t(0));
    }

    // The number of rules in the documents (an upper bound on what compiles).
    std::size_t rule_count() const {
        std::size_t n = 0;
        for (const auto& d : docs_)
            if (auto rl = d.doc().find("rules"); rl != d.doc().end() && rl->is_array()) n += rl->size();
        return n;
    }

    // A rule's condition is compiled into the shared node arrays; everything else about it (texts,
    // tags, citations, ids) into its own Rule. Neither reads what the other writes, so for a large
    // rule set they go on two threads: the conditions on this one, the fields on a second Compiler
    // that fills the same RuleSet's rules. Any problem found either way sends compile() back to one
    // thread, so the split never changes what is reported, or in what order.
    void compile_rules_split() {
        // Either thread stops at its first problem, and tells the other to: the attempt is over.
        std::atomic<bool> stop{false};
        stop_ = &stop;
        Diagnostics field_problems;
        Compiler fields(docs_, options_, field_problems);
        fields.rs_ = rs_;
        fields.stop_ = &stop;
        fields.rule_where_.reserve(rule_where_.capacity());
        roots_.reserve(rs_->rules.capacity());
        auto compile_fields = [&fields] {
            for (const auto& d : fields.docs_) fields.compile_rules(d, RuleParts::fields);
        };
        std::future<void> fields_done;
        try {
            fields_done = std::async(std::launch::async, compile_fields);
        } catch (const std::system_error&) {
            // No thread to be had: the fields are compiled below, on this one.
        }
        for (const auto& d : docs_) compile_rules(d, RuleParts::conditions);
        // The conditions take about half as long as the fields: the digest fills the difference.
        if (!stop.load(std::memory_order_relaxed))
            digest_hex_ = canonical_sha256_hex(canonical_parts(), rules_format_version);
        if (fields_done.valid()) fields_done.get();  // rethrows what the thread threw
        else compile_fields();
        stop_ = nullptr;
        if (stop.load() || field_problems.any() || diags_.any() || roots_.size() != rs_->rules.size()) {
            diags_.add(Diagnostic{"internal", "problems found on two threads", "", 0, 0, ""});  // never shown: see compile()
            return;
        }
        for (std::size_t i = 0; i < roots_.size(); ++i) rs_->rules[i].root = roots_[i];
        rule_where_ = std::move(fields.rule_where_);
    }

    enum class RuleParts { all, fields, conditions };

    void compile_rules(const SourceDocument& d, RuleParts parts = RuleParts::all) {
        auto rl = d.doc().find("rules");
        if (rl == d.doc().end()) return;
        if (!expect_type(d, "/rules", *rl, rl->is_array(), "an array of rules", "rules")) return;
        for (std::size_t i = 0; i < rl->size(); ++i) {
            if (stop_) {  // one of two threads (compile_rules_split)
                if (diags_.any()) stop_->store(true, std::memory_order_relaxed);
                if (stop_->load(std::memory_order_relaxed)) return;
            }
            const std::string where = "/rules/" + std::to_string(i);
            const PointerPath p(where);
            const ojson& r = (*rl)[i];
            if (!r.is_object()) {
                expect_type(d, p, r, false, "an object", "rules/" + std::to_string(i));
                continue;
            }
            if ((parts == RuleParts::conditions ? roots_.size() : rs_->rules.size()) >= options_.limits.max_rules) {
                error(d, p, "limit", "more than " + std::to_string(options_.limits.max_rules) + " rules (max_rules)");
                return;
            }
            if (parts == RuleParts::conditions) {
                const ojson* w = member(d, p, r, "when", true, "a rule");
                roots_.push_back(w ? compile_condition(d, *w, join_ptr(p, "when")) : 0);
                continue;
            }
            check_keys(d, p, r, {"id", "kind", "priority", "when", "level", "title", "advice", "tags", "citations",
                                 "blocks", "icd10", "validation", "clinician"}, "a rule");
            // Built in place: reserve_rules made room for every rule, so the reference stays valid.
            Rule& rule = rs_->rules.emplace_back();
            get_id(d, p, r, "id", true, "a rule", rule.id);
            if (!rule.id.empty()) {
                auto [at, fresh] = rs_->rule_index.try_emplace(rule.id, static_cast<int>(rs_->rules.size() - 1));
                if (!fresh) {
                    const auto& first = rs_->rules[static_cast<std::size_t>(at->second)].source;
                    error(d, join_ptr(p, "id"), "duplicate_id", "duplicate rule id '" + rule.id + "' (first defined at " +
                                                            first.file + ":" + std::to_string(first.line) + ":" +
                                                            std::to_string(first.column) + ")");
                }
            }
            std::string kind;
            if (get_string(d, p, r, "kind", true, "a rule", kind)) {
                static const std::vector<std::string> kinds = {"red_flag", "recommendation", "caution", "info"};
                auto k = std::find(kinds.begin(), kinds.end(), kind);
                if (k == kinds.end())
                    error(d, join_ptr(p, "kind"), "invalid_value", "unknown rule kind '" + kind + "'" + did_you_mean(kind, kinds) +
                                                               "; expected red_flag, recommendation, caution or info");
                else rule.kind = static_cast<RuleKind>(k - kinds.begin());
            }
            if (auto pr = r.find("priority"); pr != r.end()) {
                if (!pr->is_number_integer() || !fits_long_long(*pr) || pr->get<long long>() < -1000000 ||
                    pr->get<long long>() > 1000000)
                    error(d, join_ptr(p, "priority"), "wrong_type", "'priority' must be an integer from -1000000 to 1000000" +
                                                                    (pr->is_number_integer() ? ", got " + integer_text(*pr) : std::string()));
                else rule.priority = static_cast<int>(pr->get<long long>());
            }
            if (parts == RuleParts::all)
                if (const ojson* w = member(d, p, r, "when", true, "a rule")) rule.root = compile_condition(d, *w, join_ptr(p, "when"));
            std::string level;
            if (get_string(d, p, r, "level", false, "a rule", level)) {
                rule.level = rs_->find_level(level);
                if (rule.level < 0)
                    error(d, join_ptr(p, "level"), "unknown_level", "unknown level '" + level + "'" + did_you_mean(level, level_ids()) +
                                                                (rs_->levels.empty() ? std::string("; no levels are defined")
                                                                                     : "; the levels are " + list_ids(level_ids())));
            }
            if (rule.kind == RuleKind::red_flag && !r.contains("level"))
                error(d, p, "missing_key", "a red_flag rule must set 'level'");
            if (rule.kind == RuleKind::red_flag && rule.level == 0)
                error(d, join_ptr(p, "level"), "invalid_value", "a red_flag rule must raise the level above the lowest ('" +
                                                            rs_->levels[0].id + "')");
            text(d, p, r, "title", true, "a rule", rule.title);
            text(d, p, r, "advice", true, "a rule", rule.advice);
            text(d, p, r, "clinician", false, "a rule", rule.clinician);  // absent: "" in every locale
            if (auto t = r.find("tags"); t != r.end()) string_array(d, join_ptr(p, "tags"), *t, "tags", rule.tags, true);
            if (auto ic = r.find("icd10"); ic != r.end()) string_array(d, join_ptr(p, "icd10"), *ic, "icd10", rule.icd10, false);
            if (get_string(d, p, r, "validation", false, "a rule", rule.validation)) check_validation(d, join_ptr(p, "validation"), rule.validation);
            compile_citations(d, p, r, rule);
            if (auto b = r.find("blocks"); b != r.end()) {
                const PointerPath bp(p, "blocks");
                if (rule.kind != RuleKind::caution) {
                    error(d, bp, "invalid_value", "only a caution may block other rules", true);
                } else if (expect_type(d, bp, *b, b->is_object(), "an object {\"rules\": [...], \"tags\": [...]}", "blocks")) {
                    check_keys(d, bp, *b, {"rules", "tags"}, "'blocks'");
                    if (auto x = b->find("rules"); x != b->end()) string_array(d, join_ptr(bp, "rules"), *x, "rules", rule.block_rules, true);
                    if (auto x = b->find("tags"); x != b->end()) string_array(d, join_ptr(bp, "tags"), *x, "tags", rule.block_tags, true);
                    if (rule.block_rules.empty() && rule.block_tags.empty())
                        error(d, bp, "invalid_value", "'blocks' names no rules and no tags");
                }
            }
            SourcePos sp = r.pos();
            rule.source = SourceRef{d.name, sp.line, sp.column, where};
            rule_where_.emplace_back(&d, where);
        }
    }

    void compile_citations(const SourceDocument& d, const PointerPath& p, const ojson& r, Rule& rule) {
        auto c = r.find("citations");
        if (c == r.end()) {
            if (rule.kind == RuleKind::red_flag)
                error(d, p, "missing_key", "a red_flag rule must cite its source ('citations' with title and url)");
            return;
        }
        const PointerPath cp(p, "citations");
        if (!expect_type(d, cp, *c, c->is_array(), "an array of {title, url}", "citations")) return;
        if (c->empty() && rule.kind == RuleKind::red_flag)
            error(d, cp, "invalid_value", "a red_flag rule must cite at least one source");
        for (std::size_t i = 0; i < c->size(); ++i) {
            const PointerPath ip(cp, i);
            const ojson& ci = (*c)[i];
            if (!ci.is_object()) {
                expect_type(d, ip, ci, false, "an object {title, url}", "citations/" + std::to_string(i));
                continue;
            }
            check_keys(d, ip, ci, {"title", "url"}, "a citation");
            Citation cit;
            get_string(d, ip, ci, "title", true, "a citation", cit.title);
            if (!ci.contains("url")) {
                error(d, ip, "missing_key", "citation '" + cit.title + "' has no 'url'");
                continue;
            }
            if (get_string(d, ip, ci, "url", true, "a citation", cit.url) &&
                cit.url.rfind("https://", 0) != 0 && cit.url.rfind("http://", 0) != 0)
                error(d, join_ptr(ip, "url"), "invalid_value", "citation url must start with https:// or http://, got '" + cit.url + "'");
            rule.citations.push_back(std::move(cit));
        }
    }

    void resolve_blocks() {
        for (std::size_t i = 0; i < rs_->rules.size(); ++i) {
            Rule& r = rs_->rules[i];
            if (r.kind != RuleKind::caution) continue;
            const SourceDocument& d = *rule_where_[i].first;
            const std::string& p = rule_where_[i].second;
            const PointerPath rule_ptr(p);
            std::set<std::int32_t> blocked;
            for (std::size_t k = 0; k < r.block_rules.size(); ++k) {
                const std::string& id = r.block_rules[k];
                std::string bp = p + "/blocks/rules/" + std::to_string(k);
                int t = rs_->find_rule(id);
                if (t < 0) {
                    std::vector<std::string> ids;
                    for (const auto& x : rs_->rules) ids.push_back(x.id);
                    error(d, bp, "unknown_rule", "caution blocks unknown rule '" + id + "'" + did_you_mean(id, ids));
                } else if (rs_->rules[static_cast<std::size_t>(t)].kind != RuleKind::recommendation) {
                    error(d, bp, "invalid_value", "a caution may block only recommendations; '" + id + "' is a " +
                                                      kind_name(rs_->rules[static_cast<std::size_t>(t)].kind));
                } else {
                    blocked.insert(t);
                }
            }
            for (std::size_t k = 0; k < r.block_tags.size(); ++k) {
                const std::string& tag = r.block_tags[k];
                bool any = false;
                for (std::size_t t = 0; t < rs_->rules.size(); ++t) {
                    const Rule& x = rs_->rules[t];
                    if (x.kind == RuleKind::recommendation && std::find(x.tags.begin(), x.tags.end(), tag) != x.tags.end()) {
                        blocked.insert(static_cast<std::int32_t>(t));
                        any = true;
                    }
                }
                if (!any)
                    error(d, join_ptr(join_ptr(join_ptr(rule_ptr, "blocks"), "tags"), k), "unknown_tag",
                          "caution blocks tag '" + tag + "', which no recommendation has");
            }
            r.blocks.assign(blocked.begin(), blocked.end());
        }
    }

    // Named conditions are shared nodes, so a rule's condition is a graph: its height and its size
    // unfolded (what the evaluator walks, recursively) can be far larger than the JSON suggests. A chain
    // of refs overflowed the evaluator's stack, and c1 = all[c0, c0], c2 = all[c1, c1], ... made one
    // triage take 2^n steps. Both are limited per rule.
    void check_condition_shapes() {
        const auto& c = rs_->compiled;
        const std::uint64_t max_nodes = options_.limits.max_condition_nodes;
        std::vector<std::uint32_t> height;
        std::vector<std::uint64_t> size;
        assign_huge(height, c.nodes.size(), std::uint32_t(1));
        assign_huge(size, c.nodes.size(), std::uint64_t(1));
        // Children are always compiled (added) before their parent, so one pass in index order works.
        for (std::size_t i = 0; i < c.nodes.size(); ++i) {
            const Node& n = c.nodes[i];
            if (n.op == Op::finding || n.op == Op::absent || n.op == Op::age || n.op == Op::sex) continue;
            for (std::uint32_t k = 0; k < n.count; ++k) {
                std::uint32_t ch = c.children[n.first + k];
                if (ch >= i) continue;  // a placeholder left by an error (cycle): nothing to count
                height[i] = std::max(height[i], height[ch] + 1);
                size[i] = std::min<std::uint64_t>(size[i] + size[ch], max_nodes + 1);
            }
        }
        for (std::size_t r = 0; r < rs_->rules.size(); ++r) {
            std::uint32_t root = rs_->rules[r].root;
            if (root >= c.nodes.size()) continue;
            const SourceDocument& d = *rule_where_[r].first;
            if (height[root] <= options_.limits.depth() && size[root] <= max_nodes) continue;
            std::string p = rule_where_[r].second + "/when";
            if (height[root] > options_.limits.depth())
                error(d, p, "limit", "condition of rule '" + rs_->rules[r].id + "' nests " + std::to_string(height[root]) +
                                         " levels deep through named conditions, over the limit of " +
                                         std::to_string(options_.limits.depth()) + " (max_depth)");
            else if (size[root] > max_nodes)
                error(d, p, "limit", "condition of rule '" + rs_->rules[r].id + "' has more than " +
                                         std::to_string(max_nodes) +
                                         " tests once its named conditions are written out (max_condition_nodes)");
        }
        check_shadowing();
        check_screening();
    }

    // A screening finding is asked of every person: a "yes" must be able to change the level, or the
    // question costs everyone a prompt for nothing (and its label would promise what it cannot do).
    void check_screening() {
        if (screening_where_.empty()) return;
        const auto& c = rs_->compiled;
        std::vector<char> raises(rs_->findings.size(), 0);
        std::vector<std::uint32_t> stack;
        for (const auto& r : rs_->rules) {
            if (r.level <= 0) continue;
            stack.assign(1, r.root);
            while (!stack.empty()) {
                const Node& n = c.nodes[stack.back()];
                stack.pop_back();
                if (n.op == Op::finding || n.op == Op::absent) raises[static_cast<std::size_t>(n.finding)] = 1;
                else if (n.op != Op::age && n.op != Op::sex)
                    for (std::uint32_t k = 0; k < n.count; ++k) stack.push_back(c.children[n.first + k]);
            }
        }
        for (const auto& [doc, id] : screening_where_) {
            int f = rs_->find_finding(id);
            if (f < 0 || raises[static_cast<std::size_t>(f)]) continue;
            const PointerPath vocabulary("/vocabulary");
            const PointerPath p(vocabulary, id);
            error(*doc, PointerPath(p, "screening"), "invalid_value",
                  "screening finding '" + id + "' is read by no rule that sets a level above the lowest, so asking it of "
                  "everyone could change nothing");
        }
    }

    // ---------------------------------------------------------------- rules that shadow each other
    // Two rules of the same kind, level, condition and title always fire together and read the same: one
    // is a copy the author did not mean (two pieces of advice under one condition are fine, and common).
    // A recommendation that a caution blocks whenever it fires can never be shown at all. Conditions are compared by structure
    // (named conditions written out, the order inside all/any/at_least ignored) via a 64-bit hash.
    static std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
        h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
        h ^= h >> 31;
        h *= 0xbf58476d1ce4e5b9ULL;
        return h ^ (h >> 29);
    }
    static std::uint64_t hash_range(std::uint64_t h, const Range& r) {
        return mix(mix(mix(h, std::hash<double>()(r.lo)), std::hash<double>()(r.hi)),
                   static_cast<std::uint64_t>(r.lo_incl) * 2 + r.hi_incl);
    }

    std::vector<std::uint64_t> node_hashes() const {
        const auto& c = rs_->compiled;
        std::vector<std::uint64_t> h;
        assign_huge(h, c.nodes.size(), std::uint64_t(0));
        std::vector<std::uint64_t> tests;  // a node's test or child hashes, to sort
        std::vector<std::int32_t> set;
        for (std::size_t i = 0; i < c.nodes.size(); ++i) {  // children first: index order
            const Node& n = c.nodes[i];
            std::uint64_t x = mix(0, static_cast<std::uint64_t>(n.op) + 1);
            switch (n.op) {
                case Op::finding:
                case Op::absent: {
                    x = mix(x, static_cast<std::uint64_t>(n.finding));
                    tests.clear();
                    for (std::uint32_t k = 0; k < n.count; ++k) {
                        const AttrTest& t = c.tests[n.first + k];
                        std::uint64_t y = mix(mix(mix(0, static_cast<std::uint64_t>(t.attr)), t.mask),
                                              static_cast<std::uint64_t>(t.boolean + 1));
                        y = hash_range(y, t.range);
                        set.assign(c.character_sets.begin() + t.set_first,
                                   c.character_sets.begin() + t.set_first + t.set_count);
                        std::sort(set.begin(), set.end());
                        for (auto ch : set) y = mix(y, static_cast<std::uint64_t>(ch));
                        tests.push_back(y);
                    }
                    std::sort(tests.begin(), tests.end());
                    for (auto y : tests) x = mix(x, y);
                    break;
                }
                case Op::age: x = hash_range(x, c.ranges[n.first]); break;
                case Op::sex: x = mix(x, n.first); break;
                default: {
                    x = mix(x, n.threshold);
                    std::vector<std::uint64_t>& kids = tests;
                    kids.clear();
                    for (std::uint32_t k = 0; k < n.count; ++k) {
                        std::uint32_t ch = c.children[n.first + k];
                        kids.push_back(ch < i ? h[ch] : 0);
                    }
                    if (n.op != Op::not_) std::sort(kids.begin(), kids.end());
                    for (auto y : kids) x = mix(x, y);
                }
            }
            h[i] = x;
        }
        return h;
    }

    std::string where(std::size_t rule) const {
        const SourceRef& s = rs_->rules[rule].source;
        return s.file + ":" + std::to_string(s.line) + ":" + std::to_string(s.column);
    }

    void check_shadowing() {
        const auto& c = rs_->compiled;
        const auto& rules = rs_->rules;
        if (diags_.any()) return;  // placeholders from errors would look alike
        std::vector<std::uint64_t> h = node_hashes();
        // hash of (kind, level, condition, title) -> the rules with it; the fields are compared in full,
        // so only equal rules are reported whatever the hashes do.
        auto same = [&](std::size_t a, std::size_t b) {
            return rules[a].kind == rules[b].kind && rules[a].level == rules[b].level &&
                   h[rules[a].root] == h[rules[b].root] && rules[a].title.get(0) == rules[b].title.get(0);
        };
        std::unordered_multimap<std::uint64_t, std::size_t> first;
        first.reserve(rules.size());
        for (std::size_t r = 0; r < rules.size(); ++r) {
            std::uint64_t key = mix(mix(mix(static_cast<std::uint64_t>(rules[r].kind), static_cast<std::uint64_t>(rules[r].level + 1)),
                                        h[rules[r].root]),
                                    std::hash<std::string>()(rules[r].title.get(0)));
            auto range = first.equal_range(key);
            auto it = std::find_if(range.first, range.second, [&](const auto& e) { return same(e.second, r); });
            if (it == range.second) {
                first.emplace(key, r);
                continue;
            }
            error(*rule_where_[r].first, join_ptr(PointerPath(rule_where_[r].second), "when"), "shadowed_rule",
                  "rule '" + rules[r].id + "' repeats rule '" + rules[it->second].id + "' (" + where(it->second) +
                      "): same kind, level, condition and title, so both always show together");
        }
        for (std::size_t r = 0; r < rules.size(); ++r) {
            if (rules[r].kind != RuleKind::caution) continue;
            std::uint64_t mine = h[rules[r].root];
            for (auto b : rules[r].blocks) {
                const Node& n = c.nodes[rules[static_cast<std::size_t>(b)].root];
                bool implied = h[rules[static_cast<std::size_t>(b)].root] == mine;
                for (std::uint32_t k = 0; n.op == Op::all && k < n.count && !implied; ++k)
                    implied = h[c.children[n.first + k]] == mine;
                if (implied)
                    error(*rule_where_[static_cast<std::size_t>(b)].first, rule_where_[static_cast<std::size_t>(b)].second,
                          "shadowed_rule", "recommendation '" + rules[static_cast<std::size_t>(b)].id +
                                               "' can never be shown: caution '" + rules[r].id + "' (" + where(r) +
                                               ") fires whenever it does and blocks it");
            }
        }
    }

    void compile_tests(const SourceDocument& d) {
        auto tl = d.doc().find("tests");
        if (tl == d.doc().end()) return;
        if (!expect_type(d, "/tests", *tl, tl->is_array(), "an array of tests", "tests")) return;
        for (std::size_t i = 0; i < tl->size(); ++i) {
            const std::string where = "/tests/" + std::to_string(i);
            const PointerPath p(where);
            const ojson& t = (*tl)[i];
            if (!expect_type(d, p, t, t.is_object(), "an object", "tests/" + std::to_string(i))) continue;
            check_keys(d, p, t, {"name", "case", "expect"}, "a test");
            CarriedTest ct;
            get_string(d, p, t, "name", true, "a test", ct.name);
            for (const auto& other : rs_->tests)
                if (other.name == ct.name && !ct.name.empty())
                    error(d, join_ptr(p, "name"), "duplicate_id", "duplicate test name '" + ct.name + "'");
            if (const ojson* c = member(d, p, t, "case", true, "a test")) {
                if (expect_type(d, join_ptr(p, "case"), *c, c->is_object(), "an object", "case"))
                    ct.case_json = to_nlohmann<nlohmann::json>(*c);
            }
            if (const ojson* e = member(d, p, t, "expect", true, "a test")) {
                if (expect_type(d, join_ptr(p, "expect"), *e, e->is_object(), "an object", "expect")) {
                    check_expect(d, join_ptr(p, "expect"), *e);
                    ct.expect = to_nlohmann<nlohmann::json>(*e);
                }
            }
            SourcePos sp = t.pos();
            ct.source = SourceRef{d.name, sp.line, sp.column, where};
            rs_->tests.push_back(std::move(ct));
        }
    }

    void check_expect(const SourceDocument& d, const PointerPath& p, const ojson& e) {
        check_keys(d, p, e, {"level", "min_level", "max_level", "fires", "not_fires", "questions_include",
                             "questions_exclude", "blocked", "error"}, "'expect'");
        for (const char* k : {"level", "min_level", "max_level"}) {
            std::string v;
            if (get_string(d, p, e, k, false, "'expect'", v) && rs_->find_level(v) < 0)
                error(d, join_ptr(p, k), "unknown_level", "unknown level '" + v + "'" + did_you_mean(v, level_ids()));
        }
        for (const char* k : {"fires", "not_fires", "blocked"}) {
            auto it = e.find(k);
            if (it == e.end()) continue;
            std::vector<std::string> ids;
            if (!string_array(d, join_ptr(p, k), *it, k, ids, true)) continue;
            for (std::size_t i = 0; i < ids.size(); ++i)
                if (rs_->find_rule(ids[i]) < 0) {
                    std::vector<std::string> all;
                    for (const auto& x : rs_->rules) all.push_back(x.id);
                    error(d, join_ptr(join_ptr(p, k), i), "unknown_rule",
                          "unknown rule '" + ids[i] + "'" + did_you_mean(ids[i], all));
                }
        }
        for (const char* k : {"questions_include", "questions_exclude"}) {
            auto it = e.find(k);
            if (it == e.end()) continue;
            std::vector<std::string> ids;
            if (!string_array(d, join_ptr(p, k), *it, k, ids, true)) continue;
            // A finding question by its finding id, an attribute question as `finding.attribute`.
            for (std::size_t i = 0; i < ids.size(); ++i) {
                const auto dot = ids[i].find('.');
                const std::string id = ids[i].substr(0, dot);
                if (rs_->find_finding(id) < 0)
                    error(d, join_ptr(join_ptr(p, k), i), "unknown_finding",
                          "unknown finding '" + id + "'" + did_you_mean(id, rs_->finding_ids()));
                else if (dot != std::string::npos && index_of(attr_names, ids[i].substr(dot + 1)) < 0)
                    error(d, join_ptr(join_ptr(p, k), i), "invalid_value",
                          "unknown attribute '" + ids[i].substr(dot + 1) + "'" +
                              did_you_mean(ids[i].substr(dot + 1), as_strings(attr_names)));
            }
        }
        std::string code;
        get_string(d, p, e, "error", false, "'expect'", code);
    }

    // ---------------------------------------------------------------- final layout
    // The findings a rule's condition reads (sorted, unique) and whether it reads age or sex. Nodes
    // shared through named conditions are visited once per rule: `seen` holds the stamp of the rule
    // that last visited each node, so nothing is cleared or allocated per rule.
    void collect_reads(std::uint32_t root, std::uint32_t stamp, std::vector<std::uint32_t>& seen,
                       std::vector<std::int32_t>& findings, bool& patient) {
        const auto& c = rs_->compiled;
        findings.clear();
        patient = false;
        std::vector<std::uint32_t>& stack = stack_;
        stack.assign(1, root);
        while (!stack.empty()) {
            std::uint32_t at = stack.back();
            stack.pop_back();
            if (seen[at] == stamp) continue;
            seen[at] = stamp;
            const Node& n = c.nodes[at];
            switch (n.op) {
                case Op::finding: case Op::absent: findings.push_back(n.finding); break;
                case Op::age: case Op::sex: patient = true; break;
                default:
                    for (std::uint32_t k = 0; k < n.count; ++k) stack.push_back(c.children[n.first + k]);
            }
        }
        std::sort(findings.begin(), findings.end());
        findings.erase(std::unique(findings.begin(), findings.end()), findings.end());
    }

    // Whether some true/false answer to the condition's age and sex tests makes it true while every
    // finding is unknown (three-valued). Tests are taken as independent (a superset of what real ages
    // allow), so the answer errs towards evaluating a rule, never towards skipping one that could fire.
    bool patient_alone_can_fire(std::uint32_t root) const {
        std::vector<std::uint32_t> leaves;
        std::set<std::uint32_t> seen;
        collect_patient_leaves(root, leaves, seen);
        if (leaves.size() > 12) return true;  // too many to enumerate: always evaluate
        for (std::uint32_t bits = 0; bits < (1u << leaves.size()); ++bits)
            if (eval_patient_only(root, leaves, bits) == Tri::yes) return true;
        return false;
    }
    void collect_patient_leaves(std::uint32_t node, std::vector<std::uint32_t>& leaves, std::set<std::uint32_t>& seen) const {
        if (!seen.insert(node).second) return;
        const auto& c = rs_->compiled;
        const Node& n = c.nodes[node];
        switch (n.op) {
            case Op::age: case Op::sex: leaves.push_back(node); break;
            case Op::finding: case Op::absent: break;
            default:
                for (std::uint32_t k = 0; k < n.count; ++k) collect_patient_leaves(c.children[n.first + k], leaves, seen);
        }
    }
    Tri eval_patient_only(std::uint32_t node, const std::vector<std::uint32_t>& leaves, std::uint32_t bits) const {
        const auto& c = rs_->compiled;
        const Node& n = c.nodes[node];
        auto child = [&](std::uint32_t k) { return eval_patient_only(c.children[n.first + k], leaves, bits); };
        switch (n.op) {
            case Op::finding: case Op::absent: return Tri::unknown;
            case Op::age: case Op::sex: {
                auto at = static_cast<std::size_t>(std::find(leaves.begin(), leaves.end(), node) - leaves.begin());
                return (bits >> at) & 1u ? Tri::yes : Tri::no;
            }
            case Op::not_: {
                Tri v = child(0);
                return v == Tri::yes ? Tri::no : v == Tri::no ? Tri::yes : Tri::unknown;
            }
            case Op::all: {
                Tri r = Tri::yes;
                for (std::uint32_t k = 0; k < n.count; ++k) r = std::min(r, child(k));
                return r;
            }
            case Op::any: {
                Tri r = Tri::no;
                for (std::uint32_t k = 0; k < n.count; ++k) r = std::max(r, child(k));
                return r;
            }
            case Op::at_least: {
                std::uint32_t yes = 0, unknown = 0;
                for (std::uint32_t k = 0; k < n.count; ++k) {
                    Tri v = child(k);
                    yes += v == Tri::yes;
                    unknown += v == Tri::unknown;
                }
                return yes >= n.threshold ? Tri::yes : yes + unknown >= n.threshold ? Tri::unknown : Tri::no;
            }
        }
        return Tri::unknown;
    }

    void finish() {
        auto& rules = rs_->rules;
        auto& c = rs_->compiled;
        // What each rule reads, and the finding -> rules index (highest level first).
        std::vector<std::vector<std::int32_t>> by_finding(rs_->findings.size());
        std::vector<std::uint32_t> seen;
        assign_huge(seen, c.nodes.size(), std::uint32_t(0));
        std::vector<std::int32_t> fs;
        for (std::size_t i = 0; i < rules.size(); ++i) {
            bool patient = false;
            collect_reads(rules[i].root, static_cast<std::uint32_t>(i + 1), seen, fs, patient);
            rules[i].findings.assign(fs.begin(), fs.end());
            rules[i].reads_patient = patient;
            if (patient && patient_alone_can_fire(rules[i].root)) c.patient_rules.push_back(static_cast<std::int32_t>(i));
            for (auto f : fs) by_finding[static_cast<std::size_t>(f)].push_back(static_cast<std::int32_t>(i));
        }
        c.finding_rules_start.push_back(0);
        for (auto& list : by_finding) {
            std::stable_sort(list.begin(), list.end(), [&](std::int32_t a, std::int32_t b) {
                return rules[static_cast<std::size_t>(a)].level > rules[static_cast<std::size_t>(b)].level;
            });
            c.finding_rules.insert(c.finding_rules.end(), list.begin(), list.end());
            c.finding_rules_start.push_back(static_cast<std::uint32_t>(c.finding_rules.size()));
        }
        // Result order: kind, then level (highest first), then priority (highest first), then file order.
        std::vector<std::size_t> order(rules.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            const Rule& x = rules[a];
            const Rule& y = rules[b];
            if (x.kind != y.kind) return x.kind < y.kind;
            if (x.level != y.level) return x.level > y.level;
            return x.priority > y.priority;
        });
        for (std::size_t k = 0; k < order.size(); ++k) rules[order[k]].order = static_cast<std::uint32_t>(k);
        // Dense per-rule and per-finding arrays for the evaluator (see ruleset.hpp).
        for (const auto& r : rules)
            c.hot.push_back(Compiled::RuleHot{r.root, r.level, r.order, static_cast<std::uint8_t>(r.reads_patient ? 1 : 0), r.kind, 0});
        for (auto k : order) c.rules_in_order.push_back(static_cast<std::int32_t>(k));
        for (auto& r : rules) r.quoted_id = quote(r.id);
        // Each rule's result object, per locale (detail/flat_rules.hpp). It reads the rules, the node
        // trees and the ids of levels and findings, and writes only Compiled::rule_json and its index,
        // which nothing below touches: a large rule set renders them on a second thread meanwhile.
        std::future<void> rendered;
        if (options_.parallel && rules.size() >= 10000) {
            try {
                rendered = std::async(std::launch::async, [this, advise = memory_advice_on()] {
                    MemoryAdviceScope scope(advise);  // LoadOptions::advise_memory, on this thread too
                    render_rule_objects(*rs_);
                });
            } catch (const std::system_error&) {
                // No thread to be had: rendered below, on this one.
            }
        }
        build_flat_rules(*rs_);  // leaves and the flat program (detail/flat_rules.hpp)
        for (std::size_t f = 0; f < rs_->findings.size(); ++f) {
            auto first = c.finding_rules_start[f];
            bool any = first < c.finding_rules_start[f + 1];
            c.finding_max_level.push_back(any ? rules[static_cast<std::size_t>(c.finding_rules[first])].level : -1);
            if (any && c.finding_max_level.back() >= 0) c.findings_by_level.push_back(static_cast<std::int32_t>(f));
        }
        std::stable_sort(c.findings_by_level.begin(), c.findings_by_level.end(), [&](std::int32_t a, std::int32_t b) {
            return c.finding_max_level[static_cast<std::size_t>(a)] > c.finding_max_level[static_cast<std::size_t>(b)];
        });
        // Pre-rendered fragments: questions (detail/question_json.hpp) and levels.
        render_questions(*rs_);
        for (auto& l : rs_->levels)
            for (std::size_t loc = 0; loc < rs_->locales.size(); ++loc) l.worse_json.push_back(quote(l.worse.get(loc)));
        if (rendered.valid()) rendered.get();  // rethrows what the thread threw
        else render_rule_objects(*rs_);
        rs_->info.digest = "sha256:" + (digest_.valid()         ? digest_.get()
                                        : !digest_hex_.empty() ? digest_hex_
                                                               : canonical_sha256_hex(canonical_parts(), rules_format_version));
        for (std::size_t loc = 0; loc < rs_->locales.size(); ++loc) {
            rs_->result_tail.push_back(",\"disclaimer\":" + quote(rs_->info.disclaimer.get(loc)) + ",\"ruleset\":{\"id\":" +
                                       quote(rs_->info.id) + ",\"version\":" + quote(rs_->info.version) +
                                       ",\"digest\":" + quote(rs_->info.digest) + "},\"engine\":{\"version\":" +
                                       quote(engine_version) + "}}");
        }
    }

    // Every file merged into one document, tests left out, keys sorted: what the digest covers
    // (detail/canonical.hpp). Hashed as it is written, never held whole (36 MB for 100k rules).
    std::vector<CanonicalPart> canonical_parts() const {
        std::vector<CanonicalPart> parts;
        for (const auto& d : docs_) parts.push_back(CanonicalPart{&d.doc(), d.root});
        return parts;
    }
};

}  // namespace detail

// ------------------------------------------------------------------------ public entry points

// Loads and compiles a rule set from a file or a directory (DIR/index.json). Throws symtri::Error
// (Status::invalid_ruleset, or Status::io when nothing could be read) listing every problem found.
inline RuleSetPtr load_rules(const std::string& path, const LoadOptions& options = {}, const FileSource* files = nullptr) {
    detail::MemoryAdviceScope advice(options.advise_memory);
    DiskFiles disk;
    const FileSource& fs = files ? *files : static_cast<const FileSource&>(disk);
    detail::Diagnostics diags;
    detail::Loader loader(fs, options, diags);
    auto docs = loader.load_path(path);
    std::shared_ptr<RuleSet> rs;
    // Compile even after load errors (a missing include, say), so the author sees every problem at once.
    if (!docs.empty() && docs.front().root) rs = detail::Compiler(docs, options, diags).compile();
    const bool nothing_read = docs.empty();
    docs.clear();  // the documents: their text and values
    docs.shrink_to_fit();
    if (rs && options.release_memory) detail::release_free_memory();
    if (!rs) {
        auto list = diags.take();
        bool io = !list.empty() && list.front().code == "io" && nothing_read;
        if (list.empty()) list.push_back(Diagnostic{"internal", "rule set did not compile", path, 0, 0, ""});
        throw Error(io ? Status::io : Status::invalid_ruleset, std::move(list));
    }
    return rs;
}

// Loads and compiles a rule set held in one string (which may not include other files). `name`
// stands for the file name in messages.
inline RuleSetPtr load_rules_from_string(const std::string& text, const std::string& name = "<string>",
                                         const LoadOptions& options = {}) {
    detail::MemoryAdviceScope advice(options.advise_memory);
    detail::Diagnostics diags;
    DiskFiles unused;
    detail::Loader loader(unused, options, diags);
    auto docs = loader.load_string(text, name);
    std::shared_ptr<RuleSet> rs;
    if (!diags.any()) rs = detail::Compiler(docs, options, diags).compile();
    docs.clear();
    if (rs && options.release_memory) detail::release_free_memory();
    if (!rs) {
        auto list = diags.take();
        if (list.empty()) list.push_back(Diagnostic{"internal", "rule set did not compile", name, 0, 0, ""});
        throw Error(Status::invalid_ruleset, std::move(list));
    }
    return rs;
}

}  // namespace symtri
