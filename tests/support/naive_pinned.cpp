// The frame-by-frame reference for pinned frames (see naive_pinned.hpp).
#include "naive_pinned.hpp"

#include <vector>

namespace fragreplay::model {

NaivePinned naive_pinned(const PhysicalMemory& m, const ContiguousRequest& r, std::uint64_t limit) {
  NaivePinned out;
  const std::uint64_t frames = m.end_frame().value;
  const std::uint64_t n = r.pages.value;
  if (n == 0 || r.lowest > r.highest || r.lowest.value >= frames) return out;
  const std::uint64_t end = r.highest.value >= frames ? frames : r.highest.value + 1;
  const auto usable = [&](std::uint64_t f) {
    return r.cache == CachingType::kMmCached || !m.must_be_cached(Pfn{f});
  };
  const auto range_of = [&](std::uint64_t f) -> const RamRange* {
    for (const RamRange& g : m.ram()) {
      if (g.first.value <= f && f < g.first.value + g.count.value) return &g;
    }
    return nullptr;
  };
  // Could it fit an empty machine: n usable frames of one RAM range inside one boundary block.
  bool can_fit = false;
  for (std::uint64_t s = r.lowest.value; s + n <= end && !can_fit; ++s) {
    const RamRange* g = range_of(s);
    const std::uint64_t b = r.boundary.value;
    bool ok = g != nullptr && s + n <= g->first.value + g->count.value &&
              (b == 0 || ((s ^ (s + n - 1)) & ~(b - 1)) == 0);
    for (std::uint64_t f = s; ok && f < s + n; ++f) ok = usable(f);
    can_fit = ok;
  }
  if (!can_fit) return out;
  std::uint64_t runs = 0;
  for (std::uint64_t f = r.lowest.value; f < end;) {
    if (!usable(f)) {
      ++f;
      continue;
    }
    std::uint64_t piece_end = f;
    while (piece_end < end && usable(piece_end)) ++piece_end;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> free_runs;  // [start, end)
    for (std::uint64_t x = f; x < piece_end; ++x) {
      if (!m.is_free(Pfn{x})) continue;
      std::uint64_t y = x;
      while (y < piece_end && m.is_free(Pfn{y})) ++y;
      free_runs.emplace_back(x, y);
      x = y;
    }
    for (std::size_t i = 0; i < free_runs.size(); ++i) {
      if (++runs > limit) {
        out.truncated = true;
        return out;
      }
      if (i + 1 == free_runs.size()) break;
      const auto [l_lo, l_end] = free_runs[i];
      const auto [r_lo, r_end] = free_runs[i + 1];
      const RamRange* g = range_of(l_end);
      if (r_lo - l_end < n && (r_end - l_lo) >= n && g != nullptr &&
          r_lo <= g->first.value + g->count.value) {
        for (std::uint64_t x = l_end; x < r_lo; ++x) ++out.pinned[m.owner_of(Pfn{x})];
      }
    }
    f = piece_end;
  }
  return out;
}

}  // namespace fragreplay::model
