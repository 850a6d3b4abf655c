// The fragmentation timeline (see sampler.hpp).
#include "replay/sampler.hpp"

#include <algorithm>
#include <bit>

#include "model/physical/vmstat_index.hpp"

namespace fragreplay::replay {

Sampler::Sampler(const model::Machine& machine, const SamplerOptions& options)
    : machine_(machine), options_(options) {
  if (options_.every == 0) options_.every = 1;
  options_.max_samples = std::max<std::size_t>(options_.max_samples, 4);
  const model::PhysicalMemory& memory = machine.memory();
  std::uint64_t largest = 1;
  for (const auto& r : memory.ram()) largest = std::max(largest, r.count.value);
  orders_ = static_cast<unsigned>(std::bit_width(largest));
  const PageSize ps = memory.page_size();
  below_16m_ = ps.frame_of(PhysAddr{16ull << 20}).value;
  below_4g_ = ps.frame_of(PhysAddr{4ull << 30}).value;
}

namespace {

// Both indices for every order from the histogram `runs` (its size is the number of orders).
void fill_indices(const std::vector<std::uint64_t>& runs, std::vector<double>& unusable,
                  std::vector<double>& fragmentation) {
  const auto orders = static_cast<unsigned>(runs.size());
  unusable.resize(orders);
  fragmentation.resize(orders);
  // The totals are the same for every order, and the blocks of order j that could be carved are
  // n_j plus twice those of order j + 1 (Σ_{k >= j} n_k 2^(k - j)): one pass from the top order
  // down instead of contig_page_info's sum per order.
  model::ContigPageInfo info = model::contig_page_info(runs, orders);
  for (unsigned j = orders; j-- > 0;) {
    info.free_blocks_suitable = runs[j] + 2 * info.free_blocks_suitable;
    unusable[j] = model::unusable_free_index(j, info) / 1000.0;
    fragmentation[j] = model::fragmentation_index(j, info) / 1000.0;
  }
}

}  // namespace

void Sampler::fill_orders(const model::PhysicalMemory& memory, unsigned orders, TimelineSample& s) {
  const auto& counts = memory.index().order_counts();
  s.free_runs_by_order.assign(counts.begin(), counts.begin() + orders);
  fill_indices(s.free_runs_by_order, s.unusable_index, s.fragmentation_index);
}

void Sampler::fill_window(const model::PhysicalMemory& memory, const model::WindowMaps::Window& w,
                          WindowSample& s) {
  // The window's free runs, clipped to it, each split into power-of-two pieces as the all-RAM
  // histogram is (model::FreeRunIndex::order_counts): a walk over its runs, a few instructions
  // each (FreeRunIndex::free_run_from).
  const model::FreeRunIndex& index = memory.index();
  const auto orders = static_cast<unsigned>(std::bit_width(w.end - w.first));
  s.free_runs_by_order.assign(orders, 0);
  std::uint64_t free = 0;
  std::uint64_t best = 0;
  for (std::uint64_t f = w.first; f < w.end;) {
    const auto [lo, hi] = index.free_run_from(f, w.end);
    if (lo >= hi) break;
    const std::uint64_t n = hi - lo;
    free += n;
    best = std::max(best, n);
    for (std::uint64_t bits = n; bits != 0; bits &= bits - 1) {
      ++s.free_runs_by_order[static_cast<unsigned>(std::countr_zero(bits))];
    }
    f = hi;
  }
  s.free_frames = PageCount{free};
  s.largest_free_run = PageCount{best};
  fill_indices(s.free_runs_by_order, s.unusable_index, s.fragmentation_index);
  w.map.shares(s.frame_shares);
}

void Sampler::take(std::uint64_t time_ns, const Results& r) {
  TimelineSample s;
  if (!spare_.empty()) {
    s = std::move(spare_.back());
    spare_.pop_back();
  }
  const model::PhysicalMemory& memory = machine_.memory();
  const model::FreeRunIndex& index = memory.index();
  s.time_ns = time_ns;
  s.events = r.events;
  s.live_requested = r.totals.live_requested;
  s.live_footprint = r.totals.live_footprint;
  s.live_waste = r.totals.live_waste;
  s.pool_page_bytes = memory.page_size().bytes_of(machine_.usage().pool.pages);
  s.free_frames = memory.free_frames();
  s.largest_free_run = PageCount{index.summarize(0, index.frames()).best};
  s.largest_free_run_below_16m = PageCount{index.summarize(0, below_16m_).best};
  s.largest_free_run_below_4g = PageCount{index.summarize(0, below_4g_).best};
  fill_orders(memory, orders_, s);
  s.contiguous_requests = r.contiguous.requests;
  s.contiguous_failures = r.contiguous.failures;
  s.contiguous_failures_by_cause = r.contiguous.failures_by_cause;
  memory.occupancy().draw(s.frame_map);
  memory.occupancy().shares(s.frame_shares);
  const auto& windows = memory.window_maps().windows();
  s.windows.resize(windows.size());
  for (std::size_t i = 0; i < windows.size(); ++i) fill_window(memory, windows[i], s.windows[i]);
  samples_.push_back(std::move(s));
  last_events_ = r.events;
  if (samples_.size() > options_.max_samples) thin();
}

void Sampler::sample_due(std::uint64_t time_ns, const Results& r, std::uint64_t now) {
  if (!started_) {
    started_ = true;
    next_due_ = now;
  }
  take(time_ns, r);
  // The next multiple of the interval after now, counted from the first sample.
  next_due_ += ((now - next_due_) / options_.every + 1) * options_.every;
}

void Sampler::thin() {
  // Keep the first sample, the last, and the samples holding the extremes; from every other pair
  // the one with more extremes (larger live footprint, fewer free frames, smaller largest run),
  // the later on ties.
  const auto pick = [&](auto better) {
    return static_cast<std::size_t>(std::min_element(samples_.begin(), samples_.end(), better) -
                                    samples_.begin());
  };
  const std::size_t most_live =
      pick([](const auto& a, const auto& b) { return a.live_footprint > b.live_footprint; });
  const std::size_t least_free =
      pick([](const auto& a, const auto& b) { return a.free_frames < b.free_frames; });
  const std::size_t least_run =
      pick([](const auto& a, const auto& b) { return a.largest_free_run < b.largest_free_run; });
  const auto kept = [&](std::size_t i) {
    return i == most_live || i == least_free || i == least_run || i + 1 == samples_.size();
  };
  const auto score = [](const TimelineSample& a, const TimelineSample& b) {
    return (a.live_footprint > b.live_footprint ? 1 : 0) + (a.free_frames < b.free_frames ? 1 : 0) +
           (a.largest_free_run < b.largest_free_run ? 1 : 0);
  };
  std::vector<TimelineSample> out;
  out.reserve(samples_.size() / 2 + 4);
  out.push_back(std::move(samples_[0]));
  std::size_t i = 1;
  for (; i + 1 < samples_.size(); i += 2) {
    TimelineSample& a = samples_[i];
    TimelineSample& b = samples_[i + 1];
    const bool keep_a = kept(i);
    const bool keep_b = kept(i + 1);
    if (keep_a || keep_b) {
      if (keep_a)
        out.push_back(std::move(a));
      else
        spare_.push_back(std::move(a));
      if (keep_b)
        out.push_back(std::move(b));
      else
        spare_.push_back(std::move(b));
      continue;
    }
    if (score(a, b) > score(b, a)) {
      out.push_back(std::move(a));
      spare_.push_back(std::move(b));
    } else {
      out.push_back(std::move(b));
      spare_.push_back(std::move(a));
    }
  }
  if (i < samples_.size()) out.push_back(std::move(samples_[i]));
  samples_ = std::move(out);
  options_.every *= 2;
}

void Sampler::finish(Results& results) {
  if (started_ && last_events_ != results.events) take(results.last_time_ns, results);
  if (!started_) take(results.last_time_ns, results);
  results.timeline = std::move(samples_);
  results.timeline_every = options_.every;
  results.timeline_by_time = options_.by_time;
  samples_.clear();
}

}  // namespace fragreplay::replay
