// SPDX-License-Identifier: Apache-2.0
// NameIndex: an immutable open-addressing hash table from names (finding ids and aliases) to indices,
// looked up by string_view.
//
// Why not std::unordered_map<std::string, int>: in C++17 its find() needs a std::string, so every
// lookup of an id read from a case allocated (ids longer than the small-string buffer) and chased a
// node pointer. This table is two flat arrays, built once by the compiler and then only read.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace symtri {
namespace detail {

class NameIndex {
public:
    // Builds the table; `names[i]` maps to `values[i]`. Names must be unique.
    void build(const std::vector<std::string>& names, const std::vector<std::int32_t>& values) {
        names_ = names;
        std::size_t cap = 16;
        while (cap < names.size() * 2 + 2) cap *= 2;
        slots_.assign(cap, Slot{});
        mask_ = cap - 1;
        for (std::size_t i = 0; i < names_.size(); ++i) {
            std::uint64_t h = hash(names_[i]);
            std::size_t s = static_cast<std::size_t>(h) & mask_;
            while (slots_[s].entry >= 0) s = (s + 1) & mask_;
            slots_[s] = Slot{static_cast<std::uint32_t>(h >> 32), static_cast<std::int32_t>(i), values[i]};
        }
    }

    // The value for `name`, or -1.
    std::int32_t find(std::string_view name) const {
        if (slots_.empty()) return -1;
        std::uint64_t h = hash(name);
        auto tag = static_cast<std::uint32_t>(h >> 32);
        for (std::size_t s = static_cast<std::size_t>(h) & mask_;; s = (s + 1) & mask_) {
            const Slot& slot = slots_[s];
            if (slot.entry < 0) return -1;
            if (slot.tag == tag && names_[static_cast<std::size_t>(slot.entry)] == name) return slot.value;
        }
    }

    static std::uint64_t hash(std::string_view s) {  // FNV-1a, 64 bits
        std::uint64_t h = 1469598103934665603ull;
        for (unsigned char c : s) {
            h ^= c;
            h *= 1099511628211ull;
        }
        return h;
    }

private:
    struct Slot {
        std::uint32_t tag = 0;      // high hash bits, to skip most string compares
        std::int32_t entry = -1;    // index into names_, -1 = empty
        std::int32_t value = -1;
    };
    std::vector<std::string> names_;
    std::vector<Slot> slots_;
    std::size_t mask_ = 0;
};

}  // namespace detail
}  // namespace symtri
