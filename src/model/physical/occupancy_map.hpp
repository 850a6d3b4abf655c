// The occupancy map: RAM cut into equal buckets of frames (in frame order, holes left out) with,
// per bucket, how many frames each owner class holds and how many are free. Kept up to date on
// every frame change in O(log ranges), so a physical-memory map can be drawn at any moment in
// O(buckets) without looking at frames (the timeline's frame_map).
//
// Invariant: for every bucket, the counts add up to the bucket's frames.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "base/units.hpp"
#include "model/owner.hpp"
#include "model/profile.hpp"

namespace fragreplay::model {

class OccupancyMap {
 public:
  static constexpr unsigned kBuckets = 128;
  static constexpr unsigned kFreeSlot = kOwnerClassCount;  // the slot counting free frames
  static constexpr std::uint8_t kFreeBucket = 0xFF;

  // Every RAM frame starts free. REQUIRES: ranges sorted and non-overlapping.
  explicit OccupancyMap(const std::vector<RamRange>& ram);

  unsigned buckets() const { return static_cast<unsigned>(counts_.size()); }
  std::uint64_t bucket_frames() const { return bucket_frames_; }
  // The bucket of RAM frame f. REQUIRES: f is RAM.
  unsigned bucket_of(std::uint64_t f) const;
  // Moves frame f from one slot (an OwnerClass index or kFreeSlot) to another.
  void move(std::uint64_t f, unsigned from, unsigned to) {
    auto& c = counts_[bucket_of(f)];
    --c[from];
    ++c[to];
  }
  // Moves frames [first, first + n) (inside one RAM range) between slots, a bucket at a time.
  void move_run(std::uint64_t first, std::uint64_t n, unsigned from, unsigned to);
  // For each bucket, the OwnerClass holding most of its frames, or kFreeBucket when free frames
  // are the most (ties go to the owner class listed first).
  void draw(std::vector<std::uint8_t>& out) const;
  // For each bucket, kOwnerClassCount shares, one per OwnerClass (free frames are the rest): the
  // share of the bucket's frames the class holds in 255ths, rounded up, so a class holding any
  // frame of the bucket has at least 1 (a few scattered pages stay visible on a map).
  void shares(std::vector<std::uint8_t>& out) const;
  std::uint64_t count(unsigned bucket, unsigned slot) const { return counts_[bucket][slot]; }

 private:
  std::vector<std::uint64_t> starts_;  // first frame of each RAM range
  std::vector<std::uint64_t> ranks_;   // RAM frames below each range
  std::uint64_t bucket_frames_ = 1;
  std::vector<std::array<std::uint32_t, kOwnerClassCount + 1>> counts_;
};

}  // namespace fragreplay::model
