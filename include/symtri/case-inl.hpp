// SPDX-License-Identifier: Apache-2.0
// The definition of case.hpp's checked case reader: included by case.hpp in the header-only mode,
// compiled once into symtri::lib (src/lib/case.cpp) otherwise (config.hpp).
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "case.hpp"
#include "detail/json_document.hpp"
#include "detail/json_reader.hpp"

namespace symtri {
namespace detail {

SYMTRI_FUNC bool parse_case_checked(const RuleSet& rs, std::string_view text, Case& out, CaseError& err,
                                    const CaseLimits& limits) {
    nlohmann::json j;
    detail::JsonReadError jerr;
    detail::JsonReadLimits jl;
    jl.max_depth = limits.depth();
    jl.depth_name = "max_case_depth";
    if (!detail::read_json(text, j, jerr, jl)) {
        out.reset(rs);
        // Over the depth limit is not bad JSON: the message names the limit, not a syntax error.
        err = CaseError{jerr.depth_limit ? "limit" : "invalid_json",
                        jerr.depth_limit ? "case " + jerr.message
                                         : "invalid JSON at line " + std::to_string(jerr.pos.line) + ", column " +
                                               std::to_string(jerr.pos.column) + ": " + jerr.message,
                        jerr.pointer, jerr.pos.line, jerr.pos.column};
        return false;
    }
    if (parse_case(rs, j, out, err)) return true;
    // Read again as a document, which knows where each value and key is.
    detail::JsonDocument doc;
    if (detail::JsonDocument::read(std::string(text), doc, jerr, jl)) {
        // An unknown name is best shown at the key; a bad value at the value.
        bool at_key = err.code == "unknown_finding" || err.code == "unknown_key" || err.code == "unknown_attribute";
        detail::SourcePos p = at_key ? doc.key_pos(err.path) : doc.value_pos(err.path);
        err.line = p.line;
        err.column = p.column;
    }
    return false;
}

}  // namespace detail
}  // namespace symtri
