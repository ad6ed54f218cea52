// SPDX-License-Identifier: Apache-2.0
// UTF-8 helpers for the output formats (format_text.hpp, format_cds_hooks.hpp): counting characters,
// cutting text to a number of characters without splitting one, and word wrapping.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace symtri {
namespace detail {

// Number of characters (code points) in UTF-8 text; a stray continuation byte counts as nothing.
inline std::size_t utf8_length(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

// Byte offset just past the first `chars` characters of `s` (s.size() if it is shorter).
inline std::size_t utf8_offset(std::string_view s, std::size_t chars) {
    std::size_t seen = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
            if (seen == chars) return i;
            ++seen;
        }
    }
    return s.size();
}

// `s` cut to at most `max_chars` characters: whole if it fits, else at the last space that keeps at
// least half of it, with "..." appended (the result, dots included, is at most max_chars long).
inline std::string utf8_shorten(std::string_view s, std::size_t max_chars) {
    if (utf8_length(s) <= max_chars) return std::string(s);
    if (max_chars < 4) return std::string(s.substr(0, utf8_offset(s, max_chars)));
    std::size_t cut = utf8_offset(s, max_chars - 3);
    std::size_t space = s.rfind(' ', cut);
    if (space != std::string_view::npos && space >= cut / 2) cut = space;
    std::string out(s.substr(0, cut));
    while (!out.empty() && (out.back() == ' ' || out.back() == ',' || out.back() == ';' || out.back() == ':' ||
                            out.back() == '.'))
        out.pop_back();
    return out + "...";
}

// Splits text into lines of at most `width` characters (a longer word gets a line of its own).
// Existing line breaks are kept. width 0 means no wrapping.
inline std::vector<std::string> utf8_wrap(std::string_view text, std::size_t width) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t nl = text.find('\n', start);
        std::string_view para = text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
        std::string line;
        std::size_t line_len = 0;
        std::size_t i = 0;
        bool any = false;
        while (i < para.size()) {
            while (i < para.size() && para[i] == ' ') ++i;
            if (i >= para.size()) break;
            std::size_t j = para.find(' ', i);
            if (j == std::string_view::npos) j = para.size();
            std::string_view word = para.substr(i, j - i);
            std::size_t wl = utf8_length(word);
            if (line_len && width && line_len + 1 + wl > width) {
                lines.push_back(line);
                line.clear();
                line_len = 0;
            }
            if (line_len) {
                line += ' ';
                ++line_len;
            }
            line += word;
            line_len += wl;
            any = true;
            i = j;
        }
        if (any || nl != std::string_view::npos) lines.push_back(line);
        if (nl == std::string_view::npos) break;
        start = nl + 1;
    }
    return lines;
}

}  // namespace detail
}  // namespace symtri
