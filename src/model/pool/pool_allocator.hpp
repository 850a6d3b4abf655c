// The interface of a pool allocator (one per era: the legacy NT pool, the segment heap, Linux
// SLUB). The machine hands it POOL_TYPE requests already decoded from the calling routine.
#pragma once

#include <cstdint>

#include "base/tag.hpp"
#include "base/units.hpp"
#include "model/outcome.hpp"

namespace fragreplay::model {

struct PoolRequest {
  std::uint64_t pool_type = 0;  // POOL_TYPE value (flag bits included)
  Bytes bytes;                  // caller's NumberOfBytes
  Tag tag;
  bool quota = false;  // ExAllocatePoolWithQuotaTag / POOL_FLAG_USE_QUOTA
};

// Bytes held by the pool, by what they are doing right now. Invariant (checked by each
// allocator): pages * page size = live + free + cached.
struct PoolUsage {
  PageCount pages;  // pages the pool holds (small-block pages and big allocations)
  Bytes live;       // footprint of live allocations
  Bytes free;       // free blocks, including header-only fragments on no list
  Bytes cached;     // freed blocks parked on lookaside or delayed-free lists
};

class PoolAllocator {
 public:
  virtual ~PoolAllocator() = default;

  virtual AllocOutcome allocate(const PoolRequest& request) = 0;
  // Frees the allocation the handle names. Returns false if the handle is not a live allocation
  // of this pool (the caller's bookkeeping is wrong).
  virtual bool free(std::uint64_t handle) = 0;
  // A hint that `handle` will be freed soon: start loading what free() will read first. Changes
  // nothing a replay computes (docs/performance.md §3).
  virtual void prefetch_free(std::uint64_t handle) const { (void)handle; }
  // Lets time-driven policies (lookaside depth tuning) run up to `now_ns` of trace time.
  virtual void advance_time(std::uint64_t now_ns) = 0;
  virtual PoolUsage usage() const = 0;
  // Throws std::logic_error if an invariant does not hold.
  virtual void check_invariants() const = 0;
};

}  // namespace fragreplay::model
