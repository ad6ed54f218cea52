// SPDX-License-Identifier: Apache-2.0
// /v1/batch's body turned into result lines a piece at a time, as it arrives: the server writes each
// piece's lines as one HTTP chunk while the client is still sending, so neither side holds the whole
// batch. The lines follow symtri/jsonl.hpp, the rule `symtri batch` follows too: same input, same bytes.
#pragma once

#include <string>
#include <string_view>

#include <symtri/jsonl.hpp>

#include "service.hpp"

namespace symtri_service {

class BatchStream {
public:
    // The rule set serving when the request began answers the whole batch, even across a reload.
    BatchStream(const State& state, symtri::RuleSetPtr rules);

    // Appends to `out` the result line of every line `piece` completes (each ending in '\n').
    void feed(std::string_view piece, std::string& out);
    // The body has ended: the result of a last line without '\n'.
    void finish(std::string& out);

    std::size_t lines() const { return split_.lines(); }
    std::size_t rejected() const { return rejected_; }

private:
    const State& state_;
    symtri::RuleSetPtr rules_;
    std::size_t max_bytes_;
    symtri::JsonlSplitter split_;
    std::string scratch_;
    std::size_t rejected_ = 0;

    void answer(symtri::Session& session, std::string_view text, bool too_long, std::size_t number, std::string& out);
};

}  // namespace symtri_service
