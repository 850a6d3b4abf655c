// Which pool an allocation lives in, reduced to what a free can be checked against: paged or
// nonpaged, session or global. ETW's PoolFree records the freed block's POOL_TYPE, which a
// converter may copy onto the free; a free whose kind differs from its allocation's is counted
// (Anomaly::kMismatchedPoolType) and freed as allocated. The NX bit is left out of the
// comparison: the pool header keeps only the type bits of mask 0x6D (SCOOP, SSTIC 2020, §2.2), so
// a free's recorded type need not show NonPagedPoolNx (0x200). Cache alignment, must-succeed,
// quota and raise are modifiers of the request, not of the pool (wdm.h POOL_TYPE; ReactOS miarm.h
// masks).
#pragma once

#include <cstdint>

#include "base/pool_flag_bits.hpp"
#include "model/pool_type.hpp"
#include "trace/event.hpp"

namespace fragreplay::replay {

// 0 = unknown (no pool argument, or POOL_FLAGS naming no pool); otherwise 1 + paged + 2·session.
using PoolKind = std::uint8_t;

inline PoolKind pool_kind(trace::PoolArg arg, std::uint64_t pool) {
  switch (arg) {
    case trace::PoolArg::kPoolType: {
      const bool paged = (pool & model::kPoolTypePaged) != 0;
      const bool session = (pool & model::kPoolTypeSession) != 0;
      return static_cast<PoolKind>(1 + (paged ? 1 : 0) + (session ? 2 : 0));
    }
    case trace::PoolArg::kPoolFlags: {
      const bool paged = (pool & kPoolFlagPaged) != 0;
      const bool nonpaged = (pool & (kPoolFlagNonPaged | kPoolFlagNonPagedExecute)) != 0;
      if (paged == nonpaged) return 0;  // none, or both: an invalid call, nothing to compare
      const bool session = (pool & kPoolFlagSession) != 0;
      return static_cast<PoolKind>(1 + (paged ? 1 : 0) + (session ? 2 : 0));
    }
    case trace::PoolArg::kNone:
      break;
  }
  return 0;
}

}  // namespace fragreplay::replay
