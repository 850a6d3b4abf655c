// A platform profile: every constant and policy switch that differs between Windows eras (and
// architectures, and Linux SLUB), so the allocators are written once and parameterised here.
// Values and their sources are in docs/model.md; the built-in profiles are in
// profiles.cpp. A profile is plain data: the command line reads and writes it as JSON
// (cli/profile_json.cpp), so a user can describe a machine the built-ins do not cover.
//
// Invariants (checked by validate()): granularity is a power of two >= 8; pool_header is a
// multiple of granularity; small_max + pool_header + granularity <= page size (a small block never
// covers a whole page, §3.2); lookaside_max_units * granularity < page size; the default adapter
// has a non-zero map-register budget; page_colors is a power of two from 1 to 1024;
// large_page_bytes is a power of two of at least a page; pool_free_lists >= 1; the segment heap's
// thresholds are ordered (LFH <= VS <= the segment contexts); the slab classes ascend and each
// fits its slab; windows_build is 0 exactly for the Linux backend, at least 18362 (Windows 10
// 1903, the first with the segment-heap pool) for the segment heap and below it for the legacy
// pool.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "base/units.hpp"

namespace fragreplay::model {

// Which allocator serves the pool routines.
enum class PoolBackend : std::uint8_t {
  kLegacy,       // NT 5.x - Windows 10 1809: ListHeads, lookasides, big pages (§3)
  kSegmentHeap,  // Windows 10 19H1 and later: LFH, VS, segment and large backends (§4)
  kSlub          // Linux: kmalloc size classes on slabs, the page allocator above them
};

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

// How a CacheAligned pool type changes a small request (§3.5, §4.1 step 3).
enum class CacheAlignRule : std::uint8_t {
  kNone,             // NT 5.x / Windows 7 (as modelled): no extra alignment in the small path
  kRoundUpPlusLine,  // Windows 8 - 10 1809: round n up to a cache line, add one line
  kAddLine           // Windows 10 19H1+: add one cache line
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
  friend bool operator==(const AdapterConfig&, const AdapterConfig&) = default;
};

// One segment allocation context of the segment heap (§1.3 "Segment backend").
struct SegmentContextConfig {
  std::uint64_t max_allocation = 0;  // largest allocation this context serves (bytes)
  std::uint64_t segment_bytes = 0;   // reserved per segment
  std::uint64_t unit_bytes = 0;      // allocation unit inside a segment (a power of two)
  std::uint64_t metadata_bytes = 0;  // segment header + page-range descriptors, always committed
  friend bool operator==(const SegmentContextConfig&, const SegmentContextConfig&) = default;
};

// The Windows 10 19H1+ segment heap (§1.3, §4). Fields marked [I] are choices where the research
// is silent or unverified; docs/profiles.md §3 says why each was chosen.
struct SegmentHeapConfig {
  // LFH: chunks of at most lfh_max bytes (POOL_HEADER included) once their bucket is active.
  std::uint64_t lfh_max = 512;
  // A bucket activates when its usage counter shows more than this many outstanding allocations,
  // or the counter passes lfh_activation_counter_max (decompiled RtlpLfhBucketUsageUpdate); 0 =
  // buckets are always active.
  unsigned lfh_activation_outstanding = 16;
  std::uint64_t lfh_activation_counter_max = 0xFF00;
  // Requests whose chunk is in [bucket_round_min, bucket_round_max] are rounded up to their
  // bucket's block size (RtlpBucketBlockSizes).
  std::uint64_t bucket_round_min = 513;
  std::uint64_t bucket_round_max = 3968;
  // VS: chunks up to vs_max bytes, each behind a vs_chunk_header; subsegments of a power of two
  // between the bounds, headed by vs_subsegment_header bytes (RtlpHpVsSubsegmentCreate).
  std::uint64_t vs_max = 0x20000;
  unsigned vs_chunk_header = 16;
  unsigned vs_subsegment_header = 48;
  std::uint64_t vs_subsegment_min = 0x10000;
  std::uint64_t vs_subsegment_max = 0x40000;
  bool vs_page_align_large = false;        // [I] PageAlignLargeAllocs: one extra unit per chunk
  bool vs_decommit_free_pages = true;      // [I] pages wholly inside a free chunk are decommitted
  unsigned vs_delay_free_batch = 0;        // [I] DelayFreeContext batch (32 when enabled); 0 = off
  std::uint64_t vs_delay_free_max = 1024;  // only chunks below this wait
  // Dynamic lookaside: freed chunks of [min, max] bytes parked per bucket, up to `depth` each.
  unsigned dynamic_lookaside_depth = 0;  // [I] 0 = off (activation is usage-driven, unmodelled)
  std::uint64_t dynamic_lookaside_min = 0x200;
  std::uint64_t dynamic_lookaside_max = 0xF80;
  // LFH subsegment sizing (RtlpHpLfhBucketComputeNewSubsegmentBlockCount / SubsegmentCreate).
  unsigned lfh_min_blocks = 4;
  unsigned lfh_max_blocks = 1024;
  std::uint64_t lfh_subsegment_max = 0x40000;
  // Segment contexts: 128 KiB - 508 KiB, then up to 7 GiB; above that the large backend.
  std::array<SegmentContextConfig, 2> segments{{
      {0x7F000, 0x100000, 0x1000, 0x2000},            // 1 MiB segments of 4 KiB units
      {0x1C0000000ull, 0x1000000, 0x10000, 0x10000},  // [I] 16 MiB segments of 64 KiB units
  }};
  friend bool operator==(const SegmentHeapConfig&, const SegmentHeapConfig&) = default;
};

// One kmalloc size class: objects of `size` bytes on slabs of 2^order pages.
struct SlabClass {
  std::uint64_t size = 0;
  unsigned order = 0;
  friend bool operator==(const SlabClass&, const SlabClass&) = default;
};

// Linux SLUB kmalloc (the linux-slub profile).
struct SlubConfig {
  std::vector<SlabClass> classes;  // ascending; the last is KMALLOC_MAX_CACHE_SIZE
  // Empty slabs beyond this many partial slabs of a cache go back to the page allocator
  // (kmem_cache.min_partial = ilog2(size) / 2 clamped to [min, max]).
  unsigned min_partial_floor = 5;
  unsigned min_partial_ceiling = 10;
  friend bool operator==(const SlubConfig&, const SlubConfig&) = default;
};

struct Profile {
  std::string name;
  std::string description;

