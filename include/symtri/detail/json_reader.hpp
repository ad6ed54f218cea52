// SPDX-License-Identifier: Apache-2.0
// A strict JSON reader. It checks and scans; a builder makes the result: an nlohmann tree here
// (TreeBuilder, for cases), or a rule file's JsonDocument with the place of every value and key
// (json_document.hpp).
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
#include <deque>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "json_pointer.hpp"

namespace symtri {
namespace detail {

struct SourcePos {
    std::uint32_t line = 0;    // 1-based; 0 means "not known"
    std::uint32_t column = 0;  // 1-based, counted in Unicode code points
    bool known() const { return line != 0; }
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

// The reader scans and checks; a builder makes something of what it reads. It calls, in document
// order: null(pos), boolean(b, pos), integer(i, pos), unsigned_integer(u, pos), floating(d, pos),
// string(s, in_text, pos), begin_object(pos), key(k, in_text, key_pos), end_object(),
// begin_array(pos), end_array(); and reserve(n) first with an upper bound on the number of values.
// A string or key with `in_text` true is a view into the text being read (it had no escapes); with
// `in_text` false it lives only until the next call. Positions are worked out only for a builder
// that declares `static constexpr bool wants_positions = true`.
//
// Duplicate keys are found here, not by the builders: nlohmann 3.11 keeps the last of two silently,
// and a duplicate key in a case could hide a red flag.
template <class Builder>
class JsonReader {
public:
    JsonReader(std::string_view text, Builder& out, const JsonReadLimits& limits)
        : s_(text), out_(out), limits_(limits) {}

    bool read(JsonReadError& err) {
        // A UTF-8 byte order mark is allowed and skipped (RFC 8259 section 8.1 lets a parser ignore it).
        if (s_.size() >= 3 && s_.substr(0, 3) == "\xEF\xBB\xBF") { i_ = 3; line_start_ = 3; }
        skip_ws();
        if (i_ >= s_.size()) return fail(err, s_.empty() ? "empty input: expected a JSON value"
                                                        : "expected a JSON value, found only white space");
        out_.reserve(value_bound());
        if (!value(0, err)) return false;
        skip_ws();
        if (i_ < s_.size()) return fail(err, "unexpected " + describe_here() + " after the JSON value");
        return true;
    }

private:
    static constexpr bool positions_ = Builder::wants_positions;
    std::string_view s_;
    std::size_t i_ = 0;
    std::size_t line_ = 1;
    std::size_t line_start_ = 0;
    Builder& out_;
    JsonReadLimits limits_;
    // The way to the value being read, made into a JSON Pointer only for an error (one string per
    // value was a large part of reading a big file). Keys are views: into the text, or into
    // escaped_keys_ for keys that had escapes.
    struct Step {
        std::string_view key;
        std::size_t index;
        bool member;
    };
    std::vector<Step> path_;
    // Per depth: the keys of the object being read there, checked for duplicates (linearly while
    // few, then in a hash set: a 1 MiB object of short keys took minutes with a linear scan), and the
    // keys that had escapes, kept in a deque so views of them stay valid while the object is read.
    // A deque of these too: growing a vector of them copied each (std::deque's move may throw, so
    // std::vector copies) and left the views in path_ and keys pointing at freed strings.
    struct ObjectKeys {
        std::vector<std::string_view> keys;
        std::unordered_set<std::string_view> seen;
        std::deque<std::string> escaped;
    };
    std::deque<ObjectKeys> objects_;
    std::string buf_;  // a string with escapes, decoded
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
    SourcePos where(std::size_t offset) {
        if constexpr (positions_) return pos_at(offset);
        else return SourcePos{};
    }

    std::string pointer() const {
        std::string p;
        for (const auto& st : path_) append_pointer_token(p, st.member ? st.key : std::string_view(std::to_string(st.index)));
        return p;
    }

