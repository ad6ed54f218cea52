// SPDX-License-Identifier: Apache-2.0
// A consumer of symtri::with_rules (or pkg-config's cflags): the built-in rule set, no files at run time.
#include <cstdio>
#include <string>

#include <symtri/symtri.hpp>

int main() {
    if (!symtri::has_builtin_rules()) {
        std::fprintf(stderr, "no built-in rule set: the generated header was not found\n");
        return 1;
    }
    auto rules = symtri::load_builtin_rules();
    symtri::Session session(rules);
    std::string result;
    symtri::CaseError err;
    if (!session.triage(R"({"findings": {"speech_difficulty": true}})", result, err)) return 4;
    auto level = nlohmann::json::parse(result)["level"].get<std::string>();
    std::printf("built-in %s %s: level %s\n", rules->info.id.c_str(), rules->info.version.c_str(), level.c_str());
    return level == "ambulance" ? 0 : 1;
}
