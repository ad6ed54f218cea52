// The canonical text behind the rule-set digest (detail/canonical.hpp) is written in one pass; it must
// stay byte for byte what the original definition gives (dump every file, parse it into sorted-key
// trees, merge, dump), or every published digest would change. The reference below is that definition.
#include <map>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <symtri/symtri.hpp>

namespace {

std::string reference_canonical(const std::vector<symtri::SourceDocument>& docs) {
    nlohmann::json merged = nlohmann::json::object();
    merged["format"] = symtri::rules_format_version;
    merged["vocabulary"] = nlohmann::json::object();
    merged["conditions"] = nlohmann::json::object();
    merged["rules"] = nlohmann::json::array();
    for (const auto& d : docs) {
        nlohmann::json j = nlohmann::json::parse(d.doc.dump());
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
    for (const auto& d : docs) parts.push_back({&d.doc, d.root});
    return symtri::detail::canonical_text(parts, symtri::rules_format_version);
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
}
