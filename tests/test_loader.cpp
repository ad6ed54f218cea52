// SPDX-License-Identifier: Apache-2.0
// Loading and compiling rule sets: what is accepted, and the exact error for what is not.
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>
#include <unistd.h>

#include "support.hpp"

namespace fs = std::filesystem;

namespace {

// The message and pointer of the first error, without the position (checked separately).
std::string first_error(const std::string& text) {
    try {
        symtri::load_rules_from_string(text, "test.json");
    } catch (const symtri::Error& e) {
        CHECK(e.status() == symtri::Status::invalid_ruleset);
        return e.first().message + (e.first().pointer.empty() ? "" : " at " + e.first().pointer);
    }
    return "";
}

std::string rule_error(const std::string& rules, const std::string& conditions = "{}") {
    return first_error(test::ruleset_text(rules, conditions));
}

// A temporary directory of rule files, removed at the end of the test.
struct TempDir {
    fs::path path;
    TempDir() {
        path = fs::temp_directory_path() / ("symtri-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    static int& counter() {
        static int n = 0;
        return n;
    }
    void write(const std::string& name, const std::string& text) const {
        fs::create_directories((path / name).parent_path());
        std::ofstream(path / name) << text;
    }
};

const std::string root_head = R"({"format": 1,
"ruleset": {"id": "t", "version": "1", "title": "T", "authors": ["a"], "last_reviewed": "2026-01-01",
            "validation": "research", "license": "MIT", "disclaimer": "Not a diagnosis."},
"levels": [{"id": "low", "label": "L", "action": "Rest.", "worse": "Book."},
           {"id": "high", "label": "H", "action": "Go now.", "worse": "Call."}],
)";

}  // namespace

TEST_CASE("a valid rule set loads with its metadata, levels, vocabulary and rules") {
    auto rs = test::rules("[" + test::rule("r1", "red_flag", R"({"finding": "a"})", "high") + "]");
    CHECK(rs->info.id == "test.rules");
    CHECK(rs->info.validation == "research");
    REQUIRE(rs->levels.size() == 4);
    CHECK(rs->levels[2].id == "high");
    CHECK(rs->findings.size() == 5);
    CHECK(rs->find_finding("alpha") == rs->find_finding("a"));
    CHECK(rs->rules.size() == 1);
    CHECK(rs->locales == std::vector<std::string>{"en", "fr"});
    CHECK(rs->info.digest.rfind("sha256:", 0) == 0);
    CHECK(rs->info.digest.size() == 7 + 64);
}

TEST_CASE("an unknown finding in a rule names file, line, column, pointer and the closest id") {
    std::string text = root_head + R"("vocabulary": {"saddle_numbness": {"label": "S", "question": "Numb?"}},
"rules": [
  {"id": "r", "kind": "red_flag", "level": "high", "title": "T", "advice": "A",
   "citations": [{"title": "S", "url": "https://x.org"}],
   "when": {"all": [{"finding": "sadle_numbness"}]}}]})";
    CHECK(test::load_error(text) ==
          "test.json:10:33: error: unknown finding 'sadle_numbness' (did you mean 'saddle_numbness'?) at /rules/0/when/all/0/finding");
}

TEST_CASE("syntax errors give line and column") {
    CHECK(test::load_error("{\n  \"format\": 1,\n  \"rules\": [}\n") ==
          "test.json:3:13: error: unexpected '}': expected a JSON value at /rules/0");
    CHECK(test::load_error("") == "test.json:1:1: error: empty input: expected a JSON value");
    CHECK(test::load_error("{\"format\": 1,}") == "test.json:1:14: error: expected a string key in object, found '}'");
}

TEST_CASE("duplicate keys are an error, not a silent overwrite") {
    CHECK(test::load_error("{\"format\": 1,\n \"format\": 1}") == "test.json:2:2: error: duplicate key 'format' at /format");
}

TEST_CASE("unknown keys are errors with a suggestion, pointing at the key") {
    CHECK(rule_error("[" + test::rule("r", "info", R"({"finding": "a"})", "", R"(, "advise": "x")") + "]") ==
          "unknown key 'advise' in a rule (did you mean 'advice'?) at /rules/0/advise");
    std::string text = root_head + R"("rules": [], "vocabularly": {}})";
    CHECK(test::load_error(text) ==
          "test.json:6:14: error: unknown key 'vocabularly' in a rule file (did you mean 'vocabulary'?) at /vocabularly");
}

