// A strict JSON reader that builds an nlohmann::json and, on request, records where every value and
// key starts (line, column) by JSON Pointer.
//
// Why not nlohmann::json::parse: nlohmann 3.11 reports positions only for syntax errors, silently keeps
// the last of two duplicate keys, and accepts nesting as deep as the stack allows. A rule author needs
// "file:line:col" for semantic errors in valid JSON, and a duplicate key in a case could hide a red flag.
#pragma once

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

namespace symtri {
namespace detail {

struct SourcePos {
    std::uint32_t line = 0;    // 1-based; 0 means "not known"
    std::uint32_t column = 0;  // 1-based, counted in Unicode code points
    bool known() const { return line != 0; }
};

// Where each value (and each object key) of a document starts, by JSON Pointer.
//
// Kept as a tree, one record per value, each found from its parent by its reference token, not as a
// map from whole pointer strings: those repeat every ancestor's key in every descendant, so one long
// key above a large array made a few MiB of JSON cost gigabytes. The memory is proportional to the
// document: 32 bytes a value plus 4 for its place in its parent's list of children.
//
// The records are written in document order and each container's children are one contiguous run
// of `kids_`, so an array element is found by index and an object member by a short scan of its
// siblings' key hashes. (A hash table keyed by (parent, token) did a cache miss per value and was a
// quarter of loading a 100k-rule set.)
class PositionMap {
public:
    // The value's position, or {} when `pointer` names no value of the document.
    SourcePos value(const std::string& pointer) const {
        std::uint32_t r = find(pointer);
        return r == npos ? SourcePos{} : recs_[r].value;
    }
    // The key's position if known, else the value's.
    SourcePos key(const std::string& pointer) const {
        std::uint32_t r = find(pointer);
        if (r == npos) return SourcePos{};
        return recs_[r].key.known() ? recs_[r].key : recs_[r].value;
    }
    std::size_t size() const { return recs_.size(); }

    // For the reader. Values are added in document order; a container's children are added between
    // open() and close() of it. `member` tells an object member (found by `token`) from an array
    // element (found by its index).
    static constexpr std::uint32_t npos = 0xFFFFFFFFu;
    void reserve(std::size_t values) {
        recs_.reserve(values);
        kids_.reserve(values);
    }
    std::uint32_t add(bool member, std::string_view token, SourcePos value, SourcePos key = {}) {
        auto index = static_cast<std::uint32_t>(recs_.size());
        recs_.push_back(Rec{value, key, member ? key_hash(token) : 0, 0, 0});
        if (!open_.empty()) pending_.push_back(index);
        return index;
    }
    void open(std::uint32_t self) { open_.push_back(Open{self, pending_.size()}); }
    void close() {
        Open o = open_.back();
        open_.pop_back();
        recs_[o.self].first_kid = static_cast<std::uint32_t>(kids_.size());
        recs_[o.self].kid_count = static_cast<std::uint32_t>(pending_.size() - o.mark);
        kids_.insert(kids_.end(), pending_.begin() + static_cast<std::ptrdiff_t>(o.mark), pending_.end());
        pending_.resize(o.mark);
    }

private:
    struct Rec {
        SourcePos value, key;
        std::uint64_t key_hash;  // object members: hash of the key (never 0); array elements: 0
        std::uint32_t first_kid, kid_count;
    };
    struct Open {
        std::uint32_t self;
        std::size_t mark;  // where its children start in pending_
    };
    std::vector<Rec> recs_;
    std::vector<std::uint32_t> kids_;
    // While reading: the containers not yet closed, and their children so far (a stack: a child
    // container's own children sit above its parent's and leave when it closes).
    std::vector<Open> open_;
    std::vector<std::uint32_t> pending_;

    // Two keys of one object sharing all 64 bits would only misplace an error's line and column.
    static std::uint64_t key_hash(std::string_view token) {
        std::uint64_t h = 1469598103934665603ull;
        for (unsigned char c : token) {
            h ^= c;
            h *= 1099511628211ull;
        }
        return h | 1;
    }

