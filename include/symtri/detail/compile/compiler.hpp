// SPDX-License-Identifier: Apache-2.0
// The Compiler: loaded documents (loader.hpp) -> immutable RuleSet (ruleset.hpp). This file declares
// it and holds compile_steps(), the order its passes run in; each pass is defined in its own file
// beside this one:
//
//   helpers.hpp       reading one value: types, keys, ids, texts, and the Diagnostic each problem becomes
//   fields.hpp        the rule set's own fields: locales, file shape, root (ruleset, levels), vocabulary
//   conditions.hpp    conditions (`when`, named ones) -> flat node arrays (Node, AttrTest, Range)
//   never_true.hpp    the check of each `all` for tests that contradict each other
//   rules.hpp         each rule's other fields (id, kind, level, texts, tags, citations, blocks)
//   structure.hpp     checks across rules: blocks resolved, condition height and size, screening,
//                     rules that shadow each other
//   carried_tests.hpp the tests a rule set carries (symtri check runs them)
//   layout.hpp        the final layout the evaluator reads (finish(): indexes, result order, hot
//                     arrays, pre-rendered JSON, the digest), with detail/flat_rules.hpp,
//                     detail/question_json.hpp and detail/canonical.hpp
//   two_threads.hpp   compile(): the entry, and what a large rule set does on a second thread
//
// Every problem becomes a Diagnostic with file, line, column and JSON Pointer; compilation goes on
// after an error where it can, so an author sees all their mistakes at once.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <future>
#include <initializer_list>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../canonical.hpp"
#include "../json_pointer.hpp"
#include "../../loader.hpp"
#include "../../ruleset.hpp"

namespace symtri {
namespace detail {

using ojson = JsonValue;

class Compiler {
public:
    Compiler(const std::vector<SourceDocument>& docs, const LoadOptions& options, Diagnostics& diags)
        : docs_(docs), options_(options), diags_(diags) {}

    // From this many rules, the rules' conditions and their other fields are compiled on two threads.
    static constexpr std::size_t split_rules_from = parallel_compile_from_rules;

    // The rule set, or nullptr when a problem was found (each one is in `diags`). two_threads.hpp.
    std::shared_ptr<RuleSet> compile();

private:
    // ------------------------------------------------------------------ the pipeline (below)
    std::shared_ptr<RuleSet> compile_steps();

    // ------------------------------------------------------------------ two_threads.hpp
    void start_digest();
    void compile_rules_split();

    // ------------------------------------------------------------------ helpers.hpp
    void error(const SourceDocument& d, const PointerPath& ptr, std::string code, std::string msg, bool at_key = false);
    // `base` followed by a member's key or an element's index. The result refers to `base`: pass it
    // on as an argument, or keep it only where `base` is a PointerPath that outlives it.
    static PointerPath join_ptr(const PointerPath& base, std::string_view key) { return PointerPath(base, key); }
    static PointerPath join_ptr(const PointerPath& base, std::size_t index) { return PointerPath(base, index); }
    template <class T> static PointerPath join_ptr(const std::string&, T) = delete;  // name the base first
    template <class T> static PointerPath join_ptr(const char*, T) = delete;
    template <class Keys>
    void check_keys(const SourceDocument& d, const PointerPath& ptr, const ojson& obj, const Keys& allowed,
                    const char* what);
    void check_keys(const SourceDocument& d, const PointerPath& ptr, const ojson& obj,
                    std::initializer_list<std::string_view> allowed, const char* what);
    bool expect_type(const SourceDocument& d, const PointerPath& ptr, const ojson& j, bool ok, const char* want,
                     const std::string& name);
    const ojson* member(const SourceDocument& d, const PointerPath& ptr, const ojson& obj, const char* key,
                        bool required, const char* what);
    bool get_string(const SourceDocument& d, const PointerPath& ptr, const ojson& obj, const char* key, bool required,
                    const char* what, std::string& out);
    bool get_id(const SourceDocument& d, const PointerPath& ptr, const ojson& obj, const char* key, bool required,
                const char* what, std::string& out);
    bool string_array(const SourceDocument& d, const PointerPath& ptr, const ojson& j, const std::string& name,
                      std::vector<std::string>& out, bool ids);
    bool text(const SourceDocument& d, const PointerPath& ptr, const ojson& obj, const char* key, bool required,
              const char* what, Text& out);
    Text make_text(const std::map<std::string, std::string>& by_locale) const;
    void check_validation(const SourceDocument& d, const PointerPath& p, const std::string& v);
    static std::string list_ids(const std::vector<std::string>& ids);
    std::vector<std::string> level_ids() const;