TEST_CASE("wrong types name what was expected and what was found") {
    CHECK(rule_error(R"([{"id": "r", "kind": "info", "priority": "high", "when": {"finding": "a"}, "title": "t", "advice": "a"}])") ==
          "'priority' must be an integer from -1000000 to 1000000 at /rules/0/priority");
    CHECK(rule_error(R"([{"id": "r", "kind": "info", "when": [], "title": "t", "advice": "a"}])") ==
          "a condition must be an object, got an array at /rules/0/when");
    CHECK(rule_error(R"([{"id": "r", "kind": "info", "when": {"finding": "a"}, "title": 5, "advice": "a"}])") ==
          "'title' must be a string or an object of translations, got an integer at /rules/0/title");
}

TEST_CASE("duplicate rule ids are an error that points at both") {
    std::string r = test::rule("r", "info", R"({"finding": "a"})");
    std::string msg = rule_error("[" + r + "," + r + "]");
    CHECK(msg.rfind("duplicate rule id 'r' (first defined at test.json:", 0) == 0);
    CHECK(msg.find("at /rules/1/id") != std::string::npos);
}

TEST_CASE("unknown levels, rule kinds and named conditions are errors with suggestions") {
    CHECK(rule_error("[" + test::rule("r", "red_flag", R"({"finding": "a"})", "hihg") + "]") ==
          "unknown level 'hihg' (did you mean 'high'?); the levels are low, mid, high, top at /rules/0/level");
    CHECK(rule_error("[" + test::rule("r", "redflag", R"({"finding": "a"})", "high") + "]") ==
          "unknown rule kind 'redflag' (did you mean 'red_flag'?); expected red_flag, recommendation, caution or info at /rules/0/kind");
    CHECK(rule_error("[" + test::rule("r", "info", R"({"ref": "scren"})") + "]", R"({"screen": {"finding": "a"}})") ==
          "unknown named condition 'scren' (did you mean 'screen'?) at /rules/0/when/ref");
}

TEST_CASE("a named condition that refers to itself is an error") {
    CHECK(rule_error("[]", R"({"x": {"any": [{"finding": "a"}, {"ref": "y"}]}, "y": {"ref": "x"}})") ==
          "named condition 'x' refers to itself at /conditions/y/ref");
}

TEST_CASE("empty all/any and at_least out of range are errors") {
    CHECK(rule_error("[" + test::rule("r", "info", R"({"any": []})") + "]") ==
          "'any' must hold at least one condition at /rules/0/when/any");
    CHECK(rule_error("[" + test::rule("r", "info", R"({"all": []})") + "]") ==
          "'all' must hold at least one condition at /rules/0/when/all");
    CHECK(rule_error("[" + test::rule("r", "info", R"({"at_least": 3, "of": [{"finding": "a"}, {"finding": "b"}]})") + "]") ==
          "'at_least' is 3 but must be from 1 to 2 (the number of conditions in 'of') at /rules/0/when/at_least");
    CHECK(rule_error("[" + test::rule("r", "info", R"({"at_least": 0, "of": [{"finding": "a"}]})") + "]") ==
          "'at_least' is 0 but must be from 1 to 1 (the number of conditions in 'of') at /rules/0/when/at_least");
}

TEST_CASE("a condition with two forms, or none, is an error") {
    CHECK(rule_error("[" + test::rule("r", "info", R"({"all": [{"finding": "a"}], "any": [{"finding": "b"}]})") + "]") ==
          "a condition has exactly one form; this one has 'all' and 'any' (wrap them in \"all\" or \"any\") at /rules/0/when");
    CHECK(rule_error("[" + test::rule("r", "info", R"({"findng": "a"})") + "]") ==
          "a condition needs one of: all, any, not, at_least, ref, finding, age, sex (did you mean 'finding'?) at /rules/0/when");
}

