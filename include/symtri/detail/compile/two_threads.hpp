// SPDX-License-Identifier: Apache-2.0
// Compiler entry, and what a large rule set does on a second thread (LoadOptions::parallel; the
// result is byte-for-byte the same either way, tests/identity checks it). Three passes overlap:
//   - the digest (detail/canonical.hpp over every document) beside the whole compile, from 1 MiB of
//     rule files (start_digest; finish() takes it);
//   - from split_rules_from rules, an attempt that compiles the rules' conditions (conditions.hpp)
//     on this thread, then the digest, while a second Compiler compiles the rules' other fields
//     (rules.hpp) into the same RuleSet (compile_rules_split). The two write disjoint parts. Problems
//     are only ever reported from a compile on one thread, in the order an author reads the files:
//     if the attempt finds any, compile() sets it aside and compiles again on this one;
//   - in the final layout, the rules' result objects rendered beside the flat program and the
//     questions (layout.hpp, finish()).
#pragma once

#include <atomic>
#include <future>
#include <memory>
#include <system_error>

#include "../canonical.hpp"
#include "helpers.hpp"
#include "rules.hpp"
#include "layout.hpp"

namespace symtri {
namespace detail {

inline std::shared_ptr<RuleSet> Compiler::compile() {
    // A large rule set is first compiled on two threads (compile_rules_split). Problems are only
    // ever reported from a compile on one thread, in the order an author reads the files: if the
    // two-thread attempt finds any, it is set aside and the rule set compiled again on this one.
    if (options_.parallel && !diags_.any() && rule_count() >= split_rules_from) {
        Diagnostics problems;
        Compiler attempt(docs_, options_, problems);
        attempt.split_rules_ = true;
        auto rs = attempt.compile_steps();
        if (rs && !problems.any()) return rs;
    }
    return compile_steps();
}

// The digest depends on the documents alone, so for a large rule set it is worked out on a
// second thread while this one compiles (hashing is ~7% of loading 100k rules). Documents are
// not changed while they are compiled; the thread is joined before compile() returns, also on
// failure (a std::async future waits in its destructor).
inline void Compiler::start_digest() {
    if (!options_.parallel || split_rules_) return;  // split: hashed while the fields compile
    std::size_t bytes = 0;
    for (const auto& d : docs_) bytes += d.json.text().size();
    if (bytes < (std::size_t(1) << 20)) return;  // a thread costs more than hashing under 1 MiB
    try {
        digest_ = std::async(std::launch::async, [parts = canonical_parts()] {
            return canonical_sha256_hex(parts, rules_format_version);
        });
    } catch (const std::system_error&) {
        // No thread to be had: finish() hashes on this one.
    }
}

// A rule's condition is compiled into the shared node arrays; everything else about it (texts,
// tags, citations, ids) into its own Rule. Neither reads what the other writes, so for a large
// rule set they go on two threads: the conditions on this one, the fields on a second Compiler
// that fills the same RuleSet's rules. Any problem found either way sends compile() back to one
// thread, so the split never changes what is reported, or in what order.
inline void Compiler::compile_rules_split() {
    // Either thread stops at its first problem, and tells the other to: the attempt is over.
    std::atomic<bool> stop{false};
    stop_ = &stop;
    Diagnostics field_problems;
    Compiler fields(docs_, options_, field_problems);
    fields.rs_ = rs_;
    fields.stop_ = &stop;
    fields.rule_where_.reserve(rule_where_.capacity());
    roots_.reserve(rs_->rules.capacity());
    auto compile_fields = [&fields] {
        for (const auto& d : fields.docs_) fields.compile_rules(d, RuleParts::fields);
    };
    std::future<void> fields_done;
    try {
        fields_done = std::async(std::launch::async, compile_fields);
    } catch (const std::system_error&) {
        // No thread to be had: the fields are compiled below, on this one.
    }
    for (const auto& d : docs_) compile_rules(d, RuleParts::conditions);
    // The conditions take about half as long as the fields: the digest fills the difference.
    if (!stop.load(std::memory_order_relaxed))
        digest_hex_ = canonical_sha256_hex(canonical_parts(), rules_format_version);
    if (fields_done.valid()) fields_done.get();  // rethrows what the thread threw
    else compile_fields();
    stop_ = nullptr;
    if (stop.load() || field_problems.any() || diags_.any() || roots_.size() != rs_->rules.size()) {
        diags_.add(Diagnostic{"internal", "problems found on two threads", "", 0, 0, ""});  // never shown: see compile()
        return;
    }
    for (std::size_t i = 0; i < roots_.size(); ++i) rs_->rules[i].root = roots_[i];
    rule_where_ = std::move(fields.rule_where_);
}

}  // namespace detail
}  // namespace symtri
