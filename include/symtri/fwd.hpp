// SPDX-License-Identifier: Apache-2.0
// Forward declarations, for headers that only pass symtri types around.
#pragma once

#include <memory>

namespace symtri {
class RuleSet;
class Case;
class Evaluator;
class Session;
class Error;
struct Outcome;
struct CaseError;
struct Diagnostic;
struct LoadOptions;
using RuleSetPtr = std::shared_ptr<const RuleSet>;
}  // namespace symtri
