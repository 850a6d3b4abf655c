// The consistency check every profile passes, the RAM maps, and the names profile files and
// reports use for the profile's enumerations.
#include <algorithm>
#include <bit>

#include "base/error.hpp"
#include "model/profile.hpp"

namespace fragreplay::model {

void Profile::validate() const {
  auto fail = [&](const std::string& why) {
    throw Error("profile '" + name + "' contradicts itself: " + why);
  };
  if (name.empty()) fail("it needs a name");
  const std::uint64_t page = page_size.bytes();
  if (page_size.shift < 12 || page_size.shift > 16) fail("page size must be 4 KiB to 64 KiB");
  if (pointer_size != 4 && pointer_size != 8) fail("pointer_size must be 4 or 8");
  // The segment-heap pool shipped with Windows 10 1903 (build 18362; SCOOP SSTIC 2020 §2).
  constexpr unsigned kFirstSegmentHeapBuild = 18362;
  if ((backend == PoolBackend::kSlub) != (windows_build == 0)) {
    fail("windows_build must be 0 for the slub backend and a Windows build number otherwise");
  }
  if (backend == PoolBackend::kSegmentHeap && windows_build < kFirstSegmentHeapBuild) {
    fail("the segment_heap backend needs windows_build 18362 (Windows 10 1903) or later");
  }
  if (backend == PoolBackend::kLegacy && windows_build >= kFirstSegmentHeapBuild) {
    fail(
        "the legacy backend needs a windows_build below 18362 (Windows 10 1903 has the segment "
        "heap)");
  }
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
  if (page / granularity > 0xFFFF) fail("a page may hold at most 65535 blocks");
  if (lookaside_max_units * granularity >= page)
    fail("lookaside lists must hold blocks smaller than a page");
  if (lookaside_max_units != 0 && (lookaside_min_depth > lookaside_max_depth ||
                                   lookaside_initial_depth > lookaside_max_depth)) {
    fail("lookaside depths must satisfy initial, min <= max");
  }
  if (cache_align != CacheAlignRule::kNone &&
      (cache_line_bytes < granularity || !std::has_single_bit(cache_line_bytes) ||
       cache_line_bytes >= page)) {
    fail("cache_line_bytes must be a power of two from granularity to below a page");
  }
  if (big_tail == BigTailPolicy::kReuse || backend == PoolBackend::kSegmentHeap) {
    if (tail_max_remainder >= page) fail("tail_max_remainder must be below the page size");
  }
  if (big_tail == BigTailPolicy::kReuse) {
    if (tail_max_remainder + frag_block_bytes > page)
      fail("tail_max_remainder + frag_block_bytes exceeds a page");
    if (frag_block_bytes == 0 || frag_block_bytes % granularity != 0) {
      fail("frag_block_bytes must be a non-zero multiple of granularity");
    }
  }
  if (backend == PoolBackend::kSegmentHeap) {
    const SegmentHeapConfig& h = segment_heap;
    if (granularity != 16 || pool_header != 16)
      fail("the segment heap works in 16-byte units behind a 16-byte POOL_HEADER");
    if (h.lfh_max > h.vs_max) fail("segment_heap.lfh_max must not exceed segment_heap.vs_max");
    if (h.lfh_max % 16 != 0 || h.lfh_max < 32)
      fail("segment_heap.lfh_max must be 32 or more, a multiple of 16");
    if (h.lfh_activation_outstanding > 30)
      fail("segment_heap.lfh_activation_outstanding must be at most 30 (a 5-bit counter)");
    if (h.bucket_round_min > h.bucket_round_max || h.bucket_round_max > 16368)
      fail("segment_heap bucket rounding must cover sizes up to 16368 at most, min <= max");
    if (h.vs_chunk_header % 16 != 0 || h.vs_subsegment_header % 16 != 0)
      fail("segment_heap VS headers must be multiples of 16 bytes");
    if (!std::has_single_bit(h.vs_subsegment_min) || !std::has_single_bit(h.vs_subsegment_max) ||
        h.vs_subsegment_min < page || h.vs_subsegment_min > h.vs_subsegment_max) {
      fail("segment_heap VS subsegment bounds must be powers of two, at least a page, min <= max");
    }
    if (h.vs_subsegment_max / page > 64 || h.lfh_subsegment_max / page > 64)
      fail("segment_heap subsegments may span at most 64 pages");
    if (h.vs_max + h.vs_chunk_header + 16 + h.vs_subsegment_header > h.vs_subsegment_max)
      fail("segment_heap.vs_max chunks must fit the largest VS subsegment");
    if (h.dynamic_lookaside_min > h.dynamic_lookaside_max)
      fail("segment_heap dynamic lookaside bounds must satisfy min <= max");
    if (h.lfh_min_blocks == 0 || h.lfh_min_blocks > h.lfh_max_blocks)
      fail("segment_heap LFH block counts must satisfy 0 < min <= max");
    if (!std::has_single_bit(h.lfh_subsegment_max) || h.lfh_subsegment_max < page)
      fail("segment_heap.lfh_subsegment_max must be a power of two of at least a page");
    std::uint64_t previous_max = h.vs_max;
    for (const auto& c : h.segments) {
      if (!std::has_single_bit(c.unit_bytes) || c.unit_bytes < page ||
          !std::has_single_bit(c.segment_bytes) || c.segment_bytes < 4 * c.unit_bytes ||
          c.metadata_bytes % c.unit_bytes != 0 || c.metadata_bytes >= c.segment_bytes) {
        fail(
            "segment_heap segment contexts need power-of-two units of at least a page, segments "
            "of at least 4 units and metadata of whole units below the segment size");
      }
      if (c.max_allocation < previous_max)
        fail("segment_heap segment contexts must serve growing sizes, above vs_max");
      previous_max = c.max_allocation;
    }
    if (h.lfh_subsegment_max + h.segments[0].metadata_bytes > h.segments[0].segment_bytes ||
        h.vs_subsegment_max > h.segments[0].max_allocation) {
      fail("segment_heap subsegments must be served by the first segment context");
    }
  }
  if (backend == PoolBackend::kSlub) {
    if (slub.classes.empty()) fail("slub.classes must list the kmalloc size classes");
    std::uint64_t previous = 0;
    for (const auto& c : slub.classes) {
      if (c.size <= previous) fail("slub.classes must be in ascending order of size");
      if (c.order > 10 || (page << c.order) < c.size)
        fail("each slub class must fit a slab of 2^order pages (order at most 10)");
      previous = c.size;
    }
    if (slub.min_partial_floor > slub.min_partial_ceiling)
      fail("slub.min_partial_floor must not exceed slub.min_partial_ceiling");
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
  std::uint64_t last_end = 0;
  for (const auto& r : default_ram_map) {
    if (r.count.value == 0 || r.first.value < last_end)
      fail("default_ram_map ranges must be sorted, non-empty and non-overlapping");
    last_end = r.first.value + r.count.value;
  }
  if (last_end >= (std::uint64_t{1} << 32)) fail("default_ram_map exceeds 2^32 frames");
  if (default_adapter.map_registers == 0)
    fail("the default DMA adapter needs a map-register budget");
  if (default_adapter.boundary != 0 &&
      (!std::has_single_bit(default_adapter.boundary) || default_adapter.boundary % page != 0)) {
    fail("the default adapter's boundary must be a power-of-two multiple of the page size");
  }
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

std::vector<RamRange> default_ram_map(const Profile& p) {
  if (!p.default_ram_map.empty()) return p.default_ram_map;
  return pc_ram_map(Bytes{p.default_ram}, p.page_size);
}

const char* backend_name(PoolBackend b) {
  switch (b) {
    case PoolBackend::kLegacy:
      return "legacy";
    case PoolBackend::kSegmentHeap:
      return "segment_heap";
    case PoolBackend::kSlub:
      return "slub";
  }
  return "?";
}

const char* list_search_name(ListSearchStart s) {
  switch (s) {
    case ListSearchStart::kNextLarger:
      return "next_larger";
    case ListSearchStart::kExactFit:
      return "exact_fit";
  }
  return "?";
}

const char* big_tail_name(BigTailPolicy p) {
  switch (p) {
    case BigTailPolicy::kWasted:
      return "wasted";
    case BigTailPolicy::kReuse:
      return "reused";
  }
  return "?";
}

const char* cache_align_name(CacheAlignRule r) {
  switch (r) {
    case CacheAlignRule::kNone:
      return "none";
    case CacheAlignRule::kRoundUpPlusLine:
      return "round_up_plus_line";
    case CacheAlignRule::kAddLine:
      return "add_line";
  }
  return "?";
}

const char* scan_name(ScanDirection d) {
  switch (d) {
    case ScanDirection::kAscending:
      return "ascending";
    case ScanDirection::kDescending:
      return "descending";
  }
  return "?";
}

const char* initial_pool_name(InitialPool p) {
  switch (p) {
    case InitialPool::kNone:
      return "none";
    case InitialPool::kNt5:
      return "nt5";
  }
  return "?";
}

}  // namespace fragreplay::model
