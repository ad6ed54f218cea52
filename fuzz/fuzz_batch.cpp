// SPDX-License-Identifier: Apache-2.0
// Fuzzes `symtri batch` line handling (src/cli/batch.cpp) on the shipped rule set: any bytes as the
// JSON Lines input -> exactly one output line per input line, in input order, each a result or an
// error line naming its input line, and exit status 4 exactly when some line was rejected.
//
// The input's first byte picks the thread count (1 or 2) and a small max_case_bytes, so the long-line
// path is reached with small inputs too.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "cli.hpp"
#include "fuzz_common.hpp"

namespace symtri_cli {
// batch.cpp's cmd_batch calls this; the fuzzer drives run_batch directly with rules it loaded once.
symtri::RuleSetPtr load_rules_or_report(const Options&) { return nullptr; }
}  // namespace symtri_cli

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const symtri::RuleSetPtr rules = symtri::load_builtin_rules();
    if (size == 0) return 0;
    symtri_cli::Options o;
    o.quiet = true;
    o.threads = (data[0] & 1) ? 2 : 1;
    o.case_limits.max_bytes = (data[0] & 2) ? 64 : 1u << 20;
    std::string input(reinterpret_cast<const char*>(data + 1), size - 1);

    char empty = 0;
    std::FILE* in = fmemopen(input.empty() ? &empty : input.data(), input.size(), "r");
    if (!in) return 0;  // glibc before 2.22 refuses an empty buffer
    char* out_buf = nullptr;
    std::size_t out_size = 0;
    std::FILE* out = open_memstream(&out_buf, &out_size);
    FUZZ_CHECK(out != nullptr, "open_memstream");
    int status = symtri_cli::run_batch(rules, o, in, out);
    std::fclose(in);
    std::fclose(out);
    std::string output(out_buf, out_size);
    std::free(out_buf);

    // The input's lines: split on '\n'; a last line without one still counts.
    std::size_t expected = 0;
    for (char c : input) expected += c == '\n';
    if (!input.empty() && input.back() != '\n') ++expected;

    std::size_t n = 0, rejected = 0, start = 0;
    while (start < output.size()) {
        std::size_t nl = output.find('\n', start);
        FUZZ_CHECK(nl != std::string::npos, "every output line ends with a newline");
        auto j = fuzz::must_parse(output.substr(start, nl - start), "output line");
        ++n;
        if (j.contains("error")) {
            ++rejected;
            FUZZ_CHECK(j["line"] == n, "an error line names its input line, in order");
        } else {
            FUZZ_CHECK(j.contains("level") && j.contains("disclaimer"), "a result line");
        }
        start = nl + 1;
    }
    FUZZ_CHECK(n == expected, "one output line per input line");
    FUZZ_CHECK(status == (rejected ? 4 : 0), "exit status 4 exactly when a line was rejected");
    return 0;
}
