// Physical memory: every page frame of the modelled machine with its state, cache attribute and
// owner, the free list that ordinary page requests draw from, and the contiguous search of the
// MmAllocateContiguousMemory* family (research/pool-model.md §5).
//
// Invariants (check_invariants()):
//   total frames = free frames + used frames (holes are not frames);
//   the free list holds exactly the free frames, each once;
//   every used frame's owner is a registered owner.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/flat_map.hpp"
#include "base/tag.hpp"
#include "base/units.hpp"
#include "model/profile.hpp"

namespace fragreplay::model {

// What a frame is used for (the owner classes of the physical-memory map).
enum class OwnerClass : std::uint8_t {
  kPool,          // pages of nonpaged pool
  kNonCached,     // MmAllocateNonCachedMemory
  kContiguous,    // MmAllocateContiguousMemory*
  kCommonBuffer,  // AllocateCommonBuffer
  kBackground,    // pre-occupied by --background (other consumers of a running machine)
  kPages,         // Linux page-allocator blocks (mm_page_alloc)
  kCount
};
const char* owner_class_name(OwnerClass c);

// Who holds frames: a class and the tag of the allocation that took them.
struct Owner {
  OwnerClass cls = OwnerClass::kPool;
  Tag tag{};
  friend bool operator==(const Owner&, const Owner&) = default;
};
using OwnerId = std::uint32_t;

// Why a contiguous request failed (research/pool-model.md §8.1 (e); DESIGN.md).
enum class ContiguousFailure : std::uint8_t {
  kNone,
  kExhaustion,     // fewer free frames in the window than requested (or below the reserve floor)
  kFragmentation,  // enough free frames in the window, but no run that fits
  kConstraint      // the window (or the boundary) cannot hold the size even on an empty machine
};

struct ContiguousRequest {
  PageCount pages;
  Pfn lowest;              // first acceptable frame
  Pfn highest;             // last acceptable frame (inclusive)
  PageCount boundary;      // the run must not cross a multiple of this (0 = no boundary)
  std::uint8_t cache = 1;  // MEMORY_CACHING_TYPE of the mapping
  ScanDirection direction = ScanDirection::kAscending;
};

struct ContiguousResult {
  std::optional<Pfn> first;  // set on success
  ContiguousFailure failure = ContiguousFailure::kNone;
  // Filled on failure: what the window held.
  PageCount free_in_window;
  PageCount largest_free_run_in_window;
};

class PhysicalMemory {
 public:
  static constexpr std::uint32_t kNoFrame = ~std::uint32_t{0};

  // REQUIRES: ranges sorted, non-overlapping, non-empty; total frames < 2^32.
  PhysicalMemory(std::vector<RamRange> ram, PageSize page_size, std::uint64_t reserve_pages);

  PageSize page_size() const { return page_size_; }
  const std::vector<RamRange>& ram() const { return ram_; }
  PageCount total_frames() const { return total_; }
  PageCount free_frames() const { return free_; }
  // One past the highest frame of RAM.
  Pfn end_frame() const { return Pfn{state_.size()}; }

  OwnerId intern_owner(const Owner& owner);
  const Owner& owner(OwnerId id) const { return owners_[id]; }

  // Takes one frame from the head of the free list for `owner`. Returns nullopt when no frame is
  // free.
  std::optional<Pfn> take_page(OwnerId owner, std::uint8_t cache);
  // Takes `n` frames (not necessarily contiguous) and links them into a chain; returns the first.
  // Takes nothing and returns nullopt if fewer than n frames are free.
  std::optional<Pfn> take_pages(PageCount n, OwnerId owner, std::uint8_t cache);
  // The frame after `f` in its chain, or nullopt at the end.
  std::optional<Pfn> next_in_chain(Pfn f) const;
  // Returns every frame of the chain starting at `first` to the tail of the free list.
  void release_chain(Pfn first);
  // Returns one frame to the tail of the free list. REQUIRES: f is used.
  void release_page(Pfn f);

  // Finds and takes a physically contiguous run (§5.3): the lowest (ascending) or highest
  // (descending) start frame in [lowest, highest] whose `pages` frames are all free and whose first
  // and last frames lie in the same boundary window; runs never span a RAM hole.
  ContiguousResult take_contiguous(const ContiguousRequest& request, OwnerId owner);
  // Returns the run [first, first + n) to the free list. REQUIRES: all its frames are used.
  void release_run(Pfn first, PageCount n);

  bool is_free(Pfn f) const { return state_[f.value] == kFree; }
  bool is_ram(Pfn f) const { return f.value < state_.size() && state_[f.value] != kHole; }
  // The owner of a used frame. REQUIRES: f is used.
  OwnerId owner_of(Pfn f) const { return owner_[f.value]; }

  // Free frames and the longest free run in [lo, hi] (inclusive), runs cut at RAM holes.
  PageCount free_in(Pfn lo, Pfn hi) const;
  PageCount largest_free_run_in(Pfn lo, Pfn hi) const;

  // Throws std::logic_error when an invariant does not hold. O(frames).
  void check_invariants() const;

 private:
  enum State : std::uint8_t { kHole, kFree, kUsed };

  void unlink_free(std::uint32_t f);
  void push_free_tail(std::uint32_t f);
  void mark_used(std::uint32_t f, OwnerId owner, std::uint8_t cache);
  // Whether [lo, hi] intersected with RAM can hold `pages` frames with the boundary rule at all.
  bool window_can_fit(const ContiguousRequest& r) const;

  std::vector<RamRange> ram_;
  PageSize page_size_;
  std::uint64_t reserve_pages_;
  PageCount total_;
  PageCount free_;
  std::vector<State> state_;
  std::vector<std::uint8_t> cache_;
  std::vector<OwnerId> owner_;
  std::vector<std::uint32_t> next_;  // free list link when free, chain link when used
  std::vector<std::uint32_t> prev_;  // free list back link
  std::uint32_t head_ = kNoFrame;
  std::uint32_t tail_ = kNoFrame;
  std::vector<Owner> owners_;
  FlatMap<OwnerId> owner_index_;  // (class << 32 | tag) -> id
};

}  // namespace fragreplay::model
