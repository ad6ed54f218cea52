// Loader: turns a rule-set location (file, directory, string, or the built-in files) into the list of
// parsed JSON documents it is made of, following `include`s. It knows files, not rules: the compiler
// (compiler.hpp) gives the documents their meaning.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "detail/json_document.hpp"
#include "detail/memory.hpp"
#include "detail/text.hpp"
#include "error.hpp"

namespace symtri {

// Limits a host can set on what it loads, so a hostile or broken rule file cannot exhaust memory.
// Defaults are far above any real rule set (the shipped one: 10 files of at most 23 KiB, 66 rules) and
// low enough that the worst input within them stays within a few hundred MiB and a second or two: a
// file is held as its text plus 48 bytes per JSON value.
struct LoadLimits {
    std::size_t max_file_bytes = 8u << 20;  // per file (a rule set loaded from a string: the string)
    std::size_t max_depth = 64;             // JSON nesting in a file; also conditions through named ones
    std::size_t max_files = 1000;
    std::size_t max_rules = 100000;
    std::size_t max_condition_nodes = 10000;  // per rule, with named conditions written out
    // All rule files of one rule set together (bytes read; a rule set loaded from a string: the string).
    // 64 MiB admits the 100,000-rule generated benchmark set (49.2 MiB in 21 files, bench/gen/gen.py)
    // and bounds what a rule set of many files can cost, where max_files x max_file_bytes would not.
    std::size_t max_total_bytes = 64u << 20;
};

struct LoadOptions {
    LoadLimits limits;
    // After loading, hand the memory the loader used for its JSON trees back to the system
    // (glibc's malloc_trim; elsewhere nothing). Those trees are several times the size of the
    // compiled rule set and are freed, but glibc keeps freed memory resident: 100k rules left
    // ~800 MB resident for a 174 MB rule set. Costs a few milliseconds; off for a host that loads
    // rule sets in a tight loop and would rather keep its heap.
    bool release_memory = true;
    // Let a large rule set (over 1 MiB of JSON) use a second thread while it loads: its digest is
    // worked out beside the compiling. Off for a host that must not have the library start threads;
    // the result is the same either way.
    bool parallel = true;
};

// One parsed rule file.
struct SourceDocument {
    std::string name;  // as shown in messages, e.g. "rules/back.json"
    detail::JsonDocument json;  // its text and values, each with where it starts
    bool root = false;
    const detail::JsonValue& doc() const { return json.root(); }
};

namespace detail {

// Collects diagnostics, at most `cap` of them, each with the position of the value it is about.
class Diagnostics {
public:
    explicit Diagnostics(std::size_t cap = 50) : cap_(cap) {}

    // at_key: point at the member's key rather than its value (for unknown or duplicate keys).
    void add(std::string code, std::string message, const SourceDocument& doc, const std::string& pointer,
             bool at_key = false) {
        // Past the cap, skip the position lookup too: a file with a million bad values stays cheap.
        if (list_.size() >= cap_) { truncated_ = true; return; }
        SourcePos p = at_key ? doc.json.key_pos(pointer) : doc.json.value_pos(pointer);
        add(Diagnostic{std::move(code), std::move(message), doc.name, p.line, p.column, pointer});
    }
    void add(Diagnostic d) {
        if (list_.size() < cap_) list_.push_back(std::move(d));
        else truncated_ = true;
    }
    bool any() const { return !list_.empty(); }
    std::vector<Diagnostic> take() {
        if (truncated_)
            list_.push_back(Diagnostic{"too_many_errors", "too many errors; stopped after " +
                                                              std::to_string(cap_), "", 0, 0, ""});
        return std::move(list_);
    }

private:
    std::size_t cap_;
    bool truncated_ = false;
    std::vector<Diagnostic> list_;
};

}  // namespace detail

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
};

