// SPDX-License-Identifier: Apache-2.0
// Opening and closing engines: symtri_engine_open*, retain/close, and the errors of a failed open.
#include <symtri/builtin.hpp>
#include <symtri/compiler.hpp>

#include "errors.hpp"

using symtri_capi::guarded;
using symtri_capi::guarded_value;

namespace {

const symtri_options default_options{};

// Makes the engine, runs `load` (which returns a RuleSetPtr or throws symtri::Error) and records
// either the rule set or every diagnostic. The engine is handed out in both cases.
template <class Load>
int open_engine(const symtri_options* opts, symtri_engine** out, Load&& load) {
    if (!out) return SYMTRI_MISUSE;
    *out = nullptr;
    return guarded([&]() -> int {
        const symtri_options& o = opts ? *opts : default_options;
        auto e = std::make_unique<symtri_engine>();
        try {
            e->rules = load(o.load);
            e->case_limits = o.case_limits;
            e->pool = std::make_unique<symtri_capi::SessionPool>(e->rules, o.case_limits, o.triage, o.pool_size);
        } catch (const symtri::Error& err) {
            e->status = static_cast<int>(err.status());
            for (const auto& d : err.diagnostics()) e->errors.push_back(symtri_capi::from_diagnostic(e->status, d));
        } catch (const std::bad_alloc&) {
            throw;
        } catch (const std::exception& ex) {
            // e.g. std::filesystem errors the loader did not turn into diagnostics
            e->status = SYMTRI_IO;
            e->errors.push_back(symtri_capi::make_error(SYMTRI_IO, "io", ex.what()));
        }
        if (e->status != SYMTRI_OK) {
            e->rules.reset();
            e->pool.reset();
            for (const auto& d : e->errors) {
                if (!e->errmsg.empty()) e->errmsg += '\n';
                e->errmsg += d.text;
            }
        }
        int status = e->status;
        *out = e.release();
        return status;
    });
}

// An engine that only carries a misuse message (an open given a NULL path, say).
int misused_engine(symtri_engine** out, const std::string& why) {
    if (!out) return SYMTRI_MISUSE;
    *out = nullptr;
    int rc = guarded([&]() -> int {
        auto e = std::make_unique<symtri_engine>();
        e->status = SYMTRI_MISUSE;
        e->errors.push_back(symtri_capi::misuse(why));
        e->errmsg = e->errors.back().text;
        *out = e.release();
        return SYMTRI_MISUSE;
    });
    return rc;
}

}  // namespace

extern "C" {

int symtri_engine_open(const char* path, const symtri_options* opts, symtri_engine** out) {
    if (!path) return misused_engine(out, "symtri_engine_open: path is NULL");
    return open_engine(opts, out, [&](const symtri::LoadOptions& lo) { return symtri::load_rules(path, lo); });
}

int symtri_engine_open_string(const char* text, size_t len, const char* name, const symtri_options* opts,
                              symtri_engine** out) {
    std::string_view view;
    std::string why;
    if (!symtri_capi::text_arg(text, len, view, why, "the rule text")) return misused_engine(out, "symtri_engine_open_string: " + why);
    return open_engine(opts, out, [&](const symtri::LoadOptions& lo) {
        if (view.size() > lo.limits.max_file_bytes)
            throw symtri::Error(symtri::Status::limit,
                                symtri::Diagnostic{"limit", "rule text is " + std::to_string(view.size()) +
                                                                " bytes, over the limit of " +
                                                                std::to_string(lo.limits.max_file_bytes) + " (max_file_bytes)",
                                                   name ? name : "<string>", 0, 0, ""});
        if (view.size() > lo.limits.max_total_bytes)
            throw symtri::Error(symtri::Status::limit,
                                symtri::Diagnostic{"limit", "rule text is " + std::to_string(view.size()) +
                                                                " bytes, over the limit of " +
                                                                std::to_string(lo.limits.max_total_bytes) + " (max_total_bytes)",
                                                   name ? name : "<string>", 0, 0, ""});
        return symtri::load_rules_from_string(std::string(view), name ? name : "<string>", lo);
    });
}

int symtri_engine_open_builtin(const symtri_options* opts, symtri_engine** out) {
    return open_engine(opts, out, [](const symtri::LoadOptions& lo) { return symtri::load_builtin_rules(lo); });
}

int symtri_has_builtin(void) {
    return guarded_value(0, [] { return symtri::has_builtin_rules() ? 1 : 0; });
}

symtri_engine* symtri_engine_retain(symtri_engine* engine) {
    if (engine) engine->refs.fetch_add(1, std::memory_order_relaxed);
    return engine;
}

int symtri_engine_retain_into(symtri_engine* engine, symtri_engine** out) {
    if (!out) return SYMTRI_MISUSE;
    *out = symtri_engine_retain(engine);
    return engine ? SYMTRI_OK : SYMTRI_MISUSE;
}

void symtri_engine_close(symtri_engine* engine) {
    if (!engine) return;
    if (engine->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete engine;  // destructors do not throw
}

int symtri_engine_errcode(const symtri_engine* engine) { return engine ? engine->status : SYMTRI_MISUSE; }

const char* symtri_engine_errmsg(const symtri_engine* engine) {
    return engine ? engine->errmsg.c_str() : "misuse: the engine is NULL";
}

size_t symtri_engine_error_count(const symtri_engine* engine) { return engine ? engine->errors.size() : 0; }

const symtri_error* symtri_engine_error(const symtri_engine* engine, size_t i) {
    return engine && i < engine->errors.size() ? &engine->errors[i] : nullptr;
}

}  // extern "C"
