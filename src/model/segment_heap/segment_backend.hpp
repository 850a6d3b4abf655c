// The segment backend of the Windows 10 19H1+ segment heap (docs/model.md §1.3 "Segment
// backend", §4.2): address space reserved in segments, each headed by its page-range descriptors,
// handed out in ranges of whole units. It serves page-multiple pool allocations directly and the
// subsegments of the LFH and VS backends behind the scenes.
//
// Model choices (the sources are silent; docs/profiles.md §3 lists them): best fit over the free
// ranges of all segments of the context (the RB tree of FreePageRanges), ties to the lowest
// address; a range is carved from the front of the free range; a segment is released as soon as
// it holds no range; a request larger than a segment gets a segment of its own size.
//
// Invariants (check_invariants()): in every segment the metadata and the ranges tile the segment
// exactly; no two free ranges are adjacent; the best-fit index holds exactly the free ranges;
// committed pages = metadata pages of every segment + the committed prefix of every used range
// (+ whatever the range's owner committed itself, accounted by that owner).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "base/flat_map.hpp"
#include "model/pool/pool_pages.hpp"
#include "model/profile.hpp"

namespace fragreplay::model {

class SegmentBackend {
 public:
  SegmentBackend(const SegmentContextConfig& config, PoolPages& pages, bool nonpaged);

  // Allocates a range of at least `bytes` (rounded up to whole units) and commits its first
  // `commit_pages` pages for `owner`. Returns the range's address, or nullopt when frames ran out
  // (nothing is changed then). REQUIRES: commit_pages * page size <= bytes rounded to units.
  std::optional<std::uint64_t> allocate(std::uint64_t bytes, std::uint64_t commit_pages,
                                        OwnerId owner);
  // Frees the range at `address`, decommitting the prefix allocate() committed; the owner has
  // already decommitted every other page it committed in the range. REQUIRES: a used range.
  void free(std::uint64_t address);
  // Bytes of the used range at `address`. REQUIRES: a used range.
  std::uint64_t range_bytes(std::uint64_t address) const;

  // Frames allocate(bytes, commit_pages) takes: the committed prefix, and a new segment's
  // metadata when no free range fits.
  std::uint64_t frames_needed(std::uint64_t bytes, std::uint64_t commit_pages) const;

  // For tests: the layout of the segment holding `address`, in units, metadata first.
  struct RangeView {
    std::uint64_t offset_units;
    std::uint64_t units;
    bool used;
    friend bool operator==(const RangeView&, const RangeView&) = default;
  };
  std::vector<RangeView> segment_layout(std::uint64_t address) const;
  std::size_t segment_count() const { return segments_.size(); }
  std::uint64_t unit_bytes() const { return unit_; }

  void check_invariants() const;

 private:
  struct Segment {
    std::uint64_t units = 0;     // whole segment, metadata included
    std::uint64_t metadata = 0;  // units of header and descriptors
    std::uint64_t used = 0;      // units in used ranges
  };
  struct UsedRange {
    std::uint64_t units = 0;
    std::uint64_t committed = 0;  // pages committed by allocate()
  };

  std::map<std::uint64_t, Segment>::iterator segment_of(std::uint64_t address);
  std::map<std::uint64_t, Segment>::const_iterator segment_of(std::uint64_t address) const;
  void add_free(std::uint64_t address, std::uint64_t units);
  void remove_free(std::uint64_t address, std::uint64_t units);

  SegmentContextConfig config_;
  PoolPages& pages_;
  bool nonpaged_;
  std::uint64_t page_;
  std::uint64_t unit_;
  std::map<std::uint64_t, Segment> segments_;                  // base address -> segment
  std::map<std::uint64_t, std::uint64_t> free_;                // free range address -> units
  std::set<std::pair<std::uint64_t, std::uint64_t>> by_size_;  // (units, address) of free ranges
  FlatMap<UsedRange> used_;                                    // used range address -> range
};

}  // namespace fragreplay::model
