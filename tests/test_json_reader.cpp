// The strict JSON reader (positions, duplicates, UTF-8, numbers, depth) and SHA-256.
#include <symtri/detail/json_reader.hpp>
#include <symtri/detail/sha256.hpp>

#include "support.hpp"

namespace {
std::string read_error(const std::string& text, std::size_t depth = 256) {
    nlohmann::json j;
    symtri::detail::JsonReadError err;
    symtri::detail::JsonReadLimits limits;
    limits.max_depth = depth;
    if (symtri::detail::read_json(text, j, err, nullptr, limits)) return "";
    return std::to_string(err.pos.line) + ":" + std::to_string(err.pos.column) + " " + err.message;
}
}  // namespace

TEST_CASE("positions of values and keys are recorded by JSON Pointer, columns in code points") {
    nlohmann::ordered_json j;
    symtri::detail::JsonReadError err;
    symtri::detail::PositionMap pos;
    REQUIRE(symtri::detail::read_json(std::string("{\"a\": [1,\n  {\"é/x\": true}],\n \"b~\": \"ü\"}"), j, err, &pos));
    CHECK(pos.value("/a").line == 1);
    CHECK(pos.value("/a").column == 7);
    CHECK(pos.value("/a/1").line == 2);
    CHECK(pos.value("/a/1").column == 3);
    CHECK(pos.value("/a/1/é~1x").column == 11);
    CHECK(pos.key("/a/1/é~1x").column == 4);
    CHECK(pos.value("/b~0").line == 3);
    CHECK(pos.value("/b~0").column == 8);
    CHECK(j["b~"] == "ü");
}

TEST_CASE("positions: array elements by index, object members by key, every place in a document") {
    // Nested arrays and objects, a member named like an index, an empty key, siblings at one depth.
    const std::string text =
        "{\"rows\": [[1, 2], {\"0\": \"zero\", \"\": 5}, [], {}],\n"
        " \"x\": {\"y\": {\"z\": [true,\n   false]}},\n"
        " \"p\": {\"q\": 1}, \"r\": {\"s\": 2}}";
    nlohmann::ordered_json j;
    symtri::detail::JsonReadError err;
    symtri::detail::PositionMap pos;
    REQUIRE(symtri::detail::read_json(text, j, err, &pos));
    using P = std::pair<unsigned, unsigned>;
    auto at = [&](const char* ptr) { auto v = pos.value(ptr); return P{v.line, v.column}; };
    CHECK(at("") == P{1, 1});
    CHECK(at("/rows") == P{1, 10});
    CHECK(at("/rows/0") == P{1, 11});
    CHECK(at("/rows/0/1") == P{1, 15});
    CHECK(at("/rows/1") == P{1, 19});
    CHECK(at("/rows/1/0") == P{1, 25});
    CHECK(at("/rows/1/") == P{1, 37});
    CHECK(at("/rows/2") == P{1, 41});
    CHECK(at("/rows/3") == P{1, 45});
    CHECK(at("/x/y/z/1") == P{3, 4});
    CHECK(at("/p/q") == P{4, 13});
    CHECK(at("/r/s") == P{4, 28});
    CHECK(pos.key("/r/s").column == 23);
    // Names nothing: out of range, not an index, leading zero, missing key, below a scalar.
    for (const char* none : {"/rows/4", "/rows/x", "/rows/01", "/rows/-1", "/rows/2/0", "/nope", "/p/q/r", "/rows/99999999999", "x"})
        CHECK(pos.value(none).line == 0);
    // Members keep their order (ordered_json) after being gathered per depth.
    std::vector<std::string> keys;
    for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
    CHECK(keys == std::vector<std::string>{"rows", "x", "p", "r"});
    CHECK(j["rows"][1]["0"] == "zero");
    CHECK(j["rows"][1][""] == 5);
    CHECK(j["p"].size() == 1);  // siblings at one depth do not share members
    CHECK(j["r"].size() == 1);
}

TEST_CASE("positions of a large document: every array element and every member is found") {
    std::string text = "{\"rules\": [\n";
    const int n = 5000;
    for (int i = 0; i < n; ++i)
        text += std::string(i ? ",\n" : "") + "  {\"id\": \"r" + std::to_string(i) + "\", \"when\": {\"all\": [{\"finding\": \"f\"}]}}";
    text += "\n]}";
    nlohmann::ordered_json j;
    symtri::detail::JsonReadError err;
    symtri::detail::PositionMap pos;
    REQUIRE(symtri::detail::read_json(text, j, err, &pos));
    bool all_found = true;
    for (int i = 0; i < n; ++i) {
        std::string r = "/rules/" + std::to_string(i);
        auto v = pos.value(r + "/when/all/0/finding");
        all_found = all_found && pos.value(r).line == static_cast<unsigned>(i + 2) && pos.value(r).column == 3 &&
                    v.line == static_cast<unsigned>(i + 2) && pos.key(r + "/id").column == 4;
    }
    CHECK(all_found);
    CHECK(pos.value("/rules/" + std::to_string(n)).line == 0);
}

