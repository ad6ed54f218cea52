// SPDX-License-Identifier: Apache-2.0
// `symtri batch`: JSON Lines in (a file, or stdin), one result line out per input line, in input order.
//
// The input is read in jobs of a few hundred lines (read(2) straight into the job's buffer, lines
// split in place). With one thread the main thread reads, triages and writes each job in turn. With N,
// N workers that live for the whole batch (each with its own Session over the one shared RuleSet)
// triage jobs from a small ring while the main thread reads the next ones and writes finished ones
// in input order, one write(2) per job. Memory stays bounded whatever the input size. A rejected
// line becomes an error line and the batch goes on.
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>

#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <symtri/jsonl.hpp>

#include "cli.hpp"

namespace symtri_cli {
namespace {

// A growable byte buffer that, unlike std::string or std::vector, does not zero what it grows into.
struct Bytes {
    std::unique_ptr<char[]> data;
    std::size_t size = 0, cap = 0;

    void reserve(std::size_t n) {
        if (n <= cap) return;
        std::size_t c = std::max(n, cap * 2);
        std::unique_ptr<char[]> d(new char[c]);
        if (size) std::memcpy(d.get(), data.get(), size);
        data = std::move(d);
        cap = c;
    }
    void release() {
        data.reset();
        size = cap = 0;
    }
};

struct Line {
    std::size_t off, len;  // in the job's input buffer, without the newline (and a '\r' before it)
    bool too_long;
};

// A run of consecutive input lines, and once triaged, their result lines.
struct Job {
    Bytes in;
    std::vector<Line> lines;
    std::size_t first_line = 0;  // 1-based number of lines[0]
    std::string out;             // the result lines, each ending in '\n'
    std::size_t failed = 0;
    std::vector<std::size_t> per_level;
    bool done = false;  // guarded by the pool's mutex
};

// Reads the input into jobs. A line longer than `max` bytes is not held: it becomes a too_long line
// and the rest of it is skipped as it is read.
class Input {
public:
    Input(std::FILE* in, std::size_t max, std::size_t job_bytes, std::size_t job_lines)
        : in_(in), fd_(fileno(in)), max_(max), job_bytes_(job_bytes), job_lines_(job_lines) {}

    // Fills `j` with the next lines: up to job_lines of them, stopping once they hold job_bytes.
    // Returns the number of lines, 0 at the end of the input.
    std::size_t fill(Job& j) {
        j.lines.clear();
        j.first_line = line_ + 1;
        Bytes& b = j.in;
        b.size = 0;
        b.reserve(std::max(job_bytes_, carry_.size()) + 4096);
        std::memcpy(b.data.get(), carry_.data(), carry_.size());
        b.size = carry_.size();
        carry_.clear();
        std::size_t start = 0, scan = 0;  // start of the current line; bytes before `scan` have no '\n'
        for (;;) {
            while (j.lines.size() < job_lines_ && start < job_bytes_) {
                auto nl = static_cast<const char*>(std::memchr(b.data.get() + scan, '\n', b.size - scan));
                if (!nl) break;
                std::size_t end = static_cast<std::size_t>(nl - b.data.get());
                add(j, start, end - start);
                start = scan = end + 1;
            }
            if (j.lines.size() >= job_lines_ || start >= job_bytes_) break;
            scan = b.size;
            // Too long already (a byte more is allowed: it may be the '\r' of a CRLF, which is not
            // part of the case): flag it, drop it, skip the rest of it.
            if (b.size - start > max_ + 1) {
                j.lines.push_back({start, 0, true});
                ++line_;
                b.size = scan = start;
                skipping_ = true;
                continue;
            }
            if (eof_) {
                if (b.size > start) add(j, start, b.size - start);  // a last line without a newline
                start = b.size;
                break;
            }
            // Read up to job_bytes (a line longer than that: double the buffer each time).
            std::size_t want = b.size < job_bytes_ ? job_bytes_ - b.size + 4096 : b.size;
            b.reserve(b.size + want);
            std::size_t n = read_some(b.data.get() + b.size, want);
            if (n == 0) {
                eof_ = true;
                continue;
            }
            if (skipping_) {
                char* p = b.data.get() + b.size;
                auto nl = static_cast<char*>(std::memchr(p, '\n', n));
                if (!nl) continue;  // all of it belongs to the long line
                std::size_t drop = static_cast<std::size_t>(nl - p) + 1;
                std::memmove(p, nl + 1, n - drop);
                n -= drop;
                skipping_ = false;
            }
            b.size += n;
        }
        carry_.assign(b.data.get() + start, b.size - start);
        b.size = start;
        return j.lines.size();
    }

