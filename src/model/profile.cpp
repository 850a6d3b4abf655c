// The consistency check every profile passes, the RAM maps, and the names profile files and
// reports use for the profile's enumerations.
#include <algorithm>
#include <bit>
#include <string>

#include "base/error.hpp"
#include "model/profile.hpp"

namespace fragreplay::model {

namespace {

// Each check below covers one concern of Profile::validate() and throws, through fail(), at the
// first contradiction it finds; validate() runs them in a fixed order, so a profile with several
// contradictions always reports the same one.
[[noreturn]] void fail(const Profile& p, const std::string& why) {
  throw Error("profile '" + p.name + "' contradicts itself: " + why);
}

// The segment-heap pool shipped with Windows 10 1903 (build 18362; SCOOP SSTIC 2020 §2).
constexpr unsigned kFirstSegmentHeapBuild = 18362;

// The name, the page and pointer sizes, and the backend the Windows build implies.
void check_platform(const Profile& p) {
  if (p.name.empty()) fail(p, "it needs a name");
  if (p.page_size.shift < 12 || p.page_size.shift > 16)
    fail(p, "page size must be 4 KiB to 64 KiB");
  if (p.pointer_size != 4 && p.pointer_size != 8) fail(p, "pointer_size must be 4 or 8");
  if ((p.backend == PoolBackend::kSlub) != (p.windows_build == 0)) {
    fail(p, "windows_build must be 0 for the slub backend and a Windows build number otherwise");
  }
  if (p.backend == PoolBackend::kSegmentHeap && p.windows_build < kFirstSegmentHeapBuild) {
    fail(p, "the segment_heap backend needs windows_build 18362 (Windows 10 1903) or later");
  }
  if (p.backend == PoolBackend::kLegacy && p.windows_build >= kFirstSegmentHeapBuild) {
    fail(p,
         "the legacy backend needs a windows_build below 18362 (Windows 10 1903 has the segment "
         "heap)");
  }
}

// Small pool blocks: the block unit, the header, the small/big threshold, lookasides and the
// cache-line rule.
void check_pool_blocks(const Profile& p) {
  const std::uint64_t page = p.page_size.bytes();
  if (p.granularity < 8 || !std::has_single_bit(p.granularity)) {
    fail(p, "granularity must be a power of two of at least 8 bytes");
  }
  if (p.pool_header == 0 || p.pool_header % p.granularity != 0) {
    fail(p, "pool_header must be a non-zero multiple of granularity");
  }
  if (p.small_max == 0 || p.small_max + p.pool_header + p.granularity > page) {
    fail(p,
         "small_max + pool_header + granularity must not exceed the page size (a small block "
         "never fills a page)");
  }
  if (page / p.granularity > 0xFFFF) fail(p, "a page may hold at most 65535 blocks");
  if (p.lookaside_max_units * p.granularity >= page)
    fail(p, "lookaside lists must hold blocks smaller than a page");
  if (p.lookaside_max_units != 0 && (p.lookaside_min_depth > p.lookaside_max_depth ||
                                     p.lookaside_initial_depth > p.lookaside_max_depth)) {
    fail(p, "lookaside depths must satisfy initial, min <= max");
  }
  if (p.cache_align != CacheAlignRule::kNone &&
      (p.cache_line_bytes < p.granularity || !std::has_single_bit(p.cache_line_bytes) ||
       p.cache_line_bytes >= page)) {
    fail(p, "cache_line_bytes must be a power of two from granularity to below a page");
  }
}

// The tail of big allocations: what may stay of their last page, and the 'Frag' block.
void check_big_tail(const Profile& p) {
  const std::uint64_t page = p.page_size.bytes();
  if (p.big_tail == BigTailPolicy::kReuse || p.backend == PoolBackend::kSegmentHeap) {
    if (p.tail_max_remainder >= page) fail(p, "tail_max_remainder must be below the page size");
  }
  if (p.big_tail == BigTailPolicy::kReuse) {
    if (p.tail_max_remainder + p.frag_block_bytes > page)
      fail(p, "tail_max_remainder + frag_block_bytes exceeds a page");
    if (p.frag_block_bytes == 0 || p.frag_block_bytes % p.granularity != 0) {
      fail(p, "frag_block_bytes must be a non-zero multiple of granularity");
    }
  }
}

// The segment heap's LFH and VS thresholds, rounding and subsegment sizes.
void check_segment_heap_sizes(const Profile& p) {
  const SegmentHeapConfig& h = p.segment_heap;
  const std::uint64_t page = p.page_size.bytes();
  if (p.granularity != 16 || p.pool_header != 16)
    fail(p, "the segment heap works in 16-byte units behind a 16-byte POOL_HEADER");
  if (h.lfh_max > h.vs_max) fail(p, "segment_heap.lfh_max must not exceed segment_heap.vs_max");
  if (h.lfh_max % 16 != 0 || h.lfh_max < 32)
    fail(p, "segment_heap.lfh_max must be 32 or more, a multiple of 16");
  if (h.lfh_activation_outstanding > 30)
    fail(p, "segment_heap.lfh_activation_outstanding must be at most 30 (a 5-bit counter)");
  if (h.bucket_round_min > h.bucket_round_max || h.bucket_round_max > 16368)
    fail(p, "segment_heap bucket rounding must cover sizes up to 16368 at most, min <= max");
  if (h.vs_chunk_header % 16 != 0 || h.vs_subsegment_header % 16 != 0)
    fail(p, "segment_heap VS headers must be multiples of 16 bytes");
  if (!std::has_single_bit(h.vs_subsegment_min) || !std::has_single_bit(h.vs_subsegment_max) ||
      h.vs_subsegment_min < page || h.vs_subsegment_min > h.vs_subsegment_max) {
    fail(p, "segment_heap VS subsegment bounds must be powers of two, at least a page, min <= max");
  }
  if (h.vs_subsegment_max / page > 64 || h.lfh_subsegment_max / page > 64)
    fail(p, "segment_heap subsegments may span at most 64 pages");
  if (h.vs_max + h.vs_chunk_header + 16 + h.vs_subsegment_header > h.vs_subsegment_max)
    fail(p, "segment_heap.vs_max chunks must fit the largest VS subsegment");
  if (h.dynamic_lookaside_min > h.dynamic_lookaside_max)
    fail(p, "segment_heap dynamic lookaside bounds must satisfy min <= max");
  if (h.lfh_min_blocks == 0 || h.lfh_min_blocks > h.lfh_max_blocks)
    fail(p, "segment_heap LFH block counts must satisfy 0 < min <= max");
  if (!std::has_single_bit(h.lfh_subsegment_max) || h.lfh_subsegment_max < page)
    fail(p, "segment_heap.lfh_subsegment_max must be a power of two of at least a page");
}

// The segment heap's segment contexts: their units and the sizes each serves.
void check_segment_contexts(const Profile& p) {
  const SegmentHeapConfig& h = p.segment_heap;
  const std::uint64_t page = p.page_size.bytes();
  std::uint64_t previous_max = h.vs_max;
  for (const auto& c : h.segments) {
    if (!std::has_single_bit(c.unit_bytes) || c.unit_bytes < page ||
        !std::has_single_bit(c.segment_bytes) || c.segment_bytes < 4 * c.unit_bytes ||
        c.metadata_bytes % c.unit_bytes != 0 || c.metadata_bytes >= c.segment_bytes) {
      fail(p,
           "segment_heap segment contexts need power-of-two units of at least a page, segments "
           "of at least 4 units and metadata of whole units below the segment size");
    }
    if (c.max_allocation < previous_max)
      fail(p, "segment_heap segment contexts must serve growing sizes, above vs_max");
    previous_max = c.max_allocation;
  }
  if (h.lfh_subsegment_max + h.segments[0].metadata_bytes > h.segments[0].segment_bytes ||
      h.vs_subsegment_max > h.segments[0].max_allocation) {
    fail(p, "segment_heap subsegments must be served by the first segment context");
  }
}

// Linux SLUB's kmalloc size classes and partial-slab bounds.
void check_slub(const Profile& p) {
  const std::uint64_t page = p.page_size.bytes();
  if (p.slub.classes.empty()) fail(p, "slub.classes must list the kmalloc size classes");
  std::uint64_t previous = 0;
  for (const auto& c : p.slub.classes) {
    if (c.size <= previous) fail(p, "slub.classes must be in ascending order of size");
    if (c.order > 10 || (page << c.order) < c.size)
      fail(p, "each slub class must fit a slab of 2^order pages (order at most 10)");
    previous = c.size;
  }
  if (p.slub.min_partial_floor > p.slub.min_partial_ceiling)
    fail(p, "slub.min_partial_floor must not exceed slub.min_partial_ceiling");
}

// Physical memory: RAM, page colours, large pages, the pool's page lists and initial pool.
void check_physical(const Profile& p) {
  const std::uint64_t page = p.page_size.bytes();
  if (p.default_ram < (2ull << 20)) fail(p, "default_ram must be at least 2 MiB");
  if (p.page_colors == 0 || p.page_colors > 1024 || !std::has_single_bit(p.page_colors)) {
    fail(p, "page_colors must be a power of two from 1 to 1024");
  }
  if (!std::has_single_bit(p.large_page_bytes) || p.large_page_bytes < page) {
    fail(p, "large_page_bytes must be a power of two of at least a page");
  }
  if (p.pool_free_lists == 0) fail(p, "pool_free_lists must be at least 1");
  if (p.initial_pool == InitialPool::kNt5 && p.initial_pool_maximum < page) {
    fail(p, "initial_pool_maximum must hold at least a page");
  }
  std::uint64_t last_end = 0;
  for (const auto& r : p.default_ram_map) {
    if (r.count.value == 0 || r.first.value < last_end)
      fail(p, "default_ram_map ranges must be sorted, non-empty and non-overlapping");
    last_end = r.first.value + r.count.value;
  }
  if (last_end >= (std::uint64_t{1} << 32)) fail(p, "default_ram_map exceeds 2^32 frames");
}

// The default DMA adapter of AllocateCommonBuffer.
void check_default_adapter(const Profile& p) {
  const AdapterConfig& a = p.default_adapter;
  if (a.map_registers == 0) fail(p, "the default DMA adapter needs a map-register budget");
  if (a.boundary != 0 &&
      (!std::has_single_bit(a.boundary) || a.boundary % p.page_size.bytes() != 0)) {
    fail(p, "the default adapter's boundary must be a power-of-two multiple of the page size");
  }
}

}  // namespace

void Profile::validate() const {
  check_platform(*this);
  check_pool_blocks(*this);
  check_big_tail(*this);
  if (backend == PoolBackend::kSegmentHeap) {
    check_segment_heap_sizes(*this);
    check_segment_contexts(*this);
  }
  if (backend == PoolBackend::kSlub) check_slub(*this);
  check_physical(*this);
  check_default_adapter(*this);
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
