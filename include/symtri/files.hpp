// SPDX-License-Identifier: Apache-2.0
// Where rule files come from: the file system (DiskFiles), files held in memory (MemoryFiles, e.g.
// the built-in rule set), or a host's own FileSource.
#pragma once

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <system_error>
#include <vector>

#include "detail/memory.hpp"

#if !defined(_WIN32)
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace symtri {

// Where rule files come from: the real file system or a set of files held in memory (the built-in
// rule set). Paths use '/' and are compared after lexical normalisation.
class FileSource {
public:
    virtual ~FileSource() = default;
    virtual bool exists(const std::string& path) const = 0;
    virtual bool is_directory(const std::string& path) const = 0;
    // Reads a file; on failure returns false and sets `error` to a reason ("no such file", ...).
    virtual bool read(const std::string& path, std::size_t max_bytes, std::string& out, std::string& error) const = 0;
    // The `*.json` files directly inside a directory, sorted by name.
    virtual std::vector<std::string> list_json(const std::string& dir) const = 0;
    // A string naming the file uniquely (for include cycles and loading each file once).
    virtual std::string identity(const std::string& path) const = 0;
    // True when read() and identity() may be called from two threads at once, so a large rule set's
    // files can be read ahead on a second thread (LoadOptions::parallel). A host's source is assumed
    // not to allow it unless it says so; the built-in ones do.
    virtual bool concurrent_reads() const { return false; }
};

class DiskFiles final : public FileSource {
public:
    bool concurrent_reads() const override { return true; }
    bool exists(const std::string& path) const override {
        // The link itself counts: a symlink loop exists, and read() says it is a loop (not "no such file").
        std::error_code ec;
        return std::filesystem::exists(std::filesystem::symlink_status(path, ec));
    }
    bool is_directory(const std::string& path) const override {
        std::error_code ec;
        return std::filesystem::is_directory(path, ec);
    }
#if !defined(_WIN32)
    bool read(const std::string& path, std::size_t max_bytes, std::string& out, std::string& error) const override {
        // Opened without blocking (a FIFO's open waits for a writer) and checked on the descriptor, so
        // what is read is what was checked: anything but a regular file is refused (a FIFO blocked the
        // load forever; a device such as /dev/zero has no end).
        int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
        if (fd < 0) {
            int e = errno;
            error = e == ENOENT ? "no such file"
                    : e == ELOOP ? "a symlink loop (too many levels of symbolic links)"
                                 : std::string("cannot open file (") + std::strerror(e) + ")";
            return false;
        }
        struct Closer {
            int fd;
            ~Closer() { ::close(fd); }
        } closer{fd};
        struct stat st;
        if (::fstat(fd, &st) != 0) { error = std::string("cannot read file (") + std::strerror(errno) + ")"; return false; }
        if (S_ISDIR(st.st_mode)) { error = "is a directory"; return false; }
        if (!S_ISREG(st.st_mode)) {
            error = std::string("not a regular file (") +
                    (S_ISFIFO(st.st_mode) ? "a FIFO" : S_ISCHR(st.st_mode) ? "a character device"
                                                     : S_ISBLK(st.st_mode) ? "a block device"
                                                     : S_ISSOCK(st.st_mode) ? "a socket" : "a special file") +
                    "): rule files are read whole, and this has no fixed end";
            return false;
        }
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
        const auto size = static_cast<std::size_t>(st.st_size);
        if (size > max_bytes) {
            error = "file is " + std::to_string(size) + " bytes, over the limit of " + std::to_string(max_bytes) +
                    " (max_file_bytes)";
            return false;
        }
        // At most max_bytes + 1 bytes, whatever the size said: a file can grow between the check and the read.
        out.clear();
        if (size > 0) {  // the size it says, read straight into place; then whatever follows
            out.reserve(size);
            detail::advise_huge_pages(out.data(), size);
            detail::prefault(out.data(), size);
            out.resize(size);
        }
        std::size_t got = 0;
        for (;;) {
            if (got == out.size()) {
                if (out.size() > max_bytes) break;
                out.resize(std::min(out.size() + (1 << 16), max_bytes + 1));
                if (got == out.size()) break;
            }
            ssize_t n = ::read(fd, out.data() + got, out.size() - got);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) {
                out.clear();
                error = std::string("cannot read file (") + std::strerror(errno) + ")";
                return false;
            }
            if (n == 0) break;
            got += static_cast<std::size_t>(n);
        }
        out.resize(got);
        if (out.size() > max_bytes) {  // grew after the size check
            out.clear();
            error = "file is over the limit of " + std::to_string(max_bytes) + " bytes (max_file_bytes)";
            return false;
        }
        return true;
    }
#else  // no FIFOs to block on; devices have no size and are read at most max_bytes + 1 bytes
    bool read(const std::string& path, std::size_t max_bytes, std::string& out, std::string& error) const override {
        std::error_code ec;
        if (!std::filesystem::exists(path, ec)) { error = "no such file"; return false; }
        if (std::filesystem::is_directory(path, ec)) { error = "is a directory"; return false; }
        auto size = std::filesystem::file_size(path, ec);
        if (!ec && size > max_bytes) {
            error = "file is " + std::to_string(size) + " bytes, over the limit of " + std::to_string(max_bytes) +
                    " (max_file_bytes)";
            return false;
        }
        std::ifstream in(path, std::ios::binary);
        if (!in) { error = "cannot open file"; return false; }
        // At most max_bytes + 1 bytes, whatever the size said: a FIFO or a device has none (--rules
        // /dev/zero read forever), and a file can grow between the check and the read.
        out.clear();
        if (!ec && size > 0) {  // the size it says, read straight into place; then whatever follows
            out.reserve(static_cast<std::size_t>(size));
            detail::advise_huge_pages(out.data(), static_cast<std::size_t>(size));
            detail::prefault(out.data(), static_cast<std::size_t>(size));
            out.resize(static_cast<std::size_t>(size));
            in.read(out.data(), static_cast<std::streamsize>(size));
            out.resize(static_cast<std::size_t>(in.gcount()));
        }
        char buf[1 << 16];
        while (out.size() <= max_bytes && in) {
            in.read(buf, static_cast<std::streamsize>(std::min<std::size_t>(sizeof buf, max_bytes + 1 - out.size())));
            out.append(buf, static_cast<std::size_t>(in.gcount()));
        }
        if (out.size() > max_bytes) {  // grew after the size check, or a special file that reports no size
            out.clear();
            error = "file is over the limit of " + std::to_string(max_bytes) + " bytes (max_file_bytes)";
            return false;
        }
        return true;
    }
#endif
    std::vector<std::string> list_json(const std::string& dir) const override {
        std::vector<std::string> out;
        std::error_code ec;
        for (auto it = std::filesystem::directory_iterator(dir, ec); !ec && it != std::filesystem::directory_iterator();
             it.increment(ec)) {
            std::error_code entry_ec;  // an entry that cannot be resolved (a symlink loop) must not end the listing
            if (it->path().extension() == ".json" && !it->is_directory(entry_ec))
                out.push_back((std::filesystem::path(dir) / it->path().filename()).generic_string());
        }
        std::sort(out.begin(), out.end());
        return out;
    }
    std::string identity(const std::string& path) const override {
        std::error_code ec;
        auto p = std::filesystem::weakly_canonical(path, ec);
        if (!ec) return p.generic_string();
        // A symlink loop cannot be resolved: its absolute path, so it is still within the rule set's
        // folder (a relative one was reported as outside it) and read() names the loop.
        auto a = std::filesystem::absolute(path, ec);
        return (ec ? std::filesystem::path(path) : a).lexically_normal().generic_string();
    }
};

