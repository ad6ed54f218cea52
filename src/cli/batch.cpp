// `symtri batch`: JSON Lines in on stdin, one result line out per input line, in input order.
//
// Lines are read in blocks; a block is triaged by N worker threads (each with its own Session over
// the one shared RuleSet) and written in input order before the next block is read, so memory stays
// bounded whatever the input size. A rejected line becomes an error line and the batch goes on.
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <thread>

#include <sys/stat.h>
#include <unistd.h>

#include "cli.hpp"

namespace symtri_cli {
namespace {

struct Item {
    std::size_t line = 0;
    std::string text;
    bool too_long = false;
    bool failed = false;
    std::int32_t level = -1;  // the result's level index, for the summary
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
                read_ += len_;
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

    // Bytes of input consumed so far (for the progress bar).
    std::size_t consumed() const { return read_ - (len_ - pos_); }

private:
    std::FILE* in_;
    std::size_t max_;
    char buf_[1 << 16];
    std::size_t pos_ = 0, len_ = 0, line_ = 0, read_ = 0;
};

// Progress on stderr while the batch runs, and a summary at the end, only when stderr is a terminal (a
// pipe or a log file gets neither, so scripted runs keep a clean, deterministic stderr). A bar when the
// input's size is known (stdin is a file), else the count; always the rate. Redrawn at most 10 times a second.
class Progress {
public:
    using clock = std::chrono::steady_clock;

    Progress(bool on, std::size_t total_bytes) : on_(on), total_(total_bytes), start_(clock::now()), last_(start_) {}

    bool on() const { return on_; }

    void update(std::size_t cases, std::size_t rejected, std::size_t bytes) {
        if (!on_) return;
        auto now = clock::now();
        if (now - last_ < std::chrono::milliseconds(100)) return;
        last_ = now;
        std::string line;
        if (total_) {
            double frac = std::min(1.0, static_cast<double>(bytes) / static_cast<double>(total_));
            const int width = 24;
            int fill = static_cast<int>(frac * width);
            line = "[" + std::string(static_cast<std::size_t>(fill), '#') + std::string(static_cast<std::size_t>(width - fill), '.') +
                   "] " + std::to_string(static_cast<int>(frac * 100)) + "%  ";
        }
        line += count(cases) + " cases  " + count(rate(cases, now)) + " cases/s";
        if (rejected) line += "  " + count(rejected) + " rejected";
        std::fprintf(stderr, "\r%s\033[K", line.c_str());
        std::fflush(stderr);
        drawn_ = true;
    }

    // Erases the bar and prints the summary: cases, rate, rejected lines, results per level.
    void finish(std::size_t cases, std::size_t rejected, const std::vector<std::size_t>& per_level,
                const symtri::RuleSet& rs) {
        if (!on_) return;
        if (drawn_) std::fputs("\r\033[K", stderr);
        auto now = clock::now();
        double secs = std::chrono::duration<double>(now - start_).count();
        char took[32];
        std::snprintf(took, sizeof took, "%.2f s", secs);
        std::string s = "symtri batch: " + count(cases) + " cases in " + took + " (" + count(rate(cases, now)) +
                        " cases/s): " + count(cases - rejected) + " triaged, " + count(rejected) + " rejected\n  levels:";
        bool any = false;
        for (std::size_t i = 0; i < per_level.size(); ++i) {
            if (!per_level[i]) continue;
            s += (any ? ", " : " ") + rs.levels[i].id + " " + count(per_level[i]);
            any = true;
        }
        s += any ? "\n" : " none\n";
        std::fputs(s.c_str(), stderr);
    }

private:
    bool on_;
    std::size_t total_;
    clock::time_point start_, last_;
    bool drawn_ = false;

    std::size_t rate(std::size_t cases, clock::time_point now) const {
        double secs = std::chrono::duration<double>(now - start_).count();
        return secs > 0 ? static_cast<std::size_t>(static_cast<double>(cases) / secs) : 0;
    }
    // 1234567 -> "1,234,567"
    static std::string count(std::size_t n) {
        std::string digits = std::to_string(n), out;
        for (std::size_t i = 0; i < digits.size(); ++i) {
            if (i && (digits.size() - i) % 3 == 0) out += ',';
            out += digits[i];
        }
        return out;
    }
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
    } else {
        bool ok = false;
        // triage() throws nothing for bad input, but an exception escaping a worker thread would
        // terminate the whole batch (std::bad_alloc, say): it becomes this line's error instead.
        try {
            ok = session.triage(it.text, it.out, err);
        } catch (const std::exception& e) {
            err = symtri::CaseError{"internal", std::string("internal error: ") + e.what(), "", 0, 0};
        }
        if (ok) {
            it.level = session.last_outcome().level;
        } else {
            it.out = symtri::case_error_json(err.code == "internal" ? nlohmann::json() : session.last_case().case_id_json,
                                             it.line, err);
            it.failed = true;
        }
    }
    it.out.push_back('\n');
}

}  // namespace

