// ExAllocatePool2 / ExAllocatePool3 POOL_FLAGS, decoded into the POOL_TYPE the pool allocators
// take (docs/model.md §1.5, §4.3): NON_PAGED is NonPagedPoolNx, NON_PAGED_EXECUTE is
// NonPagedPool, PAGED is PagedPool; CACHE_ALIGNED adds the cache-aligned bit, USE_QUOTA charges
// quota, SESSION the session bit; UNINITIALIZED and RAISE_ON_FAILURE change nothing the model
// measures. The low 32 bits are required flags (an unknown one makes the call fail), the high 32
// bits optional ones (ignored when unknown).
#pragma once

#include <cstdint>

#include "base/kernel_abi.hpp"

namespace fragreplay::model {

struct PoolFlagsDecoding {
  bool ok = false;                // a call the kernel accepts (tag aside)
  bool unknown_required = false;  // a required flag the kernel does not know (the call fails)
  std::uint64_t pool_type = 0;    // the equivalent POOL_TYPE when ok
  bool quota = false;             // POOL_FLAG_USE_QUOTA
};

// Decodes `flags`. Fails (ok = false) on unknown required flags and on a request naming no pool
// kind or more than one of NON_PAGED, NON_PAGED_EXECUTE and PAGED.
PoolFlagsDecoding decode_pool_flags(std::uint64_t flags);

}  // namespace fragreplay::model