    bool failed() const { return failed_; }
    int error() const { return errno_; }
    // Bytes of input consumed so far (for the progress bar).
    std::size_t consumed() const { return read_ - carry_.size(); }

private:
    std::FILE* in_;
    int fd_;  // -1 for a memory stream (the fuzzer's), read with fread
    std::size_t max_, job_bytes_, job_lines_;
    std::string carry_;  // a partial line read past the end of the last job
    std::size_t line_ = 0, read_ = 0;
    bool eof_ = false, skipping_ = false, failed_ = false;
    int errno_ = 0;

    void add(Job& j, std::size_t off, std::size_t len) {
        ++line_;
        // The '\r' of a CRLF line end is dropped before the limit is applied: max_case_bytes is on the
        // case, as symtri_engine_triage_jsonl applies it.
        if (len && j.in.data[off + len - 1] == '\r') --len;
        if (len > max_) {
            j.lines.push_back({off, 0, true});
            return;
        }
        j.lines.push_back({off, len, false});
    }

    std::size_t read_some(char* p, std::size_t n) {
        if (fd_ < 0) {
            std::size_t got = std::fread(p, 1, n, in_);
            if (got == 0 && std::ferror(in_)) fail(errno);
            read_ += got;
            return got;
        }
        for (;;) {
            ssize_t got = ::read(fd_, p, n);
            if (got >= 0) {
                read_ += static_cast<std::size_t>(got);
                return static_cast<std::size_t>(got);
            }
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {  // a non-blocking stdin: wait for it
                pollfd pfd{fd_, POLLIN, 0};
                ::poll(&pfd, 1, -1);
                continue;
            }
            fail(errno);
            return 0;
        }
    }
    void fail(int e) {
        failed_ = true;
        errno_ = e;
    }
};

// Writes all of p[0, n) to `out`: write(2) on its descriptor (stdio's buffer would only add a copy),
// fwrite for a memory stream. Returns 0 or the errno of the failure.
int write_all(std::FILE* out, int fd, const char* p, std::size_t n) {
    if (fd < 0) return std::fwrite(p, 1, n, out) == n && std::fflush(out) == 0 ? 0 : (errno ? errno : EIO);
    while (n) {
        ssize_t put = ::write(fd, p, n);
        if (put > 0) {
            p += put;
            n -= static_cast<std::size_t>(put);
        } else if (put < 0 && errno == EINTR) {
            continue;
        } else if (put < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            pollfd pfd{fd, POLLOUT, 0};
            ::poll(&pfd, 1, -1);
        } else {
            return put < 0 ? errno : EIO;
        }
    }
    return 0;
}

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

// Each line by the rule symtri/jsonl.hpp states for every JSON Lines reader of the project.
void triage_job(symtri::Session& session, std::string& scratch, Job& j, std::size_t max_bytes) {
    j.out.clear();
    j.failed = 0;
    std::fill(j.per_level.begin(), j.per_level.end(), 0);
    for (std::size_t i = 0; i < j.lines.size(); ++i) {
        const Line& l = j.lines[i];
        std::string_view text(j.in.data.get() + l.off, l.len);
        if (symtri::triage_jsonl_line(session, text, l.too_long, j.first_line + i, max_bytes, scratch, j.out))
            ++j.per_level[static_cast<std::size_t>(session.last_outcome().level)];
        else
            ++j.failed;
    }
}

class Pool {
public:
    Pool(std::vector<Job>& ring, std::vector<symtri::Session>& sessions, std::size_t max_bytes)
        : ring_(ring), max_bytes_(max_bytes) {
        threads_.reserve(sessions.size());
        try {
            for (auto& s : sessions) threads_.emplace_back([this, &s] { work(s); });
        } catch (...) {  // no thread to be had: join those started, or their destructors terminate us
            stop();
            throw;
        }
    }
    ~Pool() { stop(); }

    // The caller filled ring[published % size] and hands it over.
    void publish() {
        {
            std::lock_guard<std::mutex> lk(m_);
            ring_[published_ % ring_.size()].done = false;
            ++published_;
        }
        work_cv_.notify_one();
    }
    void wait_done(Job& j) {
        std::unique_lock<std::mutex> lk(m_);
        ++waiting_;
        done_cv_.wait(lk, [&] { return j.done; });
        --waiting_;
    }

private:
    std::vector<Job>& ring_;
    std::size_t max_bytes_;
    std::mutex m_;
    std::condition_variable work_cv_, done_cv_;
    std::size_t published_ = 0, claimed_ = 0;
    unsigned waiting_ = 0;
    bool stop_ = false;
    std::vector<std::thread> threads_;

    void stop() {
        {
            std::lock_guard<std::mutex> lk(m_);
            stop_ = true;
        }
        work_cv_.notify_all();
        for (auto& t : threads_) t.join();
    }

