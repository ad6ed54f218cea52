// SPDX-License-Identifier: Apache-2.0
// A rule file as read: its text, and one compact record per JSON value with where it starts.
//
// Why not an nlohmann tree: loading 100,000 rules (50 MB of JSON, 1.8 million values) built some
// 400 MB of nlohmann nodes, member vectors and strings in millions of allocations, plus a separate
// position map, and freeing them took 0.1 s; page faults on that much fresh memory were a fifth of
// the load. Here a document is three allocations: the text, one array of 48-byte values, and (only
// if some string has escapes) a buffer of decoded strings. Strings are views into the text; the
// children of a container are one contiguous run of the array, so an element is found by index.
//
// JsonValue offers the subset of nlohmann's interface the compiler reads with (is_object(), find(),
// iteration with key() and value(), get<T>(), ...), so rule-checking code reads the same either way.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "json_reader.hpp"
#include "memory.hpp"


namespace symtri {
namespace detail {

enum class JsonType : std::uint8_t { null, boolean, integer, unsigned_integer, floating, string, array, object };

class JsonValue {
public:
    JsonType type() const { return type_; }
    bool is_null() const { return type_ == JsonType::null; }
    bool is_boolean() const { return type_ == JsonType::boolean; }
    bool is_string() const { return type_ == JsonType::string; }
    bool is_array() const { return type_ == JsonType::array; }
    bool is_object() const { return type_ == JsonType::object; }
    bool is_structured() const { return is_array() || is_object(); }
    bool is_number() const { return is_number_integer() || type_ == JsonType::floating; }
    bool is_number_integer() const { return type_ == JsonType::integer || type_ == JsonType::unsigned_integer; }
    bool is_number_unsigned() const { return type_ == JsonType::unsigned_integer; }
    bool is_number_float() const { return type_ == JsonType::floating; }

    // As nlohmann counts: elements or members of a container, 0 for null, 1 for anything else.
    std::size_t size() const { return is_structured() ? n_ : is_null() ? 0 : 1; }
    bool empty() const { return size() == 0; }

    // The string's text; empty for anything else.
    std::string_view str() const { return is_string() ? std::string_view(v_.s, n_) : std::string_view(); }
    // The key of an object member; empty for anything else.
    std::string_view key() const { return std::string_view(key_, key_len_); }
    // Where the value starts, and where its key starts (an object member; else the value's place).
    SourcePos pos() const { return pos_; }
    SourcePos key_pos() const { return key_pos_.known() ? key_pos_ : pos_; }

    // Numbers convert as nlohmann's get<T>() converts them; a string gives std::string.
    template <class T>
    T get() const {
        if constexpr (std::is_same_v<T, std::string>) {
            return std::string(str());
        } else if constexpr (std::is_same_v<T, bool>) {
            return type_ == JsonType::boolean && v_.b;
        } else {
            static_assert(std::is_arithmetic_v<T>, "get<T>: a string, bool or number type");
            switch (type_) {
                case JsonType::integer: return static_cast<T>(v_.i);
                case JsonType::unsigned_integer: return static_cast<T>(v_.u);
                case JsonType::floating: return static_cast<T>(v_.d);
                default: return T{};
            }
        }
    }

    // Children: array elements, or object members (whose key() is set). Iterating anything else
    // gives nothing.
    class const_iterator {
    public:
        using iterator_category = std::random_access_iterator_tag;
        using value_type = JsonValue;
        using difference_type = std::ptrdiff_t;
        using pointer = const JsonValue*;
        using reference = const JsonValue&;
        const_iterator() = default;
        explicit const_iterator(const JsonValue* p) : p_(p) {}
        std::string_view key() const { return p_->key(); }
        const JsonValue& value() const { return *p_; }
        const JsonValue& operator*() const { return *p_; }
        const JsonValue* operator->() const { return p_; }
        const_iterator& operator++() { ++p_; return *this; }
        const_iterator operator++(int) { const_iterator t = *this; ++p_; return t; }
        difference_type operator-(const const_iterator& o) const { return p_ - o.p_; }
        bool operator==(const const_iterator& o) const { return p_ == o.p_; }
        bool operator!=(const const_iterator& o) const { return p_ != o.p_; }

    private:
        const JsonValue* p_ = nullptr;
    };
    const_iterator begin() const { return const_iterator(kids()); }
    const_iterator end() const { return const_iterator(kids() + (is_structured() ? n_ : 0)); }