TEST_CASE("attribute tests are checked against the contract and the finding's vocabulary") {
    CHECK(rule_error("[" + test::rule("r", "info", R"({"finding": "a", "side": "up"})") + "]") ==
          "'up' is not a valid side; expected left, right or both at /rules/0/when/side");
    CHECK(rule_error("[" + test::rule("r", "info", R"({"finding": "a", "sites": ["hand"]})") + "]") ==
          "'hand' is not a valid sites (did you mean 'hands'?); expected head, face, jaw, neck, shoulders, arms, hands, fingers, "
          "thumb_base, upper_back, chest, lower_back, buttocks, hips, legs, thighs, calves, feet or saddle at /rules/0/when/sites/0");
    CHECK(rule_error("[" + test::rule("r", "info", R"({"finding": "e", "trend": "worsening"})") + "]") ==
          "finding 'e' does not take the attribute 'trend' at /rules/0/when/trend");
    CHECK(rule_error("[" + test::rule("r", "info", R"({"finding": "a", "severity": {">": 11}})") + "]") ==
          "'severity' compares with 11, outside 0.0 to 10.0 at /rules/0/when/severity/>");
    CHECK(rule_error("[" + test::rule("r", "info", R"({"finding": "a", "duration_days": {">": 9, "<": 3}})") + "]") ==
          "comparison on 'duration_days' can never be true at /rules/0/when/duration_days");
    CHECK(rule_error("[" + test::rule("r", "info", R"({"finding": "c", "character": "sharp"})") + "]") ==
          "finding 'c' has no character 'sharp' at /rules/0/when/character");
    CHECK(rule_error("[" + test::rule("r", "info", R"({"finding": "a", "present": false, "side": "left"})") + "]") ==
          "a test on 'side' cannot go with \"present\": false at /rules/0/when/side");
}

TEST_CASE("red flags must raise the level and cite a source with a URL") {
    CHECK(rule_error(R"([{"id": "r", "kind": "red_flag", "when": {"finding": "a"}, "title": "t", "advice": "a",
                         "citations": [{"title": "S", "url": "https://x.org"}]}])") ==
          "a red_flag rule must set 'level' at /rules/0");
    CHECK(rule_error("[" + test::rule("r", "red_flag", R"({"finding": "a"})", "low") + "]") ==
          "a red_flag rule must raise the level above the lowest ('low') at /rules/0/level");
    CHECK(rule_error(R"([{"id": "r", "kind": "red_flag", "level": "high", "when": {"finding": "a"}, "title": "t", "advice": "a"}])") ==
          "a red_flag rule must cite its source ('citations' with title and url) at /rules/0");
    CHECK(rule_error(R"([{"id": "r", "kind": "red_flag", "level": "high", "when": {"finding": "a"}, "title": "t", "advice": "a",
                         "citations": [{"title": "NICE NG59"}]}])") ==
          "citation 'NICE NG59' has no 'url' at /rules/0/citations/0");
    CHECK(rule_error(R"([{"id": "r", "kind": "info", "when": {"finding": "a"}, "title": "t", "advice": "a",
                         "citations": [{"title": "S", "url": "nice.org.uk"}]}])") ==
          "citation url must start with https:// or http://, got 'nice.org.uk' at /rules/0/citations/0/url");
}

TEST_CASE("cautions may block only recommendations, by id or by a tag some recommendation has") {
    std::string rec = test::rule("mg", "recommendation", R"({"finding": "a"})", "", R"(, "tags": ["magnesium"])");
    std::string flag = test::rule("rf", "red_flag", R"({"finding": "a"})", "high");
    CHECK(rule_error("[" + rec + "," + flag + "," + test::rule("c", "caution", R"({"finding": "b"})", "", R"(, "blocks": {"rules": ["rf"]})") + "]") ==
          "a caution may block only recommendations; 'rf' is a red_flag at /rules/2/blocks/rules/0");
    CHECK(rule_error("[" + rec + "," + test::rule("c", "caution", R"({"finding": "b"})", "", R"(, "blocks": {"tags": ["magnesum"]})") + "]") ==
          "caution blocks tag 'magnesum', which no recommendation has at /rules/1/blocks/tags/0");
    CHECK(rule_error("[" + rec + "," + test::rule("c", "caution", R"({"finding": "b"})", "", R"(, "blocks": {"rules": ["mgg"]})") + "]") ==
          "caution blocks unknown rule 'mgg' (did you mean 'mg'?) at /rules/1/blocks/rules/0");
    CHECK(rule_error("[" + test::rule("x", "recommendation", R"({"finding": "b"})", "", R"(, "blocks": {"rules": ["x"]})") + "]") ==
          "only a caution may block other rules at /rules/0/blocks");
}

