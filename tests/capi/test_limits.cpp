// SPDX-License-Identifier: Apache-2.0
// Every limit a host can set through symtri_options (docs/reliability.md, "Limits a host can set"):
// input just under the limit passes, just over fails with code "limit" and a message naming the limit
// by its public name, and the defaults admit the shipped rules. Also the per-triage option
// max_questions (a cap, not an error) and pool_size.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <random>
#include <vector>

#include <nlohmann/json.hpp>

#include "support.hpp"

using namespace capi_test;

namespace {

// A generated rule set: `rules` recommendations r<i> (when f<i>); `chain` > 0 adds named conditions
// c0 -> c1 -> ... -> c<chain> (a leaf) and a rule on c0; `any_of` > 0 adds a rule whose condition is
// one `any` over that many leaves.
nlohmann::ordered_json ruleset(int rules, int chain = 0, int any_of = 0) {
    using J = nlohmann::ordered_json;
    J d;
    d["format"] = 1;
    d["ruleset"] = {{"id", "t.limits"},         {"version", "1.0.0"},        {"title", "Limits"},
                    {"authors", {"t"}},         {"last_reviewed", "2026-01-01"}, {"validation", "research"},
                    {"license", "CC0-1.0"},     {"disclaimer", "Test rules."}};
    d["levels"] = J::array({J{{"id", "self_care"}, {"label", "S"}, {"action", "A."}, {"worse", "W."}},
                            J{{"id", "routine"}, {"label", "R"}, {"action", "A."}, {"worse", "W."}}});
    int nf = std::max({rules, any_of, 2});
    J vocab = J::object();
    for (int i = 0; i < nf; ++i)
        vocab["f" + std::to_string(i)] = {{"label", "F" + std::to_string(i)}, {"question", "Q" + std::to_string(i) + "?"}};
    d["vocabulary"] = vocab;
    J list = J::array();
    for (int i = 0; i < rules; ++i)
        list.push_back({{"id", "r" + std::to_string(i)}, {"kind", "recommendation"}, {"level", "routine"},
                        {"when", {{"finding", "f" + std::to_string(i)}}}, {"title", "T" + std::to_string(i)}, {"advice", "A."}});
    if (chain > 0) {
        J conds = J::object();
        for (int i = 0; i < chain; ++i) conds["c" + std::to_string(i)] = {{"ref", "c" + std::to_string(i + 1)}};
        conds["c" + std::to_string(chain)] = {{"finding", "f0"}, {"severity", {{">=", 5}}}};
        d["conditions"] = conds;
        list.push_back({{"id", "chain"}, {"kind", "recommendation"}, {"level", "routine"}, {"when", {{"ref", "c0"}}},
                        {"title", "C"}, {"advice", "A."}});
    }
    if (any_of > 0) {
        J leaves = J::array();
        for (int i = 0; i < any_of; ++i) leaves.push_back({{"finding", "f" + std::to_string(i)}, {"severity", {{">=", 3}}}});
        list.push_back({{"id", "wide"}, {"kind", "recommendation"}, {"level", "routine"}, {"when", {{"any", leaves}}},
                        {"title", "W"}, {"advice", "A."}});
    }
    d["rules"] = list;
    return d;
}

std::string text_of(int rules, int chain = 0, int any_of = 0) { return ruleset(rules, chain, any_of).dump(); }

// The deepest nesting of arrays and objects in a JSON value (a scalar is 0).
std::size_t json_depth(const nlohmann::ordered_json& j) {
    std::size_t d = 0;
    if (j.is_structured())
        for (const auto& v : j) d = std::max(d, json_depth(v));
    return j.is_structured() ? d + 1 : 0;
}

// Options with one setting; the object is freed by the caller's OptionsPtr.
struct OptionsDestroyer { void operator()(symtri_options* o) const { symtri_options_destroy(o); } };
using OptionsPtr = std::unique_ptr<symtri_options, OptionsDestroyer>;
OptionsPtr options(std::initializer_list<std::pair<int, long long>> settings) {
    symtri_options* o = nullptr;
    REQUIRE(symtri_options_create(&o) == SYMTRI_OK);
    OptionsPtr hold(o);
    for (const auto& [k, v] : settings) REQUIRE(symtri_options_set(o, k, v) == SYMTRI_OK);
    return hold;
}

// The outcome of one open: status, and every diagnostic as "code: message" lines.
struct Opened {
    int rc = -1;
    std::string diags;
    EnginePtr engine;
};
Opened finish(int rc, symtri_engine* e) {
    Opened o;
    o.rc = rc;
    o.engine.reset(e);
    for (size_t i = 0; i < symtri_engine_error_count(e); ++i) {
        const symtri_error* d = symtri_engine_error(e, i);
        o.diags += str(symtri_error_code(d)) + ": " + str(symtri_error_message(d)) + "\n";
    }
    return o;
}
Opened open_string(const std::string& text, const symtri_options* o) {
    symtri_engine* e = nullptr;
    int rc = symtri_engine_open_string(text.data(), text.size(), "gen.json", o, &e);
    return finish(rc, e);
}
Opened open_path(const std::string& path, const symtri_options* o) {
    symtri_engine* e = nullptr;
    int rc = symtri_engine_open(path.c_str(), o, &e);
    return finish(rc, e);
}

// A fresh directory under the temporary directory, removed at the end of the test.
struct TempDir {
    std::filesystem::path path;
    TempDir() {
        std::random_device rd;
        path = std::filesystem::temp_directory_path() / ("symtri_capi_limits_" + std::to_string(rd()));
        std::filesystem::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    std::size_t write(const std::string& name, const std::string& text) const {
        std::ofstream(path / name, std::ios::binary) << text;
        return text.size();
    }
};

// A rule set of 1 + `parts` files: index.json (header, levels, vocabulary) including part<i>.json,
// each holding one rule. Returns the total bytes written.
std::size_t write_multi_file(const TempDir& dir, int parts) {
    auto whole = ruleset(parts);
    auto index = whole;
    index.erase("rules");
    nlohmann::ordered_json inc = nlohmann::ordered_json::array();
    for (int i = 0; i < parts; ++i) inc.push_back("part" + std::to_string(i) + ".json");
    index["include"] = inc;
    std::size_t total = dir.write("index.json", index.dump(1));
    for (int i = 0; i < parts; ++i) {
        nlohmann::ordered_json part;
        part["format"] = 1;
        part["rules"] = nlohmann::ordered_json::array({whole["rules"][static_cast<std::size_t>(i)]});
        total += dir.write("part" + std::to_string(i) + ".json", part.dump(1));
    }
    return total;
}

bool has(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

// Questions of a result, as finding ids in order.
std::vector<std::string> questions(const symtri_result* r) {
    std::vector<std::string> q;
    for (size_t i = 0; i < symtri_result_question_count(r); ++i) q.push_back(str(symtri_result_question_finding(r, i)));
    return q;
}

const char* const many_unknowns = R"({"findings": {"muscle_cramps": true}})";

}  // namespace

TEST_CASE("limits: the depth option has one public name", "[limits][options]") {
    STATIC_REQUIRE(SYMTRI_OPT_MAX_DEPTH == SYMTRI_OPT_MAX_RULE_DEPTH);
    STATIC_REQUIRE(SYMTRI_OPT_MAX_DEPTH == 4);
    STATIC_REQUIRE(SYMTRI_OPT_MAX_QUESTIONS == 9);
    STATIC_REQUIRE(SYMTRI_OPT_MAX_TOTAL_BYTES == 10);
}

TEST_CASE("limits: the documented defaults", "[limits][options]") {
    auto o = options({});
    CHECK(symtri_options_get(o.get(), SYMTRI_OPT_MAX_FILE_BYTES) == 8ll << 20);
    CHECK(symtri_options_get(o.get(), SYMTRI_OPT_MAX_TOTAL_BYTES) == 64ll << 20);
    CHECK(symtri_options_get(o.get(), SYMTRI_OPT_MAX_DEPTH) == 64);
    CHECK(symtri_options_get(o.get(), SYMTRI_OPT_MAX_FILES) == 1000);
    CHECK(symtri_options_get(o.get(), SYMTRI_OPT_MAX_RULES) == 100000);
    CHECK(symtri_options_get(o.get(), SYMTRI_OPT_MAX_CONDITION_NODES) == 10000);
    CHECK(symtri_options_get(o.get(), SYMTRI_OPT_MAX_CASE_BYTES) == 1ll << 20);
    CHECK(symtri_options_get(o.get(), SYMTRI_OPT_MAX_CASE_DEPTH) == 16);
    CHECK(symtri_options_get(o.get(), SYMTRI_OPT_MAX_QUESTIONS) == 0);
    CHECK(symtri_options_get(o.get(), SYMTRI_OPT_POOL_SIZE) == 64);
    // Below the least value: refused, the old value kept.
    for (int opt : {SYMTRI_OPT_MAX_FILE_BYTES, SYMTRI_OPT_MAX_TOTAL_BYTES, SYMTRI_OPT_MAX_DEPTH, SYMTRI_OPT_MAX_FILES,
                    SYMTRI_OPT_MAX_RULES, SYMTRI_OPT_MAX_CONDITION_NODES, SYMTRI_OPT_MAX_CASE_BYTES,
                    SYMTRI_OPT_MAX_CASE_DEPTH}) {
        long long before = symtri_options_get(o.get(), opt);
        CHECK(symtri_options_set(o.get(), opt, 0) == SYMTRI_MISUSE);
        CHECK(symtri_options_get(o.get(), opt) == before);
    }
    CHECK(symtri_options_set(o.get(), SYMTRI_OPT_MAX_QUESTIONS, -1) == SYMTRI_MISUSE);
    CHECK(symtri_options_set(o.get(), SYMTRI_OPT_POOL_SIZE, -1) == SYMTRI_MISUSE);
    CHECK(symtri_options_set(o.get(), SYMTRI_OPT_MAX_QUESTIONS, 0) == SYMTRI_OK);
    // The load switches: off by default (a library touches its host only when asked), 0 or 1 only.
    for (int opt : {SYMTRI_OPT_RELEASE_MEMORY, SYMTRI_OPT_PARALLEL, SYMTRI_OPT_ADVISE_MEMORY}) {
        CHECK(symtri_options_get(o.get(), opt) == 0);
        CHECK(symtri_options_set(o.get(), opt, 2) == SYMTRI_MISUSE);
        CHECK(symtri_options_set(o.get(), opt, -1) == SYMTRI_MISUSE);
        CHECK(symtri_options_set(o.get(), opt, 1) == SYMTRI_OK);
        CHECK(symtri_options_get(o.get(), opt) == 1);
    }
    CHECK(symtri_options_set(o.get(), 15, 5) == SYMTRI_MISUSE);  // the next number is not an option yet
    CHECK(symtri_options_get(o.get(), 15) == -1);
}

TEST_CASE("limits: the defaults admit the shipped rules", "[limits][builtin]") {
    auto rules_dir = source("rules");
    auto o = options({});
    auto disk = open_path(rules_dir, o.get());
    INFO(disk.diags);
    REQUIRE(disk.rc == SYMTRI_OK);
    CHECK(symtri_engine_rule_count(disk.engine.get()) > 0);
    auto none = open_path(rules_dir, nullptr);
    CHECK(none.rc == SYMTRI_OK);
    if (symtri_has_builtin()) {
        symtri_engine* e = nullptr;
        CHECK(symtri_engine_open_builtin(o.get(), &e) == SYMTRI_OK);
        EnginePtr hold(e);
        int rc = 0;
        auto r = triage(e, R"({"findings": {"sciatica": {"present": true, "side": "left", "duration_days": 60}}})", &rc);
        CHECK(rc == SYMTRI_OK);
        CHECK(questions(r.get()).size() > 0);
    }
}

TEST_CASE("limits: max_file_bytes", "[limits]") {
    // A file on disk.
    auto path = data("small.json");
    long long size = static_cast<long long>(read_file(path).size());
    auto at = open_path(path, options({{SYMTRI_OPT_MAX_FILE_BYTES, size}}).get());
    INFO(at.diags);
    CHECK(at.rc == SYMTRI_OK);
    auto over = open_path(path, options({{SYMTRI_OPT_MAX_FILE_BYTES, size - 1}}).get());
    CHECK(over.rc == SYMTRI_INVALID_RULESET);
    CHECK(has(over.diags, "limit: cannot read"));
    CHECK(has(over.diags, "(max_file_bytes)"));
    // Rule text given as a string.
    std::string text = text_of(2);
    auto s_at = open_string(text, options({{SYMTRI_OPT_MAX_FILE_BYTES, static_cast<long long>(text.size())}}).get());
    CHECK(s_at.rc == SYMTRI_OK);
    auto s_over = open_string(text, options({{SYMTRI_OPT_MAX_FILE_BYTES, static_cast<long long>(text.size()) - 1}}).get());
    CHECK(s_over.rc == SYMTRI_LIMIT);
    CHECK(has(s_over.diags, "limit: rule text is " + std::to_string(text.size()) + " bytes, over the limit of " +
                                std::to_string(text.size() - 1) + " (max_file_bytes)"));
}

TEST_CASE("limits: max_total_bytes", "[limits]") {
    TempDir dir;
    const int parts = 3;
    auto total = static_cast<long long>(write_multi_file(dir, parts));
    auto root = dir.path.generic_string();
    auto at = open_path(root, options({{SYMTRI_OPT_MAX_TOTAL_BYTES, total}}).get());
    INFO(at.diags);
    REQUIRE(at.rc == SYMTRI_OK);
    CHECK(symtri_engine_rule_count(at.engine.get()) == parts);
    auto over = open_path(root, options({{SYMTRI_OPT_MAX_TOTAL_BYTES, total - 1}}).get());
    CHECK(over.rc == SYMTRI_INVALID_RULESET);
    // The last file read crosses the budget, and the message names it and the limit.
    CHECK(has(over.diags, "limit: cannot read '" + (dir.path / "part2.json").generic_string() + "'"));
    CHECK(has(over.diags, "over the limit of " + std::to_string(total - 1) + " bytes for all its files (max_total_bytes;"));
    // Each file is well under max_file_bytes: only the total is over.
    CHECK_FALSE(has(over.diags, "max_file_bytes"));

    // Rule text given as a string counts as the whole rule set.
    std::string text = text_of(2);
    auto n = static_cast<long long>(text.size());
    CHECK(open_string(text, options({{SYMTRI_OPT_MAX_TOTAL_BYTES, n}}).get()).rc == SYMTRI_OK);
    auto s_over = open_string(text, options({{SYMTRI_OPT_MAX_TOTAL_BYTES, n - 1}}).get());
    CHECK(s_over.rc == SYMTRI_LIMIT);
    CHECK(has(s_over.diags, "limit: rule text is " + std::to_string(n) + " bytes, over the limit of " +
                                std::to_string(n - 1) + " (max_total_bytes)"));
}

TEST_CASE("limits: max_depth (JSON nesting of a rule file)", "[limits]") {
    auto doc = ruleset(2);
    auto depth = static_cast<long long>(json_depth(doc));
    REQUIRE(depth == 4);  // root / rules / rule / when
    std::string text = doc.dump();
    CHECK(open_string(text, options({{SYMTRI_OPT_MAX_DEPTH, depth}}).get()).rc == SYMTRI_OK);
    auto over = open_string(text, options({{SYMTRI_OPT_MAX_DEPTH, depth - 1}}).get());
    CHECK(over.rc == SYMTRI_INVALID_RULESET);
    CHECK(has(over.diags, "limit: nesting deeper than the limit of 3 levels (max_depth)"));
    // The older C name sets the same option.
    CHECK(open_string(text, options({{SYMTRI_OPT_MAX_RULE_DEPTH, depth - 1}}).get()).rc == SYMTRI_INVALID_RULESET);
}

TEST_CASE("limits: max_depth (conditions through named conditions)", "[limits]") {
    // when -> c0 -> ... -> c10 (a leaf): 12 levels of condition, JSON only 4 deep.
    std::string text = text_of(1, /*chain=*/10);
    CHECK(open_string(text, options({{SYMTRI_OPT_MAX_DEPTH, 12}}).get()).rc == SYMTRI_OK);
    auto over = open_string(text, options({{SYMTRI_OPT_MAX_DEPTH, 11}}).get());
    CHECK(over.rc == SYMTRI_INVALID_RULESET);
    CHECK(has(over.diags, "limit: condition nests deeper than the limit of 11 levels, counting named conditions (max_depth)"));
}

TEST_CASE("limits: max_files", "[limits]") {
    TempDir dir;
    write_multi_file(dir, 4);  // index.json and 4 parts: 5 files
    auto root = dir.path.generic_string();
    auto at = open_path(root, options({{SYMTRI_OPT_MAX_FILES, 5}}).get());
    INFO(at.diags);
    CHECK(at.rc == SYMTRI_OK);
    auto over = open_path(root, options({{SYMTRI_OPT_MAX_FILES, 4}}).get());
    CHECK(over.rc == SYMTRI_INVALID_RULESET);
    CHECK(has(over.diags, "limit: more than 4 rule files (max_files)"));
}

TEST_CASE("limits: max_rules", "[limits]") {
    std::string text = text_of(7);
    CHECK(open_string(text, options({{SYMTRI_OPT_MAX_RULES, 7}}).get()).rc == SYMTRI_OK);
    auto over = open_string(text, options({{SYMTRI_OPT_MAX_RULES, 6}}).get());
    CHECK(over.rc == SYMTRI_INVALID_RULESET);
    CHECK(has(over.diags, "limit: more than 6 rules (max_rules)"));
}

TEST_CASE("limits: max_condition_nodes", "[limits]") {
    // One rule of any[10 leaves]: 11 nodes.
    std::string text = text_of(1, 0, /*any_of=*/10);
    CHECK(open_string(text, options({{SYMTRI_OPT_MAX_CONDITION_NODES, 11}}).get()).rc == SYMTRI_OK);
    auto over = open_string(text, options({{SYMTRI_OPT_MAX_CONDITION_NODES, 10}}).get());
    CHECK(over.rc == SYMTRI_INVALID_RULESET);
    CHECK(has(over.diags, "limit: condition of rule 'wide' has more than 10 tests once its named conditions are "
                          "written out (max_condition_nodes)"));
}

TEST_CASE("limits: max_case_bytes (triage and JSON Lines)", "[limits]") {
    std::string c = R"({"findings": {"sciatica": true}})";
    auto n = static_cast<long long>(c.size());
    symtri_engine* e = nullptr;
    auto path = data("small.json");
    REQUIRE(symtri_engine_open(path.c_str(), options({{SYMTRI_OPT_MAX_CASE_BYTES, n}}).get(), &e) == SYMTRI_OK);
    EnginePtr at(e);
    int rc = -1;
    auto r_at = triage(at.get(), c, &rc);
    CHECK(rc == SYMTRI_OK);
    REQUIRE(symtri_engine_open(path.c_str(), options({{SYMTRI_OPT_MAX_CASE_BYTES, n - 1}}).get(), &e) == SYMTRI_OK);
    EnginePtr under(e);
    auto r = triage(under.get(), c, &rc);
    CHECK(rc == SYMTRI_INVALID_CASE);
    CHECK(str(symtri_error_code(symtri_result_error(r.get()))) == "limit");
    CHECK(has(str(symtri_error_message(symtri_result_error(r.get()))),
              "case is " + std::to_string(n) + " bytes, over the limit of " + std::to_string(n - 1) + " (max_case_bytes)"));
    // A JSON Lines line: the same limit, the same name.
    symtri_batch* b = nullptr;
    std::string lines = c + "\n" + c + "\n";
    CHECK(symtri_engine_triage_jsonl(at.get(), lines.data(), lines.size(), 1, &b) == SYMTRI_OK);
    BatchPtr ok(b);
    CHECK(symtri_engine_triage_jsonl(under.get(), lines.data(), lines.size(), 1, &b) == SYMTRI_INVALID_CASE);
    BatchPtr bad(b);
    CHECK(symtri_batch_failed(bad.get()) == 2);
    CHECK(has(str(symtri_batch_output(bad.get(), nullptr)), "(max_case_bytes)"));
}

TEST_CASE("limits: max_case_depth", "[limits]") {
    std::string c = R"({"findings": {"sciatica": {"present": true}}})";  // 3 levels
    symtri_engine* e = nullptr;
    auto path = data("small.json");
    REQUIRE(symtri_engine_open(path.c_str(), options({{SYMTRI_OPT_MAX_CASE_DEPTH, 3}}).get(), &e) == SYMTRI_OK);
    EnginePtr at(e);
    int rc = -1;
    auto r_at = triage(at.get(), c, &rc);
    CHECK(rc == SYMTRI_OK);
    REQUIRE(symtri_engine_open(path.c_str(), options({{SYMTRI_OPT_MAX_CASE_DEPTH, 2}}).get(), &e) == SYMTRI_OK);
    EnginePtr under(e);
    auto r = triage(under.get(), c, &rc);
    CHECK(rc == SYMTRI_INVALID_CASE);
    CHECK(str(symtri_error_code(symtri_result_error(r.get()))) == "limit");
    CHECK(has(str(symtri_error_message(symtri_result_error(r.get()))),
              "nesting deeper than the limit of 2 levels (max_case_depth)"));
}

TEST_CASE("limits: max_questions cuts the question list", "[limits][questions]") {
    if (!symtri_has_builtin()) return;
    symtri_engine* e = nullptr;
    REQUIRE(symtri_engine_open_builtin(nullptr, &e) == SYMTRI_OK);
    EnginePtr all_engine(e);
    auto full = triage(all_engine.get(), many_unknowns);
    auto all = questions(full.get());
    REQUIRE(all.size() > 5);  // else the cut below would prove nothing

    for (long long pool : {0ll, 64ll}) {  // a fresh Session per call, and pooled Sessions
        INFO("pool_size " << pool);
        REQUIRE(symtri_engine_open_builtin(options({{SYMTRI_OPT_MAX_QUESTIONS, 3}, {SYMTRI_OPT_POOL_SIZE, pool}}).get(), &e) ==
                SYMTRI_OK);
        EnginePtr cut(e);
        for (int call = 0; call < 3; ++call) {  // sessions taken from the pool keep the option
            auto r = triage(cut.get(), many_unknowns);
            auto q = questions(r.get());
            CHECK(q == std::vector<std::string>(all.begin(), all.begin() + 3));  // the first three, same order
            auto j = nlohmann::json::parse(json_of(r.get()));
            CHECK(j["questions"].size() == 3);
        }
        // Many cases on worker threads: every Session the pool makes uses the engine's options.
        std::vector<std::string> cases(100, many_unknowns);
        std::vector<const char*> ptrs;
        for (const auto& c : cases) ptrs.push_back(c.c_str());
        std::vector<symtri_result*> results(cases.size());
        CHECK(symtri_engine_triage_many(cut.get(), ptrs.data(), nullptr, ptrs.size(), 2, results.data()) == SYMTRI_OK);
        for (auto* r : results) {
            CHECK(symtri_result_question_count(r) == 3);
            symtri_result_destroy(r);
        }
        std::string lines;
        for (int i = 0; i < 70; ++i) lines += std::string(many_unknowns) + "\n";
        symtri_batch* b = nullptr;
        REQUIRE(symtri_engine_triage_jsonl(cut.get(), lines.data(), lines.size(), 2, &b) == SYMTRI_OK);
        BatchPtr hold(b);
        std::istringstream out(str(symtri_batch_output(b, nullptr)));
        std::string line;
        int n = 0;
        while (std::getline(out, line)) {
            CHECK(nlohmann::json::parse(line)["questions"].size() == 3);
            ++n;
        }
        CHECK(n == 70);
    }
    // 0 is all; a cap above the count changes nothing.
    for (long long cap : {0ll, static_cast<long long>(all.size()), static_cast<long long>(all.size()) + 5}) {
        REQUIRE(symtri_engine_open_builtin(options({{SYMTRI_OPT_MAX_QUESTIONS, cap}}).get(), &e) == SYMTRI_OK);
        EnginePtr same(e);
        auto r = triage(same.get(), many_unknowns);
        CHECK(questions(r.get()) == all);
        CHECK(json_of(r.get()) == json_of(full.get()));
    }
    // Just under the count: one fewer.
    REQUIRE(symtri_engine_open_builtin(options({{SYMTRI_OPT_MAX_QUESTIONS, static_cast<long long>(all.size()) - 1}}).get(), &e) ==
            SYMTRI_OK);
    EnginePtr one_less(e);
    CHECK(questions(triage(one_less.get(), many_unknowns).get()).size() == all.size() - 1);
}

TEST_CASE("limits: options are taken when the engine opens", "[limits][questions]") {
    if (!symtri_has_builtin()) return;
    auto o = options({{SYMTRI_OPT_MAX_QUESTIONS, 2}});
    symtri_engine* e = nullptr;
    REQUIRE(symtri_engine_open_builtin(o.get(), &e) == SYMTRI_OK);
    EnginePtr first(e);
    REQUIRE(symtri_options_set(o.get(), SYMTRI_OPT_MAX_QUESTIONS, 4) == SYMTRI_OK);
    REQUIRE(symtri_engine_open_builtin(o.get(), &e) == SYMTRI_OK);
    EnginePtr second(e);
    o.reset();
    CHECK(symtri_result_question_count(triage(first.get(), many_unknowns).get()) == 2);
    CHECK(symtri_result_question_count(triage(second.get(), many_unknowns).get()) == 4);
}

TEST_CASE("limits: pool_size 0 and the default give the same results", "[limits][pool]") {
    auto path = data("small.json");
    symtri_engine* e = nullptr;
    REQUIRE(symtri_engine_open(path.c_str(), options({{SYMTRI_OPT_POOL_SIZE, 0}}).get(), &e) == SYMTRI_OK);
    EnginePtr none(e);
    REQUIRE(symtri_engine_open(path.c_str(), nullptr, &e) == SYMTRI_OK);
    EnginePtr pooled(e);
    for (const char* c : {R"({"findings": {"sciatica": true, "saddle_numbness": true}})", R"({"findings": {}})",
                          R"({"findings": {"nope": true}})"}) {
        int a = -1, b = -2;
        auto ra = triage(none.get(), c, &a);
        auto rb = triage(pooled.get(), c, &b);
        CHECK(a == b);
        CHECK(json_of(ra.get()) == json_of(rb.get()));
    }
}
