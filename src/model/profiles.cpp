// The built-in platform profiles and the consistency check every profile passes. Each constant
// cites the rule of research/pool-model.md it comes from.
#include <algorithm>
#include <bit>

#include "base/error.hpp"
#include "model/profile.hpp"

namespace fragreplay::model {
namespace {

Profile nt5_x86() {
  Profile p;
  p.name = "nt5-x86";
  p.description =
      "Windows XP / Server 2003, 32-bit (WRK pool: 8-byte blocks, big-pool tail wasted)";
  p.page_size = PageSize{12};
  p.pointer_size = 4;
  p.pool_header = 8;                              // §1.2 POOL_HEADER x86
  p.granularity = 8;                              // §1.2 POOL_BLOCK_SHIFT 3
  p.small_max = 0xFF0;                            // §1.2 POOL_BUDDY_MAX = 4096 - (8 + 8)
  p.search_start = ListSearchStart::kNextLarger;  // §3.2 NT 5.x: ListHeads[N]
  p.big_tail = BigTailPolicy::kWasted;            // §3.7 NT 5.x
  p.quota_extra_bytes = 4;                        // §3.6 x86 quota pointer
  p.quota_extra_max_request = 4096 - 8 - 4;       // PAGE_SIZE - POOL_OVERHEAD - sizeof(PVOID)
  p.contiguous_scan = ScanDirection::kAscending;  // §5.3 WRK MiFindContiguousPages
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

Profile win7_x64() {
  Profile p;
  p.name = "win7-x64";
  p.description = "Windows 7 / Server 2008 R2, 64-bit (16-byte blocks, big-pool tail reused)";
  p.page_size = PageSize{12};
  p.pointer_size = 8;
  p.pool_header = 16;                             // §1.2 POOL_HEADER x64
  p.granularity = 16;                             // §1.2 POOL_BLOCK_SHIFT 4
  p.small_max = 0xFE0;                            // §1.2 POOL_BUDDY_MAX = 4096 - (16 + 16)
  p.search_start = ListSearchStart::kExactFit;    // §3.2 Windows 7: ListHeads[N-1]
  p.big_tail = BigTailPolicy::kReuse;             // §3.7 Vista and later ('Frag' + free tail)
  p.contiguous_scan = ScanDirection::kAscending;  // §6: top-down is documented only for Win10
  p.default_ram = 4ull << 30;
  // §5.1: Vista and later size their initial nonpaged pool as 3 % of RAM, but nothing says it is
  // one physically contiguous block: pool pages come from the page lists (InitialPool::kNone).
  // §6: whether Windows 7 still tries nonpaged pool first for MmCached contiguous requests is
  // unverified (§9 point 4), so it does not.
  return p;
}

}  // namespace

void Profile::validate() const {
  auto fail = [&](const std::string& why) {
    throw Error("profile '" + name + "' contradicts itself: " + why);
  };
  const std::uint64_t page = page_size.bytes();
  if (page_size.shift < 12 || page_size.shift > 16) fail("page size must be 4 KiB to 64 KiB");
  if (pointer_size != 4 && pointer_size != 8) fail("pointer_size must be 4 or 8");
  if (granularity < 8 || !std::has_single_bit(granularity)) {
    fail("granularity must be a power of two of at least 8 bytes");
  }
  if (pool_header == 0 || pool_header % granularity != 0) {
    fail("pool_header must be a non-zero multiple of granularity");
  }
  if (small_max == 0 || small_max + pool_header + granularity > page) {
    fail(
        "small_max + pool_header + granularity must not exceed the page size (a small block "
        "never fills a page)");
  }
  if (lookaside_max_units * granularity >= page)
    fail("lookaside lists must hold blocks smaller than a page");
  if (lookaside_max_units != 0 && (lookaside_min_depth > lookaside_max_depth ||
                                   lookaside_initial_depth > lookaside_max_depth)) {
    fail("lookaside depths must satisfy initial, min <= max");
  }
  if (big_tail == BigTailPolicy::kReuse) {
    if (tail_max_remainder + frag_block_bytes > page)
      fail("tail_max_remainder + frag_block_bytes exceeds a page");
    if (frag_block_bytes == 0 || frag_block_bytes % granularity != 0) {
      fail("frag_block_bytes must be a non-zero multiple of granularity");
    }
  }
  if (default_ram < (2ull << 20)) fail("default_ram must be at least 2 MiB");
  if (page_colors == 0 || page_colors > 1024 || !std::has_single_bit(page_colors)) {
    fail("page_colors must be a power of two from 1 to 1024");
  }
  if (!std::has_single_bit(large_page_bytes) || large_page_bytes < page) {
    fail("large_page_bytes must be a power of two of at least a page");
  }
  if (pool_free_lists == 0) fail("pool_free_lists must be at least 1");
  if (initial_pool == InitialPool::kNt5 && initial_pool_maximum < page) {
    fail("initial_pool_maximum must hold at least a page");
  }
  if (default_adapter.map_registers == 0)
    fail("the default DMA adapter needs a map-register budget");
  if (default_adapter.boundary != 0 &&
      (!std::has_single_bit(default_adapter.boundary) || default_adapter.boundary % page != 0)) {
    fail("the default adapter's boundary must be a power-of-two multiple of the page size");
  }
}

const std::vector<Profile>& builtin_profiles() {
  static const std::vector<Profile> profiles = [] {
    std::vector<Profile> v{nt5_x86(), win7_x64()};
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

std::vector<RamRange> pc_ram_map(Bytes ram, PageSize ps) {
  // Frame 0 and the legacy 640 KiB - 1 MiB window are not RAM; above 3 GiB the PCI hole pushes
  // the rest of RAM above 4 GiB.
  constexpr std::uint64_t kLowEnd = 0xA0000;
  constexpr std::uint64_t kHighStart = 0x100000;
  constexpr std::uint64_t kHoleStart = 3ull << 30;
  constexpr std::uint64_t kRemapStart = 4ull << 30;
  std::vector<RamRange> map;
  auto add = [&](std::uint64_t begin, std::uint64_t end) {
    const Pfn first = ps.frame_at_or_above(PhysAddr{begin});
    const Pfn last = ps.frame_of(PhysAddr{end});
    if (last > first) map.push_back({first, last - first});
  };
  add(ps.bytes(), std::min(ram.value, kLowEnd));
  if (ram.value > kHighStart) add(kHighStart, std::min(ram.value, kHoleStart));
  if (ram.value > kHoleStart) add(kRemapStart, kRemapStart + (ram.value - kHoleStart));
  return map;
}

}  // namespace fragreplay::model
