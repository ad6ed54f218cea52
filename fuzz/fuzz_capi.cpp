// SPDX-License-Identifier: Apache-2.0
// Fuzzes the C API sequence a host runs: open an engine (the built-in rules, or rule text from the
// input), triage a case, read every part of the result, triage the same bytes as JSON Lines, free
// everything. Any bytes -> statuses and messages, never a crash, a leak (LeakSanitizer runs at every
// input's end... and at exit) or a NULL where the header promises a string.
//
// Input: byte 0 picks the mode (bit 0: rules from the input; bits 1-2: small limits), then, in rules
// mode, the rule text up to the first "\n\x00\n" and the case after it; else all of it is the case.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include <symtri/symtri.h>

#include "fuzz_common.hpp"

namespace {

void read_result(const symtri_result* r, int status) {
    FUZZ_CHECK(r != nullptr, "a result handle even for a rejected case");
    FUZZ_CHECK(symtri_result_errcode(r) == status, "errcode matches the status");
    std::size_t len = 0;
    const char* json = symtri_result_json(r, &len);
    FUZZ_CHECK(json != nullptr && std::strlen(json) == len, "result JSON with its length");
    fuzz::must_parse(std::string(json, len), "C API result JSON");
    FUZZ_CHECK(symtri_result_errmsg(r) != nullptr, "errmsg is never NULL");
    if (status == SYMTRI_OK) {
        FUZZ_CHECK(symtri_result_level(r) != nullptr && symtri_result_level_rank(r) >= 0, "level");
        FUZZ_CHECK(symtri_result_summary(r) != nullptr, "summary");
        for (std::size_t i = 0; i < symtri_result_red_flag_count(r); ++i)
            FUZZ_CHECK(symtri_result_red_flag(r, i) && symtri_result_red_flag_level(r, i) &&
                           symtri_result_red_flag_title(r, i) && symtri_result_red_flag_advice(r, i),
                       "red flag parts");
        for (std::size_t i = 0; i < symtri_result_question_count(r); ++i)
            FUZZ_CHECK(symtri_result_question_finding(r, i) && symtri_result_question_prompt(r, i) &&
                           symtri_result_question_could_raise_to(r, i),
                       "question parts");
        FUZZ_CHECK(symtri_result_red_flag(r, symtri_result_red_flag_count(r)) == nullptr, "out of range is NULL");
    } else {
        const symtri_error* e = symtri_result_error(r);
        FUZZ_CHECK(e != nullptr && symtri_error_code(e) && symtri_error_message(e) && symtri_error_text(e),
                   "an error with code and message");
    }
}

void use_engine(const symtri_engine* engine, const char* text, std::size_t len) {
    symtri_result* r = nullptr;
    int status = symtri_engine_triage(engine, text, len, &r);
    FUZZ_CHECK(status == SYMTRI_OK || status == SYMTRI_INVALID_CASE, "triage status");
    read_result(r, status);
    symtri_result_destroy(r);

    symtri_batch* b = nullptr;
    status = symtri_engine_triage_jsonl(engine, text, len, 1, &b);
    FUZZ_CHECK(status == SYMTRI_OK || status == SYMTRI_INVALID_CASE, "jsonl status");
    std::size_t out_len = 0;
    const char* out = symtri_batch_output(b, &out_len);
    FUZZ_CHECK(out != nullptr, "batch output");
    std::size_t lines = 0;
    for (std::size_t i = 0; i < out_len; ++i) lines += out[i] == '\n';
    FUZZ_CHECK(lines == symtri_batch_count(b), "one output line per input line");
    FUZZ_CHECK((status == SYMTRI_OK) == (symtri_batch_failed(b) == 0), "status says whether a line failed");
    symtri_batch_destroy(b);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static symtri_engine* builtin = [] {
        symtri_engine* e = nullptr;
        FUZZ_CHECK(symtri_engine_open_builtin(nullptr, &e) == SYMTRI_OK, "the built-in rules open");
        return e;
    }();
    if (size == 0) return 0;
    const std::uint8_t mode = data[0];
    std::string input(reinterpret_cast<const char*>(data + 1), size - 1);

    symtri_options* opts = nullptr;
    FUZZ_CHECK(symtri_options_create(&opts) == SYMTRI_OK, "options");
    if (mode & 2) symtri_options_set(opts, SYMTRI_OPT_MAX_CASE_BYTES, 64);
    if (mode & 4) {
        symtri_options_set(opts, SYMTRI_OPT_MAX_RULE_DEPTH, 6);
        symtri_options_set(opts, SYMTRI_OPT_MAX_CASE_DEPTH, 3);
        symtri_options_set(opts, SYMTRI_OPT_MAX_RULES, 3);
    }
    if (mode & 1) {
        std::size_t cut = input.find(std::string("\n\0\n", 3));
        std::string rules = input.substr(0, cut);
        std::string c = cut == std::string::npos ? std::string("{}") : input.substr(cut + 3);
        symtri_engine* e = nullptr;
        int status = symtri_engine_open_string(rules.data(), rules.size(), "fuzz.json", opts, &e);
        FUZZ_CHECK(e != nullptr, "a failed open still gives a handle");
        FUZZ_CHECK(symtri_engine_errcode(e) == status && symtri_engine_errmsg(e) != nullptr, "open status and message");
        if (status == SYMTRI_OK) {
            use_engine(e, c.data(), c.size());
        } else {
            FUZZ_CHECK(symtri_engine_error_count(e) > 0, "a failed open lists its problems");
            for (std::size_t i = 0; i < symtri_engine_error_count(e); ++i)
                FUZZ_CHECK(symtri_error_text(symtri_engine_error(e, i)) != nullptr, "each problem has a text");
            symtri_result* r = nullptr;
            FUZZ_CHECK(symtri_engine_triage(e, c.data(), c.size(), &r) == SYMTRI_MISUSE, "a failed engine is misuse");
            symtri_result_destroy(r);
        }
        symtri_engine_close(e);
    } else if (mode & 6) {
        // The built-in rules under small limits, opened once per setting (compiling them per input
        // made this target ten times slower); with max_rules 3 the open fails, and must say so.
        static symtri_engine* limited[4] = {nullptr, nullptr, nullptr, nullptr};
        static int limited_status[4];
        const int k = (mode >> 1) & 3;
        if (!limited[k]) limited_status[k] = symtri_engine_open_builtin(opts, &limited[k]);
        FUZZ_CHECK(limited[k] != nullptr, "a handle even when the open fails");
        if (limited_status[k] == SYMTRI_OK) use_engine(limited[k], input.data(), input.size());
        else FUZZ_CHECK(symtri_engine_errcode(limited[k]) == limited_status[k], "a failed open keeps its status");
    } else {
        use_engine(builtin, input.data(), input.size());
    }
    symtri_options_destroy(opts);
    return 0;
}
