// SPDX-License-Identifier: Apache-2.0
// Appender: writes to the end of a std::string through a raw pointer, for the result writer, which puts
// together a result from about two hundred pre-rendered fragments. std::string::append costs a call,
// a capacity check and a length update per fragment (and strlen for a literal); here each fragment is
// one bounds check and one memcpy. The string is lengthened 2,000 bytes at a time (resize fills what it
// adds: in small steps that is a few vector stores, where filling the whole capacity at once is a
// `rep stosb` as long as the result) and cut to what was written when the Appender goes, or at finish().
#pragma once

#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>

#include "inline_hints.hpp"

// The copy of a fragment is a few instructions besides memcpy; as a call it cost about as much again
// (GCC does not inline it into the writer's loops on its own), so it is always inlined, and the rare
// growth is kept out of line.

namespace symtri {
namespace detail {

class Appender {
public:
    explicit Appender(std::string& s) : s_(s), at_(s.data() + s.size()), end_(at_) {}
    Appender(const Appender&) = delete;
    Appender& operator=(const Appender&) = delete;
    ~Appender() { finish(); }

    // Cuts the string to what was written; the Appender may go on afterwards.
    void finish() {
        const std::size_t used = size();
        s_.resize(used);
        at_ = s_.data() + used;
        end_ = at_;
    }

    std::size_t size() const { return static_cast<std::size_t>(at_ - s_.data()); }

    SYMTRI_HOT_INLINE void append(const char* p, std::size_t n) {
        if (static_cast<std::size_t>(end_ - at_) < n) grow(n);
        std::memcpy(at_, p, n);
        at_ += n;
    }
    // Bytes already written, from `offset` on (the string may move while it grows, so by offset).
    void append_own(std::size_t offset, std::size_t n) {
        if (static_cast<std::size_t>(end_ - at_) < n) grow(n);
        std::memcpy(at_, s_.data() + offset, n);
        at_ += n;
    }
    SYMTRI_HOT_INLINE Appender& operator+=(char c) {
        if (at_ == end_) grow(1);
        *at_++ = c;
        return *this;
    }
    // A string literal: its length is known, no strlen.
    template <std::size_t N>
    Appender& operator+=(const char (&literal)[N]) {
        append(literal, N - 1);
        return *this;
    }
    Appender& operator+=(const std::string& s) {
        append(s.data(), s.size());
        return *this;
    }
    Appender& operator+=(std::string_view s) {
        append(s.data(), s.size());
        return *this;
    }

private:
    std::string& s_;
    char* at_;
    char* end_;

    // Under glibc's rep-stosb threshold (2,048 bytes), so the fill stays a few vector stores.
    static constexpr std::size_t step = 2000;

    SYMTRI_COLD void grow(std::size_t n) {
        const std::size_t used = size();
        s_.resize(used + (n > step ? n : step));  // the string's own capacity grows geometrically
        at_ = s_.data() + used;
        end_ = s_.data() + s_.size();
    }
};

}  // namespace detail
}  // namespace symtri