    std::uint32_t child(std::uint32_t at, std::string_view token) const {
        const Rec& r = recs_[at];
        if (r.kid_count == 0) return npos;
        const std::uint32_t* kids = kids_.data() + r.first_kid;
        if (recs_[kids[0]].key_hash == 0) {  // an array: the token is an index without leading zeros
            if (token.empty() || token.size() > 10 || (token.size() > 1 && token[0] == '0')) return npos;
            std::uint64_t i = 0;
            for (char c : token) {
                if (c < '0' || c > '9') return npos;
                i = i * 10 + static_cast<std::uint64_t>(c - '0');
            }
            return i < r.kid_count ? kids[i] : npos;
        }
        std::uint64_t h = key_hash(token);
        for (std::uint32_t k = 0; k < r.kid_count; ++k)
            if (recs_[kids[k]].key_hash == h) return kids[k];  // first one wins (a duplicate key is an error)
        return npos;
    }

    std::uint32_t find(const std::string& pointer) const {
        if (recs_.empty()) return npos;
        std::uint32_t at = 0;
        std::size_t i = 0;
        std::string token;
        while (i < pointer.size()) {
            if (pointer[i] != '/') return npos;
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
            at = child(at, token);
            if (at == npos) return npos;
        }
        return at;
    }
};

struct JsonReadError {
    std::string message;
    SourcePos pos;
    std::string pointer;  // where the reader was when it failed
    bool depth_limit = false;  // the failure is the nesting limit, not bad JSON
};

struct JsonReadLimits {
    std::size_t max_depth = 256;
    // The name of the depth limit where the host sets it (e.g. "max_depth"), so the message says which
    // setting to change; empty for none.
    const char* depth_name = "";
};

// Appends one reference token to a JSON Pointer, escaping '~' and '/' (RFC 6901).
inline void append_pointer_token(std::string& pointer, std::string_view token) {
    pointer.push_back('/');
    for (char c : token) {
        if (c == '~') pointer += "~0";
        else if (c == '/') pointer += "~1";
        else pointer.push_back(c);
    }
}

template <class Json>
class JsonReader {
public:
    JsonReader(std::string_view text, PositionMap* positions, const JsonReadLimits& limits)
        : s_(text), positions_(positions), limits_(limits) {}

    bool read(Json& out, JsonReadError& err) {
        // A UTF-8 byte order mark is allowed and skipped (RFC 8259 section 8.1 lets a parser ignore it).
        if (s_.size() >= 3 && s_.substr(0, 3) == "\xEF\xBB\xBF") { i_ = 3; line_start_ = 3; }
        skip_ws();
        if (i_ >= s_.size()) return fail(err, s_.empty() ? "empty input: expected a JSON value"
                                                        : "expected a JSON value, found only white space");
        if (positions_) positions_->reserve(value_bound());
        if (!value(out, 0, err, false, {}, {})) return false;
        skip_ws();
        if (i_ < s_.size()) return fail(err, "unexpected " + describe_here() + " after the JSON value");
        return true;
    }

private:
    std::string_view s_;
    std::size_t i_ = 0;
    std::size_t line_ = 1;
    std::size_t line_start_ = 0;
    PositionMap* positions_;
    JsonReadLimits limits_;
    std::string pointer_;
    // Column cache: counting code points from the start of the line for every value made reading a
    // long single-line document with positions quadratic (a 1 MiB one-line case took minutes), so
    // pos_at counts on from the last offset it was asked about.
    std::size_t col_line_start_ = static_cast<std::size_t>(-1), col_offset_ = 0;
    std::uint32_t col_ = 1;

