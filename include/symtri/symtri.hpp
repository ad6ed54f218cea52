// SPDX-License-Identifier: Apache-2.0
// symtri: rule-based symptom triage. The C++ API: include this and link nothing (header-only, the
// default), or link symtri::lib, where the same headers' heavy functions are compiled once
// (config.hpp: SYMTRI_HEADER_ONLY or SYMTRI_COMPILED_LIB; the *-inl.hpp files hold those functions).
//
// The pipeline, one header each:
//   files.hpp     where rule files come from (disk, memory, a host's own FileSource)
//   load_options.hpp  what a host may ask of a load (limits; threads, memory release: off by default)
//   loader.hpp    rule files and includes -> parsed documents (detail/json_document.hpp: each value
//                 with its position); part of the compiler's definitions (compiler-inl.hpp)
//   compiler.hpp  documents -> immutable RuleSet (load_rules, load_rules_from_string); one pass a file
//                 under detail/compile/, run in the order detail/compile/compiler.hpp lists:
//                   fields.hpp       locales, file shape, ruleset and levels, the vocabulary
//                   conditions.hpp   `when` and named conditions -> flat nodes (never_true.hpp checks
//                                    each `all` for tests that contradict each other)
//                   rules.hpp        each rule's other fields
//                   structure.hpp    across rules: blocks, condition size, screening, shadowed rules
//                   carried_tests.hpp the tests the rule set carries
//                   layout.hpp       the evaluator's arrays, pre-rendered JSON, the digest
//                   two_threads.hpp  compile(), and what a large rule set does on a second thread
//   case.hpp      case JSON -> Case (parse_case), strictly checked against the vocabulary
//   evaluator.hpp RuleSet + Case -> Outcome (three-valued logic, questions, blocking)
//   result.hpp    Outcome -> result JSON (write_result)
//   session.hpp   all of the above for one thread: JSON in, JSON out
//   check.hpp     runs the tests a rule set carries
//   builtin.hpp   the shipped rule set compiled in
//
//   auto rules = symtri::load_builtin_rules();          // or symtri::load_rules("rules/")
//   symtri::Session session(rules);                     // one per thread; rules are shared
//   std::string result; symtri::CaseError err;
//   if (session.triage(R"({"findings": {"sciatica": true}})", result, err)) std::puts(result.c_str());
#pragma once

#include "version.hpp"
#include "error.hpp"
#include "attributes.hpp"
#include "ruleset.hpp"
#include "load_options.hpp"
#include "compiler.hpp"
#include "case.hpp"
#include "evaluator.hpp"
#include "result.hpp"
#include "session.hpp"
#include "check.hpp"
#include "builtin.hpp"
