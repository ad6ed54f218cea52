// SPDX-License-Identifier: Apache-2.0
// The fast path of case parsing: one pass over the text straight into a Case, with no JSON tree, no
// JSON Pointer strings and no allocation for well-formed cases.
//
// It accepts only what it can check completely: plain ASCII strings without escapes, the keys and
// values the contract names, each key once. Anything else (an escape, a non-ASCII byte, an unknown
// key, a bad value, a duplicate, deeper nesting than a case has) makes it give up and return false,
// and parse_case then runs the checked path (CaseParser over a JSON tree), which accepts what is
// valid and gives the exact error for what is not. So this reader never decides that a case is bad;
// it only ever decides that a case is good, and for those it must fill the Case exactly as the
// checked path would (tests/test_case_fast.cpp compares the two on every case the tests know).
#pragma once

#include <charconv>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "../attributes.hpp"
#include "../case_data.hpp"
#include "../ruleset.hpp"

namespace symtri {
namespace detail {

class FastCaseReader {
public:
    FastCaseReader(const RuleSet& rs, Case& c, std::string_view s) : rs_(rs), c_(c), s_(s) {}

    // True when the whole text was a good case and `c` holds it; false to fall back.
    bool read() {
        c_.reset(rs_);
        ws();
        unsigned seen = 0;  // top-level keys given: bit per key, so a duplicate falls back
        bool ok = members([&](std::string_view key) {
            unsigned bit;
            if (key == "findings") { bit = 1; if (!findings()) return false; }
            else if (key == "patient") { bit = 2; if (!patient()) return false; }
            else if (key == "case_id") { bit = 4; if (!case_id()) return false; }
            else if (key == "locale") { bit = 8; if (!locale()) return false; }
            else return false;
            if (seen & bit) return false;
            seen |= bit;
            return true;
        });
        if (!ok) return false;
        ws();
        return i_ == s_.size();
    }

private:
    const RuleSet& rs_;
    Case& c_;
    std::string_view s_;
    std::size_t i_ = 0;