    SourcePos pos_at(std::size_t offset) {
        if (col_line_start_ != line_start_ || offset < col_offset_) {
            col_line_start_ = line_start_;
            col_offset_ = line_start_;
            col_ = 1;
        }
        for (; col_offset_ < offset && col_offset_ < s_.size(); ++col_offset_)
            if ((static_cast<unsigned char>(s_[col_offset_]) & 0xC0) != 0x80) ++col_;
        return SourcePos{static_cast<std::uint32_t>(line_), col_};
    }

    bool fail(JsonReadError& err, std::string message) { return fail_at(err, std::move(message), i_); }
    bool fail_at(JsonReadError& err, std::string message, std::size_t offset) {
        err.message = std::move(message);
        err.pos = pos_at(offset);
        err.pointer = pointer_;
        return false;
    }

    std::string describe_here() const {
        if (i_ >= s_.size()) return "end of input";
        if (s_.substr(i_, 3) == "\xEF\xBB\xBF") return "a byte order mark (U+FEFF)";
        unsigned char c = static_cast<unsigned char>(s_[i_]);
        if (c >= 0x20 && c < 0x7F) return std::string("'") + static_cast<char>(c) + "'";
        char buf[16];
        std::snprintf(buf, sizeof buf, "byte 0x%02X", c);
        return buf;
    }

    // An upper bound on the number of values, so the position records are allocated once: every
    // value but the root follows a ':' (members), a ',' (later elements) or a '[' (first elements).
    std::size_t value_bound() const {
        std::size_t n = 1;
        for (char c : s_) n += (c == ':') + (c == ',') + (c == '[');
        return std::min(n, s_.size() / 2 + 1);
    }

    void skip_ws() {
        while (i_ < s_.size()) {
            char c = s_[i_];
            if (c == '\n') { ++line_; line_start_ = ++i_; }
            else if (c == ' ' || c == '\t' || c == '\r') ++i_;
            else break;
        }
    }

    // `member`, `token` and `key_pos` place the value in the position tree (the root: not a member,
    // no token).
    bool value(Json& out, std::size_t depth, JsonReadError& err, bool member, std::string_view token,
               SourcePos key_pos) {
        if (positions_) {
            std::uint32_t self = positions_->add(member, token, pos_at(i_), key_pos);
            if (i_ < s_.size() && (s_[i_] == '{' || s_[i_] == '[')) {
                positions_->open(self);
                bool ok = s_[i_] == '{' ? object(out, depth, err) : array(out, depth, err);
                if (ok) positions_->close();
                return ok;
            }
        }
        if (i_ >= s_.size()) return fail(err, "unexpected end of input: expected a JSON value");
        switch (s_[i_]) {
            case '{': return object(out, depth, err);
            case '[': return array(out, depth, err);
            case '"': {
                std::string str;
                if (!string(str, err)) return false;
                out = std::move(str);
                return true;
            }
            case 't': return literal("true", Json(true), out, err);
            case 'f': return literal("false", Json(false), out, err);
            case 'n': return literal("null", Json(nullptr), out, err);
            default:
                if (s_[i_] == '-' || (s_[i_] >= '0' && s_[i_] <= '9')) return number(out, err);
                if (s_.substr(i_, 3) == "NaN" || s_.substr(i_, 8) == "Infinity")
                    return fail(err, "NaN and Infinity are not JSON numbers");
                return fail(err, "unexpected " + describe_here() + ": expected a JSON value");
        }
    }

    bool literal(std::string_view word, Json v, Json& out, JsonReadError& err) {
        if (s_.substr(i_, word.size()) != word)
            return fail(err, "invalid literal: expected '" + std::string(word) + "'");
        i_ += word.size();
        out = std::move(v);
        return true;
    }

    bool enter(std::size_t depth, JsonReadError& err) {
        if (depth + 1 > limits_.max_depth) {
            err.depth_limit = true;
            std::string name = *limits_.depth_name ? std::string(" (") + limits_.depth_name + ")" : std::string();
            return fail(err, "nesting deeper than the limit of " + std::to_string(limits_.max_depth) + " levels" + name);
        }
        return true;
    }

