// SPDX-License-Identifier: Apache-2.0
// The definitions of compiler.hpp's entry points: included by compiler.hpp in the header-only mode,
// compiled once into symtri::lib (src/lib/compiler.cpp) otherwise (config.hpp).
#pragma once

#include <memory>
#include <string>

#include "compiler.hpp"
#include "detail/compile/carried_tests.hpp"
#include "detail/compile/compiler.hpp"
#include "detail/compile/conditions.hpp"
#include "detail/compile/fields.hpp"
#include "detail/compile/helpers.hpp"
#include "detail/compile/layout.hpp"
#include "detail/compile/never_true.hpp"
#include "detail/compile/rules.hpp"
#include "detail/compile/structure.hpp"
#include "detail/compile/two_threads.hpp"
#include "detail/memory.hpp"
#include "loader.hpp"

namespace symtri {

// Loads and compiles a rule set from a file or a directory (DIR/index.json). Throws symtri::Error
// (Status::invalid_ruleset, or Status::io when nothing could be read) listing every problem found.
SYMTRI_FUNC RuleSetPtr load_rules(const std::string& path, const LoadOptions& options, const FileSource* files) {
    detail::MemoryAdviceScope advice(options.advise_memory);
    DiskFiles disk;
    const FileSource& fs = files ? *files : static_cast<const FileSource&>(disk);
    detail::Diagnostics diags;
    detail::Loader loader(fs, options, diags);
    auto docs = loader.load_path(path);
    std::shared_ptr<RuleSet> rs;
    // Compile even after load errors (a missing include, say), so the author sees every problem at once.
    if (!docs.empty() && docs.front().root) rs = detail::Compiler(docs, options, diags).compile();
    const bool nothing_read = docs.empty();
    docs.clear();  // the documents: their text and values
    docs.shrink_to_fit();
    if (rs && options.release_memory) detail::release_free_memory();
    if (!rs) {
        auto list = diags.take();
        bool io = !list.empty() && list.front().code == "io" && nothing_read;
        if (list.empty()) list.push_back(Diagnostic{"internal", "rule set did not compile", path, 0, 0, ""});
        throw Error(io ? Status::io : Status::invalid_ruleset, std::move(list));
    }
    return rs;
}

// Loads and compiles a rule set held in one string (which may not include other files). `name`
// stands for the file name in messages.
SYMTRI_FUNC RuleSetPtr load_rules_from_string(const std::string& text, const std::string& name,
                                              const LoadOptions& options) {
    detail::MemoryAdviceScope advice(options.advise_memory);
    detail::Diagnostics diags;
    DiskFiles unused;
    detail::Loader loader(unused, options, diags);
    auto docs = loader.load_string(text, name);
    std::shared_ptr<RuleSet> rs;
    if (!diags.any()) rs = detail::Compiler(docs, options, diags).compile();
    docs.clear();
    if (rs && options.release_memory) detail::release_free_memory();
    if (!rs) {
        auto list = diags.take();
        if (list.empty()) list.push_back(Diagnostic{"internal", "rule set did not compile", name, 0, 0, ""});
        throw Error(Status::invalid_ruleset, std::move(list));
    }
    return rs;
}

}  // namespace symtri
