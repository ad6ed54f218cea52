// SPDX-License-Identifier: Apache-2.0
// symtri/jsonl.hpp, the line rule `symtri batch`, symtri_engine_triage_jsonl and the service's streamed
// /v1/batch share: the splitter gives the same lines whatever pieces the input arrives in, holds no
// more than the limit of one line, and triage_jsonl_line answers each kind of line as documented.
#include <limits>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <symtri/jsonl.hpp>
#include <symtri/symtri.hpp>

namespace {

using Lines = std::vector<std::tuple<std::string, bool, std::size_t>>;  // text, too long, number

Lines split(const std::string& input, std::size_t max, const std::vector<std::size_t>& cuts) {
    Lines out;
    symtri::JsonlSplitter s(max);
    auto keep = [&](std::string_view t, bool too_long, std::size_t n) { out.emplace_back(std::string(t), too_long, n); };
    std::size_t at = 0;
    for (std::size_t cut : cuts) {
        if (cut <= at || cut > input.size()) continue;
        s.feed(std::string_view(input).substr(at, cut - at), keep);
        at = cut;
    }
    s.feed(std::string_view(input).substr(at), keep);
    s.finish(keep);
    REQUIRE(s.lines() == out.size());
    return out;
}

}  // namespace

TEST_CASE("jsonl: lines, CRLF, blank, too long and a last line without a newline", "[jsonl]") {
    const std::string input = "a\r\n\nbb\n" + std::string(12, 'x') + "\nccc\r\r\n" + std::string(11, 'y') + "\r\nlast";
    Lines got = split(input, 11, {});
    Lines want = {{"a", false, 1},  {"", false, 2},    {"bb", false, 3},         {"", true, 4},
                  {"ccc\r", false, 5}, {std::string(11, 'y'), false, 6}, {"last", false, 7}};
    CHECK(got == want);
    // A too-long last line without a newline is one too-long line.
    CHECK(split("ok\n" + std::string(50, 'z'), 11, {5, 9}) == Lines{{"ok", false, 1}, {"", true, 2}});
    // Nothing, and a final newline, give no extra line.
    CHECK(split("", 11, {}).empty());
    CHECK(split("a\n", 11, {}) == Lines{{"a", false, 1}});
}

TEST_CASE("jsonl: every way of cutting the input gives the same lines", "[jsonl]") {
    std::mt19937 rng(11);
    const char alphabet[] = "ab\r\n\n{}";
    for (int round = 0; round < 300; ++round) {
        std::string input;
        std::size_t n = rng() % 120;
        for (std::size_t i = 0; i < n; ++i) input += alphabet[rng() % (sizeof alphabet - 1)];
        std::size_t max = 1 + rng() % 12;
        Lines whole = split(input, max, {});
        std::vector<std::size_t> cuts;
        for (std::size_t at = 0; at < input.size(); at += 1 + rng() % 7) cuts.push_back(at);
        CHECK(split(input, max, cuts) == whole);
        std::vector<std::size_t> every;  // one byte at a time
        for (std::size_t at = 1; at < input.size(); ++at) every.push_back(at);
        CHECK(split(input, max, every) == whole);
    }
}

TEST_CASE("jsonl: no limit at all still splits", "[jsonl]") {
    CHECK(split("abc\ndef", std::numeric_limits<std::size_t>::max(), {2, 5}) == Lines{{"abc", false, 1}, {"def", false, 2}});
}

TEST_CASE("jsonl: triage_jsonl_line answers each kind of line", "[jsonl]") {
    auto rules = symtri::load_builtin_rules();
    symtri::Session session(rules);
    std::string scratch, out;
    auto line = [&](std::string_view text, bool too_long, std::size_t n) {
        out.clear();
        bool ok = symtri::triage_jsonl_line(session, text, too_long, n, 1000, scratch, out);
        CHECK(out.find('\n') == out.size() - 1);  // one line, ending in its newline
        return std::make_pair(ok, nlohmann::json::parse(out));
    };
    auto [ok, r] = line(R"({"case_id": "c1", "findings": {"sciatica": true}})", false, 1);
    CHECK(ok);
    CHECK(r["case_id"] == "c1");
    CHECK(r.contains("level"));
    std::tie(ok, r) = line("", true, 2);
    CHECK_FALSE(ok);
    CHECK(r["line"] == 2);
    CHECK(r["error"]["code"] == "limit");
    CHECK(r["error"]["message"].get<std::string>().find("1000 bytes") != std::string::npos);
    std::tie(ok, r) = line(" \t", false, 3);
    CHECK_FALSE(ok);
    CHECK(r["error"]["code"] == "empty_line");
    std::tie(ok, r) = line(R"({"case_id": "c4", "findings": {"sciatca": true}})", false, 4);
    CHECK_FALSE(ok);
    CHECK(r["case_id"] == "c4");
    CHECK(r["line"] == 4);
    CHECK(r["error"]["message"].get<std::string>().find("sciatica") != std::string::npos);  // did you mean
}
