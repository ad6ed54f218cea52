// SPDX-License-Identifier: Apache-2.0
// symtri: the command-line program. app.cpp parses the command line and runs the command (the commands
// are listed in commands.cpp); here, what holds for all of them: output that cannot be written, and
// running out of memory, are reported and give a non-zero exit status.
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <new>
#include <string>

#include "cli.hpp"

// Every command writes its output through std::cout; a write error there (a full disk, a closed
// descriptor, a closed pipe) is checked once, here, for all of them: it is reported and the exit
// status is not 0, so output is never lost silently. Running out of memory is reported too (not an
// abort); while loading a rule set it is exit 3 (load_rules_or_report).
int main(int argc, char** argv) {
    std::signal(SIGPIPE, SIG_IGN);  // a closed pipe is a write error (EPIPE), reported like any other
    int rc;
    try {
        rc = symtri_cli::run_cli(argc, argv);
    } catch (const std::bad_alloc&) {
        std::cout.flush();
        std::cerr << "symtri: out of memory\n";
        return symtri_cli::exit_failed;
    }
    errno = 0;
    std::cout.flush();
    bool failed = !std::cout;
    int e = errno;
    if (std::fflush(stdout) != 0) {
        failed = true;
        if (!e) e = errno;
    }
    if (failed || std::ferror(stdout)) {
        std::cerr << "symtri: cannot write standard output" << (e ? std::string(" (") + std::strerror(e) + ")" : std::string())
                  << "\n";
        return rc == symtri_cli::exit_ok ? symtri_cli::exit_failed : rc;
    }
    return rc;
}
