// SPDX-License-Identifier: Apache-2.0
// The batch entry points: triage_many equals one-by-one triage; triage_jsonl equals `symtri batch`
// byte for byte, on the public vignettes and on bad lines.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>

#include <unistd.h>
#include <vector>

#include <nlohmann/json.hpp>

#include "support.hpp"

using namespace capi_test;

namespace {

// The cases of a vignette file ({"id":..., "case": {...}, ...} per line) as JSON Lines.
std::string vignette_cases(const std::string& path) {
    std::string out, line;
    std::istringstream in(read_file(path));
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        out += nlohmann::json::parse(line)["case"].dump() + "\n";
    }
    return out;
}

#ifdef SYMTRI_CLI
// Runs `symtri batch [--rules PATH]` on `input` and returns its stdout.
std::string cli_batch(const std::string& input, const std::string& rules, int& exit_code) {
    // One file per process: CTest runs the test cases of this file in parallel, in one directory.
    std::string in_path = "capi_batch_input." + std::to_string(getpid()) + ".jsonl";
    {
        std::ofstream f(in_path, std::ios::binary);
        f << input;
    }
    std::string cmd = std::string("\"") + SYMTRI_CLI + "\" batch --threads 2";
    if (!rules.empty()) cmd += " --rules \"" + rules + "\"";
    cmd += " < " + in_path + " 2>/dev/null";
    FILE* p = popen(cmd.c_str(), "r");
    REQUIRE(p);
    std::string out;
    char buf[65536];
    for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
    int status = pclose(p);
    exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::remove(in_path.c_str());
    return out;
}

#endif

std::string jsonl(const symtri_engine* e, const std::string& input, unsigned threads, int& rc, size_t* failed = nullptr) {
    symtri_batch* b = nullptr;
    rc = symtri_engine_triage_jsonl(e, input.data(), input.size(), threads, &b);
    BatchPtr hold(b);
    size_t len = 0;
    const char* p = symtri_batch_output(b, &len);
    if (failed) *failed = symtri_batch_failed(b);
    return p ? std::string(p, len) : std::string();
}

}  // namespace

TEST_CASE("batch: triage_many equals triaging one by one, in order", "[batch]") {
    auto e = open_ok(data("rules"));
    REQUIRE(e);
    std::vector<std::string> cases;
    for (int i = 0; i < 300; ++i)
        cases.push_back(i % 3 == 0 ? R"({"findings": {"sciatica": true, "saddle_numbness": )" + std::string(i % 2 ? "true" : "false") + "}}"
                        : i % 3 == 1 ? R"({"case_id": ")" + std::to_string(i) + R"(", "findings": {"headache": true, "fever": true}})"
                                     : R"({"findings": {"sadle": true}})");
    std::vector<const char*> ptrs;
    std::vector<size_t> lens;
    for (const auto& c : cases) {
        ptrs.push_back(c.data());
        lens.push_back(c.size());
    }
    for (unsigned threads : {1u, 0u, 3u}) {
        std::vector<symtri_result*> results(cases.size(), nullptr);
        int rc = symtri_engine_triage_many(e.get(), ptrs.data(), lens.data(), cases.size(), threads, results.data());
        CHECK(rc == SYMTRI_INVALID_CASE);  // every third case is bad
        for (size_t i = 0; i < cases.size(); ++i) {
            REQUIRE(results[i]);
            CHECK(json_of(results[i]) == json_of(triage(e.get(), cases[i]).get()));
            symtri_result_destroy(results[i]);
        }
    }
    // NUL-terminated cases (lens NULL), all valid.
    std::vector<const char*> good = {"{}", R"({"findings": {"fever": true}})"};
    std::vector<symtri_result*> results(2);
    CHECK(symtri_engine_triage_many(e.get(), good.data(), nullptr, 2, 1, results.data()) == SYMTRI_OK);
    for (auto r : results) symtri_result_destroy(r);
}

