// SPDX-License-Identifier: Apache-2.0
// Reading the files of an included directory on a second thread, ahead of the loader.
//
// A large rule set is mostly one directory of parts (the 100k-rule benchmark set: 20 files, 49 MB);
// reading and parsing them was a quarter of loading it. The loader still takes the files one by one
// in name order and does everything else itself (checks, limits, messages, includes), so what it
// reports and the order it reports it in do not change; only the read and the parse of some files
// happen on the helper. Each file goes to whichever thread claims it first.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "../files.hpp"
#include "json_document.hpp"

namespace symtri {
namespace detail {

class FileReadAhead {
public:
    // One file, as read and parsed by the helper.
    struct Result {
        bool read_ok = false;
        std::string read_error;  // why it could not be read (as FileSource::read says)
        std::size_t bytes = 0;
        bool parsed = false;
        JsonDocument doc;
        JsonReadError parse_error;
    };

    // Starts the helper over `paths`. It reads files only within `root_dir` (when not empty, as
    // identity() names them), at most `max_file_bytes` each, and stops once it has read
    // `byte_budget` bytes: it never reads what the loader would refuse to.
    FileReadAhead(const FileSource& files, std::vector<std::string> paths, std::string root_dir,
                  std::size_t max_file_bytes, std::size_t byte_budget, const JsonReadLimits& limits)
        : files_(files), paths_(std::move(paths)), root_dir_(std::move(root_dir)), max_file_bytes_(max_file_bytes),
          byte_budget_(byte_budget), limits_(limits), slots_(paths_.size()) {
        try {
            // With LoadOptions::advise_memory, the helper's reads are advised as the loader's are.
            helper_ = std::thread([this, advise = memory_advice_on()] {
                MemoryAdviceScope scope(advise);
                run();
            });
        } catch (const std::system_error&) {
            // No thread to be had: take() always says "read it yourself".
        }
    }
    ~FileReadAhead() {
        stop_ = true;
        if (helper_.joinable()) helper_.join();
    }
    FileReadAhead(const FileReadAhead&) = delete;
    FileReadAhead& operator=(const FileReadAhead&) = delete;

    // The result for paths[i] if a thread has read it; false when the caller is to read the file
    // itself (no thread has claimed it, and now none will). While the helper is still reading
    // paths[i], the caller reads a later unclaimed file into its slot rather than wait.
    bool take(std::size_t i, Result& out) {
        if (i >= slots_.size()) return false;
        for (;;) {
            if (claim(i, caller)) return false;
            {
                std::lock_guard<std::mutex> lock(mutex_);
                if (slots_[i].ready) break;
            }
            std::size_t j = i + 1;
            while (j < slots_.size() && !(readable(j) && claim(j, caller))) ++j;
            if (j < slots_.size()) {
                produce(j);
                continue;
            }
            std::unique_lock<std::mutex> lock(mutex_);
            done_.wait(lock, [&] { return slots_[i].ready; });
            break;
        }
        std::lock_guard<std::mutex> lock(mutex_);
        if (slots_[i].failed) return false;
        out = std::move(slots_[i].result);
        return true;
    }

private:
    static constexpr int free = 0, helper = 1, caller = 2;
    struct Slot {
        std::atomic<int> owner{free};
        bool ready = false;   // guarded by mutex_
        bool failed = false;  // could not be finished (out of memory): the caller reads it
        Result result;
    };
    const FileSource& files_;
    const std::vector<std::string> paths_;
    const std::string root_dir_;
    const std::size_t max_file_bytes_, byte_budget_;
    const JsonReadLimits limits_;
    std::vector<Slot> slots_;
    std::mutex mutex_;
    std::condition_variable done_;
    std::atomic<bool> stop_{false};
    std::atomic<std::size_t> bytes_{0};  // read so far by either thread
    std::thread helper_;

    bool claim(std::size_t i, int who) {
        int expected = free;
        return slots_[i].owner.compare_exchange_strong(expected, who);
    }

    // Files within the root, while the byte budget lasts (either thread may read).
    bool readable(std::size_t i) const {
        return bytes_.load() <= byte_budget_ && path_within(root_dir_, files_.identity(paths_[i]));
    }

    // Reads and parses paths[i] (claimed by this thread) into its slot.
    void produce(std::size_t i) {
        Result r;
        bool failed = false;
        try {
            std::string text;
            r.read_ok = files_.read(paths_[i], max_file_bytes_, text, r.read_error);
            r.bytes = text.size();
            bytes_ += r.bytes;
            if (r.read_ok) r.parsed = JsonDocument::read(std::move(text), r.doc, r.parse_error, limits_);
        } catch (...) {
            failed = true;  // out of memory, say: the caller tries again itself, and reports it
        }
        {
            std::lock_guard<std::mutex> lock(mutex_);
            slots_[i].result = std::move(r);
            slots_[i].failed = failed;
            slots_[i].ready = true;
        }
        done_.notify_all();
    }

    void run() {
        // The loader takes the first file at once; the helper starts on the second.
        for (std::size_t i = 1; i < paths_.size() && !stop_; ++i)
            if (readable(i) && claim(i, helper)) produce(i);
    }
};

}  // namespace detail
}  // namespace symtri
