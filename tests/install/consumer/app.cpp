// SPDX-License-Identifier: Apache-2.0
// A consumer of the installed header-only engine: loads the installed rule set (share/symtri/rules, from
// symtri_RULES_DIR or pkg-config's rulesdir), triages one case, prints the level and a text report line.
// Compiled where the built-in rule set's header is found too (pkg-config's cflags give both), it also
// checks that the built-in rules are the installed ones: one compile covers both include folders.
#include <cstdio>
#include <string>

#include <symtri/format_cds_hooks.hpp>
#include <symtri/format_text.hpp>
#include <symtri/symtri.hpp>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: app RULES_DIR\n");
        return 2;
    }
    try {
        auto rules = symtri::load_rules(argv[1]);
        symtri::Session session(rules);
        std::string result;
        symtri::CaseError err;
        if (!session.triage(R"({"findings": {"sciatica": true, "saddle_numbness": true}})", result, err)) {
            std::fprintf(stderr, "%s\n", err.message.c_str());
            return 4;
        }
        auto json = nlohmann::json::parse(result);
        std::string text = symtri::format_text(*rules, json);
        auto cards = symtri::cds_hooks_response(*rules, json);
        std::printf("level %s, %zu cards, engine %s\n", json["level"].get<std::string>().c_str(), cards["cards"].size(),
                    symtri::engine_version);
#if defined(SYMTRI_HAS_BUILTIN_RULES)
        if (symtri::load_builtin_rules()->info.digest != rules->info.digest) {
            std::fprintf(stderr, "the built-in rule set differs from the installed rule files\n");
            return 1;
        }
        std::printf("built-in rule set: the installed one\n");
#endif
        return json["level"] == "emergency" && text.find("WHAT TO DO:") != std::string::npos ? 0 : 1;
    } catch (const symtri::Error& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 3;
    }
}