    // ------------------------------------------------------------------ fields.hpp
    void collect_locales();
    void check_top(const SourceDocument& d);
    void compile_root(const SourceDocument& d);
    void compile_attribute_prompts(const SourceDocument& d, const PointerPath& p, const ojson& f, Finding& fd);
    void compile_vocabulary(const SourceDocument& d);
    void compile_codes(const SourceDocument& d, const PointerPath& p, const ojson& j, std::vector<Coding>& out);
    int intern_character(const std::string& c);
    void build_finding_names();

    // ------------------------------------------------------------------ conditions.hpp
    void collect_conditions(const SourceDocument& d);
    const ojson& at(const SourceDocument& d, const std::string& pointer) const;
    std::uint32_t compile_named(const std::string& name, const SourceDocument* d, const PointerPath& ptr);
    std::uint32_t placeholder();
    std::uint32_t add_node(Node n);
    bool compile_range(const SourceDocument& d, const PointerPath& ptr, const ojson& j, const std::string& name,
                       Range& r, double min_value, double max_value);
    template <std::size_t N>
    bool compile_enum(const SourceDocument& d, const PointerPath& ptr, const ojson& j, const std::string& name,
                      const std::array<std::string_view, N>& names, std::uint32_t& mask, bool array_only = false,
                      bool null_allowed = false);
    std::uint32_t compile_condition(const SourceDocument& d, const ojson& j, const PointerPath& ptr);
    std::uint32_t compile_list(const SourceDocument& d, const ojson& list, const PointerPath& ptr, const std::string& name,
                               Op op, std::uint16_t threshold);
    std::uint32_t compile_leaf(const SourceDocument& d, const ojson& j, const PointerPath& ptr);

    // ------------------------------------------------------------------ never_true.hpp
    struct Need;
    static bool intersect(Range& a, const Range& b);
    Need& need(std::int32_t finding);
    void check_satisfiable(const SourceDocument& d, const PointerPath& ptr, std::uint32_t node);

    // ------------------------------------------------------------------ rules.hpp
    enum class RuleParts { all, fields, conditions };
    void reserve_rules();
    std::size_t rule_count() const;
    void compile_rules(const SourceDocument& d, RuleParts parts = RuleParts::all);
    void compile_citations(const SourceDocument& d, const PointerPath& p, const ojson& r, Rule& rule);

    // ------------------------------------------------------------------ structure.hpp
    void resolve_blocks();
    void check_condition_shapes();
    void check_screening();
    static std::uint64_t mix(std::uint64_t h, std::uint64_t v);
    static std::uint64_t hash_range(std::uint64_t h, const Range& r);
    std::vector<std::uint64_t> node_hashes() const;
    std::string where(std::size_t rule) const;
    void check_shadowing();

    // ------------------------------------------------------------------ carried_tests.hpp
    void compile_tests(const SourceDocument& d);
    void check_expect(const SourceDocument& d, const PointerPath& p, const ojson& e);

    // ------------------------------------------------------------------ layout.hpp
    void collect_reads(std::uint32_t root, std::uint32_t stamp, std::vector<std::uint32_t>& seen,
                       std::vector<std::int32_t>& findings, bool& patient);
    bool patient_alone_can_fire(std::uint32_t root) const;
    void collect_patient_leaves(std::uint32_t node, std::vector<std::uint32_t>& leaves, std::set<std::uint32_t>& seen) const;
    Tri eval_patient_only(std::uint32_t node, const std::vector<std::uint32_t>& leaves, std::uint32_t bits) const;
    void finish();
    std::vector<CanonicalPart> canonical_parts() const;

    // ------------------------------------------------------------------ state
    const std::vector<SourceDocument>& docs_;
    const LoadOptions& options_;
    Diagnostics& diags_;
    std::shared_ptr<RuleSet> rs_;
    bool root_ok_ = true;

