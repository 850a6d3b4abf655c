// POOL_FLAGS decoding (see pool_flags.hpp).
#include "model/pool/pool_flags.hpp"

#include <bit>

#include "base/kernel_abi.hpp"

namespace fragreplay::model {

PoolFlagsDecoding decode_pool_flags(std::uint64_t flags) {
  PoolFlagsDecoding d;
  const std::uint64_t required = flags & PoolFlag::kRequiredMask;
  if ((required & ~PoolFlag::kKnownRequired) != 0) {
    d.unknown_required = true;
    return d;
  }
  const std::uint64_t kind =
      required & (PoolFlag::kNonPaged | PoolFlag::kNonPagedExecute | PoolFlag::kPaged);
  if (!std::has_single_bit(kind)) return d;
  d.pool_type = kind == PoolFlag::kPaged      ? PoolType::kPagedPool
                : kind == PoolFlag::kNonPaged ? PoolType::kNonPagedPoolNx
                                              : PoolType::kNonPagedPool;
  if ((required & PoolFlag::kCacheAligned) != 0)
    d.pool_type |= PoolTypeBit::kCacheAlignedPoolTypeMask;
  if ((required & PoolFlag::kSession) != 0) d.pool_type |= PoolTypeBit::kSessionPoolMask;
  d.quota = (required & PoolFlag::kUseQuota) != 0;
  d.ok = true;
  return d;
}

}  // namespace fragreplay::model