class DiskFiles final : public FileSource {
public:
    bool exists(const std::string& path) const override {
        std::error_code ec;
        return std::filesystem::exists(path, ec);
    }
    bool is_directory(const std::string& path) const override {
        std::error_code ec;
        return std::filesystem::is_directory(path, ec);
    }
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
    std::vector<std::string> list_json(const std::string& dir) const override {
        std::vector<std::string> out;
        std::error_code ec;
        for (auto it = std::filesystem::directory_iterator(dir, ec); !ec && it != std::filesystem::directory_iterator();
             it.increment(ec)) {
            if (it->path().extension() == ".json" && !it->is_directory(ec))
                out.push_back((std::filesystem::path(dir) / it->path().filename()).generic_string());
        }
        std::sort(out.begin(), out.end());
        return out;
    }
    std::string identity(const std::string& path) const override {
        std::error_code ec;
        auto p = std::filesystem::weakly_canonical(path, ec);
        return ec ? std::filesystem::path(path).lexically_normal().generic_string() : p.generic_string();
    }
};

// Files held in memory, e.g. the rule set compiled into the program.
class MemoryFiles final : public FileSource {
public:
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

class Loader {
public:
    Loader(const FileSource& files, const LoadOptions& options, Diagnostics& diags)
        : files_(files), options_(options), diags_(diags) {}

    // Loads the rule set rooted at `path` (a file, or a directory holding index.json).
    std::vector<SourceDocument> load_path(const std::string& path) {
        std::string root = path;
        if (files_.is_directory(path)) {
            root = path_join(path, "index.json");
            if (!files_.exists(root)) {
                diags_.add(Diagnostic{"io", "directory has no index.json (the root file of a rule set)", path, 0, 0, ""});
                return {};
            }
        }
        root_dir_ = files_.identity(path_parent(root));
        if (root_dir_.empty() || root_dir_ == ".") root_dir_.clear();
        std::vector<std::string> chain;
        load_file(root, /*root=*/true, chain, nullptr);
        return std::move(docs_);
    }

    // Loads a rule set from one string; it may not include other files.
    std::vector<SourceDocument> load_string(const std::string& text, const std::string& name) {
        if (text.size() > options_.limits.max_file_bytes) {
            diags_.add(Diagnostic{"limit", "rule set is " + std::to_string(text.size()) + " bytes, over the limit of " +
                                               std::to_string(options_.limits.max_file_bytes) + " (max_file_bytes)",
                                  name, 0, 0, ""});
            return {};
        }
        if (text.size() > options_.limits.max_total_bytes) {
            diags_.add(Diagnostic{"limit", "rule set is " + std::to_string(text.size()) + " bytes, over the limit of " +
                                               std::to_string(options_.limits.max_total_bytes) + " (max_total_bytes)",
                                  name, 0, 0, ""});
            return {};
        }
        SourceDocument d;
        d.name = name;
        d.root = true;
        if (!parse(text, d)) return {};
        if (d.doc().contains("include"))
            diags_.add("include_not_allowed", "a rule set loaded from a string cannot include files", d, "/include", true);
        docs_.push_back(std::move(d));
        return std::move(docs_);
    }

private:
    const FileSource& files_;
    const LoadOptions& options_;
    Diagnostics& diags_;
    std::vector<SourceDocument> docs_;
    std::set<std::string> loaded_;
    std::string root_dir_;
    std::vector<std::string> chain_names_;  // the include chain, as paths (for messages)
    std::size_t total_bytes_ = 0;           // read so far, against max_total_bytes

    bool parse(std::string text, SourceDocument& d) {
        JsonReadError err;
        JsonReadLimits limits;
        limits.max_depth = options_.limits.max_depth;
        limits.depth_name = "max_depth";
        if (!JsonDocument::read(std::move(text), d.json, err, limits)) {
            diags_.add(Diagnostic{err.depth_limit ? "limit" : "syntax", err.message, d.name, err.pos.line,
                                  err.pos.column, err.pointer});
            return false;
        }
        return true;
    }

    // Where a file was included from: the including file, and the include's pointer and place.
    struct IncludeSite {
        std::string file;
        std::string pointer;
        SourcePos pos;
    };