int cmd_batch(const Options& o) {
    auto rules = load_rules_or_report(o);
    if (!rules) return exit_ruleset;
    // A reader that goes away early must not kill us mid-block: we notice the failed write instead.
    std::signal(SIGPIPE, SIG_IGN);
    // Results average several KB a line, more than stdio's default buffer, so each line was its own
    // write(2): a quarter of batch's CPU went to the kernel. A 1 MiB buffer makes it one in ~100.
    static char out_buffer[1u << 20];  // static: stdout outlives this function; set once, before any output
    std::setvbuf(stdout, out_buffer, _IOFBF, sizeof out_buffer);
    return run_batch(rules, o, stdin, stdout);
}

int run_batch(const symtri::RuleSetPtr& rules, const Options& o, std::FILE* in, std::FILE* out) {
    unsigned threads = o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency());
    const symtri::CaseLimits limits = o.case_limits;
    std::vector<symtri::Session> sessions;
    sessions.reserve(threads);
    for (unsigned t = 0; t < threads; ++t) sessions.emplace_back(rules, limits, o.triage_options);

    // A block is at most 4096 lines and at most 16 MiB of them: lines may each be up to max_case_bytes
    // long, and 4096 of those would otherwise be held at once (4 GiB at the default 1 MiB).
    //
    // Two blocks are in flight: while the workers triage one, this thread writes the results of the
    // one before and reads the one after, so reading and writing overlap the triage instead of
    // leaving the workers idle. Output order is input order: blocks are written whole, in turn.
    const std::size_t block_size = 4096, block_bytes = 16u << 20;
    std::vector<Item> work(block_size), io(block_size);
    LineReader reader(in, limits.max_bytes);
    struct stat st {};
    std::size_t input_size = fstat(fileno(in), &st) == 0 && S_ISREG(st.st_mode) ? static_cast<std::size_t>(st.st_size) : 0;
    Progress progress(!o.quiet && isatty(STDERR_FILENO), input_size);
    std::vector<std::size_t> per_level(rules->levels.size(), 0);
    std::size_t failed = 0, total = 0;
    bool output_ok = true;
    int write_errno = 0;

    auto read_block = [&](std::vector<Item>& block) {
        std::size_t n = 0, bytes = 0;
        while (n < block_size && bytes < block_bytes && reader.next(block[n])) bytes += block[n++].text.size();
        for (std::size_t i = 0; i < n; ++i) {
            block[i].failed = false;
            block[i].level = -1;
        }
        return n;
    };
    auto write_block = [&](std::vector<Item>& block, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) {
            failed += block[i].failed;
            if (block[i].level >= 0) ++per_level[static_cast<std::size_t>(block[i].level)];
            if (output_ok && std::fwrite(block[i].out.data(), 1, block[i].out.size(), out) != block[i].out.size()) {
                output_ok = false;
                write_errno = errno;
            }
            // Items are reused block after block: a long line's buffers are given back, or every slot
            // could come to hold one (16 MiB per block, but up to 4 GiB over many blocks).
            if (block[i].text.capacity() > (64u << 10)) std::string().swap(block[i].text);
            if (block[i].out.capacity() > (64u << 10)) std::string().swap(block[i].out);
        }
        if (!n) return;
        total += n;
        if (std::fflush(out) != 0 && output_ok) {
            output_ok = false;
            write_errno = errno;
        }
        progress.update(total, failed, reader.consumed());
    };

    std::size_t n_work = read_block(work), n_io = 0;  // n_io: triaged lines in `io` waiting to be written
    while (n_work || n_io) {
        // Triage `work` on the worker threads (small blocks on one: not worth the threads).
        std::vector<std::thread> pool;
        std::atomic<std::size_t> next{0};
        unsigned use = n_work < 64 ? (n_work ? 1u : 0u) : threads;
        for (unsigned t = 0; t < use; ++t)
            pool.emplace_back([&, t] {
                for (std::size_t i; (i = next.fetch_add(16)) < n_work;)
                    for (std::size_t k = i; k < std::min(n_work, i + 16); ++k) triage_one(sessions[t], work[k], limits.max_bytes);
            });
        // Meanwhile: write the block triaged before, then read the next one into its place.
        write_block(io, n_io);
        n_io = 0;
        std::size_t n_next = output_ok ? read_block(io) : 0;
        for (auto& th : pool) th.join();
        if (!output_ok) {
            std::cerr << "symtri: cannot write results (" << std::strerror(write_errno) << "); stopped after " << total
                      << " lines\n";
            return exit_failed;
        }
        std::swap(work, io);
        n_io = n_work;
        n_work = n_next;
    }
    if (std::ferror(in)) {
        // A read error is not the end of the input: say so, rather than exit as if all went well.
        std::cerr << "symtri: cannot read input (" << std::strerror(errno) << "); stopped after " << total << " lines\n";
        return exit_failed;
    }
    progress.finish(total, failed, per_level, *rules);
    if (failed) {
        std::cerr << "symtri: " << failed << " of " << total << " lines were rejected (see their error lines)\n";
        return exit_case;
    }
    return exit_ok;
}

}  // namespace symtri_cli