  // The Windows build the profile models (2600 XP, 3790 Server 2003, 7601 Windows 7 SP1, 9200
  // Windows 8, 18362 Windows 10 1903, 19041 Windows 10 2004); 0 = not Windows (Linux). It decides
  // which routines exist and what the wdm.h wrappers call (replay/routine_semantics.hpp).
  unsigned windows_build = 7601;

  PoolBackend backend = PoolBackend::kLegacy;
  PageSize page_size{12};
  unsigned pointer_size = 8;

  // Legacy pool (§1.2, §3); POOL_HEADER and the small threshold also apply to the segment heap.
  unsigned pool_header = 16;        // POOL_HEADER bytes (= POOL_OVERHEAD)
  unsigned granularity = 16;        // block unit in bytes
  std::uint64_t small_max = 0xFE0;  // largest small request (POOL_BUDDY_MAX)
  ListSearchStart search_start = ListSearchStart::kExactFit;

  // Windows 8 and later keep NonPagedPoolNx in descriptors of its own (§2 point 4, §6).
  bool separate_nx_descriptor = false;

  // CacheAligned pool types (§3.5, §4.1).
  CacheAlignRule cache_align = CacheAlignRule::kNone;
  unsigned cache_line_bytes = 64;  // ExpCacheLineSize

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

  SegmentHeapConfig segment_heap;
  SlubConfig slub;

  // Physical memory (§5).
  ScanDirection contiguous_scan = ScanDirection::kAscending;
  std::uint64_t contiguous_reserve_pages = 128;  // MM_HIGH_LIMIT availability floor (§5.2)
  std::uint64_t default_ram = 4ull << 30;
  // The RAM map when --ram is not given; empty = a PC's map of default_ram bytes (pc_ram_map).
  std::vector<RamRange> default_ram_map;
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

  friend bool operator==(const Profile&, const Profile&) = default;
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
// The profile's default RAM map: default_ram_map, or the PC map of default_ram.
std::vector<RamRange> default_ram_map(const Profile& profile);

// Names of the enumerations, as profile files and reports spell them.
const char* backend_name(PoolBackend b);
const char* list_search_name(ListSearchStart s);
const char* big_tail_name(BigTailPolicy p);
const char* cache_align_name(CacheAlignRule r);
const char* scan_name(ScanDirection d);
const char* initial_pool_name(InitialPool p);

}  // namespace fragreplay::model
