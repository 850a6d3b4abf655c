// The fragmentation timeline: per-order histogram and mm/vmstat.c indices worked out by hand
// (docs/model.md §8.2), sampling by events and by trace time, the bound on the number of
// samples with the extremes kept, and the Johnstone-Wilson measures (docs/measures.md §6.2).
#include "replay/sampler.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "model/physical/vmstat_index.hpp"
#include "replay/johnstone_wilson.hpp"
#include "test_support.hpp"

namespace fragreplay::replay {
namespace {

using testing::replay_text;

// Free runs 3, 2, 3, 1, 2 (frames ...#..##...#.#..): pieces n0 = 3 (the 1-bits of 3, 3, 1) and
// n1 = 4 (the 2-bits of 3, 2, 3, 2), 11 free frames, 7 pieces.
//   order 0: everything usable: unusable 0; a block exists: fragmentation -1.
//   order 1: 4 blocks of 2 hold 8 of 11: unusable (11 - 8)·1000/11 = 272; fragmentation -1.
//   order 2: nothing: unusable 1.000; fragmentation 1000 - (1000 + 11000/4)/7 = 1000 - 535 = 465.
TEST(Sampler, OrdersAndVmstatIndicesOfAHandBuiltMap) {
  model::PhysicalMemory m({model::RamRange{Pfn{0}, PageCount{16}}}, PageSize{12}, 0);
  const model::OwnerId o = m.intern_owner({model::OwnerClass::kPool, Tag::from_chars("X")});
  for (const std::uint64_t f : {3ULL, 6ULL, 7ULL, 11ULL, 13ULL})
    m.claim_run(Pfn{f}, PageCount{1}, o);
  TimelineSample s;
  Sampler::fill_orders(m, 3, s);
  EXPECT_EQ(s.free_runs_by_order, (std::vector<std::uint64_t>{3, 4, 0}));
  EXPECT_EQ(s.unusable_index, (std::vector<double>{0.0, 0.272, 1.0}));
  EXPECT_EQ(s.fragmentation_index, (std::vector<double>{-1.0, -1.0, 0.465}));
  // Nothing free: unusable 1 (mm/vmstat.c's special case), fragmentation 0 (no free blocks).
  for (const std::uint64_t f :
       {0ULL, 1ULL, 2ULL, 4ULL, 5ULL, 8ULL, 9ULL, 10ULL, 12ULL, 14ULL, 15ULL})
    m.claim_run(Pfn{f}, PageCount{1}, o);
  Sampler::fill_orders(m, 2, s);
  EXPECT_EQ(s.unusable_index, (std::vector<double>{1.0, 1.0}));
  EXPECT_EQ(s.fragmentation_index, (std::vector<double>{0.0, 0.0}));
}

// fill_orders carves blocks from the top order down in one pass; each order's indices must be
// those of contig_page_info summed for that order alone (mm/vmstat.c's fill_contig_page_info).
TEST(Sampler, OrdersInOnePassMatchTheSumPerOrder) {
  model::PhysicalMemory m({model::RamRange{Pfn{0}, PageCount{4096}}}, PageSize{12}, 0);
  const model::OwnerId o = m.intern_owner({model::OwnerClass::kPool, Tag::from_chars("X")});
  // Frames taken at growing gaps leave free runs of 1 to 1,000+ frames: every order 0-10 occurs.
  for (std::uint64_t f = 0, gap = 1; f < 4096; f += gap + 1, gap = gap * 3 / 2 + 1)
    m.claim_run(Pfn{f}, PageCount{1}, o);
  TimelineSample s;
  Sampler::fill_orders(m, 13, s);
  ASSERT_EQ(s.free_runs_by_order.size(), 13u);
  for (unsigned j = 0; j < 13; ++j) {
    const model::ContigPageInfo info = model::contig_page_info(s.free_runs_by_order, j);
    EXPECT_EQ(s.unusable_index[j], model::unusable_free_index(j, info) / 1000.0) << "order " << j;
    EXPECT_EQ(s.fragmentation_index[j], model::fragmentation_index(j, info) / 1000.0)
        << "order " << j;
  }
  // Not all trivially -1 or 1: some orders have no block (a request of them would fail).
  EXPECT_GT(s.fragmentation_index[12], 0.0);
  EXPECT_LT(s.fragmentation_index[0], 0.0);
}

// Event 5 allocates 64 KiB and event 6 frees it; the rest is small pool churn.
std::string churn_with_an_early_peak(int events) {
  std::string body;
  for (int i = 1; i <= events; ++i) {
    const std::string t = std::to_string(i * 1000);
    if (i == 5) {
      body += t + ",alloc,ExAllocatePoolWithTag,NonPagedPool,Big,65536,0x99,,,,,,,,\n";
    } else if (i == 6) {
      body += t + ",free,ExFreePool,,,,0x99,,,,,,,,\n";
    } else if (i % 2 == 1) {
      body += t + ",alloc,ExAllocatePoolWithTag,NonPagedPool,Tag1,100," +
              std::to_string(0x10 + i % 7) + ",,,,,,,,\n";
    } else {
      body += t + ",free,ExFreePool,,,," + std::to_string(0x10 + (i - 1) % 7) + ",,,,,,,,\n";
    }
  }
  return body;
}

// Every event is sampled up to the bound (16); past it the samples are thinned to about half and
// the interval doubles, so the count stays bounded. The sample of event 5, the largest live
// footprint, survives every thinning; the last sample is the end state.
TEST(Sampler, BoundedWithTheExtremesKept) {
  ReplayOptions options;
  options.sampling = SamplerOptions{1, false, 16};
  auto reader = trace::open_trace(
      trace::memory_source(testing::native_trace(churn_with_an_early_peak(400)), "t.csv"), {});
  model::Machine machine(model::builtin_profile("win7-x64"), {});
  const Results r = replay_trace(*reader, machine, options);
  EXPECT_LE(r.timeline.size(), 17u);
  EXPECT_GE(r.timeline.size(), 8u);
  EXPECT_EQ(r.timeline.front().events, 1u);
  EXPECT_EQ(r.timeline.back().events, 400u);
  EXPECT_GT(r.timeline_every, 1u);
  const auto peak = std::find_if(r.timeline.begin(), r.timeline.end(),
                                 [](const TimelineSample& s) { return s.events == 5; });
  ASSERT_NE(peak, r.timeline.end());
  EXPECT_EQ(peak->live_footprint, r.peak.live_footprint);
  for (std::size_t i = 1; i < r.timeline.size(); ++i) {
    EXPECT_LT(r.timeline[i - 1].events, r.timeline[i].events);
  }
}

// By trace time: samples when the time reaches the next multiple of the interval after the first
// sample (0): events at 0, 1, 2.5, 7 and 7.5 ms every 2 ms sample at 0, 2.5 (>= 2) and 7 (>= 4);
// the end (7.5) is added.
TEST(Sampler, ByTraceTime) {
  ReplayOptions options;
  options.sampling = SamplerOptions{2000000, true, 512};
  const std::string body =
      "0,alloc,ExAllocatePoolWithTag,NonPagedPool,Aaaa,100,0x10,,,,,,,,\n"
      "1000000,alloc,ExAllocatePoolWithTag,NonPagedPool,Aaaa,100,0x20,,,,,,,,\n"
      "2500000,alloc,ExAllocatePoolWithTag,NonPagedPool,Aaaa,100,0x30,,,,,,,,\n"
      "7000000,alloc,ExAllocatePoolWithTag,NonPagedPool,Aaaa,100,0x40,,,,,,,,\n"
      "7500000,alloc,ExAllocatePoolWithTag,NonPagedPool,Aaaa,100,0x50,,,,,,,,\n";
  auto reader = trace::open_trace(trace::memory_source(testing::native_trace(body), "t.csv"), {});
  model::Machine machine(model::builtin_profile("win7-x64"), {});
  const Results r = replay_trace(*reader, machine, options);
  std::vector<std::uint64_t> times;
  for (const auto& s : r.timeline) times.push_back(s.time_ns);
  EXPECT_EQ(times, (std::vector<std::uint64_t>{0, 2500000, 7000000, 7500000}));
  EXPECT_TRUE(r.timeline_by_time);
  EXPECT_EQ(r.timeline[1].live_footprint, Bytes{3 * 128});
}

// Used U = pool pages + page-granular bytes, live L = requested bytes (win7-x64):
//   after 1: one pool page for 100 B: 4096 / 100 = 40.96
//   after 2: + a noncached page: 8192 / 4196 = 1.952...
//   after 3: the 100 B block freed to a lookaside list, its page kept: 8192 / 4096 = 2
// mean (40.96 + 1.9523 + 2) / 3; the live and used peaks are both at event 2.
TEST(Sampler, JohnstoneWilsonMeasures) {
  model::MachineConfig small;
  small.ram = {model::RamRange{Pfn{256}, PageCount{4096}}};
  const Results r = replay_text(
      "0,alloc,ExAllocatePoolWithTag,NonPagedPool,Aaaa,100,0x10,,,,,,,,\n"
      "1,alloc,MmAllocateNonCachedMemory,,Bbbb,4096,0x20,,,,,,,,\n"
      "2,free,ExFreePool,,,,0x10,,,,,,,,\n",
      "win7-x64", small);
  const FragmentationMeasures& m = r.fragmentation;
  EXPECT_DOUBLE_EQ(m.mean_over_time, (4096.0 / 100 + 8192.0 / 4196 + 8192.0 / 4096) / 3);
  EXPECT_DOUBLE_EQ(m.at_peak_live, 8192.0 / 4196);
  EXPECT_DOUBLE_EQ(m.at_peak_used, 8192.0 / 4196);
  EXPECT_DOUBLE_EQ(m.peak_over_peak, 8192.0 / 4196);
  EXPECT_EQ(m.peak_used, Bytes{8192});
  JohnstoneWilson none;
  EXPECT_EQ(none.result().mean_over_time, 0.0) << "nothing live: undefined, reported as 0";
}

}  // namespace
}  // namespace fragreplay::replay