    // An object's member by key (the first; a document has no duplicate keys), or end().
    const_iterator find(std::string_view key) const {
        if (!is_object()) return end();
        const JsonValue* k = kids();
        for (std::uint32_t i = 0; i < n_; ++i)
            if (k[i].key_len_ == key.size() && std::memcmp(k[i].key_, key.data(), key.size()) == 0)
                return const_iterator(k + i);
        return end();
    }
    bool contains(std::string_view key) const { return find(key) != end(); }
    // The member `key`, or a null value when there is none.
    const JsonValue& operator[](std::string_view key) const {
        auto it = find(key);
        return it == end() ? null_value() : *it;
    }
    // Child `i` (an array element or an object member in document order), or a null value.
    const JsonValue& operator[](std::size_t i) const { return is_structured() && i < n_ ? kids()[i] : null_value(); }
    const JsonValue& operator[](int i) const { return (*this)[static_cast<std::size_t>(i)]; }

    static const JsonValue& null_value() {
        static const JsonValue null;
        return null;
    }

private:
    friend class DocumentBuilder;
    union {
        const char* s;
        std::int64_t i;
        std::uint64_t u;
        double d;
        bool b;
    } v_{};
    const char* key_ = "";
    std::uint32_t key_len_ = 0;
    std::uint32_t n_ = 0;     // a string's length; a container's number of children
    std::int64_t kids_ = 0;   // a container's first child, counted from this value (while building: absolute)
    SourcePos pos_, key_pos_;
    JsonType type_ = JsonType::null;

    const JsonValue* kids() const { return this + kids_; }
};

// `v` as an nlohmann tree (Json is nlohmann::json or nlohmann::ordered_json).
template <class Json>
Json to_nlohmann(const JsonValue& v) {
    switch (v.type()) {
        case JsonType::null: return Json(nullptr);
        case JsonType::boolean: return Json(v.get<bool>());
        case JsonType::integer: return Json(v.get<std::int64_t>());
        case JsonType::unsigned_integer: return Json(v.get<std::uint64_t>());
        case JsonType::floating: return Json(v.get<double>());
        case JsonType::string: return Json(v.get<std::string>());
        case JsonType::array: {
            Json a = Json::array();
            for (const auto& e : v) a.push_back(to_nlohmann<Json>(e));
            return a;
        }
        case JsonType::object: {
            Json o = Json::object();
            for (auto it = v.begin(); it != v.end(); ++it) o[std::string(it.key())] = to_nlohmann<Json>(it.value());
            return o;
        }
    }
    return Json();
}

// A parsed document. Moving it keeps every JsonValue and string where it is (the storage is held
// by pointer), so references into it stay valid.
class JsonDocument {
public:
    bool empty() const { return !s_ || s_->values.empty(); }
    // The top-level value (a null value for an empty document).
    const JsonValue& root() const { return empty() ? JsonValue::null_value() : s_->values.back(); }
    std::string_view text() const { return s_ ? std::string_view(s_->text) : std::string_view(); }
    std::size_t value_count() const { return s_ ? s_->values.size() : 0; }

    // The value a JSON Pointer names, or nullptr.
    const JsonValue* find(std::string_view pointer) const {
        if (empty()) return nullptr;
        const JsonValue* at = &root();
        std::size_t i = 0;
        std::string token;
        while (i < pointer.size()) {
            if (pointer[i] != '/') return nullptr;
            ++i;
            token.clear();
            for (; i < pointer.size() && pointer[i] != '/'; ++i) {
                if (pointer[i] == '~' && i + 1 < pointer.size() && (pointer[i + 1] == '0' || pointer[i + 1] == '1')) {
                    token.push_back(pointer[i + 1] == '0' ? '~' : '/');
                    ++i;
                } else {
                    token.push_back(pointer[i]);
                }
            }
            if (at->is_object()) {
                auto it = at->find(token);
                if (it == at->end()) return nullptr;
                at = &*it;
            } else if (at->is_array()) {
                // An index: digits, no leading zeros.
                if (token.empty() || token.size() > 10 || (token.size() > 1 && token[0] == '0')) return nullptr;
                std::uint64_t n = 0;
                for (char c : token) {
                    if (c < '0' || c > '9') return nullptr;
                    n = n * 10 + static_cast<std::uint64_t>(c - '0');
                }
                if (n >= at->size()) return nullptr;
                at = &(*at)[static_cast<std::size_t>(n)];
            } else {
                return nullptr;
            }
        }
        return at;
    }
    // Where the value a pointer names starts, or {} (unknown) when it names none.
    SourcePos value_pos(std::string_view pointer) const {
        const JsonValue* v = find(pointer);
        return v ? v->pos() : SourcePos{};
    }
    // Where its key starts (an object member), else where the value starts; {} when it names none.
    SourcePos key_pos(std::string_view pointer) const {
        const JsonValue* v = find(pointer);
        return v ? v->key_pos() : SourcePos{};
    }

