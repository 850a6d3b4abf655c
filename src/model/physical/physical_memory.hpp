// Physical memory: the PFN database of the modelled machine. Every frame has a state (hole, on the
// zeroed list, on the free list, in use), a must-be-cached bit and, in use, its cache attribute,
// owner and chain link; free and zeroed frames sit on per-colour page lists ordered as the kernel
// orders them (docs/model.md §5.2), and a free-run index (free_run_index.hpp) answers the
// contiguous searches of the MmAllocateContiguousMemory* family (§5.3) without scanning frames.
//
// Memory per frame: one state byte and one 8-byte word that holds the list links of a frame on a
// list or the owner and chain link of a frame in use, plus one bit in the free-run index. Frames
// of holes cost address space only (zeroed_array.hpp), so memory follows the RAM present.
//
// Invariants (check_invariants()):
//   total frames = free frames + used frames (holes are not frames);
//   free frames = zeroed-list frames + free-list frames, each on the list of its colour exactly
//   once; a frame is free in the index exactly when it is on a list; every used frame's owner is a
//   registered owner; the occupancy map agrees with the frames.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "base/flat_map.hpp"
#include "base/kernel_abi.hpp"
#include "base/units.hpp"
#include "model/owner.hpp"
#include "model/physical/free_run_index.hpp"
#include "model/physical/occupancy_map.hpp"
#include "model/physical/window_maps.hpp"
#include "model/physical/zeroed_array.hpp"
#include "model/profile.hpp"

namespace fragreplay::model {

// Why a contiguous request failed (docs/model.md §8.1 (e); docs/design.md).
enum class ContiguousFailure : std::uint8_t {
  kNone,
  kExhaustion,     // fewer free frames in the window than requested (or below the reserve floor)
  kFragmentation,  // enough free frames in the window, but no run that fits
  kConstraint      // the window (or the boundary) cannot hold the size even on an empty machine
};

struct ContiguousRequest {
  PageCount pages;
  Pfn lowest;          // first acceptable frame
  Pfn highest;         // last acceptable frame (inclusive)
  PageCount boundary;  // the run must not cross a multiple of this (0 = no boundary)
  CachingType cache = CachingType::kMmCached;  // MEMORY_CACHING_TYPE of the mapping
  ScanDirection direction = ScanDirection::kAscending;
};

struct ContiguousResult {
  std::optional<Pfn> first;  // set on success
  ContiguousFailure failure = ContiguousFailure::kNone;
  // Filled on failure: what the window held (frames the request could use).
  PageCount free_in_window;
  PageCount largest_free_run_in_window;
};

// Why a failed contiguous request failed, and who is in the way (diagnose()).
struct ContiguousDiagnosis {
  unsigned order = 0;  // ceil(log2(pages))
  // mm/vmstat.c __fragmentation_index over the window's free runs, in thousandths: -1000 when a
  // run of 2^order frames exists, 0 when nothing is free, else 1000 - (1000 + F·1000/2^order) / B.
  std::int32_t fragmentation_index = 0;
  // The placement that came closest: it holds the window's longest free run (the first in scan
  // order) and, among such placements, the most free frames. Absent when none fits the window.
  std::optional<Pfn> candidate;
  PageCount candidate_free;
  // Owners of the used frames of the candidate, most frames first.
  std::vector<std::pair<OwnerId, std::uint64_t>> blockers;
  // Owners of frames that split free runs: used stretches shorter than the request between two
  // free runs of the window which, with the stretch, would hold the request. Most frames first.
  std::vector<std::pair<OwnerId, std::uint64_t>> pinned;
  bool pinned_truncated = false;  // more free runs than the limit (kPinnedRunLimit)
  static constexpr std::uint64_t kPinnedRunLimit = 4096;
};

// The page-list policy of a profile (docs/model.md §5.2).
struct PagePolicy {
  unsigned colors = 1;              // MmSecondaryColors, a power of two
  unsigned zero_threshold = 0;      // zero-page thread wakes at this many free-list pages; 0 = off
  std::uint64_t reserve_pages = 0;  // MM_HIGH_LIMIT: frames contiguous/MDL requests leave free
  // The machine starts with its free memory zeroed: the boot lists are the ones the zero-page
  // thread leaves after zeroing the ascending free lists (zero_all_free_pages()), laid directly.
  bool boot_zeroed = false;
};

enum class PageList : std::uint8_t { kZeroed, kFree };

class PhysicalMemory {
 public:
  static constexpr std::uint32_t kNoFrame = ~std::uint32_t{0};

