// SPDX-License-Identifier: Apache-2.0
// A consumer of symtri::lib, the compiled C++ library (docs/cpp-api.md): the built-in rule set, one case,
// the result JSON printed. It compiles in seconds: the loader, compiler and triage are in the library.
#include <cstdio>
#include <string>

#include <symtri/symtri.hpp>

int main() {
    auto rules = symtri::load_builtin_rules();
    symtri::Session session(rules);
    std::string result;
    symtri::CaseError err;
    if (!session.triage(R"({"findings": {"speech_difficulty": true}})", result, err)) return 4;
    std::puts(result.c_str());
    return result.find("\"level\":\"ambulance\"") != std::string::npos ? 0 : 1;
}
