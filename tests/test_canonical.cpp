// SPDX-License-Identifier: Apache-2.0
// The canonical text behind the rule-set digest (detail/canonical.hpp) is written in one pass; it must
// stay byte for byte what the original definition gives (dump every file, parse it into sorted-key
// trees, merge, dump), or every published digest would change. The reference below is that definition.
#include <map>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <symtri/detail/canonical.hpp>
#include <symtri/loader.hpp>
#include <symtri/detail/sha256.hpp>
#include <symtri/symtri.hpp>

namespace {

std::string reference_canonical(const std::vector<symtri::SourceDocument>& docs) {
    nlohmann::json merged = nlohmann::json::object();
    merged["format"] = symtri::rules_format_version;
    merged["vocabulary"] = nlohmann::json::object();
    merged["conditions"] = nlohmann::json::object();
    merged["rules"] = nlohmann::json::array();
    for (const auto& d : docs) {
        nlohmann::json j = nlohmann::json::parse(d.json.text());  // nlohmann's own reading of the file
        if (d.root) {
            merged["ruleset"] = j["ruleset"];
            merged["levels"] = j["levels"];
        }
        for (const char* k : {"vocabulary", "conditions"})
            if (j.contains(k))
                for (auto it = j[k].begin(); it != j[k].end(); ++it) merged[k][it.key()] = it.value();
        if (j.contains("rules"))
            for (auto& r : j["rules"]) merged["rules"].push_back(r);
    }
    return merged.dump();
}

std::string fast_canonical(const std::vector<symtri::SourceDocument>& docs) {
    std::vector<symtri::detail::CanonicalPart> parts;
    for (const auto& d : docs) parts.push_back({&d.doc(), d.root});
    return symtri::detail::canonical_text(parts, symtri::rules_format_version);
}

// The digest written straight into the hasher must be the hash of the text.
void check_streamed_digest(const std::vector<symtri::SourceDocument>& docs) {
    std::vector<symtri::detail::CanonicalPart> parts;
    for (const auto& d : docs) parts.push_back({&d.doc(), d.root});
    CHECK(symtri::detail::canonical_sha256_hex(parts, symtri::rules_format_version) ==
          symtri::detail::sha256_hex(symtri::detail::canonical_text(parts, symtri::rules_format_version)));
}

std::vector<symtri::SourceDocument> load_docs(const symtri::FileSource& files, const std::string& path) {
    symtri::detail::Diagnostics diags;
    symtri::LoadOptions options;
    symtri::detail::Loader loader(files, options, diags);
    auto docs = loader.load_path(path);
    REQUIRE_FALSE(diags.any());
    return docs;
}

}  // namespace

TEST_CASE("canonical text equals the original definition on the shipped rules", "[canonical]") {
    symtri::DiskFiles disk;
    auto docs = load_docs(disk, std::string(SYMTRI_SOURCE_DIR) + "/rules");
    REQUIRE(docs.size() > 5);
    std::string ref = reference_canonical(docs);
    CHECK(fast_canonical(docs) == ref);
    CHECK(symtri::load_rules(std::string(SYMTRI_SOURCE_DIR) + "/rules")->info.digest ==
          "sha256:" + symtri::detail::sha256_hex(ref));
    check_streamed_digest(docs);
}

TEST_CASE("canonical text: floats, escapes, unicode, key order, files that redefine nothing", "[canonical]") {
    std::map<std::string, std::string> texts;
    texts["root.json"] = R"({"format": 1, "include": ["b.json"],
      "ruleset": {"id": "x", "title": "T\u00e9st \"q\" \\ \t", "n": 1.5e-7, "m": -0.0, "big": 18446744073709551615,
                  "neg": -42, "e": 1E+2, "z": null, "t": true, "é": 1, "Z": 2, "a": {"b": [1, 2.25, {"y": 1, "x": 2}]}},
      "levels": [{"id": "l"}], "vocabulary": {"zz": {"label": "Z"}, "aa": {"label": "A"}},
      "rules": [{"id": "r1"}], "tests": [{"ignored": true}]})";
    texts["b.json"] = R"({"format": 1, "vocabulary": {"mm": {"label": "M\u0001"}}, "conditions": {"c": {"any": []}},
      "rules": [{"id": "r2", "x": 0.1}]})";
    symtri::MemoryFiles files(texts);
    auto docs = load_docs(files, "root.json");
    REQUIRE(docs.size() == 2);
    CHECK(fast_canonical(docs) == reference_canonical(docs));
    check_streamed_digest(docs);
}