  // REQUIRES: ranges sorted, non-overlapping, non-empty; end of RAM <= 2^31 frames. All RAM starts
  // on the free lists, in ascending frame order (WRK builds the lists from the loader's
  // descriptors with MiInsertPageInFreeList); with policy.boot_zeroed, on the zeroed lists in
  // descending frame order, as zero_all_free_pages() would leave them, in one pass over the
  // frames (physical_memory_boot.cpp). Taking frames off the lists (claim_run) and reversing them
  // commute, so boot-time claims made after either give the same lists.
  PhysicalMemory(std::vector<RamRange> ram, PageSize page_size, const PagePolicy& policy);
  // One colour and no zero-page thread: a single FIFO free list.
  PhysicalMemory(std::vector<RamRange> ram, PageSize page_size, std::uint64_t reserve_pages);

  PageSize page_size() const { return page_size_; }
  const std::vector<RamRange>& ram() const { return ram_; }
  PageCount total_frames() const { return total_; }
  PageCount free_frames() const { return PageCount{index_.free_count()}; }
  PageCount list_count(PageList l) const { return PageCount{totals_[static_cast<unsigned>(l)]}; }
  // One past the highest frame of RAM.
  Pfn end_frame() const { return Pfn{state_.size()}; }
  unsigned colors() const { return mask_ + 1; }
  std::uint64_t reserve_pages() const { return policy_.reserve_pages; }

  OwnerId intern_owner(const Owner& owner);
  const Owner& owner(OwnerId id) const { return owners_[id]; }
  std::size_t owner_count() const { return owners_.size(); }

  // --- Ordinary pages (§5.2) -------------------------------------------------------------------
  // The next system page colour: ++PageColor & mask (WRK MmGetNodeColor).
  unsigned next_page_color();
  // MiRemoveAnyPage: the head of free[colour], else of zeroed[colour], else the next colours in
  // turn (WRK's same-node path). Returns nullopt only when no frame is free.
  std::optional<Pfn> remove_any_page(unsigned color, OwnerId owner, CachingType cache);
  // MiRemoveAnyPage(next_page_color()).
  std::optional<Pfn> take_page(OwnerId owner, CachingType cache);
  // MiAllocatePagesForMdl over all RAM (§5.4): at most free - reserve frames; zeroed lists first,
  // then free lists, one page per colour in turn from a rotating start colour; frames that must be
  // cached are skipped for other cache types. Takes n frames, linked into a chain, and returns
  // the first; if fewer could be taken it frees them again (to the free list tail) and returns
  // nullopt.
  std::optional<Pfn> take_pages(PageCount n, OwnerId owner, CachingType cache);
  // MiAllocatePagesForMdl over a physical window (§5.4; physical_memory_mdl.cpp): when the window
  // is not all of RAM, the PFN database is scanned upwards from `lowest` to `highest` for free
  // and zeroed frames, then from lowest + skip to highest + skip and so on (SkipBytes; none when
  // skip is 0) while the window starts in RAM. At most free - reserve frames; must-be-cached frames
  // are skipped for other cache types. All n frames, chained, or none (fewer are given back).
  // REQUIRES: lowest <= highest.
  std::optional<Pfn> take_pages_in(PageCount n, Pfn lowest, Pfn highest, PageCount skip,
                                   OwnerId owner, CachingType cache);
  // The frame after `f` in its chain, or nullopt at the end.
  std::optional<Pfn> next_in_chain(Pfn f) const;
  // MiInsertPageInFreeList: to the tail of the free list of its colour. REQUIRES: f is used.
  void release_page(Pfn f);
  void release_chain(Pfn first);
  void release_run(Pfn first, PageCount n);
  // Hands a used frame to another owner (a pool page changing hands).
  void set_owner(Pfn f, OwnerId owner);
  // The zero-page thread: if woken (a free-list insert found MmMinimumFreePagesToZero pages), it
  // zeroes the whole free list in clusters of one page per colour, each cluster put at the front
  // of the zeroed lists (WRK MmZeroPageThread, MiInsertPageInList). The model runs it between
  // kernel calls, as an idle CPU would.
  void run_zero_page_thread();
  // Wakes it regardless of the threshold (boot: the machine starts with its free memory zeroed).
  void zero_all_free_pages();