    // Members are gathered in a scratch list per depth (reused from object to object) and moved into
    // the object once it is complete. Appending to the object directly copied every earlier member,
    // subtree and all, each time it grew: nlohmann::ordered_json is a std::vector of
    // pair<const string, json>, whose move is not noexcept, so the vector copies rather than moves.
    // Duplicates are checked in the scratch list: linearly while small, then in a hash set
    // (ordered_json looks keys up linearly, and a 1 MiB object of short keys took minutes).
    using Member = std::pair<std::string, Json>;
    std::vector<std::vector<Member>> scratch_;

    template <class Obj>
    static constexpr bool is_vector_object =
        std::is_base_of_v<std::vector<typename Obj::value_type, typename Obj::allocator_type>, Obj>;

    static void take_members(Json& out, std::vector<Member>& members) {
        auto& obj = out.template get_ref<typename Json::object_t&>();
        if constexpr (is_vector_object<typename Json::object_t>) {
            obj.reserve(members.size());
            for (auto& m : members) obj.emplace_back(std::move(m.first), std::move(m.second));
        } else {
            for (auto& m : members) obj.emplace_hint(obj.end(), std::move(m.first), std::move(m.second));
        }
        members.clear();
    }

    bool object(Json& out, std::size_t depth, JsonReadError& err) {
        if (!enter(depth, err)) return false;
        out = Json::object();
        ++i_;
        skip_ws();
        if (i_ < s_.size() && s_[i_] == '}') { ++i_; return true; }
        if (scratch_.size() <= depth) scratch_.resize(depth + 1);
        scratch_[depth].clear();
        std::unordered_set<std::string> seen;  // the keys so far, once the object has more than a few
        constexpr std::size_t small = 16;
        for (;;) {
            skip_ws();
            if (i_ >= s_.size() || s_[i_] != '"')
                return fail(err, "expected a string key in object, found " + describe_here());
            std::size_t key_offset = i_;
            std::string key;
            if (!string(key, err)) return false;
            std::size_t saved = pointer_.size();
            append_pointer_token(pointer_, key);
            // Indexed anew each time: deeper objects may grow scratch_ and move these lists.
            auto& members = scratch_[depth];
            bool duplicate;
            if (members.size() < small) {
                duplicate = std::any_of(members.begin(), members.end(), [&](const Member& m) { return m.first == key; });
            } else {
                if (seen.empty())
                    for (const auto& m : members) seen.insert(m.first);
                duplicate = !seen.insert(key).second;
            }
            if (duplicate) return fail_at(err, "duplicate key '" + key + "'", key_offset);
            SourcePos key_pos = positions_ ? pos_at(key_offset) : SourcePos{};
            skip_ws();
            if (i_ >= s_.size() || s_[i_] != ':') return fail(err, "expected ':' after key, found " + describe_here());
            ++i_;
            skip_ws();
            members.emplace_back(std::move(key), Json());
            // The element stays put while deeper values are read: they only touch deeper lists.
            Member& m = members.back();
            if (!value(m.second, depth + 1, err, true, m.first, key_pos)) return false;
            pointer_.resize(saved);
            skip_ws();
            if (i_ < s_.size() && s_[i_] == ',') { ++i_; continue; }
            if (i_ < s_.size() && s_[i_] == '}') {
                ++i_;
                take_members(out, scratch_[depth]);
                return true;
            }
            return fail(err, "expected ',' or '}' in object, found " + describe_here());
        }
    }

