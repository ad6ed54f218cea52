// `symtri batch`: JSON Lines in on stdin, one result line out per input line, in input order.
//
// Lines are read in blocks; a block is triaged by N worker threads (each with its own Session over
// the one shared RuleSet) and written in input order before the next block is read, so memory stays
// bounded whatever the input size. A rejected line becomes an error line and the batch goes on.
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <thread>

#include "cli.hpp"

namespace symtri_cli {
namespace {

struct Item {
    std::size_t line = 0;
    std::string text;
    bool too_long = false;
    bool failed = false;
    std::string out;
};

// Reads lines of at most `max` bytes; a longer line is skipped to its end and flagged.
class LineReader {
public:
    LineReader(std::FILE* in, std::size_t max) : in_(in), max_(max) {}

    bool next(Item& item) {
        item.text.clear();
        item.too_long = false;
        bool any = false;
        for (;;) {
            if (pos_ == len_) {
                len_ = std::fread(buf_, 1, sizeof buf_, in_);
                pos_ = 0;
                if (len_ == 0) {
                    if (!any) return false;
                    break;  // last line without a newline: still a line
                }
            }
            any = true;
            const char* start = buf_ + pos_;
            const char* nl = static_cast<const char*>(std::memchr(start, '\n', len_ - pos_));
            std::size_t n = nl ? static_cast<std::size_t>(nl - start) : len_ - pos_;
            if (!item.too_long) {
                if (item.text.size() + n > max_) {
                    item.too_long = true;
                    item.text.clear();
                    item.text.shrink_to_fit();
                } else {
                    item.text.append(start, n);
                }
            }
            pos_ += n;
            if (nl) {
                ++pos_;
                break;
            }
        }
        if (!item.text.empty() && item.text.back() == '\r') item.text.pop_back();
        item.line = ++line_;
        return true;
    }

private:
    std::FILE* in_;
    std::size_t max_;
    char buf_[1 << 16];
    std::size_t pos_ = 0, len_ = 0, line_ = 0;
};

bool blank(const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

void triage_one(symtri::Session& session, Item& it, std::size_t max_bytes) {
    symtri::CaseError err;
    if (it.too_long) {
        err = symtri::CaseError{"limit", "line is longer than the limit of " + std::to_string(max_bytes) +
                                             " bytes (max_case_bytes)", "", 0, 0};
        it.out = symtri::case_error_json(nullptr, it.line, err);
        it.failed = true;
    } else if (blank(it.text)) {
        err = symtri::CaseError{"empty_line", "empty line: expected one case as a JSON object", "", 0, 0};
        it.out = symtri::case_error_json(nullptr, it.line, err);
        it.failed = true;
    } else if (!session.triage(it.text, it.out, err)) {
        it.out = symtri::case_error_json(session.last_case().case_id_json, it.line, err);
        it.failed = true;
    }
    it.out.push_back('\n');
}

}  // namespace

int cmd_batch(const Options& o) {
    auto rules = load_rules_or_report(o);
    if (!rules) return exit_ruleset;
    // A reader that goes away early must not kill us mid-block: we notice the failed write instead.
    std::signal(SIGPIPE, SIG_IGN);

    unsigned threads = o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency());
    const symtri::CaseLimits limits;
    std::vector<symtri::Session> sessions;
    sessions.reserve(threads);
    for (unsigned t = 0; t < threads; ++t) sessions.emplace_back(rules, limits);

    const std::size_t block_size = 4096;
    std::vector<Item> block(block_size);
    LineReader reader(stdin, limits.max_bytes);
    std::size_t failed = 0, total = 0;
    bool output_ok = true;
    for (;;) {
        std::size_t n = 0;
        while (n < block_size && reader.next(block[n])) ++n;
        if (n == 0) break;
        for (std::size_t i = 0; i < n; ++i) block[i].failed = false;
        if (threads == 1 || n < 64) {
            for (std::size_t i = 0; i < n; ++i) triage_one(sessions[0], block[i], limits.max_bytes);
        } else {
            std::atomic<std::size_t> next{0};
            std::vector<std::thread> pool;
            for (unsigned t = 0; t < threads; ++t)
                pool.emplace_back([&, t] {
                    for (std::size_t i; (i = next.fetch_add(16)) < n;)
                        for (std::size_t k = i; k < std::min(n, i + 16); ++k) triage_one(sessions[t], block[k], limits.max_bytes);
                });
            for (auto& th : pool) th.join();
        }
        for (std::size_t i = 0; i < n; ++i) {
            failed += block[i].failed;
            if (std::fwrite(block[i].out.data(), 1, block[i].out.size(), stdout) != block[i].out.size()) output_ok = false;
        }
        total += n;
        if (std::fflush(stdout) != 0) output_ok = false;
        if (!output_ok) {
            std::cerr << "symtri: cannot write results (" << std::strerror(errno) << "); stopped after " << total
                      << " lines\n";
            return exit_failed;
        }
    }
    if (failed) {
        std::cerr << "symtri: " << failed << " of " << total << " lines were rejected (see their error lines)\n";
        return exit_case;
    }
    return exit_ok;
}

}  // namespace symtri_cli
