// The run-pair figures of the free-run index (free_run_index.hpp): for a range of frames (a
// 64-frame word or a tree node), its maximal free runs r_1 .. r_k clipped to the range, with starts
// s_i and ends e_i counted from the range's start, summarised as
//   runs  = k
//   head  = e_1,        head2 = e_2            (0 when there is no such run)
//   tail  = len - s_k,  tail2 = len - s_(k-1)  (0 when there is no such run)
//   pair  = max over i of e_(i+1) - s_i: the longest span of two consecutive runs with the used
//           stretch between them (0 below two runs)
// so that a range's figures follow from its halves' (combine_pairs), and the diagnosis of a failed
// contiguous request skips every subtree that holds no pair as long as the request
// (free_run_pairs.cpp; docs/model.md §8.2). Zero in every field is the empty range (no run), as
// the zero-filled arrays that hold them start.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>

namespace fragreplay::model::free_run_pairs {

// Figures of one range. Fields are as wide as the stored kind (8 bits for a word, 32 for a node).
template <typename U>
struct Figures {
  U runs = 0, head = 0, head2 = 0, tail = 0, tail2 = 0, pair = 0;
};

// The figures of a 64-frame word (bit i = frame i free).
inline Figures<std::uint8_t> word_figures(std::uint64_t bits) {
  Figures<std::uint8_t> f;
  if (bits == 0) return f;
  // Each run's first frame, and the frame after its last one (bit 64 of a run reaching the end is
  // lost: `ends` then lacks it and the loop below gives it 64).
  std::uint64_t starts = bits & ~(bits << 1);
  std::uint64_t ends = ~bits & (bits << 1);
  unsigned prev_start = 0, last_start = 0, runs = 0, pair = 0;
  for (; starts != 0; starts &= starts - 1, ends &= ends - 1) {
    const unsigned start = static_cast<unsigned>(std::countr_zero(starts));
    const unsigned end = ends == 0 ? 64 : static_cast<unsigned>(std::countr_zero(ends));
    ++runs;
    if (runs == 1) f.head = static_cast<std::uint8_t>(end);
    if (runs == 2) f.head2 = static_cast<std::uint8_t>(end);
    if (runs >= 2) pair = std::max(pair, end - last_start);
    prev_start = last_start;
    last_start = start;
  }
  f.runs = static_cast<std::uint8_t>(runs);
  f.pair = static_cast<std::uint8_t>(pair);
  f.tail = static_cast<std::uint8_t>(64 - last_start);
  if (runs >= 2) f.tail2 = static_cast<std::uint8_t>(64 - prev_start);
  return f;
}

// The figures of two adjacent ranges a, b of `len` frames each put together. `merge`: a's last run
// reaches its end and b's first run starts at its start (a.suffix > 0 and b.prefix > 0), so the
// two are one run. Only the pairs that touch the seam change: a's last pair and b's first grow
// with the merged run, and without a merge a's last run and b's first make one more pair.
template <typename A, typename B, typename Out>
void combine_pairs(const A& a, const B& b, bool merge, std::uint32_t len, Out& out) {
  const std::uint32_t ar = a.runs, br = b.runs;
  out.runs = ar + br - (merge ? 1 : 0);
  if (ar == 0) {
    out.head = br >= 1 ? len + b.head : 0;
    out.head2 = br >= 2 ? len + b.head2 : 0;
  } else if (ar == 1) {
    out.head = merge ? len + b.head : a.head;
    out.head2 = merge ? (br >= 2 ? len + b.head2 : 0) : (br >= 1 ? len + b.head : 0);
  } else {
    out.head = a.head;
    out.head2 = ar == 2 && merge ? len + b.head : a.head2;
  }
  if (br == 0) {
    out.tail = ar >= 1 ? len + a.tail : 0;
    out.tail2 = ar >= 2 ? len + a.tail2 : 0;
  } else if (br == 1) {
    out.tail = merge ? len + a.tail : b.tail;
    out.tail2 = merge ? (ar >= 2 ? len + a.tail2 : 0) : (ar >= 1 ? len + a.tail : 0);
  } else {
    out.tail = b.tail;
    out.tail2 = br == 2 && merge ? len + a.tail : b.tail2;
  }
  std::uint32_t pair = std::max<std::uint32_t>(a.pair, b.pair);
  if (merge) {
    if (ar >= 2) pair = std::max<std::uint32_t>(pair, std::uint32_t{a.tail2} + b.head);
    if (br >= 2) pair = std::max<std::uint32_t>(pair, std::uint32_t{a.tail} + b.head2);
  } else if (ar >= 1 && br >= 1) {
    pair = std::max<std::uint32_t>(pair, std::uint32_t{a.tail} + b.head);
  }
  out.pair = pair;
}

}  // namespace fragreplay::model::free_run_pairs
