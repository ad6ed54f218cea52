// SPDX-License-Identifier: Apache-2.0
// JSON string quoting (detail/text.hpp) must be byte for byte what nlohmann::json writes, so results
// stay identical whichever writes them: checked on every byte value, on random byte strings (most of
// them invalid UTF-8) and on random well-formed UTF-8.
#include <random>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <symtri/symtri.hpp>

namespace {

std::string nlohmann_quote(const std::string& s) {
    return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool nlohmann_valid(const std::string& s) {
    try {
        (void)nlohmann::json(s).dump();  // the strict handler throws on invalid UTF-8
        return true;
    } catch (const nlohmann::json::type_error&) {
        return false;
    }
}

}  // namespace

TEST_CASE("quote escapes every single byte as nlohmann::json does", "[text]") {
    for (int b = 0; b < 256; ++b) {
        std::string s = "a" + std::string(1, static_cast<char>(b)) + "z";
        INFO("byte " << b);
        CHECK(symtri::detail::quote(s) == nlohmann_quote(s));
        CHECK(symtri::detail::valid_utf8(s) == nlohmann_valid(s));
    }
}

TEST_CASE("quote agrees with nlohmann::json on random bytes and random UTF-8", "[text]") {
    std::mt19937 rng(11);
    int valid = 0;
    for (int k = 0; k < 20000; ++k) {
        std::string s;
        auto n = rng() % 12;
        for (unsigned i = 0; i < n; ++i) {
            if (k % 2) {
                s += static_cast<char>(rng() % 256);  // raw bytes
            } else {
                // a random code point, encoded
                auto cp = static_cast<std::uint32_t>(rng() % 4 == 0 ? rng() % 0x20 : rng() % 0x110000);
                if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0x41;
                if (cp < 0x80) s += static_cast<char>(cp);
                else if (cp < 0x800) { s += static_cast<char>(0xC0 | (cp >> 6)); s += static_cast<char>(0x80 | (cp & 0x3F)); }
                else if (cp < 0x10000) {
                    s += static_cast<char>(0xE0 | (cp >> 12)); s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
                    s += static_cast<char>(0x80 | (cp & 0x3F));
                } else {
                    s += static_cast<char>(0xF0 | (cp >> 18)); s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
                    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F)); s += static_cast<char>(0x80 | (cp & 0x3F));
                }
            }
        }
        INFO("string of " << s.size() << " bytes, case " << k);
        CHECK(symtri::detail::quote(s) == nlohmann_quote(s));
        bool v = symtri::detail::valid_utf8(s);
        CHECK(v == nlohmann_valid(s));
        valid += v;
    }
    CHECK(valid > 10000);  // both kinds were really tried
    CHECK(valid < 20000);
}
