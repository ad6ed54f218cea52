// SPDX-License-Identifier: Apache-2.0
// Fuzzes the rule-set loader and compiler: text -> compiled rule set or a list of diagnostics, never a
// crash, a hang or unbounded memory. A rule set that compiles is then exercised: its carried tests run
// and three cases (nothing answered, everything present, everything absent) are triaged, so the
// evaluator and result writer see fuzzed conditions too.
//
// Input: one rule file (the root, loaded from a string), or, when it starts with "//files\n", several
// files for the include logic: sections "//file NAME\n" then the text; the first one is the root
// ("r/index.json" unless named). Files live under r/, so "../x.json" is outside the rule set's folder.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include <symtri/symtri.hpp>

#include "fuzz_common.hpp"

namespace {

symtri::LoadOptions options() {
    symtri::LoadOptions o;
    o.parallel = true;  // keep the read-ahead of an included directory under the fuzzer (off by default)
    o.limits.max_files = 32;
    o.limits.max_rules = 2000;
    return o;
}

std::map<std::string, std::string> split_files(const std::string& text) {
    std::map<std::string, std::string> files;
    const std::string mark = "//file ";
    std::size_t at = text.find(mark);
    bool first = true;
    while (at != std::string::npos) {
        std::size_t name_end = text.find('\n', at);
        if (name_end == std::string::npos) break;
        std::string name = text.substr(at + mark.size(), name_end - at - mark.size());
        std::size_t next = text.find("\n" + mark, name_end);
        std::string body = text.substr(name_end + 1, next == std::string::npos ? std::string::npos : next - name_end - 1);
        if (first) name = "index.json";
        first = false;
        files["r/" + name] = body;
        at = next == std::string::npos ? next : next + 1;
    }
    return files;
}

void exercise(const symtri::RuleSetPtr& rules) {
    symtri::run_carried_tests(rules);
    const symtri::RuleSet& rs = *rules;
    symtri::Evaluator eval(rules);
    symtri::Case c;
    symtri::Outcome o;
    for (int mode = 0; mode < 3; ++mode) {
        c.reset(rs);
        if (mode > 0)
            for (std::size_t f = 0; f < rs.findings.size(); ++f)
                c.set(static_cast<std::int32_t>(f), mode == 1 ? symtri::Presence::present : symtri::Presence::absent);
        eval.evaluate(c, o);
        FUZZ_CHECK(o.level >= 0 && static_cast<std::size_t>(o.level) < rs.levels.size(), "level in range");
        std::string out;
        symtri::write_result(out, rs, c, o);
        auto j = fuzz::must_parse(out, "result");
        FUZZ_CHECK(j["level"] == rs.levels[static_cast<std::size_t>(o.level)].id, "result names the level");
    }
}

void check_error(const symtri::Error& e) {
    FUZZ_CHECK(!e.diagnostics().empty(), "an error has diagnostics");
    FUZZ_CHECK(e.diagnostics().size() <= 51, "at most 50 diagnostics plus 'too many'");
    for (const auto& d : e.diagnostics()) {
        FUZZ_CHECK(!d.code.empty() && !d.message.empty(), "a diagnostic has a code and a message");
        // quote() must survive any message: this is how the C API and the CLI hand it on
        fuzz::must_parse(symtri::detail::quote(d.format()), "quoted diagnostic");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    try {
        symtri::RuleSetPtr rules;
        if (text.rfind("//files\n", 0) == 0) {
            symtri::MemoryFiles files(split_files(text));
            rules = symtri::load_rules("r", options(), &files);
        } else {
            rules = symtri::load_rules_from_string(text, "fuzz.json", options());
        }
        exercise(rules);
    } catch (const symtri::Error& e) {
        check_error(e);
    }
    // Anything else escaping (nlohmann::json exceptions, std::out_of_range, ...) is a bug: the
    // loader promises symtri::Error only, and libFuzzer reports an uncaught exception as a crash.
    return 0;
}
