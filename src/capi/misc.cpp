// SPDX-License-Identifier: Apache-2.0
// Versions, status names, the symtri_error accessors and symtri_options.
#include <symtri/version.hpp>

#include "errors.hpp"

static_assert(SYMTRI_VERSION_NUMBER ==
                  SYMTRI_VERSION_MAJOR * 1000000 + SYMTRI_VERSION_MINOR * 1000 + SYMTRI_VERSION_PATCH,
              "version macros disagree");
static_assert(SYMTRI_OK == static_cast<int>(symtri::Status::ok) && SYMTRI_MISUSE == static_cast<int>(symtri::Status::misuse) &&
                  SYMTRI_USAGE == static_cast<int>(symtri::Status::usage) &&
                  SYMTRI_INVALID_RULESET == static_cast<int>(symtri::Status::invalid_ruleset) &&
                  SYMTRI_INVALID_CASE == static_cast<int>(symtri::Status::invalid_case) &&
                  SYMTRI_IO == static_cast<int>(symtri::Status::io) && SYMTRI_LIMIT == static_cast<int>(symtri::Status::limit) &&
                  SYMTRI_NOMEM == static_cast<int>(symtri::Status::nomem) &&
                  SYMTRI_INTERNAL == static_cast<int>(symtri::Status::internal),
              "symtri.h status codes must equal symtri::Status");

extern "C" {

const char* symtri_version(void) { return SYMTRI_VERSION_STRING; }
int symtri_version_number(void) { return SYMTRI_VERSION_NUMBER; }
int symtri_rules_format_version(void) { return symtri::rules_format_version; }
int symtri_rules_format_min_version(void) { return symtri::rules_format_min_version; }

const char* symtri_status_name(int status) {
    if (status < 0 || status > static_cast<int>(symtri::Status::internal)) return "unknown";
    return symtri::status_name(static_cast<symtri::Status>(status));
}

int symtri_error_status(const symtri_error* e) { return e ? e->status : 0; }
const char* symtri_error_code(const symtri_error* e) { return e ? e->code.c_str() : ""; }
const char* symtri_error_message(const symtri_error* e) { return e ? e->message.c_str() : ""; }
const char* symtri_error_file(const symtri_error* e) { return e ? e->file.c_str() : ""; }
unsigned symtri_error_line(const symtri_error* e) { return e ? e->line : 0; }
unsigned symtri_error_column(const symtri_error* e) { return e ? e->column : 0; }
const char* symtri_error_pointer(const symtri_error* e) { return e ? e->pointer.c_str() : ""; }
const char* symtri_error_text(const symtri_error* e) { return e ? e->text.c_str() : ""; }

int symtri_options_create(symtri_options** out) {
    if (!out) return SYMTRI_MISUSE;
    *out = new (std::nothrow) symtri_options();
    return *out ? SYMTRI_OK : SYMTRI_NOMEM;
}

int symtri_options_set(symtri_options* o, int option, long long value) {
    const bool is_switch = option == SYMTRI_OPT_LIST_OTHER_QUESTIONS || option == SYMTRI_OPT_RELEASE_MEMORY ||
                           option == SYMTRI_OPT_PARALLEL || option == SYMTRI_OPT_ADVISE_MEMORY;
    if (!o || value < (option == SYMTRI_OPT_POOL_SIZE || option == SYMTRI_OPT_MAX_QUESTIONS || is_switch ? 0 : 1)) return SYMTRI_MISUSE;
    if (is_switch && value > 1) return SYMTRI_MISUSE;
    // Depths stop at 1000, as on the command line: the readers recurse once per level, so a deeper
    // limit would let a hostile rule file or case overflow the stack.
    if ((option == SYMTRI_OPT_MAX_DEPTH || option == SYMTRI_OPT_MAX_CASE_DEPTH) &&
        value > static_cast<long long>(symtri::LoadLimits::max_depth_cap))
        return SYMTRI_MISUSE;
    auto v = static_cast<std::size_t>(value);
    switch (option) {
        case SYMTRI_OPT_MAX_CASE_BYTES: o->case_limits.max_bytes = v; return SYMTRI_OK;
        case SYMTRI_OPT_MAX_CASE_DEPTH: o->case_limits.max_depth = v; return SYMTRI_OK;
        case SYMTRI_OPT_MAX_FILE_BYTES: o->load.limits.max_file_bytes = v; return SYMTRI_OK;
        case SYMTRI_OPT_MAX_DEPTH: o->load.limits.max_depth = v; return SYMTRI_OK;
        case SYMTRI_OPT_MAX_FILES: o->load.limits.max_files = v; return SYMTRI_OK;
        case SYMTRI_OPT_MAX_RULES: o->load.limits.max_rules = v; return SYMTRI_OK;
        case SYMTRI_OPT_POOL_SIZE: o->pool_size = v; return SYMTRI_OK;
        case SYMTRI_OPT_MAX_CONDITION_NODES: o->load.limits.max_condition_nodes = v; return SYMTRI_OK;
        case SYMTRI_OPT_MAX_QUESTIONS: o->triage.max_questions = v; return SYMTRI_OK;
        case SYMTRI_OPT_MAX_TOTAL_BYTES: o->load.limits.max_total_bytes = v; return SYMTRI_OK;
        case SYMTRI_OPT_LIST_OTHER_QUESTIONS: o->triage.list_other_questions = value == 1; return SYMTRI_OK;
        case SYMTRI_OPT_RELEASE_MEMORY: o->load.release_memory = value == 1; return SYMTRI_OK;
        case SYMTRI_OPT_PARALLEL: o->load.parallel = value == 1; return SYMTRI_OK;
        case SYMTRI_OPT_ADVISE_MEMORY: o->load.advise_memory = value == 1; return SYMTRI_OK;
    }
    return SYMTRI_MISUSE;
}

long long symtri_options_get(const symtri_options* o, int option) {
    if (!o) return -1;
    switch (option) {
        case SYMTRI_OPT_MAX_CASE_BYTES: return static_cast<long long>(o->case_limits.max_bytes);
        case SYMTRI_OPT_MAX_CASE_DEPTH: return static_cast<long long>(o->case_limits.max_depth);
        case SYMTRI_OPT_MAX_FILE_BYTES: return static_cast<long long>(o->load.limits.max_file_bytes);
        case SYMTRI_OPT_MAX_DEPTH: return static_cast<long long>(o->load.limits.max_depth);
        case SYMTRI_OPT_MAX_FILES: return static_cast<long long>(o->load.limits.max_files);
        case SYMTRI_OPT_MAX_RULES: return static_cast<long long>(o->load.limits.max_rules);
        case SYMTRI_OPT_POOL_SIZE: return static_cast<long long>(o->pool_size);
        case SYMTRI_OPT_MAX_CONDITION_NODES: return static_cast<long long>(o->load.limits.max_condition_nodes);
        case SYMTRI_OPT_MAX_QUESTIONS: return static_cast<long long>(o->triage.max_questions);
        case SYMTRI_OPT_MAX_TOTAL_BYTES: return static_cast<long long>(o->load.limits.max_total_bytes);
        case SYMTRI_OPT_LIST_OTHER_QUESTIONS: return o->triage.list_other_questions ? 1 : 0;
        case SYMTRI_OPT_RELEASE_MEMORY: return o->load.release_memory ? 1 : 0;
        case SYMTRI_OPT_PARALLEL: return o->load.parallel ? 1 : 0;
        case SYMTRI_OPT_ADVISE_MEMORY: return o->load.advise_memory ? 1 : 0;
    }
    return -1;
}

void symtri_options_destroy(symtri_options* o) { delete o; }

}  // extern "C"