    char peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
    bool eat(char ch) {
        if (peek() != ch) return false;
        ++i_;
        return true;
    }
    void ws() {
        // Every JSON whitespace character is at most ' ': one comparison for the usual case of none.
        while (i_ < s_.size() && static_cast<unsigned char>(s_[i_]) <= ' ' &&
               (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t'))
            ++i_;
    }
    bool literal(std::string_view word) {
        // (memcmp of a literal's known length is a compare or two once inlined; substr and == were calls)
        if (s_.size() - i_ < word.size() || std::memcmp(s_.data() + i_, word.data(), word.size()) != 0) return false;
        i_ += word.size();
        return true;
    }
    // Which bytes may stand in a string this reader accepts: printable ASCII but the quote and the
    // backslash. One table look-up per byte instead of four comparisons.
    struct PlainBytes {
        bool plain[256] = {};
        constexpr PlainBytes() {
            for (int ch = 0x20; ch < 0x80; ++ch) plain[ch] = ch != '"' && ch != '\\';
        }
    };
    // A string of printable ASCII without escapes (anything else falls back).
    bool string(std::string_view& out) {
        static constexpr PlainBytes bytes{};
        if (!eat('"')) return false;
        const std::size_t start = i_, size = s_.size();
        const char* d = s_.data();
        while (i_ < size && bytes.plain[static_cast<unsigned char>(d[i_])]) ++i_;
        if (i_ == size || d[i_] != '"') return false;  // the end, an escape, or a byte it does not take
        out = s_.substr(start, i_ - start);
        ++i_;
        return true;
    }
    // A JSON number; `integer` says whether it was written without fraction or exponent (as
    // nlohmann::json, behind the checked path, tells integers from floats).
    bool number(double& out, bool& integer) {
        std::size_t start = i_;
        if (peek() == '-') ++i_;
        if (peek() == '0') ++i_;
        else if (peek() >= '1' && peek() <= '9') while (peek() >= '0' && peek() <= '9') ++i_;
        else return false;
        integer = true;
        if (peek() == '.') {
            integer = false;
            ++i_;
            if (!(peek() >= '0' && peek() <= '9')) return false;
            while (peek() >= '0' && peek() <= '9') ++i_;
        }
        if (peek() == 'e' || peek() == 'E') {
            integer = false;
            ++i_;
            if (peek() == '+' || peek() == '-') ++i_;
            if (!(peek() >= '0' && peek() <= '9')) return false;
            while (peek() >= '0' && peek() <= '9') ++i_;
        }
        // Long integers overflow nlohmann's 64-bit integers differently: leave them to the checked path.
        if (integer && i_ - start > 15) return false;
        if (integer) {  // at most 15 digits: exact as a double, as from_chars gives it, without the call
            const bool negative = s_[start] == '-';
            std::int64_t v = 0;
            for (std::size_t k = start + negative; k < i_; ++k) v = v * 10 + (s_[k] - '0');
            out = negative ? -static_cast<double>(v) : static_cast<double>(v);
            return true;
        }
        auto r = std::from_chars(s_.data() + start, s_.data() + i_, out);
        return r.ec == std::errc() && r.ptr == s_.data() + i_;
    }
    bool boolean(bool& out) {
        if (literal("true")) { out = true; return true; }
        if (literal("false")) { out = false; return true; }
        return false;
    }

    // An object: calls on_member(key) with the reader at the member's value, which on_member reads.
    template <class OnMember>
    bool members(OnMember&& on_member) {
        if (!eat('{')) return false;
        ws();
        if (eat('}')) return true;
        for (;;) {
            std::string_view key;
            if (!string(key)) return false;
            ws();
            if (!eat(':')) return false;
            ws();
            if (!on_member(key)) return false;
            ws();
            if (eat(',')) { ws(); continue; }
            return eat('}');
        }
    }

    bool case_id() {
        if (literal("null")) return true;  // as the checked path: case_id_json stays null
        std::string_view id;
        if (!string(id)) return false;
        c_.case_id.emplace(id);
        c_.case_id_json = *c_.case_id;
        return true;
    }

    bool locale() {
        if (literal("null")) return true;
        std::string_view tag;
        if (!string(tag)) return false;
        c_.locale.assign(tag.data(), tag.size());
        c_.locale_index = rs_.locale_index(tag);
        return true;
    }

    bool patient() {
        if (literal("null")) return true;
        unsigned seen = 0;
        return members([&](std::string_view key) {
            if (key == "age") {
                if (seen & 1) return false;
                seen |= 1;
                if (literal("null")) return true;
                double a;
                bool integer;
                if (!number(a, integer) || !(a >= 0 && a <= 130)) return false;
                c_.age = a;
                return true;
            }
            if (key == "sex") {
                if (seen & 2) return false;
                seen |= 2;
                if (literal("null")) return true;
                std::string_view v;
                if (!string(v)) return false;
                int k = index_of(sex_names, v);
                if (k < 0) return false;
                c_.sex = static_cast<std::int8_t>(k);
                return true;
            }
            return false;
        });
    }

    bool findings() {
        if (literal("null")) return true;
        return members([&](std::string_view id) { return finding(id); });
    }

    // Findings already named in this case (answered or null): one given twice, or by id and by alias,
    // falls back, so the checked path decides.
    bool named_before(std::int32_t f) {
        for (std::size_t k = 0; k < named_count_; ++k)
            if (named_[k] == f) return true;
        if (named_count_ == sizeof named_ / sizeof named_[0]) return true;  // long case: let the checked path do it
        named_[named_count_++] = f;
        return false;
    }
    std::int32_t named_[128];
    std::size_t named_count_ = 0;

    bool finding(std::string_view id) {
        std::int32_t f = rs_.find_finding_fast(id);
        if (f < 0 || named_before(f)) return false;
        const Finding& def = rs_.findings[static_cast<std::size_t>(f)];
        FindingValue fv;
        bool b;
        if (boolean(b)) {
            fv.presence = b ? Presence::present : Presence::absent;
        } else if (literal("null")) {
            return true;
        } else {
            unsigned seen = 0;
            bool has_present = false;
            bool ok = members([&](std::string_view key) {
                if (key == "present") {
                    if (has_present) return false;
                    has_present = true;
                    if (boolean(b)) fv.presence = b ? Presence::present : Presence::absent;
                    else if (!literal("null")) return false;
                    return true;
                }
                int a = index_of(attr_names, key);
                if (a < 0 || !(def.attributes & (1u << a)) || (seen & (1u << a))) return false;
                seen |= 1u << a;
                return literal("null") || attribute(def, static_cast<Attr>(a), fv);
            });
            if (!ok) return false;
            if (!has_present) return false;
            if (fv.presence == Presence::unknown) return true;  // nothing answered: leave the slot empty
        }
        c_.findings[static_cast<std::size_t>(f)] = fv;
        c_.answered.push_back(f);
        return true;
    }

    template <std::size_t N>
    bool enum_value(const std::array<std::string_view, N>& names, std::int8_t& out) {
        std::string_view v;
        if (!string(v)) return false;
        int k = index_of(names, v);
        if (k < 0) return false;
        out = static_cast<std::int8_t>(k);
        return true;
    }

    bool attribute(const Finding& def, Attr a, FindingValue& fv) {
        switch (a) {
            case Attr::side: return enum_value(side_names, fv.side);
            case Attr::onset: return enum_value(onset_names, fv.onset);
            case Attr::trend: return enum_value(trend_names, fv.trend);
            case Attr::sites: {
                if (!eat('[')) return false;
                ws();
                std::uint32_t mask = 0;
                if (!eat(']')) {
                    for (;;) {
                        std::int8_t s = -1;
                        if (!enum_value(site_names, s)) return false;
                        mask |= 1u << s;
                        ws();
                        if (eat(',')) { ws(); continue; }
                        if (eat(']')) break;
                        return false;
                    }
                }
                fv.sites = mask;
                return true;
            }
            case Attr::duration_days: {
                double d;
                bool integer;
                if (!number(d, integer) || !(d >= 0 && d <= 1e6)) return false;
                fv.duration_days = d;
                return true;
            }
            case Attr::severity: {
                double d;
                bool integer;
                if (!number(d, integer) || !integer || !(d >= 0 && d <= 10)) return false;
                fv.severity = static_cast<std::int8_t>(d);
                return true;
            }
            case Attr::at_night:
            case Attr::constant: {
                bool b;
                if (!boolean(b)) return false;
                (a == Attr::at_night ? fv.at_night : fv.constant) = static_cast<std::int8_t>(b ? 1 : 0);
                return true;
            }
            case Attr::character: {
                std::string_view v;
                if (!string(v) || v.empty() || v.size() > 64) return false;
                for (char ch : v)
                    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-')) return false;
                if (!def.characters.empty()) {
                    bool allowed = false;
                    for (const auto& c : def.characters) allowed = allowed || c == v;
                    if (!allowed) return false;
                }
                int k = rs_.find_character(v);
                fv.character = k >= 0 ? k : -2;
                return true;
            }
        }
        return false;
    }
};

}  // namespace detail
}  // namespace symtri