    void work(symtri::Session& session) {
        std::string scratch;
        std::unique_lock<std::mutex> lk(m_);
        for (;;) {
            work_cv_.wait(lk, [&] { return stop_ || claimed_ < published_; });
            if (stop_) return;
            Job& j = ring_[claimed_++ % ring_.size()];
            lk.unlock();
            triage_job(session, scratch, j, max_bytes_);
            lk.lock();
            j.done = true;
            if (waiting_) done_cv_.notify_one();
        }
    }
};

}  // namespace

int cmd_batch(const Options& o) {
    auto rules = load_rules_or_report(o);
    if (!rules) return exit_ruleset;
    // The input: the file named, or standard input ('-' or no argument). A file that cannot be opened is
    // reported as triage reports its case file (exit 4); a directory opens, but reads as an error.
    const std::string name = o.args.empty() ? "-" : o.args[0];
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(nullptr, std::fclose);
    if (name != "-") {
        struct stat st {};
        errno = ::stat(name.c_str(), &st) == 0 && S_ISDIR(st.st_mode) ? EISDIR : 0;
        if (!errno) file.reset(std::fopen(name.c_str(), "rb"));
        if (!file) {
            std::cerr << "symtri: cannot read input file '" << name << "' (" << std::strerror(errno) << ")\n";
            return exit_case;
        }
    }
    // A reader that goes away early must not kill us mid-job: we notice the failed write instead.
    std::signal(SIGPIPE, SIG_IGN);
    return run_batch(rules, o, file ? file.get() : stdin, stdout);
}

int run_batch(const symtri::RuleSetPtr& rules, const Options& o, std::FILE* in, std::FILE* out) {
    unsigned threads = o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency());
    const symtri::CaseLimits limits = o.case_limits;
    std::vector<symtri::Session> sessions;
    sessions.reserve(threads);
    for (unsigned t = 0; t < threads; ++t) sessions.emplace_back(rules, limits, o.triage_options);

    // Jobs of at most 64 KiB of input or 1024 lines: some 200 typical cases, a millisecond of work, so
    // handoffs cost little, and a few MB of results in flight. With N threads 2N+2 jobs are in flight so
    // no worker waits for the next; job size shrinks with many threads to hold at most 32 MiB of input
    // (plus any long lines, each up to max_case_bytes).
    const std::size_t slots = threads == 1 ? 1 : 2 * std::size_t{threads} + 2;
    const std::size_t job_bytes = std::clamp<std::size_t>((32u << 20) / slots, 16u << 10, 64u << 10), job_lines = 1024;
    std::vector<Job> ring(slots);
    for (auto& j : ring) j.per_level.assign(rules->levels.size(), 0);
    Input input(in, limits.max_bytes, job_bytes, job_lines);

    struct stat st {};
    std::size_t input_size = fstat(fileno(in), &st) == 0 && S_ISREG(st.st_mode) ? static_cast<std::size_t>(st.st_size) : 0;
    Progress progress(!o.quiet && isatty(STDERR_FILENO), input_size);
    std::vector<std::size_t> per_level(rules->levels.size(), 0);
    std::size_t failed = 0, total = 0;
    int out_fd = fileno(out);
    int write_errno = out_fd >= 0 && std::fflush(out) != 0 ? errno : 0;

    auto write_job = [&](Job& j) {
        if (!write_errno) write_errno = write_all(out, out_fd, j.out.data(), j.out.size());
        total += j.lines.size();
        failed += j.failed;
        for (std::size_t k = 0; k < per_level.size(); ++k) per_level[k] += j.per_level[k];
        // Jobs are reused: buffers a long line grew are given back, not kept for the whole batch.
        if (j.in.cap > 4 * job_bytes) j.in.release();
        if (j.out.capacity() > (32u << 20)) std::string().swap(j.out);
        progress.update(total, failed, input.consumed());
    };

    if (threads == 1) {
        // No threads: read, triage and write in turn.
        std::string scratch;
        while (!write_errno && input.fill(ring[0])) {
            triage_job(sessions[0], scratch, ring[0], limits.max_bytes);
            write_job(ring[0]);
        }
    } else {
        Pool pool(ring, sessions, limits.max_bytes);
        std::size_t published = 0, written = 0;
        for (;;) {
            while (!write_errno && published - written < slots && input.fill(ring[published % slots])) {
                pool.publish();
                ++published;
            }
            if (written == published) break;
            Job& j = ring[written % slots];
            pool.wait_done(j);
            write_job(j);
            ++written;
        }
    }
    if (write_errno) {
        std::cerr << "symtri: cannot write results (" << std::strerror(write_errno) << "); stopped after " << total
                  << " lines\n";
        return exit_failed;
    }
    if (input.failed()) {
        // A read error is not the end of the input: say so, rather than exit as if all went well.
        std::cerr << "symtri: cannot read input (" << std::strerror(input.error()) << "); stopped after " << total
                  << " lines\n";
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
