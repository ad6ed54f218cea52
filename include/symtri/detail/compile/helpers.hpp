// SPDX-License-Identifier: Apache-2.0
// Compiler helpers: reading one value of a rule file (its type, its keys, an id, a text in every
// locale) and turning each problem into a Diagnostic at its JSON Pointer. Every pass uses them.
#pragma once

#include <algorithm>
#include <iterator>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "../text.hpp"
#include "../../attributes.hpp"
#include "../../version.hpp"
#include "compiler.hpp"

namespace symtri {
namespace detail {

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


// Pointers are passed down as PointerPaths (detail/json_pointer.hpp) and written out only here.
inline void Compiler::error(const SourceDocument& d, const PointerPath& ptr, std::string code, std::string msg, bool at_key) {
    diags_.add(std::move(code), std::move(msg), d, ptr.str(), at_key);
}

// Reports members of `obj` not in `allowed` ($schema and $comment are always allowed). Called for
// every object of every rule, so the allowed keys are views: no strings are built unless a key is
// unknown.
template <class Keys>
inline void Compiler::check_keys(const SourceDocument& d, const PointerPath& ptr, const ojson& obj, const Keys& allowed,
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

inline void Compiler::check_keys(const SourceDocument& d, const PointerPath& ptr, const ojson& obj,
                                 std::initializer_list<std::string_view> allowed, const char* what) {
    check_keys<std::initializer_list<std::string_view>>(d, ptr, obj, allowed, what);
}

inline bool Compiler::expect_type(const SourceDocument& d, const PointerPath& ptr, const ojson& j, bool ok, const char* want,
                                  const std::string& name) {
    if (ok) return true;
    error(d, ptr, "wrong_type", "'" + name + "' must be " + want + ", got " + type_name(j));
    return false;
}

inline const ojson* Compiler::member(const SourceDocument& d, const PointerPath& ptr, const ojson& obj, const char* key,
                                     bool required, const char* what) {
    auto it = obj.find(key);
    if (it == obj.end()) {
        if (required) error(d, ptr, "missing_key", std::string("missing required key '") + key + "' in " + what);
        return nullptr;
    }
    return &*it;
}

inline bool Compiler::get_string(const SourceDocument& d, const PointerPath& ptr, const ojson& obj, const char* key, bool required,
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

inline bool Compiler::get_id(const SourceDocument& d, const PointerPath& ptr, const ojson& obj, const char* key, bool required,
                             const char* what, std::string& out) {
    if (!get_string(d, ptr, obj, key, required, what, out)) return false;
    if (!is_id(out)) {
        error(d, join_ptr(ptr, key), "invalid_value",
              std::string("'") + key + "' must be an id of lower-case letters, digits, '_', '.' or '-', got '" + out + "'");
        return false;
    }
    return true;
}

inline bool Compiler::string_array(const SourceDocument& d, const PointerPath& ptr, const ojson& j, const std::string& name,
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
inline bool Compiler::text(const SourceDocument& d, const PointerPath& ptr, const ojson& obj, const char* key, bool required,
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

inline Text Compiler::make_text(const std::map<std::string, std::string>& by_locale) const {
    Text t;
    auto en = by_locale.find("en");
    std::string fallback = en == by_locale.end() ? std::string() : en->second;
    for (const auto& loc : rs_->locales) {
        auto it = by_locale.find(loc);
        t.raw.push_back(it == by_locale.end() ? fallback : it->second);
    }
    return t;
}

inline void Compiler::check_validation(const SourceDocument& d, const PointerPath& p, const std::string& v) {
    static const std::vector<std::string> ok = {"research", "testing", "production"};
    if (std::find(ok.begin(), ok.end(), v) == ok.end())
        error(d, p, "invalid_value", "'validation' must be research, testing or production, got '" + v + "'" +
                                         did_you_mean(v, ok));
}

inline std::string Compiler::list_ids(const std::vector<std::string>& ids) {
    std::string out;
    for (const auto& id : ids) out += (out.empty() ? "" : ", ") + id;
    return out;
}

inline std::vector<std::string> Compiler::level_ids() const {
    std::vector<std::string> out;
    for (const auto& l : rs_->levels) out.push_back(l.id);
    return out;
}

}  // namespace detail
}  // namespace symtri
