// SPDX-License-Identifier: Apache-2.0
// The canonical text of a rule set, which its digest (RuleSetInfo::digest) is the SHA-256 of: every
// file merged into one document (ruleset and levels from the root file, vocabulary and conditions
// merged by name, rules in file order, carried tests and includes left out), keys sorted, no white
// space, numbers as nlohmann::json writes them.
//
// Written straight from the loaded documents, in one pass. (It was made by dumping every document,
// parsing the text again into sorted-key trees, merging those and dumping the result: a third of
// the load time of a large rule set, and two extra copies of it in memory.) One writer feeds either
// sink: a string (canonical_text) or a bounded buffer flushed into SHA-256 (canonical_sha256_hex),
// so the digest never holds the whole text (tens of MB for a large rule set).
#pragma once

#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "json_document.hpp"
#include "sha256.hpp"
#include "text.hpp"

namespace symtri {
namespace detail {

// Where the canonical writer puts text. A sink gives the writer a string to append to (buffer()) and
// is told at each value boundary (checkpoint()) that it may take what is there.
struct CanonicalStringSink {
    std::string& out;
    std::string& buffer() { return out; }
    void checkpoint() {}
};

// Hashes the text in chunks: the buffer is flushed once it holds flush_at bytes, so it stays about
// that size (plus at most one key and one string or number) and in cache while it is hashed.
class CanonicalSha256Sink {
public:
    static constexpr std::size_t flush_at = 64 * 1024;
    CanonicalSha256Sink() { buf_.reserve(flush_at + 4096); }
    std::string& buffer() { return buf_; }
    void checkpoint() {
        if (buf_.size() >= flush_at) flush();
    }
    std::string hex_final() {
        flush();
        return hasher_.hex_final();
    }

private:
    void flush() {
        hasher_.update(buf_);
        buf_.clear();
    }
    Sha256 hasher_;
    std::string buf_;
};

// `v` with object keys sorted (byte order, as std::map<std::string> orders them), written to `sink`.
template <class Sink>
void write_canonical(Sink& sink, const JsonValue& v) {
    sink.checkpoint();
    std::string& out = sink.buffer();  // the same string throughout: checkpoint() only clears it
    switch (v.type()) {
        case JsonType::object: {
            // Members sorted by key through pointers: on the stack for the small objects most are
            // (a vector per object was 640,000 allocations for 100k rules).
            constexpr std::size_t small = 16;
            const JsonValue* on_stack[small];
            std::vector<const JsonValue*> on_heap;
            const JsonValue** items = on_stack;
            if (v.size() > small) {
                on_heap.resize(v.size());
                items = on_heap.data();
            }
            std::size_t count = 0;
            for (const auto& m : v) items[count++] = &m;
            std::sort(items, items + count, [](const JsonValue* a, const JsonValue* b) { return a->key() < b->key(); });
            out += '{';
            for (std::size_t i = 0; i < count; ++i) {
                if (i) out += ',';
                append_quoted(out, items[i]->key());
                out += ':';
                write_canonical(sink, *items[i]);
            }
            out += '}';
            return;
        }
        case JsonType::array: {
            out += '[';
            bool first = true;
            for (const auto& e : v) {
                if (!first) out += ',';
                first = false;
                write_canonical(sink, e);
            }
            out += ']';
            return;
        }
        case JsonType::string: append_quoted(out, v.str()); return;
        case JsonType::boolean: out += v.get<bool>() ? "true" : "false"; return;
        case JsonType::null: out += "null"; return;
        case JsonType::integer: out += std::to_string(v.get<std::int64_t>()); return;
        case JsonType::unsigned_integer: out += std::to_string(v.get<std::uint64_t>()); return;
        case JsonType::floating: out += nlohmann::json(v.get<double>()).dump(); return;  // exactly as nlohmann writes floats
    }
}

// `v` canonical, appended to `out`.
inline void append_canonical(std::string& out, const JsonValue& v) {
    CanonicalStringSink sink{out};
    write_canonical(sink, v);
}

// One document's parts, as the merge needs them.
struct CanonicalPart {
    const JsonValue* doc;
    bool root;
};

// The merged document of `parts`, canonical, written to `sink`.
template <class Sink>
void write_canonical_text(Sink& sink, const std::vector<CanonicalPart>& parts, int format_version) {
    const JsonValue& null_value = JsonValue::null_value();
    std::map<std::string_view, const JsonValue*> vocabulary, conditions;
    std::vector<const JsonValue*> rules;
    const JsonValue* ruleset = nullptr;
    const JsonValue* levels = nullptr;
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
    std::string& out = sink.buffer();
    auto write_map = [&](const std::map<std::string_view, const JsonValue*>& m) {
        out += '{';
        bool first = true;
        for (const auto& [k, v] : m) {
            if (!first) out += ',';
            first = false;
            append_quoted(out, k);
            out += ':';
            write_canonical(sink, *v);
        }
        out += '}';
    };
    out += "{\"conditions\":";
    write_map(conditions);
    out += ",\"format\":" + std::to_string(format_version);
    if (levels) {
        out += ",\"levels\":";
        write_canonical(sink, *levels);
    }
    out += ",\"rules\":[";
    for (std::size_t i = 0; i < rules.size(); ++i) {
        if (i) out += ',';
        write_canonical(sink, *rules[i]);
    }
    out += ']';
    if (ruleset) {
        out += ",\"ruleset\":";
        write_canonical(sink, *ruleset);
    }
    out += ",\"vocabulary\":";
    write_map(vocabulary);
    out += '}';
}

inline std::string canonical_text(const std::vector<CanonicalPart>& parts, int format_version) {
    std::string out;
    CanonicalStringSink sink{out};
    write_canonical_text(sink, parts, format_version);
    return out;
}

// sha256_hex(canonical_text(parts, format_version)), without building the text.
inline std::string canonical_sha256_hex(const std::vector<CanonicalPart>& parts, int format_version) {
    CanonicalSha256Sink sink;
    write_canonical_text(sink, parts, format_version);
    return sink.hex_final();
}

}  // namespace detail
}  // namespace symtri
