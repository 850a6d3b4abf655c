// The frame-by-frame reference search (see naive_contiguous.hpp).
#include "naive_contiguous.hpp"

#include <algorithm>
#include <bit>

namespace fragreplay::model {

std::optional<Pfn> naive_find_contiguous(const PhysicalMemory& memory, const ContiguousRequest& r) {
  const std::uint64_t n = r.pages.value;
  const std::uint64_t b = r.boundary.value;
  const std::uint64_t mask = b == 0 ? 0 : ~(b - 1);
  const bool up = r.direction == ScanDirection::kAscending;
  const bool cached = r.cache == CachingType::kMmCached;
  const auto& ram = memory.ram();
  if (n == 0 || r.lowest > r.highest) return std::nullopt;
  for (std::size_t k = 0; k < ram.size(); ++k) {
    const RamRange& range = ram[up ? k : ram.size() - 1 - k];
    const std::uint64_t lo = std::max(r.lowest.value, range.first.value);
    const std::uint64_t hi = std::min(r.highest.value, range.first.value + range.count.value - 1);
    if (lo > hi || hi - lo + 1 < n) continue;
    std::uint64_t found = 0;
    for (std::uint64_t i = 0; i <= hi - lo; ++i) {
      const std::uint64_t p = up ? lo + i : hi - i;
      const Pfn f{p};
      if (!memory.is_free(f) || (!cached && memory.must_be_cached(f))) {
        found = 0;
        continue;
      }
      if (found == 0 && b != 0) {
        if (!up && p < lo + n - 1) break;  // not enough room below
        const std::uint64_t first = up ? p : p - (n - 1);
        if (((first ^ (first + n - 1)) & mask) != 0) continue;
      }
      if (++found == n) return Pfn{up ? p - (n - 1) : p};
    }
  }
  return std::nullopt;
}

NaiveWindow naive_window(const PhysicalMemory& memory, Pfn lo, Pfn hi) {
  NaiveWindow w;
  std::uint64_t run = 0;
  const std::uint64_t end = std::min(hi.value + 1, memory.end_frame().value);
  for (std::uint64_t f = lo.value; f <= end; ++f) {
    if (f < end && memory.is_free(Pfn{f})) {
      ++run;
      ++w.free;
      continue;
    }
    w.longest = std::max(w.longest, run);
    w.pieces += static_cast<std::uint64_t>(std::popcount(run));
    run = 0;
  }
  return w;
}

}  // namespace fragreplay::model
