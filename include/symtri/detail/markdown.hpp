// SPDX-License-Identifier: Apache-2.0
// Markdown escaping for the CDS Hooks cards' detail text (format_cds_hooks-inl.hpp). A header of its own
// so that it is inline in both build modes and the tests can check it whichever mode they are built in.
#pragma once

#include <string>

namespace symtri {
namespace detail {

// Text made safe to insert into Markdown: characters with a meaning in GFM are backslash-escaped.
inline std::string markdown_escape(const std::string& s) {
    std::string out;
    out.reserve(s.size() + 8);
    for (char c : s) {
        switch (c) {
            case '\\': case '`': case '*': case '_': case '[': case ']': case '<': case '>': case '#': case '|':
            case '~':
                out += '\\';
                out += c;
                break;
            case '\n': out += "  \n"; break;
            default: out += c;
        }
    }
    return out;
}

}  // namespace detail
}  // namespace symtri
