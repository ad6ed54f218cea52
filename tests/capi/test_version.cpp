// SPDX-License-Identifier: Apache-2.0
// symtri.h repeats version.hpp's macros: a C++ file may include both (identical redefinitions are
// allowed), and the values must agree. A mismatch fails to compile here.
#include <catch2/catch.hpp>

#include <string>

#include <symtri/version.hpp>
#include <symtri/error.hpp>
#include <symtri/symtri.h>

static_assert(SYMTRI_VERSION_NUMBER == SYMTRI_VERSION_MAJOR * 1000000 + SYMTRI_VERSION_MINOR * 1000 + SYMTRI_VERSION_PATCH, "");
static_assert(SYMTRI_MISUSE == static_cast<int>(symtri::Status::misuse), "");
static_assert(SYMTRI_INVALID_RULESET == static_cast<int>(symtri::Status::invalid_ruleset), "");
static_assert(SYMTRI_INVALID_CASE == static_cast<int>(symtri::Status::invalid_case), "");
static_assert(SYMTRI_INTERNAL == static_cast<int>(symtri::Status::internal), "");

TEST_CASE("version: symtri.h, version.hpp and the library agree", "[version]") {
    CHECK(std::string(symtri_version()) == symtri::engine_version);
    CHECK(symtri_rules_format_version() == symtri::rules_format_version);
    CHECK(symtri_rules_format_min_version() == symtri::rules_format_min_version);
    CHECK(std::string(symtri_version()) == std::to_string(SYMTRI_VERSION_MAJOR) + "." + std::to_string(SYMTRI_VERSION_MINOR) +
                                               "." + std::to_string(SYMTRI_VERSION_PATCH));
}
