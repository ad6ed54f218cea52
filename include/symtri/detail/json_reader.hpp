// A strict JSON reader that builds an nlohmann::json and, on request, records where every value and
// key starts (line, column) by JSON Pointer.
//
// Why not nlohmann::json::parse: nlohmann 3.11 reports positions only for syntax errors, silently keeps
// the last of two duplicate keys, and accepts nesting as deep as the stack allows. A rule author needs
// "file:line:col" for semantic errors in valid JSON, and a duplicate key in a case could hide a red flag.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
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
struct PositionMap {
    std::unordered_map<std::string, SourcePos> values;
    std::unordered_map<std::string, SourcePos> keys;  // pointer of the member -> where its key starts

    SourcePos value(const std::string& pointer) const {
        auto it = values.find(pointer);
        return it == values.end() ? SourcePos{} : it->second;
    }
    // The key's position if known, else the value's.
    SourcePos key(const std::string& pointer) const {
        auto it = keys.find(pointer);
        return it == keys.end() ? value(pointer) : it->second;
    }
};

struct JsonReadError {
    std::string message;
    SourcePos pos;
    std::string pointer;  // where the reader was when it failed
};

struct JsonReadLimits {
    std::size_t max_depth = 256;
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
        if (!value(out, 0, err)) return false;
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

    SourcePos pos_at(std::size_t offset) const {
        std::uint32_t col = 1;
        for (std::size_t k = line_start_; k < offset && k < s_.size(); ++k)
            if ((static_cast<unsigned char>(s_[k]) & 0xC0) != 0x80) ++col;
        return SourcePos{static_cast<std::uint32_t>(line_), col};
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
        unsigned char c = static_cast<unsigned char>(s_[i_]);
        if (c >= 0x20 && c < 0x7F) return std::string("'") + static_cast<char>(c) + "'";
        char buf[16];
        std::snprintf(buf, sizeof buf, "byte 0x%02X", c);
        return buf;
    }

    void skip_ws() {
        while (i_ < s_.size()) {
            char c = s_[i_];
            if (c == '\n') { ++line_; line_start_ = ++i_; }
            else if (c == ' ' || c == '\t' || c == '\r') ++i_;
            else break;
        }
    }

    bool value(Json& out, std::size_t depth, JsonReadError& err) {
        if (positions_) positions_->values.emplace(pointer_, pos_at(i_));
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
        if (depth + 1 > limits_.max_depth)
            return fail(err, "nesting deeper than the limit of " + std::to_string(limits_.max_depth) + " levels");
        return true;
    }

    bool object(Json& out, std::size_t depth, JsonReadError& err) {
        if (!enter(depth, err)) return false;
        out = Json::object();
        ++i_;
        skip_ws();
        if (i_ < s_.size() && s_[i_] == '}') { ++i_; return true; }
        for (;;) {
            skip_ws();
            if (i_ >= s_.size() || s_[i_] != '"')
                return fail(err, "expected a string key in object, found " + describe_here());
            std::size_t key_offset = i_;
            std::string key;
            if (!string(key, err)) return false;
            std::size_t saved = pointer_.size();
            append_pointer_token(pointer_, key);
            if (out.contains(key))
                return fail_at(err, "duplicate key '" + key + "'", key_offset);
            if (positions_) positions_->keys.emplace(pointer_, pos_at(key_offset));
            skip_ws();
            if (i_ >= s_.size() || s_[i_] != ':') return fail(err, "expected ':' after key, found " + describe_here());
            ++i_;
            skip_ws();
            Json& slot = out[key];
            if (!value(slot, depth + 1, err)) return false;
            pointer_.resize(saved);
            skip_ws();
            if (i_ < s_.size() && s_[i_] == ',') { ++i_; continue; }
            if (i_ < s_.size() && s_[i_] == '}') { ++i_; return true; }
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
            append_pointer_token(pointer_, std::to_string(index));
            out.push_back(nullptr);
            if (!value(out.back(), depth + 1, err)) return false;
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
            if (c != '\\') { out.push_back(static_cast<char>(c)); ++i_; continue; }
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
