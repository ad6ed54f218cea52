// SPDX-License-Identifier: Apache-2.0
// Shared by the libFuzzer targets: small checks that turn a wrong answer into a crash libFuzzer reports.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

namespace fuzz {

// Like assert(), but also in release builds, with a message.
#define FUZZ_CHECK(cond, what)                                                                  \
    do {                                                                                        \
        if (!(cond)) {                                                                          \
            std::fprintf(stderr, "fuzz check failed: %s (%s) at %s:%d\n", what, #cond, __FILE__, \
                         __LINE__);                                                             \
            std::abort();                                                                       \
        }                                                                                       \
    } while (0)

// Everything symtri writes must be one valid JSON value (callers parse our results and error lines).
inline nlohmann::json must_parse(const std::string& text, const char* what) {
    try {
        return nlohmann::json::parse(text);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "fuzz check failed: %s is not JSON (%s): %.300s\n", what, e.what(), text.c_str());
        std::abort();
    }
}

}  // namespace fuzz
