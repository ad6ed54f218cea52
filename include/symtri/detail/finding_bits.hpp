// SPDX-License-Identifier: Apache-2.0
// A set of findings of a vocabulary of at most 128, as two words: what the dense path's node sets
// (detail/node_sets.hpp) are made of (a larger vocabulary takes the node-by-node walks instead).
#pragma once

#include <cstdint>

namespace symtri {
namespace detail {

struct FindingBits {
    std::uint64_t w[2] = {0, 0};

    // Every finding (and the unused bits: a set that holds everything, for intersections).
    static FindingBits full() { return FindingBits{{~std::uint64_t{0}, ~std::uint64_t{0}}}; }

    bool has(std::int32_t f) const { return (w[static_cast<unsigned>(f) >> 6] >> (static_cast<unsigned>(f) & 63u)) & 1u; }
    void set(std::int32_t f) { w[static_cast<unsigned>(f) >> 6] |= std::uint64_t{1} << (static_cast<unsigned>(f) & 63u); }
    void clear(std::int32_t f) { w[static_cast<unsigned>(f) >> 6] &= ~(std::uint64_t{1} << (static_cast<unsigned>(f) & 63u)); }
    FindingBits& operator|=(const FindingBits& o) {
        w[0] |= o.w[0];
        w[1] |= o.w[1];
        return *this;
    }
};

}  // namespace detail
}  // namespace symtri