TEST_CASE("texts need English; a translation is used for its locale and English otherwise") {
    CHECK(rule_error(R"([{"id": "r", "kind": "info", "when": {"finding": "a"}, "title": {"fr": "x"}, "advice": "a"}])") ==
          "text 'title' has no 'en' (English) version at /rules/0/title");
    auto rs = test::rules("[" + test::rule("r", "info", R"({"finding": "a"})") + "]");
    auto fr = test::triage(rs, R"({"locale": "fr-CA", "findings": {}})");
    CHECK(fr["disclaimer"] == "Pas un diagnostic.");
    CHECK(fr["questions"].size() == 0);
    auto en = test::triage(rs, R"({"locale": "de", "findings": {}})");
    CHECK(en["disclaimer"] == "Not a diagnosis.");
}

TEST_CASE("the format version must be one this engine reads") {
    std::string text = root_head + R"("rules": []})";
    text.replace(text.find("\"format\": 1"), 11, "\"format\": 2");
    CHECK(test::load_error(text) ==
          "test.json:1:12: error: rule-file format 2 is not supported: this engine (0.1.0) reads formats 1 to 1 at /format");
}

TEST_CASE("every problem is reported, not only the first") {
    try {
        symtri::load_rules_from_string(test::ruleset_text(
            "[" + test::rule("r", "info", R"({"finding": "zz"})") + "," + test::rule("s", "red_flag", R"({"finding": "a"})", "nope") + "]"));
        FAIL("should not load");
    } catch (const symtri::Error& e) {
        REQUIRE(e.diagnostics().size() == 2);
        CHECK(e.diagnostics()[0].code == "unknown_finding");
        CHECK(e.diagnostics()[1].code == "unknown_level");
    }
}

TEST_CASE("a rule set spans files through includes of files and directories") {
    TempDir d;
    d.write("index.json", root_head + R"("include": ["vocab.json", "more/"], "rules": []})");
    d.write("vocab.json", R"({"format": 1, "vocabulary": {"x": {"label": "X", "question": "X?"}, "y": {"label": "Y", "question": "Y?"}}})");
    d.write("more/a.json", R"({"format": 1, "rules": [{"id": "ra", "kind": "red_flag", "level": "high", "when": {"finding": "x"},
        "title": "t", "advice": "a", "citations": [{"title": "S", "url": "https://x.org"}]}]})");
    d.write("more/b.json", R"({"format": 1, "rules": [{"id": "rb", "kind": "info", "when": {"finding": "y"}, "title": "t", "advice": "a"}]})");
    auto rs = symtri::load_rules(d.path.string());  // a directory: its index.json
    REQUIRE(rs->rules.size() == 2);
    CHECK(rs->rules[0].id == "ra");  // directory entries in name order
    CHECK(rs->rules[1].id == "rb");
    CHECK(rs->rules[0].source.file == (d.path / "more/a.json").string());
    auto same = symtri::load_rules((d.path / "index.json").string());
    CHECK(same->info.digest == rs->info.digest);
}

TEST_CASE("errors in included files point into those files") {
    TempDir d;
    d.write("index.json", root_head + R"("include": ["part.json"]})");
    d.write("part.json", "{\"format\": 1,\n \"rules\": [{\"id\": \"r\", \"kind\": \"info\", \"when\": {\"finding\": \"nope\"}, \"title\": \"t\", \"advice\": \"a\"}]}");
    try {
        symtri::load_rules(d.path.string());
        FAIL("should not load");
    } catch (const symtri::Error& e) {
        CHECK(e.first().format() == (d.path / "part.json").string() +
                                        ":2:60: error: unknown finding 'nope' at /rules/0/when/finding");
    }
}

