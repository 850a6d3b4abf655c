// Boot-time layout (see boot_layout.hpp). WRK sources: mm/i386/init386.c, mm/amd64/initamd.c
// (sizing and placement of the initial nonpaged pool), mm/allocpag.c MiInitializeNonPagedPool and
// mm/mminit.c (page allocator limits).
#include "model/physical/boot_layout.hpp"

#include <algorithm>
#include <bit>

namespace fragreplay::model {

namespace {

std::uint64_t ram_frames(const std::vector<RamRange>& ram) {
  std::uint64_t n = 0;
  for (const auto& r : ram) n += r.count.value;
  return n;
}

// splitmix64: a tiny generator whose output is the same on every platform.
struct SplitMix64 {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n] (n + 1 values); the tiny modulo bias does not matter for a layout.
  std::uint64_t upto(std::uint64_t n) { return next() % (n + 1); }
};

}  // namespace

std::optional<InitialPoolPlacement> place_initial_pool(const Profile& profile,
                                                       const std::vector<RamRange>& ram) {
  if (profile.initial_pool != InitialPool::kNt5 || ram.empty()) return std::nullopt;
  const std::uint64_t page = profile.page_size.bytes();
  const std::uint64_t total = ram_frames(ram);
  const bool large_pages = total * page > profile.large_page_min_ram;
  std::uint64_t size = 0;
  if (!large_pages) size = profile.initial_pool_small_machine;
  if (size / page > 7 * (total >> 3)) size = 0;  // more than 7/8 of memory: reset
  if (size < profile.initial_pool_minimum) {
    const std::uint64_t above = profile.initial_pool_free_above / page;
    const std::uint64_t mb = (1ull << 20) / page;
    size = profile.initial_pool_minimum +
           (total > above ? (total - above) / mb : 0) * profile.initial_pool_per_mb;
  }
  size = std::min(size, profile.initial_pool_maximum);
  const auto largest = std::max_element(ram.begin(), ram.end(), [](const auto& a, const auto& b) {
    return a.count < b.count;  // the first of equal ranges wins
  });
  const std::uint64_t pages = std::min(size / page, largest->count.value / 2);
  if (pages == 0) return std::nullopt;
  const std::uint64_t lo = largest->first.value;
  const std::uint64_t end = lo + largest->count.value;
  InitialPoolPlacement p{Pfn{lo}, PageCount{pages}, false};
  if (large_pages) {
    const std::uint64_t lp = profile.large_page_bytes / page;
    const std::uint64_t base = round_up_pow2(lo, lp);
    std::uint64_t first = base;
    if (base != lo && end % lp == 0) first = end - pages;
    if (first + pages <= end) p = InitialPoolPlacement{Pfn{first}, PageCount{pages}, true};
  }
  return p;
}

PoolPagesConfig pool_pages_config(const Profile& profile, PageCount frames,
                                  const std::optional<InitialPoolPlacement>& initial) {
  PoolPagesConfig c;
  if (initial) {
    c.initial_first = initial->first;
    c.initial_pages = initial->pages;
    c.initial_large_pages = initial->large_pages;
  }
  const std::uint64_t bytes = profile.page_size.bytes_of(frames).value;
  c.slist_depth = profile.pool_slist_depth;
  if (bytes >= (2ull << 30)) {
    c.slist_depth <<= 3;
  } else if (bytes >= (1ull << 30)) {
    c.slist_depth <<= 1;
  }
  c.run_lists = profile.pool_free_lists;
  c.expansion_keep_pages = profile.pool_expansion_keep;
  c.freed_expansion_max = bytes > 1000ull * (1 << 20) ? 300 : bytes > 500ull * (1 << 20) ? 100 : 5;
  return c;
}

std::uint64_t occupy_background(PhysicalMemory& memory, unsigned percent, std::uint64_t seed,
                                OwnerId owner) {
  percent = std::min(percent, 100u);
  const FreeRunIndex& index = memory.index();
  const std::uint64_t want = std::min<std::uint64_t>(memory.total_frames().value * percent / 100,
                                                     memory.free_frames().value);
  if (want == 0) return 0;
  SplitMix64 rng{seed};
  constexpr std::uint64_t kMeanExtent = 5;  // Σ 2^j · 2^-(j+1) over j = 0..9, rounded
  const std::uint64_t gap_mean = kMeanExtent * (100 - percent) / percent;
  const std::uint64_t end = memory.end_frame().value;
  std::uint64_t held = 0;
  while (held < want) {
    const std::uint64_t before = held;
    // One walk up RAM: an extent, a gap, an extent, ... over frames still free.
    std::uint64_t f = index.next_free(rng.upto(gap_mean), end);
    while (f < end && held < want) {
      const auto j = static_cast<unsigned>(std::countr_zero(rng.next() | (1ull << 9)));
      std::uint64_t len = std::min<std::uint64_t>(std::uint64_t{1} << j, want - held);
      len = std::min(len, index.free_from(f));
      memory.claim_run(Pfn{f}, PageCount{len}, owner);
      held += len;
      f = index.next_free(f + len + rng.upto(2 * gap_mean), end);
    }
    if (held == before) break;  // nothing free is left
  }
  return held;
}

}  // namespace fragreplay::model
