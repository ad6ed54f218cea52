// SPDX-License-Identifier: Apache-2.0
// Triaging one case into a result handle: shared by symtri_engine_triage (triage.cpp) and the batch
// entry points (batch.cpp).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "handles.hpp"

namespace symtri_capi {

// Triages `text` with `session` (borrowed from engine's pool) into a new result. May throw
// std::bad_alloc; never throws for a bad case.
std::unique_ptr<symtri_result> triage_into(const symtri_engine& engine, symtri::Session& session, std::string_view text);

// A result that only carries a misuse message.
std::unique_ptr<symtri_result> misuse_result(std::string why);

// Why the engine cannot triage ("" when it can).
std::string unusable(const symtri_engine* engine, const char* function);

}  // namespace symtri_capi