TEST_CASE("include cycles, missing includes and includes outside the folder are errors") {
    TempDir d;
    d.write("index.json", root_head + R"("include": ["a.json", "missing.json"]})");
    d.write("a.json", R"({"format": 1, "include": ["index.json"]})");
    try {
        symtri::load_rules(d.path.string());
        FAIL("should not load");
    } catch (const symtri::Error& e) {
        REQUIRE(e.diagnostics().size() >= 2);
        const std::string idx = fs::weakly_canonical(d.path / "index.json").string();
        const std::string a = fs::weakly_canonical(d.path / "a.json").string();
        CHECK(e.diagnostics()[0].message == "include cycle: " + idx + " -> " + a + " -> " + idx);
        CHECK(e.diagnostics()[0].pointer == "/include/0");
        CHECK(e.diagnostics()[1].message ==
              "included file 'missing.json' does not exist (looked for '" + (d.path / "missing.json").string() + "')");
    }
    TempDir out;
    out.write("rules/index.json", root_head + R"("include": ["../secret.json"]})");
    out.write("secret.json", R"({"format": 1})");
    try {
        symtri::load_rules((out.path / "rules").string());
        FAIL("should not load");
    } catch (const symtri::Error& e) {
        CHECK(e.first().message == "include '" + (out.path / "secret.json").string() + "' is outside the rule set's folder");
    }
}

TEST_CASE("a missing rule set is an io error naming the path") {
    try {
        symtri::load_rules("/nonexistent/rules.json");
        FAIL("should not load");
    } catch (const symtri::Error& e) {
        CHECK(e.status() == symtri::Status::io);
        CHECK(e.first().format() == "/nonexistent/rules.json: error: cannot read '/nonexistent/rules.json': no such file");
    }
}

TEST_CASE("the digest covers content, not layout or tests") {
    auto a = test::rules("[" + test::rule("r", "info", R"({"finding": "a"})") + "]");
    auto b = test::rules("[" + test::rule("r", "info", R"({"finding": "a"})") + "]", "{}",
                         R"([{"name": "t", "case": {"findings": {}}, "expect": {"level": "low"}}])");
    auto c = test::rules("[" + test::rule("r", "info", R"({"finding": "b"})") + "]");
    CHECK(a->info.digest == b->info.digest);
    CHECK(a->info.digest != c->info.digest);
}

TEST_CASE("carried tests are checked at load and run by run_carried_tests") {
    CHECK(first_error(test::ruleset_text("[]", "{}", R"([{"name": "t", "case": {}, "expect": {"fires": ["nope"]}}])")) ==
          "unknown rule 'nope' at /tests/0/expect/fires/0");
    auto rs = test::rules("[" + test::rule("r", "red_flag", R"({"finding": "a"})", "high") + "]", "{}",
                          R"([{"name": "fires", "case": {"findings": {"a": true}}, "expect": {"level": "high", "fires": ["r"]}},
                              {"name": "wrong", "case": {"findings": {"a": false}}, "expect": {"level": "high"}},
                              {"name": "bad case", "case": {"findings": {"zz": true}}, "expect": {"error": "unknown_finding"}}])");
    auto report = symtri::run_carried_tests(rs);
    CHECK(report.run == 3);
    REQUIRE(report.failures.size() == 1);
    CHECK(report.failures[0].name == "wrong");
    CHECK(report.failures[0].problem == "level is low, expected high");
}

