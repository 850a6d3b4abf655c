// POOL_FLAGS decoding (see pool_flags.hpp).
#include "model/pool/pool_flags.hpp"

#include <bit>

#include "model/pool/pool_type.hpp"

namespace fragreplay::model {

PoolFlagsDecoding decode_pool_flags(std::uint64_t flags) {
  PoolFlagsDecoding d;
  const std::uint64_t required = flags & kPoolFlagsRequiredMask;
  if ((required & ~kPoolFlagsKnownRequired) != 0) {
    d.unknown_required = true;
    return d;
  }
  const std::uint64_t kind =
      required & (kPoolFlagNonPaged | kPoolFlagNonPagedExecute | kPoolFlagPaged);
  if (!std::has_single_bit(kind)) return d;
  d.pool_type = kind == kPoolFlagPaged      ? kPoolTypePaged
                : kind == kPoolFlagNonPaged ? kPoolTypeNx
                                            : 0;
  if ((required & kPoolFlagCacheAligned) != 0) d.pool_type |= kPoolTypeCacheAligned;
  if ((required & kPoolFlagSession) != 0) d.pool_type |= kPoolTypeSession;
  d.quota = (required & kPoolFlagUseQuota) != 0;
  d.ok = true;
  return d;
}

}  // namespace fragreplay::model
