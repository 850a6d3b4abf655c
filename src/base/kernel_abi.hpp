// The kernel's POOL_TYPE, POOL_FLAGS and MEMORY_CACHING_TYPE values, with the kernel's names: the
// one place their numbers are written (docs/model.md §1.4 and §1.5, docs/formats.md §1.4; wdm.h).
// In base because the readers parse names into them, the model decodes them and the replay
// checks them. POOL_TYPE and POOL_FLAGS are bit sets, carried as std::uint64_t (Event::pool), so
// their values are typed constants; MEMORY_CACHING_TYPE is a scoped enum.
#pragma once

#include <cstdint>

namespace fragreplay {

// POOL_TYPE (docs/model.md §1.5; docs/formats.md §1.4): the whole types of wdm.h.
struct PoolType {
  static constexpr std::uint64_t kNonPagedPool = 0;
  static constexpr std::uint64_t kNonPagedPoolExecute = 0;  // the Windows 8 name of the same value
  static constexpr std::uint64_t kPagedPool = 1;
  static constexpr std::uint64_t kNonPagedPoolMustSucceed = 2;
  static constexpr std::uint64_t kDontUseThisType = 3;
  static constexpr std::uint64_t kNonPagedPoolCacheAligned = 4;
  static constexpr std::uint64_t kPagedPoolCacheAligned = 5;
  static constexpr std::uint64_t kNonPagedPoolCacheAlignedMustS = 6;
  static constexpr std::uint64_t kNonPagedPoolSession = 32;
  static constexpr std::uint64_t kPagedPoolSession = 33;
  static constexpr std::uint64_t kNonPagedPoolMustSucceedSession = 34;
  static constexpr std::uint64_t kDontUseThisTypeSession = 35;
  static constexpr std::uint64_t kNonPagedPoolCacheAlignedSession = 36;
  static constexpr std::uint64_t kPagedPoolCacheAlignedSession = 37;
  static constexpr std::uint64_t kNonPagedPoolCacheAlignedMustSSession = 38;
  static constexpr std::uint64_t kNonPagedPoolNx = 0x200;
  static constexpr std::uint64_t kNonPagedPoolNxCacheAligned = 0x204;
  static constexpr std::uint64_t kNonPagedPoolSessionNx = 0x220;
};

// The bits a POOL_TYPE is made of: the masks (ReactOS miarm.h) and the modifiers a caller may OR
// in (wdm.h), docs/model.md §1.5 and docs/formats.md §1.4.
struct PoolTypeBit {
  static constexpr std::uint64_t kBasePoolTypeMask = 0x1;  // set: paged
  static constexpr std::uint64_t kMustSucceedPoolTypeMask = 0x2;
  static constexpr std::uint64_t kCacheAlignedPoolTypeMask = 0x4;
  static constexpr std::uint64_t kQuotaPoolMask = 0x8;  // POOL_QUOTA_FAIL_INSTEAD_OF_RAISE
  static constexpr std::uint64_t kPoolRaiseIfAllocationFailure = 0x10;
  static constexpr std::uint64_t kSessionPoolMask = 0x20;
  static constexpr std::uint64_t kPoolVerifierMask = 0x40;
  static constexpr std::uint64_t kPoolColdAllocation = 0x100;
  static constexpr std::uint64_t kPoolNxAllocation = 0x200;
  static constexpr std::uint64_t kPoolZeroAllocation = 0x400;
  static constexpr std::uint64_t kPoolMmAllocation = 0x80000000;  // the old POOL_MM_ALLOCATION
};

// POOL_FLAGS of ExAllocatePool2 / ExAllocatePool3 (docs/model.md §1.5, §4.3): the low 32 bits
// are required flags (an unknown one fails the call), the high 32 optional ones (ignored).
struct PoolFlag {
  static constexpr std::uint64_t kUseQuota = 0x1;
  static constexpr std::uint64_t kUninitialized = 0x2;
  static constexpr std::uint64_t kSession = 0x4;
  static constexpr std::uint64_t kCacheAligned = 0x8;
  static constexpr std::uint64_t kReserved1 = 0x10;
  static constexpr std::uint64_t kRaiseOnFailure = 0x20;
  static constexpr std::uint64_t kNonPaged = 0x40;
  static constexpr std::uint64_t kNonPagedExecute = 0x80;
  static constexpr std::uint64_t kPaged = 0x100;
  static constexpr std::uint64_t kReserved2 = 0x200;
  static constexpr std::uint64_t kReserved3 = 0x400;
  static constexpr std::uint64_t kRequiredEnd = 0x80000000;
  static constexpr std::uint64_t kOptionalStart = 0x100000000;
  static constexpr std::uint64_t kSpecialPool = 0x100000000;
  static constexpr std::uint64_t kOptionalEnd = 0x8000000000000000;

  // Every required flag bit: POOL_FLAG_REQUIRED_END and the bits below it.
  static constexpr std::uint64_t kRequiredMask = kRequiredEnd | (kRequiredEnd - 1);
  // The required flags the kernel knows (the reserved ones excluded).
  static constexpr std::uint64_t kKnownRequired = kUseQuota | kUninitialized | kSession |
                                                  kCacheAligned | kRaiseOnFailure | kNonPaged |
                                                  kNonPagedExecute | kPaged;
};

// MEMORY_CACHING_TYPE (docs/model.md §1.4). Drivers may pass only MmNonCached, MmCached and
// MmWriteCombined.
enum class CachingType : std::int8_t {
  kMmNotMapped = -1,
  kMmNonCached = 0,
  kMmCached = 1,
  kMmWriteCombined = 2,
  kMmHardwareCoherentCached = 3,
  kMmNonCachedUnordered = 4,
  kMmUSWCCached = 5,
  kMmMaximumCacheType = 6
};

}  // namespace fragreplay
