// The variable-size (VS) backend of the Windows 10 19H1+ segment heap (docs/model.md
// §1.3, §4.2; SCOOP §2.1; decompiled RtlpHpVsContextAllocateInternal, RtlpHpVsSubsegmentCreate):
// chunks behind a 16-byte _HEAP_VS_CHUNK_HEADER in subsegments of 64-256 KiB taken from the
// segment backend; best fit over the free chunks, split from the front, coalescing with both
// neighbours on free; pages committed as chunks first touch them.
//
// Model choices where the sources are silent (docs/profiles.md §3): equal-sized free chunks are
// taken lowest address first; a remainder of a single unit is left inside the allocated chunk (a
// free chunk needs a 32-byte free header); a subsegment whose chunks are all free is returned to
// the segment backend; with vs_decommit_free_pages, pages lying wholly inside a free chunk (past
// its free header) are decommitted.
//
// Invariants (check_invariants()): in every subsegment the header and the chunks tile it exactly,
// with PreviousSize matching; no two free chunks are adjacent; the best-fit index holds exactly
// the free chunks; every page overlapping an allocated or delayed chunk, a free chunk's header or
// the subsegment header is committed; with decommit on, no page wholly inside a free chunk is.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "base/flat_map.hpp"
#include "model/pool/pool_pages.hpp"
#include "model/profile.hpp"
#include "model/segment_heap/commit_map.hpp"
#include "model/segment_heap/segment_backend.hpp"

namespace fragreplay::model {

class VsBackend {
 public:
  VsBackend(const SegmentHeapConfig& config, SegmentBackend& segments, PoolPages& pages,
            bool nonpaged);

  struct Chunk {
    std::uint64_t payload = 0;  // the address after the chunk header
    std::uint64_t bytes = 0;    // the whole chunk, header included
  };
  // Allocates a chunk with room for `bytes` after its header. Returns nullopt when frames ran out
  // (nothing is changed then).
  std::optional<Chunk> allocate(std::uint64_t bytes, OwnerId owner);
  // Frees the chunk whose payload starts at `payload`: small chunks wait on the delay-free list
  // when it is enabled, the others are coalesced at once. REQUIRES: an allocated chunk.
  void free(std::uint64_t payload);

  std::uint64_t live_bytes() const { return live_; }
  std::uint64_t delayed_bytes() const { return delayed_bytes_; }
  std::size_t subsegment_count() const { return subsegments_.size(); }

  // For tests: the chunks of the subsegment holding `address`, in bytes from the subsegment base
  // (the first view is the subsegment header), and which of its pages are committed.
  enum class State : std::uint8_t { kFree, kAllocated, kDelayed, kHeader };
  struct ChunkView {
    std::uint64_t offset;
    std::uint64_t bytes;
    State state;
    friend bool operator==(const ChunkView&, const ChunkView&) = default;
  };
  std::vector<ChunkView> subsegment_layout(std::uint64_t address) const;
  std::uint64_t committed_mask(std::uint64_t address) const;

  void check_invariants() const;

 private:
  struct ChunkRec {
    std::uint32_t units = 0;       // 16-byte units, header included
    std::uint32_t prev_units = 0;  // 0 for the first chunk of a subsegment
    State state = State::kFree;
    std::uint8_t payload_offset = 0;  // header bytes before the payload (32 when page-aligned)
  };
  struct Subsegment {
    std::uint64_t bytes = 0;
    CommitMap commit;
  };

  std::map<std::uint64_t, Subsegment>::iterator subsegment_of(std::uint64_t address);
  std::map<std::uint64_t, Subsegment>::const_iterator subsegment_of(std::uint64_t address) const;
  std::uint64_t subsegment_bytes(std::uint64_t bytes) const;
  bool add_subsegment(std::uint64_t size, OwnerId owner);
  void release(std::uint64_t chunk);  // coalesce and list, or give the subsegment back
  void flush_delayed();
  void decommit_free_pages(Subsegment& s, std::uint64_t chunk, std::uint64_t bytes);

  const SegmentHeapConfig& config_;
  SegmentBackend& segments_;
  PoolPages& pages_;
  bool nonpaged_;
  std::uint64_t page_;
  std::map<std::uint64_t, Subsegment> subsegments_;         // base -> subsegment
  FlatMap<ChunkRec> chunks_;                                // chunk address -> chunk
  FlatMap<std::uint64_t> by_payload_;                       // payload -> chunk address
  std::set<std::pair<std::uint32_t, std::uint64_t>> free_;  // (units, address)
  std::vector<std::uint64_t> delayed_;                      // chunk addresses, oldest first
  std::uint64_t live_ = 0;
  std::uint64_t delayed_bytes_ = 0;
};

}  // namespace fragreplay::model
