// SPDX-License-Identifier: Apache-2.0
// How every extern "C" body of the C API is guarded: no exception crosses into C, and bad arguments
// (NULL, implausible lengths) become SYMTRI_MISUSE with a message on the handle being made.
#pragma once

#include <cstdint>
#include <cstring>
#include <new>
#include <string>
#include <string_view>

#include "handles.hpp"

namespace symtri_capi {

// Runs `body` (returning an int status); any exception becomes a status, never a crash.
template <class F>
int guarded(F&& body) noexcept {
    try {
        return body();
    } catch (const std::bad_alloc&) {
        return SYMTRI_NOMEM;
    } catch (const symtri::Error& e) {
        return static_cast<int>(e.status());
    } catch (...) {
        return SYMTRI_INTERNAL;
    }
}

// Runs `body` (returning a value); any exception gives `fallback`.
template <class T, class F>
T guarded_value(T fallback, F&& body) noexcept {
    try {
        return body();
    } catch (...) {
        return fallback;
    }
}

inline symtri_error make_error(int status, std::string code, std::string message, std::string file = {},
                               unsigned line = 0, unsigned column = 0, std::string pointer = {}) {
    symtri_error e;
    e.status = status;
    e.code = std::move(code);
    e.message = std::move(message);
    e.file = std::move(file);
    e.line = line;
    e.column = column;
    e.pointer = std::move(pointer);
    symtri::Diagnostic d{e.code, e.message, e.file, e.line, e.column, e.pointer};
    e.text = d.format();
    return e;
}

inline symtri_error from_diagnostic(int status, const symtri::Diagnostic& d) {
    return make_error(status, d.code, d.message, d.file, d.line, d.column, d.pointer);
}

inline symtri_error misuse(std::string message) { return make_error(SYMTRI_MISUSE, "misuse", std::move(message)); }

// Turns (pointer, length) into a view. Returns false with a reason for NULL with a length, or a
// length no real buffer has (a negative number cast to size_t, say).
inline bool text_arg(const char* p, std::size_t len, std::string_view& out, std::string& why, const char* what) {
    if (len == SYMTRI_NUL_TERMINATED) {
        if (!p) {
            why = std::string(what) + " is NULL";
            return false;
        }
        out = std::string_view(p, std::strlen(p));
        return true;
    }
    if (!p) {
        if (len == 0) {
            out = std::string_view();
            return true;
        }
        why = std::string(what) + " is NULL but its length is " + std::to_string(len);
        return false;
    }
    if (len > static_cast<std::size_t>(PTRDIFF_MAX)) {
        why = "the length of " + std::string(what) + " (" + std::to_string(len) +
              ") is not a plausible length; pass SYMTRI_NUL_TERMINATED for a C string";
        return false;
    }
    out = std::string_view(p, len);
    return true;
}

}  // namespace symtri_capi
