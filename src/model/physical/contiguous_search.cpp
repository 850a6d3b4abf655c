// The contiguous search of the MmAllocateContiguousMemory* family on the free-run index, and the
// explanation of a failure (see physical_memory.hpp; docs/model.md §5.3, §8.2).
#include <algorithm>
#include <bit>
#include <stdexcept>

#include "model/physical/physical_memory.hpp"
#include "model/physical/vmstat_index.hpp"

namespace fragreplay::model {

template <typename F>
bool PhysicalMemory::for_each_usable(std::uint64_t lo, std::uint64_t end, bool cached,
                                     F&& f) const {
  end = std::min<std::uint64_t>(end, state_.size());
  if (lo >= end) return false;
  if (cached || cached_ranges_.empty()) return f(lo, end);
  std::uint64_t p = lo;
  for (const auto& [first, stop] : cached_ranges_) {
    if (stop <= p) continue;
    if (first >= end) break;
    if (first > p && f(p, first)) return true;
    p = std::max(p, stop);
    if (p >= end) return false;
  }
  return p < end && f(p, end);
}

namespace {

std::uint64_t window_end(const ContiguousRequest& r, std::uint64_t frames) {
  return r.highest.value >= frames ? frames : r.highest.value + 1;
}

}  // namespace

bool PhysicalMemory::window_can_fit(const ContiguousRequest& r) const {
  const std::uint64_t n = r.pages.value;
  const std::uint64_t b = r.boundary.value;
  if (b != 0 && n > b) return false;
  const std::uint64_t end = window_end(r, state_.size());
  for (const auto& range : ram_) {
    const std::uint64_t lo = std::max(r.lowest.value, range.first.value);
    const std::uint64_t hi = std::min(end, range.first.value + range.count.value);
    if (lo >= hi) continue;
    const bool fits = for_each_usable(lo, hi, cached_request(r.cache), [&](auto s, auto e) {
      if (e - s < n) return false;
      if (b == 0 || ((s ^ (s + n - 1)) & ~(b - 1)) == 0) return true;
      const std::uint64_t next = (s | (b - 1)) + 1;  // the first multiple of b above s
      return next + n <= e;
    });
    if (fits) return true;
  }
  return false;
}

std::optional<Pfn> PhysicalMemory::find_contiguous(const ContiguousRequest& r) const {
  const std::uint64_t n = r.pages.value;
  const std::uint64_t end = window_end(r, state_.size());
  const bool up = r.direction == ScanDirection::kAscending;
  if (n == 0 || r.lowest.value >= end) return std::nullopt;
  std::optional<std::uint64_t> found;
  if (up || cached_request(r.cache) || cached_ranges_.empty()) {
    // Ascending: sub-windows come lowest first, and the first hit is the lowest start.
    // Descending with one window: the single search finds the highest.
    for_each_usable(r.lowest.value, end, cached_request(r.cache), [&](auto s, auto e) {
      found = index_.find(s, e, n, r.boundary.value, up);
      return found.has_value();
    });
  } else {
    // Descending over several sub-windows: the last hit is the highest.
    for_each_usable(r.lowest.value, end, false, [&](auto s, auto e) {
      if (const auto f = index_.find(s, e, n, r.boundary.value, false)) found = f;
      return false;
    });
  }
  if (!found) return std::nullopt;
  return Pfn{*found};
}

FreeRunIndex::Summary PhysicalMemory::window_summary(const ContiguousRequest& r) const {
  FreeRunIndex::Summary total;
  std::uint64_t pieces = 0;
  for_each_usable(r.lowest.value, window_end(r, state_.size()), cached_request(r.cache),
                  [&](auto s, auto e) {
                    const FreeRunIndex::Summary w = index_.summarize(s, e);
                    total.count += w.count;
                    total.best = std::max(total.best, w.best);
                    total.len += w.len;
                    pieces += w.pieces();
                    return false;
                  });
  total.inner = pieces;  // reused here: the window's power-of-two pieces
  return total;
}

ContiguousResult PhysicalMemory::take_contiguous(const ContiguousRequest& r, OwnerId owner) {
  ContiguousResult result;
  const std::uint64_t n = r.pages.value;
  auto fail = [&](ContiguousFailure why) {
    result.failure = why;
    if (r.lowest <= r.highest && r.lowest.value < state_.size()) {
      const FreeRunIndex::Summary s = window_summary(r);
      result.free_in_window = PageCount{s.count};
      result.largest_free_run_in_window = PageCount{s.best};
    }
    return result;
  };
  if (n == 0 || r.lowest > r.highest || !window_can_fit(r)) {
    return fail(ContiguousFailure::kConstraint);
  }
  // Availability floor (§5.2): never take the last reserve_pages frames.
  const std::uint64_t free = index_.free_count();
  if (free < policy_.reserve_pages || n > free - policy_.reserve_pages) {
    return fail(ContiguousFailure::kExhaustion);
  }
  const std::optional<Pfn> start = find_contiguous(r);
  if (!start) {
    const FreeRunIndex::Summary s = window_summary(r);
    return fail(s.count < n ? ContiguousFailure::kExhaustion : ContiguousFailure::kFragmentation);
  }
  take_run(start->value, start->value + n, owner, r.cache);
  index_.set_range_used(start->value, n);
  result.first = start;
  return result;
}

// ---------------------------------------------------------------------------------------------
// Explaining a failure

void PhysicalMemory::tally(std::vector<std::pair<OwnerId, std::uint64_t>>& out, OwnerId owner,
                           std::uint64_t frames) {
  for (auto& [o, n] : out) {
    if (o == owner) {
      n += frames;
      return;
    }
  }
  out.emplace_back(owner, frames);
}

void PhysicalMemory::find_candidate(const ContiguousRequest& r, ContiguousDiagnosis& d) {
  const std::uint64_t n = r.pages.value;
  const bool up = r.direction == ScanDirection::kAscending;
  // The sub-window holding the longest run (the first such in scan order).
  std::uint64_t best = 0, win_lo = 0, win_end = 0;
  for_each_usable(r.lowest.value, window_end(r, state_.size()), cached_request(r.cache),
                  [&](auto s, auto e) {
                    const std::uint64_t b = index_.summarize(s, e).best;
                    if (b > best || (b == best && b != 0 && !up)) {
                      best = b;
                      win_lo = s;
                      win_end = e;
                    }
                    return false;
                  });
  if (best == 0) return;
  const std::uint64_t a = *index_.find(win_lo, win_end, best, 0, up);
  // The segment a placement containing the run must stay in: its RAM range, the window and the
  // boundary block of the run's first frame.
  std::uint64_t seg_lo = win_lo, seg_end = win_end;
  for (const auto& range : ram_) {
    if (range.first.value <= a && a < range.first.value + range.count.value) {
      seg_lo = std::max(seg_lo, range.first.value);
      seg_end = std::min(seg_end, range.first.value + range.count.value);
    }
  }
  if (const std::uint64_t b = r.boundary.value; b != 0) {
    seg_lo = std::max(seg_lo, a & ~(b - 1));
    seg_end = std::min(seg_end, (a & ~(b - 1)) + b);
  }
  if (seg_end - seg_lo < n) return;
  const std::uint64_t run_lo = std::max(a, seg_lo);
  const std::uint64_t run_end = std::min(a + best, seg_end);
  std::uint64_t s_lo, s_hi;
  if (run_end - run_lo >= n) {
    s_lo = s_hi = up ? run_lo : run_end - n;
  } else {
    s_lo = run_end >= seg_lo + n ? run_end - n : seg_lo;
    s_hi = std::min(run_lo, seg_end - n);
  }
  // Slide an n-frame placement over [s_lo, s_hi], keeping the one with the most free frames
  // (the first in scan order on ties).
  std::uint64_t count = index_.summarize(s_lo, s_lo + n).count;
  std::uint64_t best_s = s_lo, best_count = count;
  for (std::uint64_t s = s_lo + 1; s <= s_hi; ++s) {
    count += (index_.is_free(s + n - 1) ? 1 : 0);
    count -= (index_.is_free(s - 1) ? 1 : 0);
    if (count > best_count || (count == best_count && !up)) {
      best_count = count;
      best_s = s;
    }
  }
  d.candidate = Pfn{best_s};
  d.candidate_free = PageCount{best_count};
  for (std::uint64_t f = index_.next_used(best_s, best_s + n); f < best_s + n;
       f = index_.next_used(f + 1, best_s + n)) {
    tally(d.blockers, owner_of(Pfn{f}), 1);
  }
}

// The pairs of free runs a used stretch splits (ContiguousDiagnosis::pinned). The index reports
// every pair of consecutive runs of each usable window that spans n frames, among the first
// `limit` runs of the request's windows (free_run_pairs.cpp); each is checked exactly here.
void PhysicalMemory::count_pinned(const ContiguousRequest& r, std::uint64_t limit,
                                  ContiguousDiagnosis& d) {
  const std::uint64_t n = r.pages.value;
  FreeRunIndex::PairWalk walk{n, limit};
  // The end of the RAM range holding frame f (no bound when none does), found by a cursor:
  // stretches come in ascending order, and ram_ is sorted.
  std::size_t g = 0;
  const auto ram_end_of = [&](std::uint64_t f) {
    while (g < ram_.size() && ram_[g].first.value + ram_[g].count.value <= f) ++g;
    if (g == ram_.size() || ram_[g].first.value > f) return ~std::uint64_t{0};
    return ram_[g].first.value + ram_[g].count.value;
  };
  for_each_usable(r.lowest.value, window_end(r, state_.size()), cached_request(r.cache),
                  [&](auto lo, auto end) {
                    pair_spans_.clear();
                    const bool stop = index_.wide_pairs(lo, end, walk, pair_spans_);
                    // Free runs [p, left_end) and [q, q_end) with the used stretch between them.
                    for (const auto& [p, q, q_end] : pair_spans_) {
                      const std::uint64_t left_end = index_.free_run_from(p, end).second;
                      const std::uint64_t stretch = q - left_end;
                      const std::uint64_t right = q_end - q;
                      // The stretch must be short (freeing it would join the runs into one that
                      // fits), frames in use (no hole), and end in the RAM range it starts in.
                      if (stretch < n && (left_end - p) + stretch + right >= n &&
                          is_ram(Pfn{left_end}) && q <= ram_end_of(left_end)) {
                        // Owners in stretches of frames, each stretch tallied once.
                        for (std::uint64_t f = left_end; f < q;) {
                          const OwnerId owner = owner_of(Pfn{f});
                          std::uint64_t next = f + 1;
                          while (next < q && owner_of(Pfn{next}) == owner) ++next;
                          tally(d.pinned, owner, next - f);
                          f = next;
                        }
                      }
                    }
                    return stop;
                  });
  d.pinned_truncated = walk.truncated;
}

const ContiguousDiagnosis& PhysicalMemory::diagnose(const ContiguousRequest& r,
                                                    std::uint64_t pinned_run_limit) {
  ContiguousDiagnosis& d = diagnosis_;
  d.order = 0;
  d.fragmentation_index = 0;
  d.candidate.reset();
  d.candidate_free = PageCount{0};
  d.blockers.clear();
  d.pinned.clear();
  d.pinned_truncated = false;
  const std::uint64_t n = r.pages.value;
  if (n == 0 || r.lowest > r.highest || r.lowest.value >= state_.size()) return d;
  d.order = static_cast<unsigned>(std::bit_width(n - 1));
  const FreeRunIndex::Summary w = window_summary(r);
  // Maximal runs cut into power-of-two pieces: blocks of 2^order exist iff a run is that long.
  ContigPageInfo info;
  info.free_pages = w.count;
  info.free_blocks_total = w.inner;
  info.free_blocks_suitable = w.best >= (std::uint64_t{1} << d.order) ? 1 : 0;
  d.fragmentation_index = fragmentation_index(d.order, info);
  if (!window_can_fit(r)) return d;
  find_candidate(r, d);
  count_pinned(r, pinned_run_limit, d);
  const auto by_frames = [](const auto& x, const auto& y) {
    return x.second != y.second ? x.second > y.second : x.first < y.first;
  };
  std::sort(d.blockers.begin(), d.blockers.end(), by_frames);
  std::sort(d.pinned.begin(), d.pinned.end(), by_frames);
  return d;
}

PageCount PhysicalMemory::free_in(Pfn lo, Pfn hi) const {
  const std::uint64_t end = hi.value >= state_.size() ? state_.size() : hi.value + 1;
  return PageCount{index_.summarize(lo.value, end).count};
}

PageCount PhysicalMemory::largest_free_run_in(Pfn lo, Pfn hi) const {
  const std::uint64_t end = hi.value >= state_.size() ? state_.size() : hi.value + 1;
  return PageCount{index_.summarize(lo.value, end).best};
}

}  // namespace fragreplay::model
