// SPDX-License-Identifier: Apache-2.0
// Asking the system for memory in ways that make loading a large rule set cheaper. Nothing here is
// needed for correctness; elsewhere than Linux and glibc these do nothing. None of it happens unless the
// host asked for it (LoadOptions::advise_memory, LoadOptions::release_memory): an embedded library does
// not tune its host's memory by default.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif
#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace symtri {
namespace detail {

// Whether this thread is loading with LoadOptions::advise_memory. The advice is asked for deep in the
// loader, the JSON reader and several compiler passes; rather than pass the option through each, the
// load sets it on its thread for as long as it runs (MemoryAdviceScope) and puts it back on return.
// Nothing outside a load sees it, and a thread that is not loading never advises.
inline bool& memory_advice_flag() {
    static thread_local bool on = false;
    return on;
}
inline bool memory_advice_on() { return memory_advice_flag(); }

class MemoryAdviceScope {
public:
    explicit MemoryAdviceScope(bool on) : before_(memory_advice_flag()) { memory_advice_flag() = on; }
    ~MemoryAdviceScope() { memory_advice_flag() = before_; }
    MemoryAdviceScope(const MemoryAdviceScope&) = delete;
    MemoryAdviceScope& operator=(const MemoryAdviceScope&) = delete;

private:
    bool before_;
};

// Maps [p, p + bytes) (its whole 4 KiB pages) in one system call, for a buffer about to be filled
// at once, such as a file being read: Linux 5.14+ populates them without a fault per page, about a
// fifth of the cost on the project's VM (256 MB: 155 ms instead of 790 ms). Older kernels: nothing.
inline void prefault(const void* p, std::size_t bytes);

// Asks Linux for transparent huge pages over [p, p + bytes) (the 2 MiB-aligned part of it), for a
// large buffer about to be written from start to end. In the kernel's "madvise" mode (the default
// on many distributions) it gives none unless asked, and on a virtual machine each 4 KiB page fault
// can cost 10 us: writing 256 MB page by page took 0.7-0.8 s on the project's VM, 45 ms in huge pages.
// The buffer's start, up to the first 2 MiB boundary, cannot be a huge page (malloc aligns large
// blocks to 4 KiB only), so it is populated at once instead: up to 512 faults for each buffer.
inline void advise_huge_pages(const void* p, std::size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (!memory_advice_on()) return;
    constexpr std::uintptr_t huge = std::uintptr_t(2) << 20;
    const auto start = reinterpret_cast<std::uintptr_t>(p);
    auto b = (start + huge - 1) & ~(huge - 1);
    auto e = (start + bytes) & ~(huge - 1);
    if (e > b) {
        ::madvise(reinterpret_cast<void*>(b), e - b, MADV_HUGEPAGE);
        prefault(p, b - start);
    }
#else
    (void)p;
    (void)bytes;
#endif
}

// v.assign(n, value), in huge pages when it is large: the per-node and per-leaf arrays of a large
// rule set (millions of entries), filled as soon as they are made, so mapped all at once (only with
// LoadOptions::advise_memory; otherwise a plain assign).
template <class T>
void assign_huge(std::vector<T>& v, std::size_t n, const T& value) {
    v.clear();
    v.reserve(n);
    advise_huge_pages(v.data(), n * sizeof(T));
    prefault(v.data(), n * sizeof(T));
    v.assign(n, value);
}

inline void prefault(const void* p, std::size_t bytes) {
#if defined(__linux__) && defined(MADV_POPULATE_WRITE)
    if (!memory_advice_on()) return;
    constexpr std::uintptr_t page = 4096;
    auto b = (reinterpret_cast<std::uintptr_t>(p) + page - 1) & ~(page - 1);
    auto e = (reinterpret_cast<std::uintptr_t>(p) + bytes) & ~(page - 1);
    if (e > b) ::madvise(reinterpret_cast<void*>(b), e - b, MADV_POPULATE_WRITE);
#else
    (void)p;
    (void)bytes;
#endif
}

// Returns freed heap pages to the system (see LoadOptions::release_memory).
inline void release_free_memory() {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

}  // namespace detail
}  // namespace symtri
