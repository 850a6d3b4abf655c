// Interned call stacks of a trace (ETW StackWalk events, xperf Stack rows). Events carry a
// StackId, so a trace of millions of allocations from a few thousand code paths keeps a few
// thousand stacks: every frame of every distinct stack lives once in one flat array, and a stack
// already met costs a hash lookup, no allocation (no per-frame heap allocation ever).
//
// Frames are return addresses, innermost first (frame 0 is the code that logged the event), as
// the StackWalk payload lists them (docs/formats.md §10).
//
// Invariants: id 0 is the empty stack ("not recorded"); frames(id) of every id returned by
// intern() equals what was interned; equal frame sequences get equal ids (checked by tests).
#pragma once

#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

namespace fragreplay::trace {

using StackId = std::uint32_t;

class StackTable {
 public:
  StackTable() : starts_{0, 0} {}

  // The id of `frames`, adding it if new; the empty sequence is id 0.
  StackId intern(std::span<const std::uint64_t> frames);
  // REQUIRES: id < size().
  std::span<const std::uint64_t> frames(StackId id) const {
    return {frames_.data() + starts_[id], frames_.data() + starts_[id + 1]};
  }
  // Stacks held, the empty one included.
  std::size_t size() const { return starts_.size() - 1; }
  std::size_t frame_count() const { return frames_.size(); }

 private:
  static std::uint64_t hash(std::span<const std::uint64_t> frames);

  std::vector<std::uint64_t> frames_;  // all stacks' frames, back to back
  std::vector<std::uint64_t> starts_;  // stack i is frames_[starts_[i], starts_[i + 1])
  std::unordered_multimap<std::uint64_t, StackId> by_hash_;
};

}  // namespace fragreplay::trace
