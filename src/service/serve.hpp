// SPDX-License-Identifier: Apache-2.0
// What the symtri program needs for `symtri serve`: the command line's values and the entry point
// (kept apart from service.hpp so the program's argument parsing does not compile Boost).
#pragma once

#include <optional>
#include <string>

#include <symtri/case_data.hpp>
#include <symtri/evaluator.hpp>
#include <symtri/load_options.hpp>

namespace symtri_service {

// `symtri serve`'s own options as the program's parser (src/cli, CLI11) read them: as text, checked by
// run_serve, which says what is wrong with a value the way every command does.
struct ServeOptions {
    std::optional<std::string> rules;            // --rules PATH; none = the built-in rule set
    unsigned threads = 0;                        // --threads N (checked 1..256 by the parser); 0 = 2
    std::optional<std::string> listen;           // --listen HOST:PORT (default 127.0.0.1:8080)
    std::optional<std::string> auth_token_file;  // --auth-token-file FILE
    std::optional<std::string> max_body_bytes, max_batch_bytes, max_header_bytes, max_connections, request_timeout_ms;
    bool no_access_log = false;                  // --no-access-log
    symtri::LoadLimits load_limits;              // the rule-set limits, as every command takes them
    symtri::CaseLimits case_limits;              // --max-case-bytes, --max-case-depth
    symtri::TriageOptions triage_options;        // --max-questions, --all-questions
};

// Checks the values, loads the rule set, checks authentication and serves until SIGTERM. Returns the
// exit code: 0 after SIGTERM, 2 usage error (one line on stderr), 3 the rule set cannot be loaded.
int run_serve(const ServeOptions& options);

}  // namespace symtri_service
