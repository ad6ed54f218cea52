// SPDX-License-Identifier: Apache-2.0
// The structs behind the C API's opaque handles (symtri.h), shared by the files of src/capi/.
// Nothing here is visible outside the library.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <symtri/error.hpp>
#include <symtri/evaluator.hpp>
#include <symtri/load_options.hpp>
#include <symtri/ruleset.hpp>
#include <symtri/session.hpp>

#ifndef SYMTRI_CAPI_BUILDING
#define SYMTRI_CAPI_BUILDING 1
#endif
#include <symtri/symtri.h>

struct symtri_error {
    int status = SYMTRI_OK;
    std::string code, message, file, pointer, text;
    unsigned line = 0, column = 0;
};

namespace symtri_capi {
struct InterviewView;  // interview.cpp: a result's questions read out of its JSON, made on first use
}

struct symtri_options {
    symtri::LoadOptions load;
    symtri::CaseLimits case_limits;
    symtri::TriageOptions triage;  // max_questions
    std::size_t pool_size = 64;
};

namespace symtri_capi {

// Idle Sessions kept for reuse, so a triage call neither shares scratch with another thread nor pays
// for building a Session (an Evaluator sized to the rule set) each time. The mutex is held only to
// pop or push one pointer. See tests/capi/bench_capi.cpp for the measurements behind this choice.
class SessionPool {
public:
    SessionPool(symtri::RuleSetPtr rules, symtri::CaseLimits limits, symtri::TriageOptions triage, std::size_t cap)
        : rules_(std::move(rules)), limits_(limits), triage_(triage), cap_(cap) {}

    std::unique_ptr<symtri::Session> acquire() const {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (!idle_.empty()) {
                auto s = std::move(idle_.back());
                idle_.pop_back();
                return s;
            }
        }
        return std::make_unique<symtri::Session>(rules_, limits_, triage_);
    }

    void release(std::unique_ptr<symtri::Session> s) const noexcept {
        if (!s) return;
        try {
            std::lock_guard<std::mutex> lock(mutex_);
            if (idle_.size() < cap_) idle_.push_back(std::move(s));
        } catch (...) {
            // push_back failed to allocate: the session is simply freed
        }
    }

    std::size_t idle() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return idle_.size();
    }

private:
    symtri::RuleSetPtr rules_;
    symtri::CaseLimits limits_;
    symtri::TriageOptions triage_;  // every Session the pool makes uses the engine's options
    std::size_t cap_;
    mutable std::mutex mutex_;
    mutable std::vector<std::unique_ptr<symtri::Session>> idle_;
};

// A Session borrowed from the pool for the length of one call.
class Lease {
public:
    explicit Lease(const SessionPool& pool) : pool_(pool), session_(pool.acquire()) {}
    ~Lease() { pool_.release(std::move(session_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    symtri::Session& operator*() const { return *session_; }
    symtri::Session* operator->() const { return session_.get(); }

private:
    const SessionPool& pool_;
    std::unique_ptr<symtri::Session> session_;
};

}  // namespace symtri_capi

struct symtri_engine {
    std::atomic<long> refs{1};
    int status = SYMTRI_OK;
    std::vector<symtri_error> errors;  // why the open failed
    std::string errmsg;                // the same, one per line
    symtri::RuleSetPtr rules;          // null when the open failed
    symtri::CaseLimits case_limits;
    std::unique_ptr<symtri_capi::SessionPool> pool;
};

struct symtri_result {
    int status = SYMTRI_OK;
    symtri_error error;          // when status != SYMTRI_OK
    std::string json;            // the result, or the error object
    symtri::RuleSetPtr rules;    // keeps the strings below alive after the engine is closed
    std::optional<std::string> case_id;
    int level = -1;
    std::size_t locale = 0;
    std::string summary;
    std::vector<std::int32_t> red_flags;        // rule indices, result order
    std::vector<symtri::Question> questions;    // as the evaluator gave them
    std::size_t other_questions = 0;            // Outcome::other_questions
    // The interview accessors' view (interview.cpp), built once under the flag by whichever thread
    // asks first, so the read-only accessors stay safe from several threads at once.
    mutable std::once_flag interview_once;
    mutable std::shared_ptr<const symtri_capi::InterviewView> interview;
};

struct symtri_batch {
    std::string output;
    std::size_t count = 0, failed = 0;
};
