// The low-fragmentation heap (LFH) backend of the Windows 10 19H1+ segment heap
// (docs/model.md §1.3, §4.2; SCOOP §2.1; decompiled RtlpHpLfhSubsegmentCreate and
// RtlpHpLfhBucketComputeNewSubsegmentBlockCount): per bucket block size, subsegments taken from
// the segment backend and cut into equal blocks behind a header with the block bitmap.
//
// Subsegment sizing follows the decompiled rule with one affinity slot: a bucket's first
// subsegment is sized for 16 blocks (8 for blocks of 256 bytes or more), later ones for 32 (16),
// or an eighth of the blocks the bucket already has if that is more, within [lfh_min_blocks,
// lfh_max_blocks]; the header is 8 bytes per 32 blocks of bitmap + 63, rounded to 16, plus two
// bytes of commit state per page, rounded to 16 so that blocks stay 16-byte aligned (the last
// rounding is a model choice); the subsegment is the next power of two (4 KiB to
// lfh_subsegment_max) and holds as many blocks as fit after the header. The first
// max(page, 2 * block rounded to a power of two) bytes are committed at once, the rest as blocks
// first touch them.
//
// Model choices (docs/profiles.md §3): blocks are handed out lowest index first in the oldest
// subsegment with a free block (the kernel starts at FreeHint and randomises the bitmap scan);
// an empty subsegment goes back to the segment backend at once.
//
// Invariants (check_invariants()): each subsegment's used count equals its bitmap's; every page
// overlapping the header or a used block is committed; a bucket's subsegments are exactly those of
// its block size; no subsegment is empty.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "model/pool/pool_pages.hpp"
#include "model/profile.hpp"
#include "model/segment_heap/commit_map.hpp"
#include "model/segment_heap/segment_backend.hpp"

namespace fragreplay::model {

class LfhBackend {
 public:
  LfhBackend(const SegmentHeapConfig& config, SegmentBackend& segments, PoolPages& pages,
             bool nonpaged);

  // Allocates a block of `block_bytes` (a bucket's block size). Returns its address, or nullopt
  // when frames ran out (nothing is changed then).
  std::optional<std::uint64_t> allocate(std::uint64_t block_bytes, OwnerId owner);
  // Frees the block at `address`. REQUIRES: a used block of this backend.
  void free(std::uint64_t address);

  std::uint64_t live_bytes() const { return live_; }

  // For tests: the subsegment holding `address`.
  struct SubsegmentView {
    std::uint64_t base = 0;
    std::uint64_t bytes = 0;
    std::uint64_t header_bytes = 0;
    std::uint64_t block_bytes = 0;
    std::uint64_t blocks = 0;
    std::vector<std::uint64_t> used;  // indices of the used blocks, ascending
    std::uint64_t committed_mask = 0;
  };
  SubsegmentView subsegment(std::uint64_t address) const;
  std::size_t subsegment_count(std::uint64_t block_bytes) const;

  // The sizing rule, exposed for tests: bytes and header bytes of a new subsegment for a bucket
  // of `block_bytes` that has `subsegments` subsegments holding `total_blocks` blocks.
  struct Sizing {
    std::uint64_t bytes;
    std::uint64_t header_bytes;
    std::uint64_t blocks;
  };
  Sizing sizing(std::uint64_t block_bytes, std::uint64_t subsegments,
                std::uint64_t total_blocks) const;

  void check_invariants() const;

 private:
  struct Subsegment {
    std::uint64_t bytes = 0;
    std::uint64_t header = 0;
    std::uint64_t block = 0;
    std::uint64_t blocks = 0;
    std::uint64_t used = 0;
    std::vector<std::uint64_t> bitmap;
    CommitMap commit;
  };
  struct Bucket {
    std::vector<std::uint64_t> subsegments;  // bases, oldest first
    std::uint64_t total_blocks = 0;
  };

  std::map<std::uint64_t, Subsegment>::iterator subsegment_of(std::uint64_t address);
  std::map<std::uint64_t, Subsegment>::const_iterator subsegment_of(std::uint64_t address) const;

  const SegmentHeapConfig& config_;
  SegmentBackend& segments_;
  PoolPages& pages_;
  bool nonpaged_;
  std::uint64_t page_;
  std::map<std::uint64_t, Bucket> buckets_;          // block bytes -> bucket
  std::map<std::uint64_t, Subsegment> subsegments_;  // base -> subsegment
  std::uint64_t live_ = 0;
};

}  // namespace fragreplay::model