    bool fail(JsonReadError& err, std::string message) { return fail_at(err, std::move(message), i_); }
    bool fail_at(JsonReadError& err, std::string message, std::size_t offset) {
        err.message = std::move(message);
        err.pos = pos_at(offset);
        err.pointer = pointer();
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

    // An upper bound on the number of values, so a builder can allocate once: every value but the
    // root follows a ':' (members), a ',' (later elements) or a '[' (first elements).
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

    bool value(std::size_t depth, JsonReadError& err) {
        if (i_ >= s_.size()) return fail(err, "unexpected end of input: expected a JSON value");
        SourcePos pos = where(i_);
        switch (s_[i_]) {
            case '{': return object(depth, pos, err);
            case '[': return array(depth, pos, err);
            case '"': {
                std::string_view str;
                bool in_text;
                if (!string(str, in_text, err)) return false;
                out_.string(str, in_text, pos);
                return true;
            }
            case 't': if (!literal("true", err)) return false; out_.boolean(true, pos); return true;
            case 'f': if (!literal("false", err)) return false; out_.boolean(false, pos); return true;
            case 'n': if (!literal("null", err)) return false; out_.null(pos); return true;
            default:
                if (s_[i_] == '-' || (s_[i_] >= '0' && s_[i_] <= '9')) return number(pos, err);
                if (s_.substr(i_, 3) == "NaN" || s_.substr(i_, 8) == "Infinity")
                    return fail(err, "NaN and Infinity are not JSON numbers");
                return fail(err, "unexpected " + describe_here() + ": expected a JSON value");
        }
    }

    bool literal(std::string_view word, JsonReadError& err) {
        if (s_.substr(i_, word.size()) != word)
            return fail(err, "invalid literal: expected '" + std::string(word) + "'");
        i_ += word.size();
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

    // True when `key` is new in the object read at `depth`; remembers it.
    bool fresh_key(ObjectKeys& o, std::string_view key) {
        constexpr std::size_t small = 16;
        if (o.keys.size() < small) {
            for (std::string_view k : o.keys)
                if (k == key) return false;
        } else {
            if (o.seen.empty()) o.seen.insert(o.keys.begin(), o.keys.end());
            if (!o.seen.insert(key).second) return false;
        }
        o.keys.push_back(key);
        return true;
    }

    bool object(std::size_t depth, SourcePos pos, JsonReadError& err) {
        if (!enter(depth, err)) return false;
        out_.begin_object(pos);
        ++i_;
        skip_ws();
        if (i_ < s_.size() && s_[i_] == '}') { ++i_; out_.end_object(); return true; }
        if (objects_.size() <= depth) objects_.resize(depth + 1);
        {
            ObjectKeys& o = objects_[depth];
            o.keys.clear();
            o.seen.clear();
            o.escaped.clear();
        }
        for (;;) {
            skip_ws();
            if (i_ >= s_.size() || s_[i_] != '"')
                return fail(err, "expected a string key in object, found " + describe_here());
            std::size_t key_offset = i_;
            std::string_view key;
            bool in_text;
            if (!string(key, in_text, err)) return false;
            // Indexed anew each time: deeper objects may grow objects_ and move these entries.
            ObjectKeys& o = objects_[depth];
            if (!in_text) key = o.escaped.emplace_back(key);
            path_.push_back(Step{key, 0, true});
            if (!fresh_key(o, key)) return fail_at(err, "duplicate key '" + std::string(key) + "'", key_offset);
            out_.key(key, in_text, where(key_offset));
            skip_ws();
            if (i_ >= s_.size() || s_[i_] != ':') return fail(err, "expected ':' after key, found " + describe_here());
            ++i_;
            skip_ws();
            if (!value(depth + 1, err)) return false;
            path_.pop_back();
            skip_ws();
            if (i_ < s_.size() && s_[i_] == ',') { ++i_; continue; }
            if (i_ < s_.size() && s_[i_] == '}') {
                ++i_;
                out_.end_object();
                return true;
            }
            return fail(err, "expected ',' or '}' in object, found " + describe_here());
        }
    }

    bool array(std::size_t depth, SourcePos pos, JsonReadError& err) {
        if (!enter(depth, err)) return false;
        out_.begin_array(pos);
        ++i_;
        skip_ws();
        if (i_ < s_.size() && s_[i_] == ']') { ++i_; out_.end_array(); return true; }
        for (std::size_t index = 0;; ++index) {
            skip_ws();
            path_.push_back(Step{{}, index, false});
            if (!value(depth + 1, err)) return false;
            path_.pop_back();
            skip_ws();
            if (i_ < s_.size() && s_[i_] == ',') { ++i_; continue; }
            if (i_ < s_.size() && s_[i_] == ']') { ++i_; out_.end_array(); return true; }
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
    bool utf8_sequence(JsonReadError& err) {
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
        i_ += n;
        return true;
    }

    // Reads a string at i_. Without escapes (nearly always) `out` is a view into the text; with them
    // it is decoded into buf_ and `in_text` is false.
    bool string(std::string_view& out, bool& in_text, JsonReadError& err) {
        std::size_t start = i_;
        ++i_;  // opening quote
        std::size_t run = i_;  // start of the plain characters not yet copied to buf_
        in_text = true;
        for (;;) {
            if (i_ >= s_.size()) return fail_at(err, "unterminated string", start);
            unsigned char c = static_cast<unsigned char>(s_[i_]);
            if (c == '"') {
                if (in_text) {
                    out = s_.substr(start + 1, i_ - start - 1);
                } else {
                    buf_.append(s_.data() + run, i_ - run);
                    out = buf_;
                }
                ++i_;
                return true;
            }
            if (c < 0x20) return fail(err, "control character (byte 0x" + hex2(c) + ") in string: escape it");
            if (c >= 0x80) {
                if (!utf8_sequence(err)) return false;
                continue;
            }
            if (c != '\\') {
                ++i_;
                continue;
            }
            if (in_text) {
                in_text = false;
                buf_.clear();
            }
            buf_.append(s_.data() + run, i_ - run);
            ++i_;
            if (i_ >= s_.size()) return fail_at(err, "unterminated string", start);
            char e = s_[i_++];
            switch (e) {
                case '"': buf_.push_back('"'); break;
                case '\\': buf_.push_back('\\'); break;
                case '/': buf_.push_back('/'); break;
                case 'b': buf_.push_back('\b'); break;
                case 'f': buf_.push_back('\f'); break;
                case 'n': buf_.push_back('\n'); break;
                case 'r': buf_.push_back('\r'); break;
                case 't': buf_.push_back('\t'); break;
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
                    put_utf8(buf_, cp);
                    break;
                }
                default: return fail_at(err, std::string("invalid escape '\\") + e + "' in string", i_ - 2);
            }
            run = i_;
        }
    }

    static std::string hex2(unsigned char c) {
        char buf[4];
        std::snprintf(buf, sizeof buf, "%02X", c);
        return buf;
    }

    // Whether a JSON number (already checked) that is out of a double's range is so by being too
    // small: its first significant digit sits below the units (the exponent is counted with
    // saturation, so a thousand-digit exponent cannot overflow).
    static bool underflows(const char* p, const char* last) {
        if (*p == '-') ++p;
        long long place = 0;  // the power of ten of the first significant digit, before the exponent
        bool found = false;
        long long int_digits = 0;
        for (; p < last && *p >= '0' && *p <= '9'; ++p, ++int_digits)
            if (!found && *p != '0') { found = true; place = -int_digits; }
        if (found) place += int_digits - 1;
        if (p < last && *p == '.') {
            ++p;
            for (long long k = 1; p < last && *p >= '0' && *p <= '9'; ++p, ++k)
                if (!found && *p != '0') { found = true; place = -k; }
        }
        long long e = 0;
        bool negative = false;
        if (p < last && (*p == 'e' || *p == 'E')) {
            ++p;
            if (p < last && (*p == '+' || *p == '-')) negative = *p++ == '-';
            for (; p < last; ++p) e = std::min<long long>(e * 10 + (*p - '0'), 1000000000LL);
        }
        return found && place + (negative ? -e : e) < 0;
    }

    bool number(SourcePos pos, JsonReadError& err) {
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
                if (r.ec == std::errc() && r.ptr == last) { out_.integer(v, pos); return true; }
            } else {
                std::uint64_t v;
                auto r = std::from_chars(first, last, v);
                if (r.ec == std::errc() && r.ptr == last) {
                    if (v <= static_cast<std::uint64_t>(INT64_MAX)) out_.integer(static_cast<std::int64_t>(v), pos);
                    else out_.unsigned_integer(v, pos);
                    return true;
                }
            }
        }
        double d;
        auto r = std::from_chars(first, last, d);
        // Too small for a double (1e-400) is valid JSON that underflows: zero, of the number's sign (as
        // strtod and nlohmann::json read it). Too large (1e400) has no double and is rejected.
        if (r.ec == std::errc::result_out_of_range && r.ptr == last && underflows(first, last)) {
            out_.floating(*first == '-' ? -0.0 : 0.0, pos);
            return true;
        }
        if (r.ec == std::errc::result_out_of_range || !std::isfinite(d))
            return fail_at(err, "number " + std::string(first, last) + " is out of range", start);
        if (r.ec != std::errc() || r.ptr != last) return fail_at(err, "invalid number", start);
        out_.floating(d, pos);
        return true;
    }
};

// Builds an nlohmann::json or nlohmann::ordered_json (cases, and anything else read as a tree).
template <class Json>
class TreeBuilder {
public:
    static constexpr bool wants_positions = false;
    explicit TreeBuilder(Json& root) : root_(root) {}

