// SPDX-License-Identifier: Apache-2.0
// The symtri program's command line, on CLI11: the table of commands (commands.cpp), the options
// several commands share (options.cpp), and the parser that runs them (app.cpp). Only these three files
// include CLI11; the commands themselves see Options (cli.hpp).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli.hpp"

namespace symtri_cli {

// One command's command line while it is parsed: the Options it fills, and the values that are checked
// once parsing is done (check_values), so that a bad value gives the same message wherever it is written.
struct Args {
    Options o;
    std::optional<std::string> threads;                         // --threads N
    std::optional<std::string> format;                          // --format F
    std::vector<std::string> formats;                           // what --format takes, the default first
    std::optional<std::string> min_mcdc;                        // --min-mcdc P
    std::vector<std::pair<std::string, std::string>> limits;    // (limit name, value), in command-line order
    std::vector<std::string> limit_names;                       // the limits this command takes
    std::map<std::string, std::string> needs;                   // option or argument -> what it needs, for errors
};

// A command of the program. Adding one is one line in the table in commands.cpp.
struct Command {
    const char* name;
    const char* synopsis;    // its usage line, as docs/cli.md heads it: "triage [--rules PATH] ... [CASE.json | -]"
    const char* summary;     // what it does: `symtri --help` lists it, `symtri NAME --help` starts with it
    const char* exit_codes;  // the end of `symtri NAME --help`
    void (*declare)(CLI::App& cmd, Args& a);  // its options and arguments
    int (*run)(const Options& o);             // runs it; returns the exit code
};

const std::vector<Command>& commands();  // commands.cpp

// The options several commands share (options.cpp). Each records what it needs in `a.needs`.
enum LimitSet : unsigned { load_limits = 1, case_limits = 2, question_limits = 4 };
// A value option kept as text in `to`; "--NAME needs <needs>" when its value is missing.
CLI::Option* add_text_option(CLI::App& cmd, Args& a, const std::string& flag, std::optional<std::string>& to,
                             const std::string& type, const std::string& needs, const std::string& description);
void add_rules(CLI::App& cmd, Args& a);                    // --rules PATH
CLI::Option* add_positional(CLI::App& cmd, Args& a, const std::string& name, const std::string& needs,
                            const std::string& description);  // appends to o.args
std::vector<CLI::Option*> add_limits(CLI::App& cmd, Args& a, unsigned which);  // --max-..., --limit NAME=N
void add_threads(CLI::App& cmd, Args& a);                  // --threads N
CLI::Option* add_format(CLI::App& cmd, Args& a, std::vector<std::string> formats, const std::string& description);
void add_min_mcdc(CLI::App& cmd, Args& a, CLI::Option* coverage);  // --min-mcdc P (needs --coverage)

// Checks and converts the values kept as text (threads, format, min-mcdc, limits). Returns a usage
// error message, or "".
std::string check_values(Args& a);
// The limits table, for the program's --help: "  --max-file-bytes N  largest rule file read (...)\n"...
std::string limits_help();

}  // namespace symtri_cli