// Files held in memory, e.g. the rule set compiled into the program.
class MemoryFiles final : public FileSource {
public:
    bool concurrent_reads() const override { return true; }
    explicit MemoryFiles(std::map<std::string, std::string> files) : files_(std::move(files)) {}
    bool exists(const std::string& path) const override { return files_.count(norm(path)) || is_directory(path); }
    bool is_directory(const std::string& path) const override {
        std::string prefix = norm(path);
        if (!prefix.empty() && prefix.back() != '/') prefix += '/';
        auto it = files_.lower_bound(prefix);
        return it != files_.end() && it->first.compare(0, prefix.size(), prefix) == 0;
    }
    bool read(const std::string& path, std::size_t max_bytes, std::string& out, std::string& error) const override {
        auto it = files_.find(norm(path));
        if (it == files_.end()) { error = is_directory(path) ? "is a directory" : "no such file"; return false; }
        if (it->second.size() > max_bytes) {
            error = "file is " + std::to_string(it->second.size()) + " bytes, over the limit of " + std::to_string(max_bytes) +
                    " (max_file_bytes)";
            return false;
        }
        out = it->second;
        return true;
    }
    std::vector<std::string> list_json(const std::string& dir) const override {
        std::string prefix = norm(dir);
        if (!prefix.empty() && prefix.back() != '/') prefix += '/';
        std::vector<std::string> out;
        for (auto it = files_.lower_bound(prefix); it != files_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
            std::string rest = it->first.substr(prefix.size());
            if (rest.find('/') == std::string::npos && rest.size() > 5 && rest.compare(rest.size() - 5, 5, ".json") == 0)
                out.push_back(it->first);
        }
        return out;
    }
    std::string identity(const std::string& path) const override { return norm(path); }

private:
    std::map<std::string, std::string> files_;
    static std::string norm(const std::string& p) {
        std::string s = std::filesystem::path(p).lexically_normal().generic_string();
        while (s.size() > 1 && s.back() == '/') s.pop_back();
        return s;
    }
};

namespace detail {

inline std::string path_parent(const std::string& p) {
    return std::filesystem::path(p).parent_path().generic_string();
}
inline std::string path_join(const std::string& dir, const std::string& rel) {
    if (dir.empty()) return std::filesystem::path(rel).lexically_normal().generic_string();
    return (std::filesystem::path(dir) / rel).lexically_normal().generic_string();
}
inline bool path_within(const std::string& dir, const std::string& file) {
    if (dir.empty()) return true;
    std::string d = dir.back() == '/' ? dir : dir + "/";
    return file.compare(0, d.size(), d) == 0;
}

}  // namespace detail
}  // namespace symtri
