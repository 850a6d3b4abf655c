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

#include "base/kernel_abi.hpp"
#include "model/pool/pool_flags.hpp"
#include "trace/event.hpp"

namespace fragreplay::replay {

// The row of Results::by_pool_kind an allocation counts in: the pools the reports split apart
// (issue 18, item 5). NonPagedPoolNx is the 0x200 bit of a non-paged POOL_TYPE (wdm.h), which
// ExAllocatePool2's POOL_FLAG_NON_PAGED also gives (model/pool/pool_flags.hpp); session pool is
// not split by NX. kPoolKindNone: a routine with no pool argument (contiguous, non-cached, MDL,
// common-buffer, Linux) or POOL_FLAGS naming no pool. The live table keeps this row; the kind a
// free is checked against (PoolKind below) follows from it.
enum class PoolKindRow : std::uint8_t {
  kNone,
  kNonPaged,
  kNonPagedNx,
  kPaged,
  kSessionNonPaged,
  kSessionPaged,
  kCount
};
inline constexpr std::size_t kPoolKindRows = static_cast<std::size_t>(PoolKindRow::kCount);

inline PoolKindRow pool_kind_row(trace::PoolArg arg, std::uint64_t pool) {
  if (arg == trace::PoolArg::kNone) return PoolKindRow::kNone;
  if (arg == trace::PoolArg::kPoolFlags) {
    const model::PoolFlagsDecoding d = model::decode_pool_flags(pool);
    if (!d.ok) return PoolKindRow::kNone;
    pool = d.pool_type;
  }
  const bool paged = (pool & PoolTypeBit::kBasePoolTypeMask) != 0;
  const bool session = (pool & PoolTypeBit::kSessionPoolMask) != 0;
  if (session) return paged ? PoolKindRow::kSessionPaged : PoolKindRow::kSessionNonPaged;
  if (paged) return PoolKindRow::kPaged;
  return (pool & PoolTypeBit::kPoolNxAllocation) != 0 ? PoolKindRow::kNonPagedNx
                                                      : PoolKindRow::kNonPaged;
}

// What a free is compared on: 0 = unknown; otherwise 1 + paged + 2·session, NX left out.
using PoolKind = std::uint8_t;

inline PoolKind pool_kind(PoolKindRow row) {
  constexpr PoolKind kByRow[kPoolKindRows] = {0, 1, 1, 2, 3, 4};
  return kByRow[static_cast<std::size_t>(row)];
}

inline PoolKind pool_kind(trace::PoolArg arg, std::uint64_t pool) {
  return pool_kind(pool_kind_row(arg, pool));
}

}  // namespace fragreplay::replay
