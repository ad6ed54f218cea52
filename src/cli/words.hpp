// SPDX-License-Identifier: Apache-2.0
// Small text helpers the command reports share (explain, diff): one definition each, so the commands
// word lists alike and the CLI can be compiled as one unity translation unit. Numbers: the library's
// symtri::detail::explain_number (explain.hpp).
#pragma once

#include <string>
#include <vector>

namespace symtri_cli {

// "a, b, c" (or joined by another separator).
inline std::string join(const std::vector<std::string>& v, const char* sep = ", ") {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
    return out;
}

}  // namespace symtri_cli