  // --- Boot-time placement ---------------------------------------------------------------------
  // Takes frames [first, first + n) off the lists for `owner`. REQUIRES: all of them free.
  void claim_run(Pfn first, PageCount n, OwnerId owner);
  // MiAddCachedRange: frames [first, last] may only be mapped cached (a large-page mapping).
  void add_cached_range(Pfn first, Pfn last);
  bool must_be_cached(Pfn f) const { return (state_[f.value] & kMustBeCachedBit) != 0; }

  // --- Contiguous memory (§5.3) ----------------------------------------------------------------
  // The lowest (ascending) or highest (descending) start frame in [lowest, highest] whose `pages`
  // frames are all free, lie in one RAM range and one boundary window, and (for other cache types
  // than MmCached) are not must-be-cached.
  ContiguousResult take_contiguous(const ContiguousRequest& request, OwnerId owner);
  // Explains a failure of `request` in the current state (call right after take_contiguous).
  // Pinned frames are looked for among the first `pinned_run_limit` free runs of the window
  // (other limits than the product's are for tests).
  const ContiguousDiagnosis& diagnose(
      const ContiguousRequest& request,
      std::uint64_t pinned_run_limit = ContiguousDiagnosis::kPinnedRunLimit);
  const ContiguousDiagnosis& last_diagnosis() const { return diagnosis_; }
  // The search of take_contiguous without taking anything.
  std::optional<Pfn> find_contiguous(const ContiguousRequest& request) const;

  bool is_free(Pfn f) const { return index_.is_free(f.value); }
  bool is_ram(Pfn f) const { return f.value < state_.size() && kind(f.value) != kHole; }
  // The owner of a used frame. REQUIRES: f is used.
  OwnerId owner_of(Pfn f) const { return static_cast<OwnerId>(word_[f.value]); }
  std::optional<PageList> list_of(Pfn f) const;
  // The frames of a page list of one colour, head first (tests and diagnostics).
  std::vector<Pfn> list_frames(PageList l, unsigned color) const;

  // Free frames and the longest free run in [lo, hi] (inclusive), runs cut at RAM holes.
  PageCount free_in(Pfn lo, Pfn hi) const;
  PageCount largest_free_run_in(Pfn lo, Pfn hi) const;
  const FreeRunIndex& index() const { return index_; }
  const OccupancyMap& occupancy() const { return occupancy_; }
  // Starts following the device window of frames [first, end) (window_maps.hpp) as the frames
  // are now; returns its index in window_maps(). REQUIRES: fewer than WindowMaps::kMaxWindows
  // windows; the window holds RAM.
  std::size_t watch_window(Pfn first, Pfn end);
  const WindowMaps& window_maps() const { return windows_; }

  // Throws std::logic_error when an invariant does not hold. O(frames).
  void check_invariants() const;

 private:
  enum Kind : std::uint8_t { kHole = 0, kZeroed = 1, kFree = 2, kUsed = 3 };
  static constexpr std::uint8_t kKindMask = 0x3;
  static constexpr std::uint8_t kMustBeCachedBit = 0x4;
  static constexpr unsigned kCacheShift = 3;
  struct ListHead {
    std::uint32_t head = kNoFrame;
    std::uint32_t tail = kNoFrame;
    std::uint32_t count = 0;
  };

  Kind kind(std::uint64_t f) const { return static_cast<Kind>(state_[f] & kKindMask); }
  void set_kind(std::uint64_t f, Kind k) {
    state_[f] = static_cast<std::uint8_t>((state_[f] & ~kKindMask) | k);
  }
  unsigned color_of(std::uint64_t f) const { return static_cast<unsigned>(f) & mask_; }
  std::uint32_t next_of(std::uint64_t f) const { return static_cast<std::uint32_t>(word_[f]); }
  std::uint32_t prev_of(std::uint64_t f) const {
    return static_cast<std::uint32_t>(word_[f] >> 32);
  }
  void set_links(std::uint64_t f, std::uint32_t next, std::uint32_t prev) {
    word_[f] = (std::uint64_t{prev} << 32) | next;
  }
  std::uint32_t chain_of(std::uint64_t f) const {
    return static_cast<std::uint32_t>(word_[f] >> 32);
  }
  void set_chain(std::uint64_t f, std::uint32_t next) {
    word_[f] = (std::uint64_t{next} << 32) | (word_[f] & 0xFFFFFFFFull);
  }
  ListHead& head(Kind k, unsigned color) {
    return heads_[static_cast<std::size_t>(k == kZeroed ? 0 : 1) * colors() + color];
  }
  const ListHead& head(Kind k, unsigned color) const {
    return heads_[static_cast<std::size_t>(k == kZeroed ? 0 : 1) * colors() + color];
  }
  static unsigned list_slot(Kind k) { return k == kZeroed ? 0 : 1; }

