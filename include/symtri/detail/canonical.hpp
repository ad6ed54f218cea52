// The canonical text of a rule set, which its digest (RuleSetInfo::digest) is the SHA-256 of: every
// file merged into one document (ruleset and levels from the root file, vocabulary and conditions
// merged by name, rules in file order, carried tests and includes left out), keys sorted, no white
// space, numbers as nlohmann::json writes them.
//
// Written straight from the loaded documents, in one pass. (It was made by dumping every document,
// parsing the text again into sorted-key trees, merging those and dumping the result: a third of
// the load time of a large rule set, and two extra copies of it in memory.)
#pragma once

#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "text.hpp"

namespace symtri {
namespace detail {

// `v` with object keys sorted (byte order, as std::map<std::string> orders them), appended to `out`.
inline void append_canonical(std::string& out, const nlohmann::ordered_json& v) {
    using T = nlohmann::ordered_json::value_t;
    switch (v.type()) {
        case T::object: {
            std::vector<std::pair<std::string_view, const nlohmann::ordered_json*>> items;
            items.reserve(v.size());
            for (auto it = v.begin(); it != v.end(); ++it) items.emplace_back(it.key(), &it.value());
            std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
            out += '{';
            for (std::size_t i = 0; i < items.size(); ++i) {
                if (i) out += ',';
                append_quoted(out, items[i].first);
                out += ':';
                append_canonical(out, *items[i].second);
            }
            out += '}';
            return;
        }
        case T::array: {
            out += '[';
            bool first = true;
            for (const auto& e : v) {
                if (!first) out += ',';
                first = false;
                append_canonical(out, e);
            }
            out += ']';
            return;
        }
        case T::string: append_quoted(out, v.get_ref<const std::string&>()); return;
        case T::boolean: out += v.get<bool>() ? "true" : "false"; return;
        case T::null: out += "null"; return;
        case T::number_integer: out += std::to_string(v.get<std::int64_t>()); return;
        case T::number_unsigned: out += std::to_string(v.get<std::uint64_t>()); return;
        default: out += v.dump(); return;  // floats (and anything else) exactly as nlohmann writes them
    }
}

// One document's parts, as the merge needs them.
struct CanonicalPart {
    const nlohmann::ordered_json* doc;
    bool root;
};

inline std::string canonical_text(const std::vector<CanonicalPart>& parts, int format_version) {
    static const nlohmann::ordered_json null_value;
    std::map<std::string_view, const nlohmann::ordered_json*> vocabulary, conditions;
    std::vector<const nlohmann::ordered_json*> rules;
    const nlohmann::ordered_json* ruleset = nullptr;
    const nlohmann::ordered_json* levels = nullptr;
    for (const auto& part : parts) {
        const auto& d = *part.doc;
        if (!d.is_object()) continue;
        if (part.root) {  // a root without them writes null, as indexing a missing key did
            auto r = d.find("ruleset"), l = d.find("levels");
            ruleset = r != d.end() ? &*r : &null_value;
            levels = l != d.end() ? &*l : &null_value;
        }
        for (auto* target : {&vocabulary, &conditions}) {
            auto it = d.find(target == &vocabulary ? "vocabulary" : "conditions");
            if (it == d.end() || !it->is_object()) continue;
            for (auto e = it->begin(); e != it->end(); ++e) (*target)[e.key()] = &e.value();  // a later file wins
        }
        if (auto it = d.find("rules"); it != d.end() && it->is_array())
            for (const auto& r : *it) rules.push_back(&r);
    }
    auto write_map = [](std::string& out, const std::map<std::string_view, const nlohmann::ordered_json*>& m) {
        out += '{';
        bool first = true;
        for (const auto& [k, v] : m) {
            if (!first) out += ',';
            first = false;
            append_quoted(out, k);
            out += ':';
            append_canonical(out, *v);
        }
        out += '}';
    };
    std::string out;
    out += "{\"conditions\":";
    write_map(out, conditions);
    out += ",\"format\":" + std::to_string(format_version);
    if (levels) {
        out += ",\"levels\":";
        append_canonical(out, *levels);
    }
    out += ",\"rules\":[";
    for (std::size_t i = 0; i < rules.size(); ++i) {
        if (i) out += ',';
        append_canonical(out, *rules[i]);
    }
    out += ']';
    if (ruleset) {
        out += ",\"ruleset\":";
        append_canonical(out, *ruleset);
    }
    out += ",\"vocabulary\":";
    write_map(out, vocabulary);
    out += '}';
    return out;
}

}  // namespace detail
}  // namespace symtri