TEST_CASE("batch: misuse of triage_many", "[batch][misuse]") {
    auto e = open_ok(data("small.json"));
    REQUIRE(e);
    const char* cases[] = {"{}", nullptr};
    symtri_result* results[2] = {reinterpret_cast<symtri_result*>(0x1), reinterpret_cast<symtri_result*>(0x1)};
    CHECK(symtri_engine_triage_many(nullptr, cases, nullptr, 2, 1, results) == SYMTRI_MISUSE);
    CHECK(results[0] == nullptr);
    CHECK(symtri_engine_triage_many(e.get(), nullptr, nullptr, 2, 1, results) == SYMTRI_MISUSE);
    CHECK(symtri_engine_triage_many(e.get(), cases, nullptr, 2, 1, nullptr) == SYMTRI_MISUSE);
    CHECK(symtri_engine_triage_many(e.get(), cases, nullptr, 0, 1, results) == SYMTRI_OK);
    // A NULL case among good ones: that one result carries the misuse.
    CHECK(symtri_engine_triage_many(e.get(), cases, nullptr, 2, 1, results) == SYMTRI_MISUSE);
    CHECK(symtri_result_errcode(results[0]) == SYMTRI_OK);
    CHECK(symtri_result_errcode(results[1]) == SYMTRI_MISUSE);
    symtri_result_destroy(results[0]);
    symtri_result_destroy(results[1]);
    symtri_batch* b = nullptr;
    CHECK(symtri_engine_triage_jsonl(nullptr, "{}", 2, 1, &b) == SYMTRI_MISUSE);
    CHECK(b == nullptr);
    CHECK(symtri_engine_triage_jsonl(e.get(), nullptr, 2, 1, &b) == SYMTRI_MISUSE);
    CHECK(symtri_engine_triage_jsonl(e.get(), "{}", 2, 1, nullptr) == SYMTRI_MISUSE);
    CHECK(symtri_batch_output(nullptr, nullptr) == nullptr);
    CHECK(symtri_batch_count(nullptr) == 0);
    symtri_batch_destroy(nullptr);
}

#ifdef SYMTRI_CLI
TEST_CASE("batch: triage_jsonl equals `symtri batch` on the public vignettes (test rules)", "[batch][cli]") {
    std::string vignettes = source("tests/vignettes/public.jsonl");
    std::string input = read_file(vignettes).empty() ? std::string() : vignette_cases(vignettes);
    REQUIRE_FALSE(input.empty());
    auto e = open_ok(data("rules"));
    REQUIRE(e);
    int cli_rc = -1, rc = -1;
    std::string cli = cli_batch(input, data("rules"), cli_rc);
    for (unsigned threads : {1u, 2u}) {
        std::string mine = jsonl(e.get(), input, threads, rc);
        CHECK(mine == cli);
        CHECK(rc == (cli_rc == 0 ? SYMTRI_OK : SYMTRI_INVALID_CASE));
    }
    // And each line equals symtri_engine_triage's JSON for that case.
    std::istringstream in(input), out(cli);
    std::string c, line;
    while (std::getline(in, c) && std::getline(out, line)) {
        auto r = triage(e.get(), c);
        if (symtri_result_errcode(r.get()) == SYMTRI_OK) CHECK(json_of(r.get()) == line);
    }
}

TEST_CASE("batch: triage_jsonl equals `symtri batch` on the public vignettes (built-in rules)", "[batch][cli][builtin]") {
    if (!symtri_has_builtin()) return;
    std::string input = vignette_cases(source("tests/vignettes/public.jsonl"));
    symtri_engine* e = nullptr;
    int open_rc = symtri_engine_open_builtin(nullptr, &e);
    EnginePtr hold(e);
    int cli_rc = -1, rc = -1;
    std::string cli = cli_batch(input, "", cli_rc);
    if (open_rc != SYMTRI_OK) {  // the shipped rules are broken: both must say so
        CHECK(cli_rc == 3);
        return;
    }
    CHECK(jsonl(e, input, 2, rc) == cli);
}

TEST_CASE("batch: bad, blank and CRLF lines as `symtri batch` writes them", "[batch][cli][errors]") {
    auto e = open_ok(data("rules"));
    REQUIRE(e);
    std::string input = "{\"case_id\":\"a\",\"findings\":{\"sciatica\":true}}\r\n"
                        "\n"
                        "   \n"
                        "{\"case_id\":\"b\",\"findings\":{\"sadle_numbness\":true}}\n"
                        "not json\n"
                        "{\"case_id\":\"c\"}";  // no final newline
    int cli_rc = -1, rc = -1;
    size_t failed = 0;
    std::string cli = cli_batch(input, data("rules"), cli_rc);
    std::string mine = jsonl(e.get(), input, 1, rc, &failed);
    CHECK(mine == cli);
    CHECK(cli_rc == 4);
    CHECK(rc == SYMTRI_INVALID_CASE);
    CHECK(failed == 4);
    CHECK(std::count(mine.begin(), mine.end(), '\n') == 6);
    int empty_rc = -1;
    CHECK(jsonl(e.get(), "", 1, empty_rc).empty());
    CHECK(empty_rc == SYMTRI_OK);
}
#endif  // SYMTRI_CLI