// The files of an included directory may be read and parsed on a second thread
// (detail/read_ahead.hpp). Whatever the files hold, the outcome must be exactly what one thread
// gives: the same rule set, or the same errors in the same order, limits included.
TEST_CASE("reading a directory's files on a second thread changes nothing the loader reports") {
    TempDir d;
    d.write("index.json", root_head + R"("vocabulary": {"x": {"label": "X", "question": "X?"}}, "include": ["parts/"]})");
    auto part = [](int k, int rules) {
        std::string t = "{\"format\": 1, \"rules\": [";
        for (int r = 0; r < rules; ++r)
            t += std::string(r ? "," : "") + "{\"id\": \"r" + std::to_string(k) + "_" + std::to_string(r) +
                 "\", \"kind\": \"info\", \"when\": {\"finding\": \"x\"}, \"title\": \"t" + std::to_string(k * 1000 + r) +
                 "\", \"advice\": \"" +
                 std::string(static_cast<std::size_t>(50 + k), 'a') + "\"}";
        return t + "]}";
    };
    for (int k = 0; k < 12; ++k) d.write("parts/p" + std::to_string(10 + k) + ".json", part(k, 40));
    auto outcome = [&](const symtri::LoadOptions& options) {
        try {
            auto rs = symtri::load_rules(d.path.string(), options);
            std::string ids;
            for (const auto& r : rs->rules) ids += r.id + " " + r.source.file + ":" + std::to_string(r.source.line) + "\n";
            return rs->info.digest + "\n" + ids;
        } catch (const symtri::Error& e) {
            std::string all;
            for (const auto& diag : e.diagnostics()) all += diag.format() + "\n";
            return all;
        }
    };
    auto same_both_ways = [&](symtri::LoadOptions options) {
        options.parallel = true;
        std::string two = outcome(options);
        options.parallel = false;
        std::string one = outcome(options);
        CHECK(two == one);
        return one;
    };
    // All good: 480 rules from 12 files, in name order.
    std::string good = same_both_ways({});
    CHECK(good.find("r0_0 ") != std::string::npos);
    CHECK(good.find("r11_39 ") != std::string::npos);
    CHECK(good.find("r0_0 ") < good.find("r11_39 "));
    // Broken files among them: a syntax error, a semantic one, and one nested too deep.
    d.write("parts/p13.json", "{\"format\": 1, \"rules\": [}");
    d.write("parts/p17.json", part(7, 3).replace(part(7, 3).find("\"x\""), 3, "\"nope\""));
    d.write("parts/p20.json", "{\"format\": 1, \"deep\": " + std::string(100, '[') + std::string(100, ']') + "}");
    std::string broken = same_both_ways({});
    CHECK(broken.find("p13.json:1:25: error: unexpected '}': expected a JSON value") != std::string::npos);
    CHECK(broken.find("unknown finding 'nope'") != std::string::npos);
    CHECK(broken.find("nesting deeper than the limit") != std::string::npos);
    // Limits met part way through the directory: bytes over all files, and the number of files.
    d.write("parts/p13.json", part(3, 40));
    d.write("parts/p17.json", part(7, 40));
    d.write("parts/p20.json", part(10, 40));
    symtri::LoadOptions few_bytes;
    few_bytes.limits.max_total_bytes = 20000;
    CHECK(same_both_ways(few_bytes).find("(max_total_bytes;") != std::string::npos);
    symtri::LoadOptions few_files;
    few_files.limits.max_files = 5;
    CHECK(same_both_ways(few_files).find("more than 5 rule files (max_files)") != std::string::npos);
    // A host's own FileSource is read on the calling thread only, unless it says it may be shared.
    struct Counting final : symtri::FileSource {
        symtri::DiskFiles disk;
        mutable std::thread::id reader;
        mutable bool other_thread = false;
        bool exists(const std::string& p) const override { return disk.exists(p); }
        bool is_directory(const std::string& p) const override { return disk.is_directory(p); }
        bool read(const std::string& p, std::size_t max, std::string& out, std::string& err) const override {
            if (reader == std::thread::id()) reader = std::this_thread::get_id();
            other_thread = other_thread || reader != std::this_thread::get_id();
            return disk.read(p, max, out, err);
        }
        std::vector<std::string> list_json(const std::string& dir) const override { return disk.list_json(dir); }
        std::string identity(const std::string& p) const override { return disk.identity(p); }
    } counting;
    auto rs = symtri::load_rules(d.path.string(), symtri::LoadOptions{}, &counting);
    CHECK(rs->rules.size() == 480);
    CHECK_FALSE(counting.other_thread);
}

