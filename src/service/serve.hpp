// SPDX-License-Identifier: Apache-2.0
// The one entry point the symtri program needs for `symtri serve` (kept apart from service.hpp so the
// program's argument parsing does not compile Boost).
#pragma once

namespace symtri_service {

// `symtri serve ARGS`: argv[0] is "symtri serve", the options follow (the command table in
// src/cli/commands.cpp hands them over). Returns the exit code (0 after SIGTERM).
int run_serve(int argc, char** argv);

}  // namespace symtri_service
