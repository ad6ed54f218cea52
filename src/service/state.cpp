// SPDX-License-Identifier: Apache-2.0
// Loading and reloading the served rule set. A reload compiles the new set completely before it is
// swapped in; a set that fails to load leaves the old one serving, and the reason is returned with
// file names reduced to their base names (no server paths leave the process).
#include <mutex>
#include <new>

#include "service.hpp"

namespace symtri_service {

namespace {
std::string base_name(const std::string& path) {
    auto slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}
}  // namespace

ReloadResult State::reload() {
    // One reload at a time (SIGHUP and POST /v1/admin/reload may come together); requests go on meanwhile.
    static std::mutex reloading;
    std::lock_guard<std::mutex> lk(reloading);
    ReloadResult r;
    try {
        symtri::LoadOptions lo;
        lo.limits = config_.load_limits;
        symtri::RuleSetPtr fresh = config_.rules ? symtri::load_rules(*config_.rules, lo) : symtri::load_builtin_rules(lo);
        set_rules(std::move(fresh));
        r.ok = true;
        r.message = "reloaded";
    } catch (const symtri::Error& e) {
        r.message = "the rule set did not load (" + std::to_string(e.diagnostics().size()) +
                    " problem" + (e.diagnostics().size() == 1 ? "" : "s") + "); the previous one is still serving";
        r.problems = e.diagnostics();
        for (auto& d : r.problems) d.file = base_name(d.file);
    } catch (const std::bad_alloc&) {
        r.message = "out of memory loading the rule set; the previous one is still serving";
    }
    metrics_.reload(r.ok);
    return r;
}

}  // namespace symtri_service