TEST_CASE("a large object keeps its members in order and still finds a duplicate key") {
    std::string text = "{";
    for (int i = 0; i < 100; ++i) text += std::string(i ? "," : "") + "\"k" + std::to_string(i) + "\": {\"v\": " + std::to_string(i) + "}";
    nlohmann::ordered_json j;
    symtri::detail::JsonReadError err;
    REQUIRE(symtri::detail::read_json(text + "}", j, err));
    int expect = 0;
    bool ordered = true;
    for (auto it = j.begin(); it != j.end(); ++it, ++expect)
        ordered = ordered && it.key() == "k" + std::to_string(expect) && it.value()["v"] == expect;
    CHECK(ordered);
    CHECK(expect == 100);
    CHECK(read_error(text + ",\"k57\": 1}").find("duplicate key 'k57'") != std::string::npos);
}

TEST_CASE("a UTF-8 byte order mark is skipped") {
    nlohmann::json j;
    symtri::detail::JsonReadError err;
    REQUIRE(symtri::detail::read_json(std::string("\xEF\xBB\xBF{\"a\": 1}"), j, err));
    CHECK(j["a"] == 1);
}

TEST_CASE("malformed input gives the place and the problem") {
    CHECK(read_error("{\"a\": 1, \"a\": 2}") == "1:10 duplicate key 'a'");
    CHECK(read_error("[NaN]") == "1:2 NaN and Infinity are not JSON numbers");
    CHECK(read_error("[1e999]") == "1:2 number 1e999 is out of range");
    CHECK(read_error("[01]") == "1:2 invalid number: leading zeros are not allowed");
    CHECK(read_error("[\"a\xFF\"]") == "1:4 invalid UTF-8 byte 0xFF in string");
    CHECK(read_error("[\"\xC0\xAF\"]") == "1:3 invalid UTF-8 byte 0xC0 in string");
    CHECK(read_error("[\"\xED\xA0\x80\"]") == "1:3 invalid UTF-8 sequence in string (overlong, surrogate or out of range)");
    CHECK(read_error("[\"\\ud800\"]") == "1:9 unpaired high surrogate in \\u escape");
    CHECK(read_error("[\"a\tb\"]") == "1:4 control character (byte 0x09) in string: escape it");
    CHECK(read_error("[\"abc") == "1:2 unterminated string");
    CHECK(read_error("{\"a\": 1} x") == "1:10 unexpected 'x' after the JSON value");
    CHECK(read_error("[[[[1]]]]", 3) == "1:4 nesting deeper than the limit of 3 levels");
    CHECK(read_error(std::string(100000, '[')) == "1:257 nesting deeper than the limit of 256 levels");
}

TEST_CASE("numbers keep integers exact and read big unsigned ones") {
    nlohmann::json j;
    symtri::detail::JsonReadError err;
    REQUIRE(symtri::detail::read_json(std::string("[-9223372036854775808, 18446744073709551615, 0.5, 1E2, \"\\u00e9\\ud83d\\ude00\"]"), j, err));
    CHECK(j[0].get<std::int64_t>() == INT64_MIN);
    CHECK(j[1].get<std::uint64_t>() == UINT64_MAX);
    CHECK(j[2].get<double>() == 0.5);
    CHECK(j[3].get<double>() == 100.0);
    CHECK(j[4] == "\xC3\xA9\xF0\x9F\x98\x80");
}

TEST_CASE("SHA-256 matches the FIPS 180-4 test vectors") {
    CHECK(symtri::detail::sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(symtri::detail::sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(symtri::detail::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK(symtri::detail::sha256_hex(std::string(1000000, 'a')) ==
          "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("did-you-mean finds close misspellings and nothing for unrelated words") {
    std::vector<std::string> ids = {"saddle_numbness", "sciatica", "numbness", "fever"};
    CHECK(symtri::detail::closest("sadle_numbness", ids) == "saddle_numbness");
    CHECK(symtri::detail::closest("sicatica", ids) == "sciatica");
    CHECK(symtri::detail::closest("fevr", ids) == "fever");
    CHECK(symtri::detail::closest("headache", ids) == "");
}
