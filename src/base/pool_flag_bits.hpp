// The POOL_FLAGS bits of ExAllocatePool2 / ExAllocatePool3 (docs/model.md §1.5, §4.3),
// in base because both the trace stage (names, generated workloads) and the model (decoding a call
// into a POOL_TYPE) need them. The low 32 bits are required flags, the high 32 optional ones.
#pragma once

#include <cstdint>

namespace fragreplay {

inline constexpr std::uint64_t kPoolFlagUseQuota = 0x1;
inline constexpr std::uint64_t kPoolFlagUninitialized = 0x2;
inline constexpr std::uint64_t kPoolFlagSession = 0x4;
inline constexpr std::uint64_t kPoolFlagCacheAligned = 0x8;
inline constexpr std::uint64_t kPoolFlagRaiseOnFailure = 0x20;
inline constexpr std::uint64_t kPoolFlagNonPaged = 0x40;
inline constexpr std::uint64_t kPoolFlagNonPagedExecute = 0x80;
inline constexpr std::uint64_t kPoolFlagPaged = 0x100;
inline constexpr std::uint64_t kPoolFlagsKnownRequired =
    kPoolFlagUseQuota | kPoolFlagUninitialized | kPoolFlagSession | kPoolFlagCacheAligned |
    kPoolFlagRaiseOnFailure | kPoolFlagNonPaged | kPoolFlagNonPagedExecute | kPoolFlagPaged;
inline constexpr std::uint64_t kPoolFlagsRequiredMask = 0xFFFFFFFFull;

}  // namespace fragreplay
