// SPDX-License-Identifier: Apache-2.0
// Loading a rule set touches nothing of its host that the host did not ask for (issue 16): with the
// default LoadOptions no thread is started, no madvise advice is given and malloc_trim is not called;
// each of LoadOptions::parallel, advise_memory and release_memory turns its own on.
//
// This program defines its own malloc_trim and madvise, so the engine's calls (compiled into it) come
// here and are counted; madvise is passed on to the kernel, malloc_trim does nothing. Sanitizer runtimes
// define theirs weakly, so these win under ASan and TSan too.
#include <atomic>
#include <cstddef>
#include <fstream>
#include <map>
#include <string>

#include <catch2/catch.hpp>
#include <symtri/symtri.hpp>

#if defined(__linux__)
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace {
std::atomic<int> trims{0};   // malloc_trim calls
std::atomic<int> advised{0}; // madvise calls asking for huge pages or for pages mapped at once
}  // namespace

extern "C" int malloc_trim(std::size_t) noexcept {
    ++trims;
    return 0;
}

extern "C" int madvise(void* addr, std::size_t length, int advice) noexcept {
#if defined(MADV_HUGEPAGE)
    if (advice == MADV_HUGEPAGE) ++advised;
#endif
#if defined(MADV_POPULATE_WRITE)
    if (advice == MADV_POPULATE_WRITE) ++advised;
#endif
    return static_cast<int>(::syscall(SYS_madvise, addr, length, advice));
}

namespace {

// The process's thread count, as Linux reports it ("Threads:" in /proc/self/status).
int thread_count() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.compare(0, 8, "Threads:") == 0) return std::stoi(line.substr(8));
    return -1;
}

// Rule files in memory that note the most threads the process had while any of them was read.
class WatchedFiles final : public symtri::FileSource {
public:
    explicit WatchedFiles(std::map<std::string, std::string> files) : files_(std::move(files)) {}
    bool concurrent_reads() const override { return true; }
    bool exists(const std::string& p) const override { return files_.exists(p); }
    bool is_directory(const std::string& p) const override { return files_.is_directory(p); }
    bool read(const std::string& p, std::size_t max, std::string& out, std::string& error) const override {
        int n = thread_count();
        for (int seen = most_threads.load(); n > seen && !most_threads.compare_exchange_weak(seen, n);) {
        }
        return files_.read(p, max, out, error);
    }
    std::vector<std::string> list_json(const std::string& d) const override { return files_.list_json(d); }
    std::string identity(const std::string& p) const override { return files_.identity(p); }
    mutable std::atomic<int> most_threads{0};

private:
    symtri::MemoryFiles files_;
};

// A rule set whose rules are in an included directory of several files: what a second thread reads
// ahead when LoadOptions::parallel allows it.
std::map<std::string, std::string> directory_rule_set() {
    std::map<std::string, std::string> files;
    files["index.json"] = R"({"format": 1,
  "ruleset": {"id": "test.dir", "version": "1.0", "title": "Dir", "authors": ["tests"],
              "last_reviewed": "2026-01-01", "validation": "research", "license": "MIT", "disclaimer": "Not a diagnosis."},
  "levels": [{"id": "low", "label": "Low", "action": "Rest.", "worse": "Book if worse."},
             {"id": "high", "label": "High", "action": "Go now.", "worse": "Call."}],
  "vocabulary": {"x": {"label": "X", "question": "X?"}},
  "include": ["parts/"]})";
    for (int k = 0; k < 4; ++k)
        files["parts/p" + std::to_string(k) + ".json"] =
            R"({"format": 1, "rules": [{"id": "r)" + std::to_string(k) +
            R"(", "kind": "info", "when": {"finding": "x"}, "title": "t)" + std::to_string(k) +
            R"(", "advice": "a"}]})";
    return files;
}

}  // namespace

TEST_CASE("load options that touch the host are off by default", "[host][loader]") {
    symtri::LoadOptions defaults;
    CHECK_FALSE(defaults.parallel);
    CHECK_FALSE(defaults.advise_memory);
    CHECK_FALSE(defaults.release_memory);
}

TEST_CASE("loading the built-in rules with the defaults starts no thread, advises and trims nothing", "[host][builtin]") {
    const int threads = thread_count();
    REQUIRE(threads > 0);
    const int trims_before = trims, advised_before = advised;
    auto rs = symtri::load_builtin_rules();
    CHECK(rs->rules.size() > 0);
    CHECK(thread_count() == threads);
    CHECK(trims == trims_before);
    CHECK(advised == advised_before);
    // The same from the rule files on disk (DiskFiles reads them; files of several pages).
    auto disk = symtri::load_rules(SYMTRI_SOURCE_DIR "/rules");
    CHECK(disk->info.digest == rs->info.digest);
    CHECK(thread_count() == threads);
    CHECK(trims == trims_before);
    CHECK(advised == advised_before);
}

TEST_CASE("each host option does what it says only when asked", "[host][loader][thread]") {
    const int threads = thread_count();
    REQUIRE(threads > 0);
    SECTION("parallel: a second thread reads an included directory ahead, and is gone when the load returns") {
        WatchedFiles alone(directory_rule_set()), helped(directory_rule_set());
        auto one = symtri::load_rules("index.json", symtri::LoadOptions{}, &alone);
        CHECK(alone.most_threads == threads);
        symtri::LoadOptions o;
        o.parallel = true;
        auto two = symtri::load_rules("index.json", o, &helped);
        CHECK(helped.most_threads == threads + 1);
        CHECK(thread_count() == threads);
        CHECK(one->info.digest == two->info.digest);
        CHECK(two->rules.size() == 4);
    }
    SECTION("release_memory: malloc_trim once per load") {
        const int before = trims;
        symtri::LoadOptions o;
        o.release_memory = true;
        auto rs = symtri::load_builtin_rules(o);
        CHECK(trims == before + 1);
        CHECK(rs->rules.size() > 0);
    }
#if defined(MADV_POPULATE_WRITE)
    SECTION("advise_memory: the rule files read from disk are advised") {
        const int before = advised;
        symtri::LoadOptions o;
        o.advise_memory = true;
        auto rs = symtri::load_rules(SYMTRI_SOURCE_DIR "/rules", o);
        CHECK(advised > before);
        CHECK(rs->info.digest == symtri::load_builtin_rules()->info.digest);
        CHECK(thread_count() == threads);
    }
#endif
}
#endif  // __linux__
