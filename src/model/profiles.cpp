// The built-in platform profiles. Each constant cites the rule of docs/model.md it comes
// from; the profiles are data (`fragreplay profiles --show NAME` prints one as JSON), written here
// as C++ so the model and its tests need no parser.
#include <algorithm>

#include "base/error.hpp"
#include "model/profile.hpp"

namespace fragreplay::model {
namespace {

// NT 5.x: the WRK pool (§1.2, §3), shared by the x86, x64 and IA64 builds.
Profile nt5_common() {
  Profile p;
  p.backend = PoolBackend::kLegacy;
  p.search_start = ListSearchStart::kNextLarger;  // §3.2 NT 5.x: ListHeads[N]
  p.big_tail = BigTailPolicy::kWasted;            // §3.7 NT 5.x: whole pages
  p.cache_align = CacheAlignRule::kNone;          // §3.5 NT 5.x: CacheOverhead = POOL_OVERHEAD
  p.contiguous_scan = ScanDirection::kAscending;  // §5.3 WRK MiFindContiguousPages
  return p;
}

Profile nt5_x86() {
  Profile p = nt5_common();
  p.name = "nt5-x86";
  p.windows_build = 2600;  // Windows XP
  p.description =
      "Windows XP / Server 2003, 32-bit (WRK pool: 8-byte blocks, big-pool tail wasted)";
  p.pointer_size = 4;
  p.pool_header = 8;                         // §1.2 POOL_HEADER x86
  p.granularity = 8;                         // §1.2 POOL_BLOCK_SHIFT 3
  p.small_max = 0xFF0;                       // §1.2 POOL_BUDDY_MAX = 4096 - (8 + 8)
  p.quota_extra_bytes = 4;                   // §3.6 x86 quota pointer
  p.quota_extra_max_request = 4096 - 8 - 4;  // PAGE_SIZE - POOL_OVERHEAD - sizeof(PVOID)
  p.default_ram = 1ull << 30;
  // §5.1 initial nonpaged pool, as WRK i386/init386.c sizes it: 256 KiB + 32 KiB per MiB above
  // the first 4 MiB ((TotalFreePages - 1024) / 256), 2 MiB on machines too small for large pages,
  // at most 128 MiB; mapped by 4 MiB large pages (MM_VA_MAPPED_BY_PDE, non-PAE).
  p.initial_pool = InitialPool::kNt5;
  p.initial_pool_free_above = 4ull << 20;
  p.initial_pool_small_machine = 2ull << 20;
  p.large_page_bytes = 4ull << 20;
  p.contiguous_pool_first = true;  // §5.3 NT 5.x step 1 ('MmCm') and step 3
  return p;
}

Profile nt5_x64() {
  Profile p = nt5_common();
  p.name = "nt5-x64";
  p.windows_build = 3790;  // Windows Server 2003 SP1 / XP x64, the WRK's kernel
  p.description =
      "Windows XP x64 / Server 2003 x64 (WRK pool: 16-byte blocks, big-pool tail wasted)";
  p.pointer_size = 8;
  p.pool_header = 16;   // §1.2 POOL_HEADER x64 (ProcessBilled in the header: no quota growth)
  p.granularity = 16;   // §1.2 POOL_BLOCK_SHIFT 4
  p.small_max = 0xFE0;  // §1.2 POOL_BUDDY_MAX = 4096 - (16 + 16)
  p.default_ram = 2ull << 30;
  // §5.1 initial nonpaged pool, as WRK amd64/initamd.c sizes it: 256 KiB + 32 KiB per MiB above
  // 16 MiB, at most 128 MiB, physically contiguous, mapped by 2 MiB large pages.
  p.initial_pool = InitialPool::kNt5;
  p.contiguous_pool_first = true;  // §5.3 NT 5.x step 1 ('MmCm') and step 3
  return p;
}

Profile ia64() {
  Profile p = nt5_common();
  p.name = "ia64";
  p.windows_build = 3790;  // Windows Server 2003 SP1
  p.description = "Windows Server 2003 for Itanium (8 KiB pages, 16-byte blocks, tail wasted)";
  p.page_size = PageSize{13};  // §1.1 IA64 PAGE_SIZE 0x2000
  p.pointer_size = 8;
  p.pool_header = 16;             // §1.2 IA64 column
  p.granularity = 16;             // §1.2 POOL_BLOCK_SHIFT 4 for 8 KiB pages
  p.small_max = 8192 - 32;        // §1.2 POOL_BUDDY_MAX = 8160
  p.tail_max_remainder = 0x1FC0;  // unused (tail wasted); kept below the page size
  p.default_ram = 4ull << 30;
  return p;
}

Profile win7_x64() {
  Profile p;
  p.name = "win7-x64";
  p.windows_build = 7601;  // Windows 7 SP1 / Server 2008 R2 SP1
  p.description = "Windows 7 / Server 2008 R2, 64-bit (16-byte blocks, big-pool tail reused)";
  p.backend = PoolBackend::kLegacy;
  p.pointer_size = 8;
  p.pool_header = 16;                             // §1.2 POOL_HEADER x64
  p.granularity = 16;                             // §1.2 POOL_BLOCK_SHIFT 4
  p.small_max = 0xFE0;                            // §1.2 POOL_BUDDY_MAX = 4096 - (16 + 16)
  p.search_start = ListSearchStart::kExactFit;    // §3.2 Windows 7: ListHeads[N-1]
  p.big_tail = BigTailPolicy::kReuse;             // §3.7 Vista and later ('Frag' + free tail)
  p.cache_align = CacheAlignRule::kNone;          // §3.5 documents the rule from Windows 8 only
  p.contiguous_scan = ScanDirection::kAscending;  // §6: top-down is documented only for Win10
  p.default_ram = 4ull << 30;
  // §5.1: Vista and later size their initial nonpaged pool as 3 % of RAM, but nothing says it is
  // one physically contiguous block: pool pages come from the page lists (InitialPool::kNone).
  // §6: whether Windows 7 still tries nonpaged pool first for MmCached contiguous requests is
  // unverified (§9 point 4), so it does not.
  return p;
}

Profile win8_x64() {
  Profile p = win7_x64();
  p.name = "win8-x64";
  p.windows_build = 9200;  // Windows 8: the routines it has are those of 8.1 and 10 up to 1809
  p.description =
      "Windows 8 / 8.1 / 10 up to 1809, 64-bit (legacy pool, NonPagedPoolNx descriptors)";
  p.separate_nx_descriptor = true;                   // §2 point 4, §6: NX descriptors (DEC-8)
  p.cache_align = CacheAlignRule::kRoundUpPlusLine;  // §3.5 Win8+
  p.cache_line_bytes = 64;                           // §3.5 "typically 64"
  // §3.7 (DEC-8): 'Frag' + free tail when n mod 4096 in [1, 0xFC0] and size < 64 KiB; §1.2:
  // lookasides for blocks of up to 32 units. Both as inherited from win7-x64.
  p.default_ram = 4ull << 30;
  return p;
}

Profile win10_19h1_x64() {
  Profile p = win7_x64();
  p.name = "win10-19h1-x64";
  p.windows_build = 18362;  // Windows 10 1903 (1909 is 18363, the same kernel)
  p.description = "Windows 10 1903 / 1909, 64-bit (segment heap: LFH, VS, segments)";
  p.backend = PoolBackend::kSegmentHeap;  // §1.3, §4
  p.separate_nx_descriptor = true;        // §2 point 4: one heap per NonPaged, NonPagedNx, Paged
  p.cache_align = CacheAlignRule::kAddLine;  // §4.1 step 3
  p.cache_line_bytes = 64;
  p.lookaside_max_units = 0;  // the legacy per-size lookasides are gone (§6)
  p.pending_frees = 0;        // ... and so are the legacy delayed frees
  // §4.1 step 4: > 0xFE0 bytes go to whole pages when round16(n) mod page > 0xFC0 or the size is
  // at least 64 KiB; the same two constants as the legacy tail rule.
  p.tail_max_remainder = 0xFC0;
  p.tail_max_size = 0x10000;
  p.contiguous_scan = ScanDirection::kDescending;  // §5.3 DEC-10 MiFindContiguousPages top-down
  p.default_ram = 8ull << 30;
  return p;
}

// Windows 10 2004 and later (Windows 11 included): the 19H1 pool model, and the routines that
// came with build 19041 (ExAllocatePool2, ExAllocatePool3, ExFreePool2; MS docs
// nf-wdm-exallocatepool2 "Available starting with Windows 10, version 2004"). Nothing public shows
// a pool-layout change between 1903 and Windows 11 that the model could follow, so only the build
// differs.
Profile win10_2004_x64() {
  Profile p = win10_19h1_x64();
  p.name = "win10-2004-x64";
  p.windows_build = 19041;
  p.description =
      "Windows 10 2004 and later, Windows 11, 64-bit (segment heap; ExAllocatePool2/3 exist)";
  return p;
}

Profile linux_slub() {
  Profile p;
  p.name = "linux-slub";
  p.windows_build = 0;
  p.description =
      "Linux x86-64 SLUB kmalloc (size classes 8 B - 8 KiB on slabs, buddy pages above)";
  p.backend = PoolBackend::kSlub;
  p.pointer_size = 8;
  // kmalloc has no header and no block unit beyond its size classes; the Windows fields stay at
  // their defaults and are not used by this backend.
  // Slab orders: SLUB's calculate_order for 8 CPUs (min_objects = 4 * (fls(8) + 1) = 20,
  // slub_max_order = PAGE_ALLOC_COSTLY_ORDER = 3, leftover at most 1/16 of the slab).
  p.slub.classes = {{8, 0},   {16, 0},  {32, 0},   {64, 0},   {96, 0},   {128, 0}, {192, 0},
                    {256, 1}, {512, 2}, {1024, 3}, {2048, 3}, {4096, 3}, {8192, 3}};
  p.contiguous_reserve_pages = 0;  // the buddy allocator has watermarks, not MM_HIGH_LIMIT
  p.default_ram = 8ull << 30;
  return p;
}

}  // namespace

const std::vector<Profile>& builtin_profiles() {
  static const std::vector<Profile> profiles = [] {
    std::vector<Profile> v{nt5_x86(),        nt5_x64(),        win7_x64(), win8_x64(),
                           win10_19h1_x64(), win10_2004_x64(), ia64(),     linux_slub()};
    for (const auto& p : v) p.validate();
    return v;
  }();
  return profiles;
}

const Profile& builtin_profile(const std::string& name) {
  const auto& all = builtin_profiles();
  const auto it =
      std::find_if(all.begin(), all.end(), [&](const Profile& p) { return p.name == name; });
  if (it != all.end()) return *it;
  std::string known;
  for (const auto& p : all) known += (known.empty() ? "" : ", ") + p.name;
  throw Error("unknown profile '" + name + "' (known: " + known + ")");
}

}  // namespace fragreplay::model
