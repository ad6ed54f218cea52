// SPDX-License-Identifier: Apache-2.0
// Errors: what went wrong, where (file, line, column, JSON Pointer), in words a rule author or an app
// developer can act on. Formatted like a compiler's diagnostics:
//   rules/back.json:42:17: error: unknown finding 'sadle_numbness' (did you mean 'saddle_numbness'?) at /rules/3/when/finding
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace symtri {

// Numeric codes shared with the C API (symtri.h) and the command line's exit codes.
enum class Status : int {
    ok = 0,
    misuse = 1,           // the API was called wrongly (null handle, bad argument)
    usage = 2,            // command-line usage error
    invalid_ruleset = 3,  // a rule set failed to load or compile
    invalid_case = 4,     // a case was rejected
    io = 5,               // a file could not be read
    limit = 6,            // a configured limit was exceeded
    nomem = 7,
    internal = 8,
};

inline const char* status_name(Status s) {
    switch (s) {
        case Status::ok: return "ok";
        case Status::misuse: return "misuse";
        case Status::usage: return "usage";
        case Status::invalid_ruleset: return "invalid_ruleset";
        case Status::invalid_case: return "invalid_case";
        case Status::io: return "io";
        case Status::limit: return "limit";
        case Status::nomem: return "nomem";
        case Status::internal: return "internal";
    }
    return "unknown";
}

struct Diagnostic {
    std::string code;     // machine-readable, e.g. "unknown_finding"
    std::string message;  // one line, no position, e.g. "unknown finding 'x' (did you mean 'y'?)"
    std::string file;     // empty when the input was not a file (a string, a case)
    unsigned line = 0;    // 1-based, 0 when unknown
    unsigned column = 0;  // 1-based, 0 when unknown
    std::string pointer;  // JSON Pointer of the offending value ("" is the whole document)

    // "file:line:col: error: message at /pointer"
    std::string format() const {
        std::string out;
        if (!file.empty()) out += file;
        if (line) {
            if (!out.empty()) out += ':';
            out += std::to_string(line) + ':' + std::to_string(column);
        }
        if (!out.empty()) out += ": ";
        out += "error: " + message;
        if (!pointer.empty()) out += " at " + pointer;
        return out;
    }
};

class Error : public std::runtime_error {
public:
    Error(Status status, std::vector<Diagnostic> diagnostics)
        : std::runtime_error(join(diagnostics)), status_(status), diagnostics_(std::move(diagnostics)) {}
    Error(Status status, Diagnostic d) : Error(status, std::vector<Diagnostic>{std::move(d)}) {}

    Status status() const noexcept { return status_; }
    // Never empty.
    const std::vector<Diagnostic>& diagnostics() const noexcept { return diagnostics_; }
    const Diagnostic& first() const noexcept { return diagnostics_.front(); }

private:
    Status status_;
    std::vector<Diagnostic> diagnostics_;

    static std::string join(std::vector<Diagnostic>& ds) {
        if (ds.empty()) ds.push_back(Diagnostic{"internal", "unknown error", "", 0, 0, ""});
        std::string out;
        for (const auto& d : ds) {
            if (!out.empty()) out += '\n';
            out += d.format();
        }
        return out;
    }
};

}  // namespace symtri