// Several files and far more than the sink's 64 KiB buffer, with long strings (one bigger than the
// buffer) so flushes fall everywhere: inside rules, between them, in the vocabulary map.
TEST_CASE("canonical digest streamed into SHA-256 equals the hash of the text, on a generated set", "[canonical][sha256]") {
    std::mt19937 rng(5);
    auto word = [&](std::size_t max) {
        std::string w(std::uniform_int_distribution<std::size_t>(1, max)(rng), 'a');
        for (auto& c : w) c = static_cast<char>('a' + std::uniform_int_distribution<int>(0, 25)(rng));
        return w;
    };
    std::map<std::string, std::string> texts;
    nlohmann::ordered_json root = {{"format", 1}, {"ruleset", {{"id", "gen"}, {"note", std::string(70000, 'n')}}},
                                   {"levels", {{{"id", "l1"}}, {{"id", "l2"}}}}, {"include", nlohmann::json::array()}};
    for (int f = 0; f < 4; ++f) {
        nlohmann::ordered_json doc = {{"format", 1}};
        for (int v = 0; v < 300; ++v) doc["vocabulary"][word(12)] = {{"label", word(40)}, {"weight", v * 0.25}};
        for (int r = 0; r < 700; ++r)
            doc["rules"].push_back({{"id", "r" + std::to_string(f) + "_" + std::to_string(r)}, {"title", word(200)},
                                    {"when", {{"all", {word(10), word(10)}}}}, {"n", -r}, {"x", r % 3 == 0}});
        const std::string name = "f" + std::to_string(f) + ".json";
        texts[name] = doc.dump();
        root["include"].push_back(name);
    }
    texts["root.json"] = root.dump();
    symtri::MemoryFiles files(texts);
    auto docs = load_docs(files, "root.json");
    REQUIRE(docs.size() == 5);
    std::vector<symtri::detail::CanonicalPart> parts;
    for (const auto& d : docs) parts.push_back({&d.doc(), d.root});
    REQUIRE(symtri::detail::canonical_text(parts, symtri::rules_format_version).size() >
            8 * symtri::detail::CanonicalSha256Sink::flush_at);
    check_streamed_digest(docs);
}

// Over 1 MiB of JSON the digest is worked out on a second thread while the rules compile
// (LoadOptions::parallel); it must be the same digest, and the same rule set, as on one thread.
TEST_CASE("the digest of a large rule set is the same worked out on a second thread or on the calling one", "[canonical]") {
    std::map<std::string, std::string> texts;
    nlohmann::ordered_json root = {{"format", 1},
                                   {"ruleset", {{"id", "big"}, {"version", "1.0.0"}, {"title", "Big"}, {"disclaimer", "Not advice."},
                                                {"authors", {"tests"}}, {"last_reviewed", "2026-01-01"},
                                                {"validation", "research"}, {"license", "CC0-1.0"}}},
                                   {"levels", {{{"id", "low"}, {"label", "Low"}, {"action", "Rest."}, {"worse", "Call."}},
                                               {{"id", "high"}, {"label", "High"}, {"action", "Go."}, {"worse", "Call."}}}},
                                   {"vocabulary", {{"a", {{"label", "A"}, {"question", "A?"}}}, {"b", {{"label", "B"}, {"question", "B?"}}}}},
                                   {"include", {"part.json"}}};
    nlohmann::ordered_json part = {{"format", 1}, {"rules", nlohmann::json::array()}};
    for (int r = 0; r < 4000; ++r)
        part["rules"].push_back({{"id", "r" + std::to_string(r)}, {"kind", r % 2 ? "info" : "red_flag"}, {"level", "high"},
                                 {"when", {{"all", {{{"finding", "a"}}, {{"finding", "b"}, {"present", r % 3 != 0}}}}}},
                                 {"title", "Rule " + std::to_string(r)}, {"advice", std::string(200, 'x')},
                                 {"citations", {{{"title", "Source"}, {"url", "https://example.org/" + std::to_string(r)}}}}});
    texts["index.json"] = root.dump(1);
    texts["part.json"] = part.dump(1);
    REQUIRE(texts["part.json"].size() > (1u << 20));
    symtri::MemoryFiles files(texts);
    symtri::LoadOptions two_threads, one_thread;
    two_threads.parallel = true;
    auto a = symtri::load_rules("index.json", two_threads, &files);
    auto b = symtri::load_rules("index.json", one_thread, &files);
    CHECK(a->info.digest == b->info.digest);
    auto docs = load_docs(files, "index.json");
    CHECK(a->info.digest == "sha256:" + symtri::detail::sha256_hex(reference_canonical(docs)));
    REQUIRE(a->rules.size() == 4000);
    CHECK(b->rules.size() == 4000);
}