  // List primitives: they keep the kind, list counts and occupancy in step, not the index.
  void push_tail(Kind list, std::uint64_t f);
  void push_front(Kind list, std::uint64_t f);
  void unlink(std::uint64_t f);
  // The same for every frame of [lo, end) at once, in one pass over the frames: each frame's word
  // written once, the lists' ends fixed per colour. The run's frames of each colour are pushed in
  // ascending order, as one push per frame would. REQUIRES: the frames are on no list (push) or
  // all on lists (unlink).
  void push_run(Kind list, bool front, std::uint64_t lo, std::uint64_t end);
  void unlink_run(std::uint64_t lo, std::uint64_t end);
  // Takes frames [lo, end), all listed, for `owner` (index updated by the caller).
  void take_run(std::uint64_t lo, std::uint64_t end, OwnerId owner, CachingType cache);
  // Unlinks a listed frame and marks it used by `owner` (the index is updated by the caller).
  void take_listed(std::uint64_t f, OwnerId owner, CachingType cache);
  std::uint64_t take_head(Kind list, unsigned color, OwnerId owner, CachingType cache);
  // MiInsertPageInFreeList without the index update.
  void insert_free(std::uint64_t f);
  // The zero-page thread's work: every free-list page to the front of its zeroed list.
  void run_all_free_to_zeroed();
  bool cached_request(CachingType cache) const { return cache == CachingType::kMmCached; }

  // Windows of [lo, end) that a request may use: RAM minus the must-be-cached ranges for
  // uncached requests. Calls f(lo, end) in ascending order until it returns true.
  template <typename F>
  bool for_each_usable(std::uint64_t lo, std::uint64_t end, bool cached, F&& f) const;
  bool window_can_fit(const ContiguousRequest& r) const;
  FreeRunIndex::Summary window_summary(const ContiguousRequest& r) const;
  void find_candidate(const ContiguousRequest& r, ContiguousDiagnosis& d);
  void count_pinned(const ContiguousRequest& r, std::uint64_t limit, ContiguousDiagnosis& d);
  void tally(std::vector<std::pair<OwnerId, std::uint64_t>>& out, OwnerId owner,
             std::uint64_t frames);
  // A frame (a run of frames inside one RAM range) moving between occupancy slots: the all-RAM
  // map and the device windows' maps.
  void occupy(std::uint64_t f, unsigned from, unsigned to) {
    occupancy_.move(f, from, to);
    windows_.move(f, from, to);
  }
  void occupy_run(std::uint64_t first, std::uint64_t n, unsigned from, unsigned to) {
    occupancy_.move_run(first, n, from, to);
    windows_.move_run(first, n, from, to);
  }
  // Records in `map` (all free) the frames of [first, end) that are in use now.
  void fill_map(OccupancyMap& map, std::uint64_t first, std::uint64_t end) const;

  std::vector<RamRange> ram_;
  PageSize page_size_;
  PagePolicy policy_;
  unsigned mask_ = 0;
  PageCount total_;
  ZeroedArray<std::uint8_t> state_;  // by frame number; holes are never written (kHole = 0)
  ZeroedArray<std::uint64_t> word_;
  std::vector<ListHead> heads_;  // zeroed lists by colour, then free lists by colour
  std::uint64_t totals_[2] = {0, 0};
  std::vector<std::pair<std::uint64_t, std::uint64_t>> cached_ranges_;  // [first, end), sorted
  FreeRunIndex index_;
  OccupancyMap occupancy_;
  WindowMaps windows_;
  unsigned page_color_ = 0;                  // Prcb->PageColor
  bool zero_event_ = false;                  // MmZeroingPageEvent is set
  std::vector<std::uint32_t> left_to_scan_;  // MiAllocatePagesForMdl, per colour
  std::vector<std::uint32_t> run_ends_;      // push_run, per colour: the list end it joins
  std::vector<Owner> owners_;
  FlatMap<OwnerId> owner_index_;  // (class << 32 | tag) -> id
  ContiguousDiagnosis diagnosis_;
  std::vector<FreeRunIndex::PairSpan> pair_spans_;  // count_pinned's scratch
};

}  // namespace fragreplay::model
