// SPDX-License-Identifier: Apache-2.0
// Small text helpers the command reports share (explain, coverage, diff): one definition each, so the
// commands word numbers and lists alike and the CLI can be compiled as one unity translation unit.
#pragma once

#include <sstream>
#include <string>
#include <vector>

namespace symtri_cli {

// A number as a person reads it: 7, 0.5, 1e+06 (the stream's shortest default form).
inline std::string number(double v) {
    std::ostringstream ss;
    ss << v;
    return ss.str();
}

// "a, b, c" (or joined by another separator).
inline std::string join(const std::vector<std::string>& v, const char* sep = ", ") {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
    return out;
}

}  // namespace symtri_cli
