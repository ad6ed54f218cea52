// SPDX-License-Identifier: Apache-2.0
#include "batch_stream.hpp"

#include "handlers.hpp"

namespace symtri_service {

BatchStream::BatchStream(const State& state, symtri::RuleSetPtr rules)
    : state_(state), rules_(std::move(rules)), max_bytes_(state.config().case_limits.max_bytes), split_(max_bytes_) {}

void BatchStream::answer(symtri::Session& session, std::string_view text, bool too_long, std::size_t number,
                         std::string& out) {
    if (!symtri::triage_jsonl_line(session, text, too_long, number, max_bytes_, scratch_, out)) ++rejected_;
}

void BatchStream::feed(std::string_view piece, std::string& out) {
    // This thread's Session, taken afresh for each piece: the pieces of one request may be read on
    // different threads of the server's pool.
    symtri::Session& session = session_for(state_, rules_);
    split_.feed(piece, [&](std::string_view text, bool too_long, std::size_t n) { answer(session, text, too_long, n, out); });
}

void BatchStream::finish(std::string& out) {
    symtri::Session& session = session_for(state_, rules_);
    split_.finish([&](std::string_view text, bool too_long, std::size_t n) { answer(session, text, too_long, n, out); });
}

}  // namespace symtri_service
