// SPDX-License-Identifier: Apache-2.0
// JSON Lines triage: the one rule `symtri batch`, the C API's symtri_engine_triage_jsonl and the
// service's streamed /v1/batch share, so that all three give the same bytes for the same input.
//
//   A line ends at '\n'; one '\r' before it is dropped (CRLF files); a last line without '\n' counts.
//   Each input line gives exactly one output line, in input order:
//     a case                    -> its result JSON
//     a line over max_case_bytes -> {"case_id":null,"line":N,"error":{"code":"limit",...}}
//     a blank line              -> ... "code":"empty_line" ...
//     a rejected case           -> {"case_id":...,"line":N,"error":{code, message, path...}}
//   A rejected line never stops the batch.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>

#include "result.hpp"
#include "session.hpp"

namespace symtri {

// True for a line of nothing but spaces, tabs and carriage returns.
inline bool jsonl_blank(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

// Appends the output line, with its '\n', for input line `number` (1-based) to `out`. `too_long`:
// the line was over `max_bytes` and was not kept (its text is empty). `scratch` is reused between calls
// so that triage allocates little. Returns true when the case was triaged (session.last_outcome() is
// its outcome), false when the line was rejected.
inline bool triage_jsonl_line(Session& session, std::string_view text, bool too_long, std::size_t number,
                              std::size_t max_bytes, std::string& scratch, std::string& out) {
    bool ok = false;
    if (too_long) {
        CaseError err{"limit", "line is longer than the limit of " + std::to_string(max_bytes) + " bytes (max_case_bytes)",
                      "", 0, 0};
        out += case_error_json(nullptr, number, err);
    } else if (jsonl_blank(text)) {
        CaseError err{"empty_line", "empty line: expected one case as a JSON object", "", 0, 0};
        out += case_error_json(nullptr, number, err);
    } else {
        CaseError err;
        try {
            ok = session.triage(text, scratch, err);
        } catch (const std::exception& e) {  // out of memory, say: this line fails, the batch goes on
            err = CaseError{"internal", std::string("internal error: ") + e.what(), "", 0, 0};
        }
        if (ok)
            out += scratch;
        else
            out += case_error_json(err.code == "internal" ? nlohmann::json() : session.last_case().case_id_json, number, err);
        if (scratch.capacity() > (4u << 20)) std::string().swap(scratch);  // one huge result does not stay held
    }
    out.push_back('\n');
    return ok;
}

// Splits JSON Lines that arrive in pieces (a socket, a pipe) into lines, holding at most `max_bytes`
// of one line (plus one byte, the '\r' of a CRLF): a longer line is reported as too long, with empty
// text, and the rest of it is skipped as it arrives, so memory stays bounded whatever the input.
//
//   JsonlSplitter split(max_bytes);
//   split.feed(piece, on_line);  // for each piece; on_line(std::string_view text, bool too_long, std::size_t number)
//   split.finish(on_line);       // at the end: a last line without '\n'
//
// The text handed to on_line is valid during the call only.
class JsonlSplitter {
public:
    explicit JsonlSplitter(std::size_t max_bytes) : max_(max_bytes) {}

    template <class OnLine>
    void feed(std::string_view piece, OnLine&& on_line) {
        while (!piece.empty()) {
            const char* nl = static_cast<const char*>(std::memchr(piece.data(), '\n', piece.size()));
            std::size_t len = nl ? static_cast<std::size_t>(nl - piece.data()) : piece.size();
            std::string_view part = piece.substr(0, len);
            if (!skipping_) {
                if (nl && carry_.empty()) {
                    line(part, on_line);  // the whole line is in this piece: no copy
                } else if (std::size_t held = carry_.size() + part.size(); held > max_ && held - max_ > 1) {
                    carry_.clear();
                    skipping_ = true;
                } else {
                    carry_.append(part.data(), part.size());
                    if (nl) {
                        line(carry_, on_line);
                        carry_.clear();
                    }
                }
            }
            if (!nl) break;
            if (skipping_) {  // the end of a line too long to keep
                skipping_ = false;
                on_line(std::string_view(), true, ++number_);
            }
            piece.remove_prefix(len + 1);
        }
    }

    template <class OnLine>
    void finish(OnLine&& on_line) {
        if (skipping_) {
            skipping_ = false;
            on_line(std::string_view(), true, ++number_);
        } else if (!carry_.empty()) {
            line(carry_, on_line);
        }
        carry_.clear();
    }

    std::size_t lines() const { return number_; }  // lines handed out so far

private:
    std::size_t max_;
    std::string carry_;  // the start of a line whose '\n' has not arrived yet
    bool skipping_ = false;
    std::size_t number_ = 0;

    template <class OnLine>
    void line(std::string_view text, OnLine& on_line) {
        if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
        ++number_;
        if (text.size() > max_) return on_line(std::string_view(), true, number_);
        on_line(text, false, number_);
    }
};

}  // namespace symtri
