// SPDX-License-Identifier: Apache-2.0
// Shared helpers for the C API tests: RAII owners for the handles, file reading, paths.
#pragma once

#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include <symtri/symtri.h>

#ifndef SYMTRI_SOURCE_DIR
#error "SYMTRI_SOURCE_DIR must be defined"
#endif

namespace capi_test {

struct EngineCloser { void operator()(symtri_engine* e) const { symtri_engine_close(e); } };
struct ResultDestroyer { void operator()(symtri_result* r) const { symtri_result_destroy(r); } };
struct BatchDestroyer { void operator()(symtri_batch* b) const { symtri_batch_destroy(b); } };
using EnginePtr = std::unique_ptr<symtri_engine, EngineCloser>;
using ResultPtr = std::unique_ptr<symtri_result, ResultDestroyer>;
using BatchPtr = std::unique_ptr<symtri_batch, BatchDestroyer>;

inline std::string source(const std::string& rel) { return std::string(SYMTRI_SOURCE_DIR) + "/" + rel; }
inline std::string data(const std::string& rel) { return source("tests/capi/data/" + rel); }

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Opens a rule set that must open.
inline EnginePtr open_ok(const std::string& path) {
    symtri_engine* e = nullptr;
    int rc = symtri_engine_open(path.c_str(), nullptr, &e);
    if (rc != SYMTRI_OK) {
        std::fprintf(stderr, "cannot open %s: %s\n", path.c_str(), symtri_engine_errmsg(e));
        symtri_engine_close(e);
        return EnginePtr(nullptr);
    }
    return EnginePtr(e);
}

inline ResultPtr triage(const symtri_engine* e, const std::string& json, int* rc = nullptr) {
    symtri_result* r = nullptr;
    int status = symtri_engine_triage(e, json.data(), json.size(), &r);
    if (rc) *rc = status;
    return ResultPtr(r);
}

inline std::string json_of(const symtri_result* r) {
    size_t len = 0;
    const char* p = symtri_result_json(r, &len);
    return p ? std::string(p, len) : std::string();
}

inline std::string str(const char* s) { return s ? s : "(null)"; }

}  // namespace capi_test
