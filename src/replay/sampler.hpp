// The sampler: fragmentation over time. After every N events (or every N ns of trace time) it
// records a TimelineSample: free frames, the largest free runs (all RAM, below 16 MiB, below
// 4 GiB), the free-run histogram by order with mm/vmstat.c's unusable-free-space and
// fragmentation indices per order (docs/model.md §8.2), contiguous requests so far by
// outcome, live bytes and waste, pool pages, and the physical-memory map by owner class; and, for
// each device window followed (device_windows.hpp), its free frames, largest run, histogram,
// indices and map.
//
// The number of samples stays bounded whatever the trace length: when there are more than
// max_samples, consecutive pairs are merged keeping the more extreme sample of each pair (and
// always the samples holding the largest live footprint, the fewest free frames and the smallest
// largest free run), and the interval doubles. Every all-RAM read is O(log frames) or O(buckets +
// orders): nothing scans frames. A device window's histogram walks the window's free runs.
#pragma once

#include <cstdint>
#include <vector>

#include "model/machine.hpp"
#include "replay/results.hpp"

namespace fragreplay::replay {

struct SamplerOptions {
  std::uint64_t every = 1;  // interval between samples
  bool by_time = false;     // every `every` ns of trace time, not every `every` events
  std::size_t max_samples = 512;
};

class Sampler {
 public:
  Sampler(const model::Machine& machine, const SamplerOptions& options);

  // After each replayed event; `results` as the engine has it then. Inline: most events are not
  // due for a sample.
  void after_event(std::uint64_t time_ns, const Results& results) {
    const std::uint64_t now = options_.by_time ? time_ns : results.events;
    if (started_ && now < next_due_) return;
    sample_due(time_ns, results, now);
  }
  // Records the state at the end and hands the timeline to `results`.
  void finish(Results& results);

  // The per-order statistics of the whole machine now (also used by tests).
  static void fill_orders(const model::PhysicalMemory& memory, unsigned orders,
                          TimelineSample& sample);
  // The same figures, and the frame map, over one device window now (docs/measures.md §3.3).
  static void fill_window(const model::PhysicalMemory& memory, const model::WindowMaps::Window& w,
                          WindowSample& sample);

 private:
  // The first event, or one due for a sample: takes it and sets the next due point.
  void sample_due(std::uint64_t time_ns, const Results& results, std::uint64_t now);
  void take(std::uint64_t time_ns, const Results& results);
  void thin();

  const model::Machine& machine_;
  SamplerOptions options_;
  unsigned orders_ = 1;
  std::uint64_t below_16m_ = 0;  // first frame at or above 16 MiB
  std::uint64_t below_4g_ = 0;   // first frame at or above 4 GiB
  std::uint64_t next_due_ = 0;
  bool started_ = false;
  std::uint64_t last_events_ = 0;  // events at the last sample
  std::vector<TimelineSample> samples_;
  std::vector<TimelineSample> spare_;  // thinned-out samples, reused to avoid allocating
};

}  // namespace fragreplay::replay
