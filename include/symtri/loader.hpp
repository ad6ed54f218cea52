// SPDX-License-Identifier: Apache-2.0
// Loader: turns a rule-set location (file, directory, string, or the built-in files) into the list of
// parsed JSON documents it is made of, following `include`s. It knows files, not rules: the compiler
// (compiler.hpp) gives the documents their meaning.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "detail/json_document.hpp"
#include "detail/read_ahead.hpp"
#include "files.hpp"
#include "detail/text.hpp"
#include "error.hpp"
#include "load_options.hpp"

namespace symtri {

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
    bool reading_ahead_ = false;            // a FileReadAhead is at work (see read_ahead())

    JsonReadLimits read_limits() const {
        JsonReadLimits limits;
        limits.max_depth = options_.limits.depth();
        limits.depth_name = "max_depth";
        return limits;
    }
    bool parse(std::string text, SourceDocument& d) {
        JsonReadError err;
        if (!JsonDocument::read(std::move(text), d.json, err, read_limits())) return parse_failed(err, d);
        return true;
    }
    bool parse_failed(const JsonReadError& err, const SourceDocument& d) {
        diags_.add(Diagnostic{err.depth_limit ? "limit" : "syntax", err.message, d.name, err.pos.line, err.pos.column,
                              err.pointer});
        return false;
    }

    // The files of an included directory, read ahead on a second thread when that is allowed and
    // worth it (see detail/read_ahead.hpp); only for the first directory met, not for directories
    // that its files include.
    std::unique_ptr<FileReadAhead> read_ahead(const std::vector<std::string>& list) {
        if (!options_.parallel || !files_.concurrent_reads() || list.size() < 2 || reading_ahead_) return nullptr;
        if (total_bytes_ >= options_.limits.max_total_bytes || docs_.size() >= options_.limits.max_files) return nullptr;
        std::vector<std::string> first(list.begin(),
                                       list.begin() + static_cast<std::ptrdiff_t>(std::min(list.size(), options_.limits.max_files - docs_.size())));
        return std::make_unique<FileReadAhead>(files_, std::move(first), root_dir_, options_.limits.max_file_bytes,
                                               options_.limits.max_total_bytes - total_bytes_, read_limits());
    }

    // Where a file was included from: the including file, and the include's pointer and place.
    struct IncludeSite {
        std::string file;
        std::string pointer;
        SourcePos pos;
    };

    // `ahead` and `ahead_index`: the read-ahead that may already hold this file, and its place there.
    void load_file(const std::string& path, bool root, std::vector<std::string>& chain, const IncludeSite* from,
                   FileReadAhead* ahead = nullptr, std::size_t ahead_index = 0) {
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
        FileReadAhead::Result pre;
        const bool from_helper = ahead && ahead->take(ahead_index, pre);
        if (from_helper ? !pre.read_ok : !files_.read(path, options_.limits.max_file_bytes, text, why)) {
            if (from_helper) why = pre.read_error;
            report(why.find("limit") != std::string::npos ? "limit" : "io", "cannot read '" + path + "': " + why);
            return;
        }
        const std::size_t bytes = from_helper ? pre.bytes : text.size();
        // A file is read (at most max_file_bytes) before it is counted, so the message names the file
        // that crosses the budget; it and every file after it are rejected (as with max_files).
        const std::size_t before = total_bytes_;
        total_bytes_ += bytes;
        if (total_bytes_ > options_.limits.max_total_bytes) {
            report("limit", "cannot read '" + path + "': its " + std::to_string(bytes) +
                                " bytes take the rule set over the limit of " +
                                std::to_string(options_.limits.max_total_bytes) + " bytes for all its files (max_total_bytes; " +
                                std::to_string(before) + " bytes read before it)");
            return;
        }
        loaded_.insert(id);
        SourceDocument d;
        d.name = path;
        d.root = root;
        if (from_helper) {
            if (!pre.parsed) {
                parse_failed(pre.parse_error, d);
                return;
            }
            d.json = std::move(pre.doc);
        } else if (!parse(std::move(text), d)) {
            return;
        }
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
                auto reader = read_ahead(list);
                if (reader) reading_ahead_ = true;
                for (std::size_t k = 0; k < list.size(); ++k) load_file(list[k], false, chain, &site, reader.get(), k);
                if (reader) {
                    reader.reset();  // waits for the helper
                    reading_ahead_ = false;
                }
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