    struct Named {
        const SourceDocument* doc = nullptr;
        std::string pointer;
        int state = 0;  // 0 not compiled, 1 compiling (cycle guard), 2 done
        std::uint32_t node = 0;
    };
    std::map<std::string, Named> named_;
    std::vector<std::pair<const SourceDocument*, std::string>> rule_where_;  // per rule: doc, pointer
    std::vector<std::pair<const SourceDocument*, std::string>> screening_where_;  // screening findings: doc, id

    // two_threads.hpp
    bool split_rules_ = false;          // compile_rules_split, not compile_rules
    std::atomic<bool>* stop_ = nullptr; // while on one of its two threads: set at the first problem
    std::vector<std::uint32_t> roots_;  // per rule, its condition (compile_rules_split)
    std::future<std::string> digest_;  // the digest, being worked out on another thread (start_digest)
    std::string digest_hex_;           // or already worked out (compile_rules_split)

    // conditions.hpp
    // Nesting of compile_condition calls, counting named conditions compiled on the way: a chain of
    // refs (c1 -> c2 -> ... -> c100000) recursed once per link and overflowed the stack.
    std::size_t condition_depth_ = 0;
    struct DepthGuard {
        std::size_t& d;
        explicit DepthGuard(std::size_t& depth) : d(depth) { ++d; }
        ~DepthGuard() { --d; }
    };
    std::vector<AttrTest> leaf_tests_;  // compile_leaf's list, reused (a leaf holds no other leaf)
    std::vector<std::uint32_t> kids_;   // compile_list's children, a stack shared by the lists inside it

    // never_true.hpp
    std::vector<bool> never_true_;  // by node: already reported
    // What the `all` being checked needs of one finding.
    struct Need {
        bool present = false, absent = false;
        std::uint32_t mask[attr_count];
        Range range[attr_count];
        std::int8_t boolean[attr_count];
        std::vector<std::int32_t> characters;
        bool has_characters = false;
        Need() { reset(); }
        void reset() {
            present = absent = has_characters = false;
            for (std::size_t a = 0; a < attr_count; ++a) { mask[a] = ~0u; boolean[a] = -1; range[a] = Range{}; }
            characters.clear();
        }
    };
    // Scratch for check_satisfiable, which runs for every `all` (100k rules: 100k calls): per finding
    // and per node, stamped with the call that last used them, so nothing is allocated or cleared per call.
    // (stack_ is also collect_reads' stack, in layout.hpp.)
    std::uint32_t visit_ = 0;
    std::vector<std::uint32_t> node_visit_, need_visit_;
    std::vector<Need> needs_;
    std::vector<std::uint32_t> stack_;
};

// The passes in the order they run. Each pass reads what the ones before it built (the vocabulary
// before conditions name findings, every rule before blocks resolve); the problems of all of them
// are collected before giving up, so an author sees every mistake at once.
inline std::shared_ptr<RuleSet> Compiler::compile_steps() {
    rs_ = std::make_shared<RuleSet>();
    if (docs_.empty()) return nullptr;
    collect_locales();                                        // fields.hpp
    for (const auto& d : docs_) check_top(d);                 // fields.hpp
    if (!root_ok_) return nullptr;
    start_digest();                                           // two_threads.hpp
    compile_root(docs_.front());                              // fields.hpp
    for (const auto& d : docs_) compile_vocabulary(d);        // fields.hpp
    build_finding_names();                                    // fields.hpp
    for (const auto& d : docs_) collect_conditions(d);        // conditions.hpp
    reserve_rules();                                          // rules.hpp
    if (split_rules_) {
        compile_rules_split();                                // two_threads.hpp
        if (diags_.any()) return nullptr;  // compile() compiles again, on one thread, to report them
    } else {
        for (const auto& d : docs_) compile_rules(d);         // rules.hpp, conditions.hpp, never_true.hpp
    }
    resolve_blocks();                                         // structure.hpp
    for (const auto& [name, nc] : named_)
        if (nc.state == 0) compile_named(name, nc.doc, nc.pointer);  // check unused ones too
    check_condition_shapes();                                 // structure.hpp
    for (const auto& d : docs_) compile_tests(d);             // carried_tests.hpp
    if (diags_.any()) return nullptr;  // includes problems the loader found
    finish();                                                 // layout.hpp
    return rs_;
}

}  // namespace detail
}  // namespace symtri
