// Who holds a physical frame: the owner classes of the physical-memory map and the owner of a
// frame (its class and the tag of the allocation that took it). Shared by the model, the replay's
// Results and the reports, so it lives apart from PhysicalMemory.
#pragma once

#include <cstdint>

#include "base/tag.hpp"

namespace fragreplay::model {

// What a frame is used for. Append new classes before kCount: reports print them by name.
enum class OwnerClass : std::uint8_t {
  kPool,          // pages of nonpaged pool holding allocations
  kNonCached,     // MmAllocateNonCachedMemory
  kContiguous,    // MmAllocateContiguousMemory*
  kCommonBuffer,  // AllocateCommonBuffer
  kBackground,    // pre-occupied by --background (other consumers of a running machine)
  kPoolFree,      // nonpaged pool pages holding nothing: free initial pool, cached free pages
  kPages,         // Linux page-allocator blocks (mm_page_alloc)
  kMdlPages,      // MmAllocatePagesForMdl[Ex]: frames described by an MDL, not mapped
  kCount
};
inline constexpr unsigned kOwnerClassCount = static_cast<unsigned>(OwnerClass::kCount);
const char* owner_class_name(OwnerClass c);

struct Owner {
  OwnerClass cls = OwnerClass::kPool;
  Tag tag{};
  friend bool operator==(const Owner&, const Owner&) = default;
};
using OwnerId = std::uint32_t;

}  // namespace fragreplay::model
