// A platform profile: every constant and policy switch that differs between Windows eras
// (and architectures), so the allocators are written once and parameterised here. Values and
// their sources are in research/pool-model.md; the built-in profiles are in profiles.cpp.
//
// Invariants (checked by validate()): granularity is a power of two >= 8; pool_header is a
// multiple of granularity; small_max + pool_header + granularity <= page size (a small block never
// covers a whole page, §3.2); lookaside_max_units * granularity < page size; the default adapter
// has a non-zero map-register budget; page_colors is a power of two from 1 to 1024;
// large_page_bytes is a power of two of at least a page; pool_free_lists >= 1.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/units.hpp"

namespace fragreplay::model {

// Where the small-block allocator starts its free-list search (§3.2).
enum class ListSearchStart : std::uint8_t {
  kNextLarger,  // NT 5.x: ListHeads[N] (blocks of N+1 units and up); exact fits only via lookaside
  kExactFit     // Windows 7 and later: ListHeads[N-1] first
};

// What happens to the unused tail of a big (> small_max) allocation's last page (§3.7).
enum class BigTailPolicy : std::uint8_t {
  kWasted,  // NT 5.x: whole pages, the tail is lost
  kReuse    // Vista and later: 'Frag' block + free tail given to the small-block lists
};

// Direction of the physical scan for contiguous runs (§5.3).
enum class ScanDirection : std::uint8_t { kAscending, kDescending };

// The initial nonpaged pool built at boot (§5.1).
enum class InitialPool : std::uint8_t {
  kNone,  // nonpaged pool pages come from the page lists one by one
  kNt5    // NT 5.x: minimum + per-MB share, physically contiguous, in the largest RAM range
};

// A range of physical RAM, [first, first + count) in frames.
struct RamRange {
  Pfn first;
  PageCount count;
  friend bool operator==(const RamRange&, const RamRange&) = default;
};

// A DMA adapter as AllocateCommonBuffer sees it (§5.5).
struct AdapterConfig {
  std::string name = "default";
  std::uint64_t highest = 0xFFFFFFFF;    // 32-bit bus master
  std::uint64_t boundary = 0x100000000;  // bus master: buffers do not cross 4 GB
  std::uint64_t map_registers = 64;      // budget of map registers
};

struct Profile {
  std::string name;
  std::string description;

  PageSize page_size{12};
  unsigned pointer_size = 8;

  // Legacy pool (§1.2, §3).
  unsigned pool_header = 16;        // POOL_HEADER bytes (= POOL_OVERHEAD)
  unsigned granularity = 16;        // block unit in bytes
  std::uint64_t small_max = 0xFE0;  // largest small request (POOL_BUDDY_MAX)
  ListSearchStart search_start = ListSearchStart::kExactFit;

  // Windows 8 and later keep NonPagedPoolNx in descriptors of its own (§2 point 4, §6).
  bool separate_nx_descriptor = false;

  BigTailPolicy big_tail = BigTailPolicy::kReuse;
  std::uint64_t tail_max_remainder = 0xFC0;  // reuse only when n mod page <= this ...
  std::uint64_t tail_max_size = 0x10000;     // ... and the rounded size is below this
  unsigned frag_block_bytes = 32;            // the 'Frag' block after the big allocation

  // Per-size lookaside lists (§3.1 step 3, §3.3 step 2, §3.4). 0 disables them.
  unsigned lookaside_max_units = 32;
  unsigned lookaside_initial_depth = 2;
  unsigned lookaside_min_depth = 4;
  unsigned lookaside_max_depth = 256;
  bool lookaside_tuning = true;  // retune depths every second of trace time (§3.4)

  // Delayed frees (§3.3 step 3): batch size, and the RAM above which they are enabled.
  unsigned pending_frees = 32;
  std::uint64_t pending_frees_min_ram = 127ull * 1024 * 4096;

  // ExAllocatePoolWithQuotaTag on x86 adds a pointer to requests up to a limit (§3.6).
  unsigned quota_extra_bytes = 0;
  std::uint64_t quota_extra_max_request = 0;

  // Physical memory (§5).
  ScanDirection contiguous_scan = ScanDirection::kAscending;
  std::uint64_t contiguous_reserve_pages = 128;  // MM_HIGH_LIMIT availability floor (§5.2)
  std::uint64_t default_ram = 4ull << 30;
  AdapterConfig default_adapter;

  // Page lists (§5.2). Free pages go to the tail of their colour's free list, zeroed pages to the
  // front of the zeroed list; system pages take colour ++PageColor.
  unsigned page_colors = 64;         // MmSecondaryColors (MM_SECONDARY_COLORS_DEFAULT), 1 to 1024
  unsigned zero_page_threshold = 8;  // MmMinimumFreePagesToZero; 0 = no zero-page thread
  bool boot_pages_zeroed = true;     // replay starts after the zero-page thread caught up

  // Pages under nonpaged pool (§3.8, §5.1).
  InitialPool initial_pool = InitialPool::kNone;
  std::uint64_t initial_pool_minimum = 256ull << 10;    // MmMinimumNonPagedPoolSize
  std::uint64_t initial_pool_per_mb = 32ull << 10;      // MmMinAdditionNonPagedPoolPerMb
  std::uint64_t initial_pool_free_above = 16ull << 20;  // the per-MB part counts RAM above this
  std::uint64_t initial_pool_maximum = 128ull << 20;    // MM_MAX_INITIAL_NONPAGED_POOL
  std::uint64_t initial_pool_small_machine = 0;         // size at or below large_page_min_ram
  std::uint64_t large_page_bytes = 2ull << 20;          // MM_MINIMUM_VA_FOR_LARGE_PAGE
  std::uint64_t large_page_min_ram = 255ull << 20;      // MM_LARGE_PAGE_MINIMUM
  unsigned pool_slist_depth = 4;     // MiNonPagedPoolSListMaximum (x2 at 1 GiB, x8 at 2 GiB)
  unsigned pool_free_lists = 4;      // MI_MAX_FREE_LIST_HEADS
  unsigned pool_expansion_keep = 3;  // freed expansion runs above this go back to the PFN lists
  // MmAllocateContiguousMemory* with MmCached tries nonpaged pool first ('MmCm', then
  // MiFindContiguousMemoryInPool) before the PFN scan (§5.3, NT 5.x).
  bool contiguous_pool_first = false;

  // Throws Error describing the first contradiction found.
  void validate() const;
};

// The built-in profiles, in display order.
const std::vector<Profile>& builtin_profiles();
// Looks up a built-in profile by name; throws Error naming the known profiles if unknown.
const Profile& builtin_profile(const std::string& name);
// The default profile when --profile is not given.
inline constexpr const char* kDefaultProfile = "win7-x64";

// The physical RAM map of a PC with `ram` bytes installed: the first page and the 640 KiB-1 MiB
// legacy hole are not RAM; RAM above 3 GiB is remapped above 4 GiB (the PCI hole).
std::vector<RamRange> pc_ram_map(Bytes ram, PageSize page_size);

}  // namespace fragreplay::model