    bool array(Json& out, std::size_t depth, JsonReadError& err) {
        if (!enter(depth, err)) return false;
        out = Json::array();
        ++i_;
        skip_ws();
        if (i_ < s_.size() && s_[i_] == ']') { ++i_; return true; }
        for (std::size_t index = 0;; ++index) {
            skip_ws();
            std::size_t saved = pointer_.size();
            std::string token = std::to_string(index);
            append_pointer_token(pointer_, token);
            out.push_back(nullptr);
            if (!value(out.back(), depth + 1, err, false, token, {})) return false;
            pointer_.resize(saved);
            skip_ws();
            if (i_ < s_.size() && s_[i_] == ',') { ++i_; continue; }
            if (i_ < s_.size() && s_[i_] == ']') { ++i_; return true; }
            return fail(err, "expected ',' or ']' in array, found " + describe_here());
        }
    }

    static void put_utf8(std::string& out, std::uint32_t cp) {
        if (cp < 0x80) out.push_back(static_cast<char>(cp));
        else if (cp < 0x800) {
            out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else if (cp < 0x10000) {
            out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else {
            out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        }
    }

    bool hex4(std::uint32_t& v, JsonReadError& err) {
        v = 0;
        for (int k = 0; k < 4; ++k) {
            if (i_ >= s_.size()) return fail(err, "unexpected end of input in \\u escape");
            char c = s_[i_++];
            v <<= 4;
            if (c >= '0' && c <= '9') v |= static_cast<std::uint32_t>(c - '0');
            else if (c >= 'a' && c <= 'f') v |= static_cast<std::uint32_t>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') v |= static_cast<std::uint32_t>(c - 'A' + 10);
            else return fail_at(err, "invalid \\u escape: expected four hex digits", i_ - 1);
        }
        return true;
    }

    // Validates one UTF-8 sequence starting at i_ (RFC 3629: no overlongs, no surrogates, <= U+10FFFF).
    bool utf8_sequence(std::string& out, JsonReadError& err) {
        auto b = [&](std::size_t k) { return static_cast<unsigned char>(s_[k]); };
        unsigned char c = b(i_);
        std::size_t n;
        std::uint32_t cp;
        if (c >= 0xC2 && c <= 0xDF) { n = 2; cp = c & 0x1F; }
        else if (c >= 0xE0 && c <= 0xEF) { n = 3; cp = c & 0x0F; }
        else if (c >= 0xF0 && c <= 0xF4) { n = 4; cp = c & 0x07; }
        else return fail(err, "invalid UTF-8 " + describe_here() + " in string");
        if (i_ + n > s_.size()) return fail(err, "truncated UTF-8 sequence in string");
        for (std::size_t k = 1; k < n; ++k) {
            if ((b(i_ + k) & 0xC0) != 0x80) return fail(err, "invalid UTF-8 sequence in string");
            cp = (cp << 6) | (b(i_ + k) & 0x3F);
        }
        if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return fail(err, "invalid UTF-8 sequence in string (overlong, surrogate or out of range)");
        out.append(s_.data() + i_, n);
        i_ += n;
        return true;
    }

    bool string(std::string& out, JsonReadError& err) {
        std::size_t start = i_;
        ++i_;  // opening quote
        for (;;) {
            if (i_ >= s_.size()) return fail_at(err, "unterminated string", start);
            unsigned char c = static_cast<unsigned char>(s_[i_]);
            if (c == '"') { ++i_; return true; }
            if (c < 0x20) return fail(err, "control character (byte 0x" + hex2(c) + ") in string: escape it");
            if (c >= 0x80) {
                if (!utf8_sequence(out, err)) return false;
                continue;
            }
            if (c != '\\') {  // a run of plain characters, copied at once
                std::size_t run = i_;
                while (i_ < s_.size()) {
                    auto d = static_cast<unsigned char>(s_[i_]);
                    if (d == '"' || d == '\\' || d < 0x20 || d >= 0x80) break;
                    ++i_;
                }
                out.append(s_.data() + run, i_ - run);
                continue;
            }
            ++i_;
            if (i_ >= s_.size()) return fail_at(err, "unterminated string", start);
            char e = s_[i_++];
            switch (e) {
                case '"': out.push_back('"'); break;
                case '\\': out.push_back('\\'); break;
                case '/': out.push_back('/'); break;
                case 'b': out.push_back('\b'); break;
                case 'f': out.push_back('\f'); break;
                case 'n': out.push_back('\n'); break;
                case 'r': out.push_back('\r'); break;
                case 't': out.push_back('\t'); break;
                case 'u': {
                    std::uint32_t cp;
                    if (!hex4(cp, err)) return false;
                    if (cp >= 0xDC00 && cp <= 0xDFFF) return fail(err, "unpaired low surrogate in \\u escape");
                    if (cp >= 0xD800 && cp <= 0xDBFF) {
                        std::uint32_t lo;
                        if (s_.substr(i_, 2) != "\\u") return fail(err, "unpaired high surrogate in \\u escape");
                        i_ += 2;
                        if (!hex4(lo, err)) return false;
                        if (lo < 0xDC00 || lo > 0xDFFF) return fail(err, "unpaired high surrogate in \\u escape");
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    }
                    put_utf8(out, cp);
                    break;
                }
                default: return fail_at(err, std::string("invalid escape '\\") + e + "' in string", i_ - 2);
            }
        }
    }

    static std::string hex2(unsigned char c) {
        char buf[4];
        std::snprintf(buf, sizeof buf, "%02X", c);
        return buf;
    }

    bool number(Json& out, JsonReadError& err) {
        std::size_t start = i_;
        auto digit = [&](std::size_t k) { return k < s_.size() && s_[k] >= '0' && s_[k] <= '9'; };
        bool integral = true;
        if (s_[i_] == '-') ++i_;
        if (s_.substr(i_, 8) == "Infinity") return fail(err, "NaN and Infinity are not JSON numbers");
        if (!digit(i_)) return fail(err, "invalid number: expected a digit");
        if (s_[i_] == '0') {
            ++i_;
            if (digit(i_)) return fail_at(err, "invalid number: leading zeros are not allowed", start);
        } else {
            while (digit(i_)) ++i_;
        }
        if (i_ < s_.size() && s_[i_] == '.') {
            integral = false;
            ++i_;
            if (!digit(i_)) return fail(err, "invalid number: expected a digit after '.'");
            while (digit(i_)) ++i_;
        }
        if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
            integral = false;
            ++i_;
            if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
            if (!digit(i_)) return fail(err, "invalid number: expected a digit in the exponent");
            while (digit(i_)) ++i_;
        }
        const char* first = s_.data() + start;
        const char* last = s_.data() + i_;
        if (integral) {
            if (*first == '-') {
                std::int64_t v;
                auto r = std::from_chars(first, last, v);
                if (r.ec == std::errc() && r.ptr == last) { out = v; return true; }
            } else {
                std::uint64_t v;
                auto r = std::from_chars(first, last, v);
                if (r.ec == std::errc() && r.ptr == last) {
                    if (v <= static_cast<std::uint64_t>(INT64_MAX)) out = static_cast<std::int64_t>(v);
                    else out = v;
                    return true;
                }
            }
        }
        double d;
        auto r = std::from_chars(first, last, d);
        if (r.ec == std::errc::result_out_of_range || !std::isfinite(d))
            return fail_at(err, "number " + std::string(first, last) + " is out of range", start);
        if (r.ec != std::errc() || r.ptr != last) return fail_at(err, "invalid number", start);
        out = d;
        return true;
    }
};

// Reads `text` as one JSON document. On failure returns false and fills `err`.
// Json is nlohmann::json or nlohmann::ordered_json (rule files keep their key order).
template <class Json>
bool read_json(std::string_view text, Json& out, JsonReadError& err,
               PositionMap* positions = nullptr, const JsonReadLimits& limits = {}) {
    JsonReader<Json> reader(text, positions, limits);
    return reader.read(out, err);
}

}  // namespace detail
}  // namespace symtri
