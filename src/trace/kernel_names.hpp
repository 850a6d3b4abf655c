// The kernel's names for pool types, pool flags and caching types, as traces write them, for the
// values of base/kernel_abi.hpp (docs/model.md §1.4, §1.5; wdm.h). Parsing accepts a name, names
// joined by '|', or a number; formatting gives back the canonical spelling.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/kernel_abi.hpp"

namespace fragreplay::trace {

// POOL_TYPE: "NonPagedPoolNx", "PagedPool|POOL_RAISE_IF_ALLOCATION_FAILURE", "0x200", "512".
std::optional<std::uint64_t> parse_pool_type(std::string_view text);
// POOL_FLAGS: "POOL_FLAG_NON_PAGED|POOL_FLAG_UNINITIALIZED", "0x42".
std::optional<std::uint64_t> parse_pool_flags(std::string_view text);
// MEMORY_CACHING_TYPE: "MmCached", "1".
std::optional<CachingType> parse_cache_type(std::string_view text);

std::string pool_type_name(std::uint64_t value);
std::string pool_flags_name(std::uint64_t value);
std::string cache_type_name(CachingType value);

}  // namespace fragreplay::trace