    void reserve(std::size_t) {}
    void null(SourcePos) { put(Json(nullptr)); }
    void boolean(bool b, SourcePos) { put(Json(b)); }
    void integer(std::int64_t v, SourcePos) { put(Json(v)); }
    void unsigned_integer(std::uint64_t v, SourcePos) { put(Json(v)); }
    void floating(double v, SourcePos) { put(Json(v)); }
    void string(std::string_view s, bool, SourcePos) { put(Json(std::string(s))); }
    void key(std::string_view k, bool, SourcePos) { frames_[depth_ - 1].key.assign(k); }
    void begin_object(SourcePos) { open(true); }
    void begin_array(SourcePos) { open(false); }
    void end_object() {
        Frame& f = frames_[--depth_];
        Json obj = Json::object();
        take_members(obj, f.members);
        put(std::move(obj));
    }
    void end_array() {
        Frame& f = frames_[--depth_];
        Json arr = std::move(f.array);
        put(std::move(arr));
    }

private:
    // Members are gathered in a list per depth (reused from object to object) and moved into the
    // object once it is complete. Appending to the object directly copied every earlier member,
    // subtree and all, each time it grew: nlohmann::ordered_json is a std::vector of
    // pair<const string, json>, whose move is not noexcept, so the vector copies rather than moves.
    using Member = std::pair<std::string, Json>;
    struct Frame {
        bool object = false;
        std::string key;
        std::vector<Member> members;
        Json array;
    };
    Json& root_;
    std::vector<Frame> frames_;  // those at depth_ and above are kept for their capacity
    std::size_t depth_ = 0;

    void open(bool object) {
        if (frames_.size() <= depth_) frames_.resize(depth_ + 1);
        Frame& f = frames_[depth_++];
        f.object = object;
        f.members.clear();
        if (!object) f.array = Json::array();
    }
    void put(Json&& v) {
        if (depth_ == 0) { root_ = std::move(v); return; }
        Frame& f = frames_[depth_ - 1];
        if (f.object) f.members.emplace_back(std::move(f.key), std::move(v));
        else f.array.push_back(std::move(v));
    }

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
};

// Reads `text` as one JSON document into an nlohmann tree. On failure returns false and fills `err`.
template <class Json>
bool read_json(std::string_view text, Json& out, JsonReadError& err, const JsonReadLimits& limits = {}) {
    TreeBuilder<Json> builder(out);
    JsonReader<TreeBuilder<Json>> reader(text, builder, limits);
    return reader.read(err);
}

}  // namespace detail
}  // namespace symtri
