// SPDX-License-Identifier: Apache-2.0
// The batch entry points: symtri_engine_triage_many (array in, result handles out) and
// symtri_engine_triage_jsonl (JSON Lines in, `symtri batch` output out).
#include <algorithm>
#include <atomic>
#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include <symtri/jsonl.hpp>
#include <symtri/result.hpp>

#include "errors.hpp"
#include "triage.hpp"

namespace {

// Runs job(i) for i in [0, n) on `threads` workers, each with its own Session from the engine's pool.
// Small batches, or threads == 1, run on the calling thread.
template <class Job>
void parallel(const symtri_engine& engine, std::size_t n, unsigned threads, Job&& job) {
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    if (threads > 256) threads = 256;
    if (threads == 1 || n < 64) {
        symtri_capi::Lease session(*engine.pool);
        for (std::size_t i = 0; i < n; ++i) job(*session, i);
        return;
    }
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    std::exception_ptr error;
    std::mutex error_mutex;
    auto worker = [&] {
        try {
            symtri_capi::Lease session(*engine.pool);
            for (std::size_t i; !failed && (i = next.fetch_add(16)) < n;)
                for (std::size_t k = i; k < std::min(n, i + 16); ++k) job(*session, k);
        } catch (...) {
            std::lock_guard<std::mutex> lock(error_mutex);
            if (!error) error = std::current_exception();
            failed = true;
        }
    };
    std::vector<std::thread> pool;
    try {
        for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
    } catch (...) {
        // could not start more threads: the ones running (and this one) do the work
    }
    worker();
    for (auto& th : pool) th.join();
    if (error) std::rethrow_exception(error);
}

}  // namespace

extern "C" int symtri_engine_triage_many(const symtri_engine* engine, const char* const* cases, const size_t* lens,
                                         size_t n, unsigned threads, symtri_result** results) {
    if (!results) return SYMTRI_MISUSE;
    std::fill(results, results + n, nullptr);
    if (!engine || !engine->rules || (n > 0 && !cases)) return SYMTRI_MISUSE;
    int rc = symtri_capi::guarded([&]() -> int {
        std::vector<std::unique_ptr<symtri_result>> made(n);
        parallel(*engine, n, threads, [&](symtri::Session& session, std::size_t i) {
            std::string_view text;
            std::string why;
            if (!symtri_capi::text_arg(cases[i], lens ? lens[i] : SYMTRI_NUL_TERMINATED, text, why, "the case"))
                made[i] = symtri_capi::misuse_result("symtri_engine_triage_many: case " + std::to_string(i) + ": " + why);
            else
                made[i] = symtri_capi::triage_into(*engine, session, text);
        });
        int status = SYMTRI_OK;
        for (std::size_t i = 0; i < n; ++i) {
            if (made[i]->status != SYMTRI_OK && status == SYMTRI_OK) status = made[i]->status;
            results[i] = made[i].release();
        }
        return status;
    });
    return rc;
}

extern "C" int symtri_engine_triage_jsonl(const symtri_engine* engine, const char* jsonl, size_t len, unsigned threads,
                                          symtri_batch** out) {
    if (!out) return SYMTRI_MISUSE;
    *out = nullptr;
    std::string_view input;
    std::string why;
    if (!engine || !engine->rules || !symtri_capi::text_arg(jsonl, len, input, why, "the input")) return SYMTRI_MISUSE;
    return symtri_capi::guarded([&]() -> int {
        // Lines as every JSON Lines reader of the project splits and answers them (symtri/jsonl.hpp).
        const std::size_t max_bytes = engine->case_limits.max_bytes;
        struct Line {
            std::string_view text;  // into `input`, or into `copies`
            bool too_long;
        };
        std::vector<Line> lines;
        std::deque<std::string> copies;  // lines the splitter held itself (here only a last line without '\n')
        symtri::JsonlSplitter split(max_bytes);
        std::less<const char*> before;
        auto keep = [&](std::string_view text, bool too_long, std::size_t) {
            bool in_input = text.empty() || (!before(text.data(), input.data()) && before(text.data(), input.data() + input.size()));
            if (!in_input) text = copies.emplace_back(text);
            lines.push_back({text, too_long});
        };
        split.feed(input, keep);
        split.finish(keep);
        std::vector<std::string> outs(lines.size());
        std::vector<char> failed(lines.size(), 0);
        parallel(*engine, lines.size(), threads, [&](symtri::Session& session, std::size_t i) {
            std::string scratch;
            if (!symtri::triage_jsonl_line(session, lines[i].text, lines[i].too_long, i + 1, max_bytes, scratch, outs[i]))
                failed[i] = 1;
        });
        auto b = std::make_unique<symtri_batch>();
        std::size_t total = 0;
        for (const auto& o : outs) total += o.size();
        b->output.reserve(total);
        for (const auto& o : outs) b->output += o;
        b->count = lines.size();
        b->failed = static_cast<std::size_t>(std::count(failed.begin(), failed.end(), 1));
        int status = b->failed ? SYMTRI_INVALID_CASE : SYMTRI_OK;
        *out = b.release();
        return status;
    });
}

extern "C" {

const char* symtri_batch_output(const symtri_batch* b, size_t* len) {
    if (len) *len = b ? b->output.size() : 0;
    return b ? b->output.c_str() : nullptr;
}
size_t symtri_batch_count(const symtri_batch* b) { return b ? b->count : 0; }
size_t symtri_batch_failed(const symtri_batch* b) { return b ? b->failed : 0; }
void symtri_batch_destroy(symtri_batch* b) { delete b; }

}  // extern "C"
