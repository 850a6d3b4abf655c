// The word-level arithmetic of the free-run index (free_run_index.hpp): masks, a bit count, and
// the walk over the maximal free runs of one 64-frame word, which the index's updates, its
// histogram recount and its invariant check (free_run_index_invariants.cpp) share.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "model/physical/free_run_index.hpp"

namespace fragreplay::model::free_run_words {

inline constexpr std::uint64_t kAllOnes = ~std::uint64_t{0};

inline std::uint64_t low_mask(unsigned n) {
  return n >= 64 ? kAllOnes : (std::uint64_t{1} << n) - 1;
}

// Bit count without a library call (std::popcount is one on a plain x86-64 target).
inline std::uint64_t bit_count(std::uint64_t x) {
  x = x - ((x >> 1) & 0x5555555555555555ull);
  x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
  x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full;
  return (x * 0x0101010101010101ull) >> 56;
}

// One piece per set bit of a run's length (§8.2).
inline void add_pieces(std::array<std::uint64_t, FreeRunIndex::kMaxOrders>& orders,
                       std::uint64_t len) {
  for (std::uint64_t x = len; x != 0; x &= x - 1)
    ++orders[static_cast<std::size_t>(std::countr_zero(x))];
}

// The maximal free runs of one word in order, given `carry`, the free run that reaches the word's
// start: record(length) for every run that ends inside the word (the first one with the carry
// added); the run that reaches the word's end is left in `carry` for the next word.
template <typename Record>
void walk_word_runs(std::uint64_t bits, std::uint64_t& carry, Record&& record) {
  if (bits == kAllOnes) {
    carry += 64;
    return;
  }
  const unsigned head = static_cast<unsigned>(std::countr_one(bits));
  record(carry + head);
  carry = 0;
  std::uint64_t y = bits & ~low_mask(head);
  while (y != 0) {
    const unsigned start = static_cast<unsigned>(std::countr_zero(y));
    const unsigned len = static_cast<unsigned>(std::countr_one(y >> start));
    if (start + len == 64) {
      carry = len;
      return;
    }
    record(len);
    y &= ~(low_mask(len) << start);
  }
}

// The histogram of maximal runs, a word at a time (walk_word_runs carries a run across words).
inline void count_runs(const ZeroedArray<std::uint64_t>& bits,
                       std::array<std::uint64_t, FreeRunIndex::kMaxOrders>& orders) {
  orders.fill(0);
  const auto add = [&orders](std::uint64_t len) { add_pieces(orders, len); };
  std::uint64_t run = 0;
  for (const std::uint64_t word : bits) walk_word_runs(word, run, add);
  add(run);
}

}  // namespace fragreplay::model::free_run_words
