// The POOL_TYPE bits the pool allocators look at (docs/model.md §1.5): which pool a
// request goes to (paged, session, NX) and whether it asks for cache alignment.
#pragma once

#include <cstdint>

namespace fragreplay::model {

inline constexpr std::uint64_t kPoolTypePaged = 0x1;
inline constexpr std::uint64_t kPoolTypeCacheAligned = 0x4;
inline constexpr std::uint64_t kPoolTypeSession = 0x20;
inline constexpr std::uint64_t kPoolTypeNx = 0x200;

}  // namespace fragreplay::model