// From parallel_compile_from_rules rules, the rules' conditions and their other fields compile on two
// threads (compile_rules_split). The rule set must be the same as on one thread, and problems must
// still be reported as one thread reports them: all of them, in file order.
TEST_CASE("a large rule set compiles the same on two threads as on one, problems included") {
    using J = nlohmann::ordered_json;
    const int n = static_cast<int>(symtri::parallel_compile_from_rules) + 1500;
    J root = {{"format", 1},
              {"ruleset", {{"id", "big"}, {"version", "1.0.0"}, {"title", {{"en", "Big"}, {"fr", "Grand"}}},
                           {"disclaimer", "Not advice."}, {"authors", {"tests"}}, {"last_reviewed", "2026-01-01"},
                           {"validation", "research"}, {"license", "CC0-1.0"}}},
              {"levels", {{{"id", "low"}, {"label", "Low"}, {"action", "Rest."}, {"worse", "Call."}},
                          {{"id", "mid"}, {"label", "Mid"}, {"action", "Book."}, {"worse", "Call."}},
                          {{"id", "high"}, {"label", "High"}, {"action", "Go."}, {"worse", "Call."}}}},
              {"vocabulary", J::object()},
              {"conditions", {{"c_a", {{"all", {{{"finding", "f1"}}, {{"finding", "f2"}, {"severity", {{">=", 5}}}}}}}},
                              {"c_b", {{"any", {{{"ref", "c_a"}}, {{"finding", "f3"}, {"side", "left"}}}}}}}},
              {"include", {"one.json", "two.json"}}};
    root["vocabulary"]["f0"] = {{"label", "F0"}, {"question", "F0?"}, {"characters", {"burning", "aching"}}};
    for (int f = 1; f < 50; ++f)
        root["vocabulary"]["f" + std::to_string(f)] = {{"label", {{"en", "F" + std::to_string(f)}, {"fr", "Fr" + std::to_string(f)}}},
                                                       {"question", "F" + std::to_string(f) + "?"}};
    auto finding = [](int r, int k) { return "f" + std::to_string(10 + (r * 7 + k * 13) % 40); };
    auto make_rule = [&](int r) {
        const std::string a = finding(r, 0), b = finding(r, 1), c = finding(r, 2);
        J when;
        switch (r % 7) {
            case 0: when = {{"all", {{{"finding", a}}, {{"finding", b}, {"present", false}}}}}; break;
            case 1: when = {{"any", {{{"finding", a}, {"severity", {{">=", r % 10}}}}, {{"ref", "c_b"}}}}}; break;
            case 2: when = {{"not", {{"finding", a}}}}; break;
            case 3: when = {{"at_least", 2}, {"of", {{{"finding", a}}, {{"finding", b}}, {{"finding", c}, {"duration_days", {{"<", 14}}}}}}}; break;
            case 4: when = {{"all", {{{"finding", "f0"}, {"character", {"burning"}}}, {{"finding", a}}, {{"age", {{">=", 50}}}}}}}; break;
            case 5: when = {{"all", {{{"finding", a}}, {{"sex", "female"}}}}}; break;
            default: when = {{"finding", a}, {"side", {"left", "right"}}, {"onset", "sudden"}}; break;
        }
        const std::string id = "r" + std::to_string(r);
        J rule = {{"id", id}, {"when", when}};
        switch (r % 4) {
            case 0: rule["kind"] = "red_flag"; rule["level"] = r % 8 ? "high" : "mid"; break;
            case 1: rule["kind"] = "recommendation"; if (r % 3 == 0) rule["tags"] = {"magnesium"}; break;
            case 2: rule["kind"] = "caution"; rule["blocks"] = {{"rules", {"r" + std::to_string(r - 1)}}}; break;
            default: rule["kind"] = "info"; rule["priority"] = r % 5; break;
        }
        if (r % 4 == 0 || r % 9 == 0) rule["citations"] = {{{"title", "Source " + std::to_string(r)}, {"url", "https://example.org/" + id}}};
        if (r % 5 == 0) rule["title"] = {{"en", "Rule " + std::to_string(r)}, {"fr", "Règle " + std::to_string(r)}};
        else rule["title"] = "Rule " + std::to_string(r);
        rule["advice"] = "Advice for rule " + std::to_string(r) + std::string(static_cast<std::size_t>(r % 30), '.');
        return rule;
    };
    J one = {{"format", 1}, {"rules", J::array()}}, two = {{"format", 1}, {"rules", J::array()}};
    for (int r = 0; r < n; ++r) (r < n / 2 ? one : two)["rules"].push_back(make_rule(r));
    two["tests"] = {{{"name", "carried"}, {"case", {{"findings", {{"f1", true}, {"f2", {{"present", true}, {"severity", 7}}}}}}}, {"expect", {{"fires", {"r1"}}}}}};
    REQUIRE(one["rules"].size() + two["rules"].size() >= symtri::parallel_compile_from_rules);

    auto outcome = [&](const J& first, const J& second, bool parallel) {
        std::map<std::string, std::string> texts = {{"index.json", root.dump(1)}, {"one.json", first.dump(1)}, {"two.json", second.dump(1)}};
        symtri::MemoryFiles files(texts);
        symtri::LoadOptions options;
        options.parallel = parallel;
        try {
            auto rs = symtri::load_rules("index.json", options, &files);
            // Everything the compiler fills: per rule, its fields and where it came from; the node
            // arrays; the pre-rendered results; and what triage makes of a case.
            std::ostringstream out;
            out << rs->info.digest << "\n" << rs->rules.size() << " rules, " << rs->compiled.nodes.size() << " nodes\n";
            for (const auto& r : rs->rules) {
                out << r.id << " " << symtri::kind_name(r.kind) << " " << r.level << " " << r.priority << " " << r.root << " "
                    << r.order << " " << r.title.get(0) << "|" << r.title.get(1) << "|" << r.advice.get(0) << " "
                    << r.source.file << ":" << r.source.line << ":" << r.source.column << r.source.pointer << " tags";
                for (const auto& t : r.tags) out << " " << t;
                out << " cites";
                for (const auto& c : r.citations) out << " " << c.title << " " << c.url;
                out << " blocks";
                for (auto b : r.blocks) out << " " << b;
                out << " reads";
                for (auto f : r.findings) out << " " << f;
                out << "\n";
            }
            const auto& c = rs->compiled;
            for (const auto& node : c.nodes)
                out << static_cast<int>(node.op) << "," << node.threshold << "," << node.finding << "," << node.first << "," << node.count << ";";
            for (auto k : c.children) out << k << ",";
            for (auto k : c.finding_rules) out << k << ",";
            for (auto k : c.flat_leaves) out << k << ",";
            out << "\n" << c.rule_json << "\n";
            out << test::triage(rs, R"({"findings": {"f1": true, "f2": {"present": true, "severity": 8}, "f0": {"present": true, "character": "burning"}},
                                        "patient": {"age": 60, "sex": "female"}})").dump() << "\n";
            return out.str();
        } catch (const symtri::Error& e) {
            std::string all;
            for (const auto& diag : e.diagnostics()) all += diag.format() + "\n";
            return all;
        }
    };
    auto same_both_ways = [&](const J& first, const J& second) {
        std::string two_threads = outcome(first, second, true);
        std::string one_thread = outcome(first, second, false);
        CHECK(two_threads == one_thread);
        return one_thread;
    };
    std::string good = same_both_ways(one, two);
    CHECK(good.find(std::to_string(n) + " rules") != std::string::npos);
    CHECK(good.find("r1 recommendation") != std::string::npos);
    // A problem in a condition (found by the thread compiling conditions), problems in other fields
    // (found by the other thread), and both: every one is reported, in file order, as on one thread.
    J bad_when = two;
    bad_when["rules"][100]["when"] = {{"finding", "f7x"}};
    std::string a = same_both_ways(one, bad_when);
    CHECK(a.find("unknown finding 'f7x'") != std::string::npos);
    J bad_fields = one;
    bad_fields["rules"][3]["title"] = 5;
    bad_fields["rules"][40]["id"] = "r7";
    std::string b = same_both_ways(bad_fields, two);
    CHECK(b.find("'title' must be a string or an object of translations, got an integer") != std::string::npos);
    CHECK(b.find("duplicate rule id 'r7'") != std::string::npos);
    J both = bad_fields;
    both["rules"][41].erase("when");
    both["rules"][42]["when"] = {{"all", J::array()}};
    std::string ab = same_both_ways(both, bad_when);
    CHECK(ab.find("'title' must be") < ab.find("missing required key 'when'"));
    CHECK(ab.find("missing required key 'when'") < ab.find("'all' must hold at least one condition"));
    CHECK(ab.find("'all' must hold at least one condition") < ab.find("unknown finding 'f7x'"));
}
