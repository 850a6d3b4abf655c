// What-if replay: one parsed event stream through several machines in parallel gives, for each,
// exactly what a replay of its own gives; the ring of buffers is exercised with tiny batches; an
// adapter declared mid-trace reaches every engine; the first error stops everything.
#include "replay/what_if.hpp"

#include <gtest/gtest.h>

#include <memory>

#include "base/error.hpp"
#include "test_support.hpp"

namespace fragreplay::replay {
namespace {

const std::vector<std::string> kProfiles{"nt5-x86", "win7-x64", "win8-x64", "win10-19h1-x64"};

model::MachineConfig small_ram(const model::Profile& p) {
  return model::MachineConfig{model::pc_ram_map(Bytes{64 << 20}, p.page_size)};
}

std::unique_ptr<trace::TraceReader> sample() {
  return trace::open_trace(std::string(FRAGREPLAY_SOURCE_DIR) + "/traces/sample-nic.csv", {});
}

void expect_same(const Results& a, const Results& b) {
  EXPECT_EQ(a.profile.name, b.profile.name);
  EXPECT_EQ(a.events, b.events);
  EXPECT_EQ(a.totals, b.totals);
  EXPECT_EQ(a.by_tag, b.by_tag);
  EXPECT_EQ(a.by_routine, b.by_routine);
  EXPECT_EQ(a.peak.live_footprint, b.peak.live_footprint);
  EXPECT_EQ(a.peak.line, b.peak.line);
  EXPECT_EQ(a.end.pool_page_bytes, b.end.pool_page_bytes);
  EXPECT_EQ(a.end.pool_page_slack, b.end.pool_page_slack);
  EXPECT_EQ(a.end.free_frames, b.end.free_frames);
  EXPECT_EQ(a.contiguous.failures_by_cause, b.contiguous.failures_by_cause);
  EXPECT_EQ(a.map_registers_peak, b.map_registers_peak);
  for (unsigned k = 0; k < kAnomalyCount; ++k) {
    EXPECT_EQ(a.data_quality.anomalies[k].count, b.data_quality.anomalies[k].count);
  }
}

TEST(WhatIf, EachProfileGetsWhatItsOwnReplayGives) {
  std::vector<Results> alone;
  for (const auto& name : kProfiles) {
    const model::Profile& p = model::builtin_profile(name);
    model::Machine m(p, small_ram(p));
    auto reader = sample();
    alone.push_back(replay_trace(*reader, m, {}));
  }
  for (const std::size_t batch : {std::size_t{7}, std::size_t{4096}}) {
    std::vector<std::unique_ptr<model::Machine>> machines;
    std::vector<model::Machine*> pointers;
    for (const auto& name : kProfiles) {
      const model::Profile& p = model::builtin_profile(name);
      machines.push_back(std::make_unique<model::Machine>(p, small_ram(p)));
      pointers.push_back(machines.back().get());
    }
    WhatIfOptions options;
    options.batch_events = batch;
    options.slots = 2;
    auto reader = sample();
    const std::vector<Results> together = replay_what_if(*reader, pointers, options);
    ASSERT_EQ(together.size(), kProfiles.size());
    for (std::size_t i = 0; i < kProfiles.size(); ++i) {
      SCOPED_TRACE(kProfiles[i] + " batch " + std::to_string(batch));
      expect_same(together[i], alone[i]);
    }
  }
}

// With a time window (--from / --to) each engine counts what its own windowed replay counts, and
// reading stops with the batch that passes the window's end.
TEST(WhatIf, TimeWindowsAreThoseOfTheSingleReplays) {
  ReplayOptions windowed;
  windowed.window.from_ns = 5'000'000;
  windowed.window.to_ns = 15'000'000;
  std::vector<Results> alone;
  std::vector<std::unique_ptr<model::Machine>> machines;
  std::vector<model::Machine*> pointers;
  for (const auto& name : kProfiles) {
    const model::Profile& p = model::builtin_profile(name);
    model::Machine m(p, small_ram(p));
    auto reader = sample();
    alone.push_back(replay_trace(*reader, m, windowed));
    machines.push_back(std::make_unique<model::Machine>(p, small_ram(p)));
    pointers.push_back(machines.back().get());
  }
  WhatIfOptions options;
  options.replay = windowed;
  auto reader = sample();
  const std::vector<Results> together = replay_what_if(*reader, pointers, options);
  for (std::size_t i = 0; i < kProfiles.size(); ++i) {
    SCOPED_TRACE(kProfiles[i]);
    expect_same(together[i], alone[i]);
    EXPECT_EQ(together[i].window.first_time_ns, alone[i].window.first_time_ns);
    EXPECT_EQ(together[i].window.last_time_ns, alone[i].window.last_time_ns);
  }
}

TEST(WhatIf, AdaptersDeclaredMidTraceReachEveryEngine) {
  const std::string body =
      "0,alloc,ExAllocatePoolWithTag,NonPagedPool,Aaaa,100,0x10,,,,,,,,\n"
      "1,alloc,ExAllocatePoolWithTag,NonPagedPool,Aaaa,100,0x20,,,,,,,,\n"
      "#!adapter name=late highest=0xffffffff map_registers=1\n"
      "2,alloc,AllocateCommonBuffer,,Ring,4096,0x30,,,,,,late,,\n"
      "3,alloc,AllocateCommonBuffer,,Ring,4096,0x40,,,,,,late,,\n";
  std::vector<std::unique_ptr<model::Machine>> machines;
  std::vector<model::Machine*> pointers;
  for (const char* name : {"win7-x64", "win10-19h1-x64"}) {
    const model::Profile& p = model::builtin_profile(name);
    machines.push_back(std::make_unique<model::Machine>(p, small_ram(p)));
    pointers.push_back(machines.back().get());
  }
  auto reader = trace::open_trace(trace::memory_source(testing::native_trace(body), "t.csv"), {});
  WhatIfOptions options;
  options.batch_events = 1;
  options.slots = 1;
  options.replay.check_invariants = true;
  for (const Results& r : replay_what_if(*reader, pointers, options)) {
    ASSERT_EQ(r.adapters.size(), 2u);
    EXPECT_EQ(r.adapters[1].name, "late");
    EXPECT_EQ(r.adapters[1].peak, 1u);
    EXPECT_EQ(r.adapters[1].failures, 1u);
  }
}

TEST(WhatIf, TheFirstErrorStopsEveryThread) {
  std::string body;
  for (int i = 0; i < 200; ++i) {
    body += std::to_string(i) + ",alloc,ExAllocatePoolWithTag,NonPagedPool,Aaaa,100,,,,,,,,,\n";
  }
  body += "200,alloc,Nonsense,,,,,,,,,,,,\n";
  std::vector<std::unique_ptr<model::Machine>> machines;
  std::vector<model::Machine*> pointers;
  for (const char* name : {"win7-x64", "nt5-x86"}) {
    const model::Profile& p = model::builtin_profile(name);
    machines.push_back(std::make_unique<model::Machine>(p, small_ram(p)));
    pointers.push_back(machines.back().get());
  }
  auto reader = trace::open_trace(trace::memory_source(testing::native_trace(body), "t.csv"), {});
  WhatIfOptions options;
  options.batch_events = 16;
  try {
    replay_what_if(*reader, pointers, options);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.where().line, 203u);
  }
}

}  // namespace
}  // namespace fragreplay::replay
