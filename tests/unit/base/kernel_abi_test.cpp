// The kernel ABI values of base/kernel_abi.hpp against the numbers the documents give:
// MEMORY_CACHING_TYPE in docs/model.md §1.4, POOL_TYPE and POOL_FLAGS in docs/model.md §1.5 and
// docs/formats.md §1.4 (from wdm.h, WRK inc/pool.h, ReactOS miarm.h and the MS docs cited there).
#include <gtest/gtest.h>

#include <cstdint>

#include "base/kernel_abi.hpp"

namespace fragreplay {
namespace {

// docs/model.md §1.5 (POOL_TYPE table) and docs/formats.md §1.4 (values and names).
TEST(KernelAbi, PoolTypeValuesAreTheDocumentedOnes) {
  EXPECT_EQ(PoolType::kNonPagedPool, 0u);
  EXPECT_EQ(PoolType::kNonPagedPoolExecute, 0u);
  EXPECT_EQ(PoolType::kPagedPool, 1u);
  EXPECT_EQ(PoolType::kNonPagedPoolMustSucceed, 2u);
  EXPECT_EQ(PoolType::kDontUseThisType, 3u);
  EXPECT_EQ(PoolType::kNonPagedPoolCacheAligned, 4u);
  EXPECT_EQ(PoolType::kPagedPoolCacheAligned, 5u);
  EXPECT_EQ(PoolType::kNonPagedPoolCacheAlignedMustS, 6u);
  // 32-38: the session forms of 0-6.
  EXPECT_EQ(PoolType::kNonPagedPoolSession, 32u);
  EXPECT_EQ(PoolType::kPagedPoolSession, 33u);
  EXPECT_EQ(PoolType::kNonPagedPoolMustSucceedSession, 34u);
  EXPECT_EQ(PoolType::kDontUseThisTypeSession, 35u);
  EXPECT_EQ(PoolType::kNonPagedPoolCacheAlignedSession, 36u);
  EXPECT_EQ(PoolType::kPagedPoolCacheAlignedSession, 37u);
  EXPECT_EQ(PoolType::kNonPagedPoolCacheAlignedMustSSession, 38u);
  EXPECT_EQ(PoolType::kNonPagedPoolNx, 0x200u);
  EXPECT_EQ(PoolType::kNonPagedPoolNxCacheAligned, 0x204u);
  EXPECT_EQ(PoolType::kNonPagedPoolSessionNx, 0x220u);
}

// docs/model.md §1.5 (masks, ReactOS miarm.h) and docs/formats.md §1.4 (modifier flags, wdm.h).
TEST(KernelAbi, PoolTypeBitsAreTheDocumentedOnes) {
  EXPECT_EQ(PoolTypeBit::kBasePoolTypeMask, 1u);
  EXPECT_EQ(PoolTypeBit::kMustSucceedPoolTypeMask, 2u);
  EXPECT_EQ(PoolTypeBit::kCacheAlignedPoolTypeMask, 4u);
  EXPECT_EQ(PoolTypeBit::kQuotaPoolMask, 8u);
  EXPECT_EQ(PoolTypeBit::kPoolRaiseIfAllocationFailure, 16u);
  EXPECT_EQ(PoolTypeBit::kSessionPoolMask, 32u);
  EXPECT_EQ(PoolTypeBit::kPoolVerifierMask, 64u);
  EXPECT_EQ(PoolTypeBit::kPoolColdAllocation, 256u);
  EXPECT_EQ(PoolTypeBit::kPoolNxAllocation, 512u);
  EXPECT_EQ(PoolTypeBit::kPoolZeroAllocation, 1024u);
  EXPECT_EQ(PoolTypeBit::kPoolMmAllocation, 0x80000000u);
  // The whole types are their bits: NonPagedPoolSessionNx = session | NX.
  EXPECT_EQ(PoolType::kNonPagedPoolSessionNx,
            PoolTypeBit::kSessionPoolMask | PoolTypeBit::kPoolNxAllocation);
  EXPECT_EQ(PoolType::kPagedPoolCacheAlignedSession, PoolTypeBit::kBasePoolTypeMask |
                                                         PoolTypeBit::kCacheAlignedPoolTypeMask |
                                                         PoolTypeBit::kSessionPoolMask);
}

// docs/model.md §1.5, the POOL_FLAGS table (MS docs, pool_flags).
TEST(KernelAbi, PoolFlagValuesAreTheDocumentedOnes) {
  EXPECT_EQ(PoolFlag::kUseQuota, 0x1u);
  EXPECT_EQ(PoolFlag::kUninitialized, 0x2u);
  EXPECT_EQ(PoolFlag::kSession, 0x4u);
  EXPECT_EQ(PoolFlag::kCacheAligned, 0x8u);
  EXPECT_EQ(PoolFlag::kReserved1, 0x10u);
  EXPECT_EQ(PoolFlag::kRaiseOnFailure, 0x20u);
  EXPECT_EQ(PoolFlag::kNonPaged, 0x40u);
  EXPECT_EQ(PoolFlag::kNonPagedExecute, 0x80u);
  EXPECT_EQ(PoolFlag::kPaged, 0x100u);
  EXPECT_EQ(PoolFlag::kReserved2, 0x200u);
  EXPECT_EQ(PoolFlag::kReserved3, 0x400u);
  EXPECT_EQ(PoolFlag::kRequiredEnd, 0x80000000u);
  EXPECT_EQ(PoolFlag::kOptionalStart, 0x1'00000000u);
  EXPECT_EQ(PoolFlag::kSpecialPool, 0x1'00000000u);
  EXPECT_EQ(PoolFlag::kOptionalEnd, 0x80000000'00000000u);
  // The low 32 bits are required flags, the high 32 optional ones.
  EXPECT_EQ(PoolFlag::kRequiredMask, 0xFFFFFFFFu);
  EXPECT_EQ(PoolFlag::kKnownRequired, 0x1EFu);
}

// docs/model.md §1.4, the MEMORY_CACHING_TYPE table.
TEST(KernelAbi, CachingTypeValuesAreTheDocumentedOnes) {
  const auto v = [](CachingType c) { return static_cast<int>(c); };
  EXPECT_EQ(v(CachingType::kMmNotMapped), -1);
  EXPECT_EQ(v(CachingType::kMmNonCached), 0);
  EXPECT_EQ(v(CachingType::kMmCached), 1);
  EXPECT_EQ(v(CachingType::kMmWriteCombined), 2);
  EXPECT_EQ(v(CachingType::kMmHardwareCoherentCached), 3);
  EXPECT_EQ(v(CachingType::kMmNonCachedUnordered), 4);
  EXPECT_EQ(v(CachingType::kMmUSWCCached), 5);
  EXPECT_EQ(v(CachingType::kMmMaximumCacheType), 6);
  static_assert(sizeof(CachingType) == 1, "an Event keeps its cache type in one byte");
}

}  // namespace
}  // namespace fragreplay