    // Reads `text` into `out` (which keeps the text). On failure returns false, fills `err`, and
    // leaves `out` empty.
    static bool read(std::string text, JsonDocument& out, JsonReadError& err, const JsonReadLimits& limits = {});

private:
    friend class DocumentBuilder;
    struct Storage {
        std::string text;
        std::vector<JsonValue> values;
        std::unique_ptr<char[]> decoded;  // strings and keys that had escapes, decoded
        std::size_t decoded_used = 0;
    };
    std::unique_ptr<Storage> s_;
};

// Builds a JsonDocument as the reader reads (see JsonReader for the calls).
//
// Values are written to the document's array when their container closes: a container's children
// are gathered in a list for their depth and then appended as one run, so they end up contiguous,
// after their own descendants and before their container. A container records the absolute index of
// its first child until it is itself placed, when that becomes an offset from its own place.
class DocumentBuilder {
public:
    static constexpr bool wants_positions = true;
    explicit DocumentBuilder(JsonDocument::Storage& s) : s_(s) {}

    void reserve(std::size_t values) {
        s_.values.reserve(values);
        advise_huge_pages(s_.values.data(), values * sizeof(JsonValue));
        levels_.resize(1);
        levels_[0].clear();
    }
    void null(SourcePos pos) { add(JsonType::null, pos); }
    void boolean(bool b, SourcePos pos) { add(JsonType::boolean, pos).v_.b = b; }
    void integer(std::int64_t i, SourcePos pos) { add(JsonType::integer, pos).v_.i = i; }
    void unsigned_integer(std::uint64_t u, SourcePos pos) { add(JsonType::unsigned_integer, pos).v_.u = u; }
    void floating(double d, SourcePos pos) { add(JsonType::floating, pos).v_.d = d; }
    void string(std::string_view str, bool in_text, SourcePos pos) {
        JsonValue& v = add(JsonType::string, pos);
        v.v_.s = in_text ? str.data() : keep(str);
        v.n_ = static_cast<std::uint32_t>(str.size());
    }
    void key(std::string_view k, bool in_text, SourcePos pos) {
        key_ = in_text ? k.data() : keep(k);
        key_len_ = static_cast<std::uint32_t>(k.size());
        key_pos_ = pos;
    }
    void begin_object(SourcePos pos) { open(JsonType::object, pos); }
    void begin_array(SourcePos pos) { open(JsonType::array, pos); }
    void end_object() { close(); }
    void end_array() { close(); }
    // Places the root; the reader has finished.
    void finish() { place(levels_[0]); }

private:
    JsonDocument::Storage& s_;
    std::vector<std::vector<JsonValue>> levels_;  // levels_[d]: children so far of the container open at depth d-1
    std::size_t depth_ = 0;
    const char* key_ = "";
    std::uint32_t key_len_ = 0;
    SourcePos key_pos_;

    JsonValue& add(JsonType t, SourcePos pos) {
        auto& level = levels_[depth_];
        JsonValue& v = level.emplace_back();
        v.type_ = t;
        v.pos_ = pos;
        if (depth_ > 0 && level_is_object_[depth_ - 1]) {
            v.key_ = key_;
            v.key_len_ = key_len_;
            v.key_pos_ = key_pos_;
        }
        return v;
    }
    std::vector<bool> level_is_object_;

    void open(JsonType t, SourcePos pos) {
        add(t, pos);
        if (level_is_object_.size() <= depth_) level_is_object_.resize(depth_ + 1);
        level_is_object_[depth_] = t == JsonType::object;
        ++depth_;
        if (levels_.size() <= depth_) levels_.resize(depth_ + 1);
        levels_[depth_].clear();
    }
    void close() {
        auto& kids = levels_[depth_];
        std::size_t first = s_.values.size();
        place(kids);
        --depth_;
        JsonValue& self = levels_[depth_].back();
        self.n_ = static_cast<std::uint32_t>(kids.size());
        self.kids_ = static_cast<std::int64_t>(first);
        kids.clear();
    }
    // Appends a run of values; containers among them turn their first child's index into an offset.
    void place(std::vector<JsonValue>& run) {
        for (JsonValue& v : run) {
            auto at = static_cast<std::int64_t>(s_.values.size());
            if (v.is_structured()) v.kids_ -= at;
            s_.values.push_back(v);
        }
    }
    // A copy of a decoded string that lives as long as the document. Decoding never lengthens a
    // string, so a buffer the size of the text holds them all and never moves.
    const char* keep(std::string_view str) {
        if (!s_.decoded) s_.decoded.reset(new char[s_.text.size() + 1]);
        char* p = s_.decoded.get() + s_.decoded_used;
        std::memcpy(p, str.data(), str.size());
        s_.decoded_used += str.size();
        return p;
    }
};

inline bool JsonDocument::read(std::string text, JsonDocument& out, JsonReadError& err, const JsonReadLimits& limits) {
    auto storage = std::make_unique<Storage>();
    storage->text = std::move(text);
    DocumentBuilder builder(*storage);
    JsonReader<DocumentBuilder> reader(storage->text, builder, limits);
    if (!reader.read(err)) {
        out = JsonDocument();
        return false;
    }
    builder.finish();
    out.s_ = std::move(storage);
    return true;
}

}  // namespace detail
}  // namespace symtri
