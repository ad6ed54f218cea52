// SPDX-License-Identifier: Apache-2.0
// Loading the rule set a command asked for (--rules, or the built-in one), reporting why it failed.
#include <iostream>
#include <new>

#include "cli.hpp"

namespace symtri_cli {

symtri::RuleSetPtr load_rules_or_report(const Options& o) {
    try {
        symtri::LoadOptions lo;
        lo.limits = o.load_limits;
        // A program that loads once and exits or serves: what a library must not do by default pays
        // off here on large rule sets (docs/performance.md, "Load options"); the shipped set starts no
        // thread either way.
        lo.parallel = true;
        lo.advise_memory = true;
        lo.release_memory = true;
        if (o.rules) return symtri::load_rules(*o.rules, lo);
        return symtri::load_builtin_rules(lo);
    } catch (const symtri::Error& e) {
        std::cerr << e.what() << "\n";
        std::cerr << "symtri: the rule set " << (o.rules ? "'" + *o.rules + "'" : std::string("built in")) << " is not valid ("
                  << e.diagnostics().size() << " problem" << (e.diagnostics().size() == 1 ? "" : "s") << ")\n";
        return nullptr;
    } catch (const std::bad_alloc&) {
        // As the C API's SYMTRI_NOMEM: the rule set could not be loaded (exit 3), not an abort.
        std::cerr << "symtri: out of memory loading the rule set "
                  << (o.rules ? "'" + *o.rules + "'" : std::string("built in")) << "\n";
        return nullptr;
    }
}

}  // namespace symtri_cli
