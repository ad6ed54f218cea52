// SPDX-License-Identifier: Apache-2.0
// JSON Pointers (RFC 6901): escaping one reference token, and PointerPath, a pointer that is only
// written out when something needs its text.
//
// Why lazy: the compiler passes the pointer of every value it checks down to the checks below it, so
// that an error can name its place. Built eagerly, that was one string per rule field and condition
// node (1.6 million allocations for 100k rules, none of them ever read when the rules are valid).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace symtri {
namespace detail {

// Appends one reference token to a JSON Pointer, escaping '~' and '/' (RFC 6901).
inline void append_pointer_token(std::string& pointer, std::string_view token) {
    pointer.push_back('/');
    for (char c : token) {
        if (c == '~') pointer += "~0";
        else if (c == '/') pointer += "~1";
        else pointer.push_back(c);
    }
}

// A JSON Pointer as its parent and its last token, or as a whole pointer already written. It refers
// to its parent, key and base text without copying them, so it is meant to live on the stack of the
// walk that makes it: every PointerPath must be outlived by what it was made from. (A temporary
// std::string, or text as a parent, does not compile: those were the easy mistakes.)
class PointerPath {
public:
    PointerPath() = default;  // the whole document: ""
    PointerPath(const char* whole) : whole_(whole) {}
    PointerPath(const std::string& whole) : whole_(whole) {}
    PointerPath(std::string&&) = delete;
    PointerPath(const PointerPath& parent, std::string_view key) : parent_(&parent), token_(key) {}
    PointerPath(const PointerPath& parent, std::size_t index) : parent_(&parent), index_(index), is_index_(true) {}
    // A parent given as text would be a temporary PointerPath, gone before the child is used: name
    // the parent first (`const PointerPath base(text);`).
    PointerPath(const std::string&, std::string_view) = delete;
    PointerPath(const std::string&, std::size_t) = delete;
    PointerPath(const char*, std::string_view) = delete;
    PointerPath(const char*, std::size_t) = delete;

    std::string str() const {
        std::string out;
        append_to(out);
        return out;
    }
    void append_to(std::string& out) const {
        if (!parent_) {
            out += whole_;
            return;
        }
        parent_->append_to(out);
        if (is_index_) {
            out += '/';
            out += std::to_string(index_);
        } else {
            append_pointer_token(out, token_);
        }
    }

private:
    const PointerPath* parent_ = nullptr;
    std::string_view whole_;  // when there is no parent
    std::string_view token_;  // a member's key
    std::size_t index_ = 0;   // an array element's index
    bool is_index_ = false;
};

}  // namespace detail
}  // namespace symtri
