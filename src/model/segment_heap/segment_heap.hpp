// The Windows 10 19H1+ kernel pool: ExAllocateHeapPool over one segment heap per pool kind
// (NonPaged, NonPagedNx, Paged, session Paged), following docs/model.md §1.3 and §4
// (SCOOP §2; decompiled ExAllocateHeapPool, RtlpHpLfhBucketUpdateStats,
// RtlpLfhBucketUsageUpdate). The backends live in their own files: lfh_backend, vs_backend,
// segment_backend; large allocations take pages straight from PoolPages.
//
// Dispatch (§4.1): a request of at most small_max (0xFE0) bytes becomes a chunk s =
// round16(n + POOL_HEADER [+ a cache line]); s in [513, 3968] is rounded up to its bucket's block
// size and may be served by the dynamic lookaside; then the LFH if s <= lfh_max and its bucket is
// active (a bucket activates after more than 16 outstanding allocations or some 1,900 in all),
// else VS. A larger request has no POOL_HEADER: v = round16(n), rounded up to whole pages when
// v mod page > 0xFC0 or v >= 64 KiB; page multiples go to the segment backend (or large above the
// second context), the rest to VS.
//
// Invariants (check_invariants()): those of every backend; each heap's backends hold exactly the
// live allocations and the chunks parked on its lookaside lists; pages held * page size >= live
// + cached (the rest is free: subsegment headers, free chunks, segment metadata, unused blocks).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "base/flat_map.hpp"
#include "model/pool/pool_allocator.hpp"
#include "model/pool/pool_pages.hpp"
#include "model/profile.hpp"
#include "model/segment_heap/lfh_backend.hpp"
#include "model/segment_heap/segment_backend.hpp"
#include "model/segment_heap/vs_backend.hpp"

namespace fragreplay::model {

class SegmentHeapPool final : public PoolAllocator {
 public:
  SegmentHeapPool(const Profile& profile, PoolPages& pages, PhysicalMemory& memory);
  ~SegmentHeapPool() override;

  AllocOutcome allocate(const PoolRequest& request) override;
  bool free(std::uint64_t handle) override;
  void advance_time(std::uint64_t now_ns) override;
  PoolUsage usage() const override;
  void check_invariants() const override;

  enum HeapKind : std::uint8_t { kNonPaged, kNonPagedNx, kPaged, kSessionPaged, kHeapCount };
  enum class Backend : std::uint8_t { kLfh, kVs, kSegment, kLarge };
  static const char* backend_name(Backend b);

  // For tests: where a live allocation sits.
  struct Placement {
    HeapKind heap;
    Backend backend;
    std::uint64_t address;  // LFH block / VS payload / range / large pages
    std::uint64_t footprint;
  };
  std::optional<Placement> placement(std::uint64_t handle) const;
  const VsBackend& vs(HeapKind heap) const;
  const LfhBackend& lfh(HeapKind heap) const;
  const SegmentBackend& segments(HeapKind heap, unsigned context) const;
  bool lfh_active(HeapKind heap, std::uint64_t block_bytes) const;

  // The LFH bucket table (SCOOP §2.1): bucket of a chunk size, and its block size.
  static unsigned bucket_index(std::uint64_t bytes);
  static std::uint64_t bucket_block_size(unsigned index);
  // The block size a chunk of 513-3968 bytes is rounded up to (§4.1 step 3): that of its dynamic
  // lookaside bucket, whose blocks step by 16 up to 1024, by 64 up to 2048, by 128 up to 3968.
  static std::uint64_t lookaside_block_size(std::uint64_t chunk);
  static constexpr unsigned kBuckets = 129;  // index 0 unused; 1..128

 private:
  struct Heap;
  struct Record {
    std::uint64_t address = 0;
    std::uint64_t footprint = 0;
    std::uint64_t chunk = 0;  // small path: the chunk size s (0 for big allocations)
    HeapKind heap = kNonPaged;
    Backend backend = Backend::kLfh;
  };
  struct Parked {
    std::uint64_t header;  // the chunk's first POOL_HEADER
    Record record;
  };

  HeapKind heap_for(std::uint64_t pool_type) const;
  bool is_nonpaged(HeapKind h) const { return h == kNonPaged || h == kNonPagedNx; }
  OwnerId owner_for(Tag tag);
  AllocOutcome allocate_small(Heap& heap, HeapKind kind, const PoolRequest& request);
  AllocOutcome allocate_big(Heap& heap, HeapKind kind, const PoolRequest& request);
  bool bucket_activates(Heap& heap, std::uint64_t chunk);
  void release(const Record& r);

  const Profile& profile_;
  const SegmentHeapConfig& config_;
  PoolPages& pages_;
  PhysicalMemory& memory_;
  std::uint64_t page_;
  std::array<std::unique_ptr<Heap>, kHeapCount> heaps_;
  FlatMap<Record> live_;              // handle -> live allocation
  FlatMap<std::uint64_t> big_pages_;  // large allocation address -> pages
  std::uint64_t live_bytes_ = 0;
  std::uint64_t parked_bytes_ = 0;
};

}  // namespace fragreplay::model