    void load_file(const std::string& path, bool root, std::vector<std::string>& chain, const IncludeSite* from) {
        auto report = [&](std::string code, std::string message) {
            if (from) diags_.add(Diagnostic{std::move(code), std::move(message), from->file, from->pos.line, from->pos.column, from->pointer});
            else diags_.add(Diagnostic{std::move(code), std::move(message), path, 0, 0, ""});
        };
        std::string id = files_.identity(path);
        if (auto at = std::find(chain.begin(), chain.end(), id); at != chain.end()) {
            // Named as the rule set names them (identities are absolute paths, which differ from machine
            // to machine), from the file that comes round again.
            std::string cycle;
            for (auto k = static_cast<std::size_t>(at - chain.begin()); k < chain_names_.size(); ++k)
                cycle += chain_names_[k] + " -> ";
            report("include_cycle", "include cycle: " + cycle + path);
            return;
        }
        if (loaded_.count(id)) return;  // included twice (not a cycle): load it once
        if (!root_dir_.empty() && !path_within(root_dir_, id)) {
            report("include_outside", "include '" + path + "' is outside the rule set's folder");
            return;
        }
        if (docs_.size() >= options_.limits.max_files) {
            report("limit", "more than " + std::to_string(options_.limits.max_files) + " rule files (max_files)");
            return;
        }
        std::string text, why;
        if (!files_.read(path, options_.limits.max_file_bytes, text, why)) {
            report(why.find("limit") != std::string::npos ? "limit" : "io", "cannot read '" + path + "': " + why);
            return;
        }
        // A file is read (at most max_file_bytes) before it is counted, so the message names the file
        // that crosses the budget; it and every file after it are rejected (as with max_files).
        const std::size_t before = total_bytes_;
        total_bytes_ += text.size();
        if (total_bytes_ > options_.limits.max_total_bytes) {
            report("limit", "cannot read '" + path + "': its " + std::to_string(text.size()) +
                                " bytes take the rule set over the limit of " +
                                std::to_string(options_.limits.max_total_bytes) + " bytes for all its files (max_total_bytes; " +
                                std::to_string(before) + " bytes read before it)");
            return;
        }
        loaded_.insert(id);
        SourceDocument d;
        d.name = path;
        d.root = root;
        if (!parse(std::move(text), d)) return;
        // Collect includes, with their places for messages, before moving the document into the list.
        std::vector<std::pair<std::string, IncludeSite>> includes;  // path, where it is named
        if (d.doc().contains("include")) {
            const auto& inc = d.doc()["include"];
            if (!inc.is_array()) {
                diags_.add("wrong_type", "'include' must be an array of paths", d, "/include");
            } else {
                for (std::size_t i = 0; i < inc.size(); ++i) {
                    std::string ptr = "/include/" + std::to_string(i);
                    if (!inc[i].is_string() || inc[i].get<std::string>().empty()) {
                        diags_.add("wrong_type", "an include must be a non-empty path string", d, ptr);
                        continue;
                    }
                    includes.emplace_back(inc[i].get<std::string>(), IncludeSite{d.name, ptr, inc[i].pos()});
                }
            }
        }
        docs_.push_back(std::move(d));
        chain.push_back(id);
        chain_names_.push_back(path);
        for (const auto& [rel, site] : includes) {
            auto missing = [&, &site = site](const std::string& message) {
                diags_.add(Diagnostic{"include_missing", message, site.file, site.pos.line, site.pos.column, site.pointer});
            };
            std::string target = path_join(path_parent(path), rel);
            if (files_.is_directory(target)) {
                auto list = files_.list_json(target);
                if (list.empty()) missing("included directory '" + rel + "' has no .json files");
                for (const auto& f : list) load_file(f, false, chain, &site);
            } else if (!files_.exists(target)) {
                missing("included file '" + rel + "' does not exist (looked for '" + target + "')");
            } else {
                load_file(target, false, chain, &site);
            }
        }
        chain.pop_back();
        chain_names_.pop_back();
    }
};

}  // namespace detail
}  // namespace symtri
