// The report's time window (--from/--to): the model replays everything before the window, the
// report counts only what happens inside it, and nothing after it is read. Footprints follow
// docs/model.md §1.2 for win7-x64: round16(n + 16).
#include <gtest/gtest.h>

#include "replay/engine.hpp"
#include "test_support.hpp"

namespace fragreplay::replay {
namespace {

// File lines: 1 magic, 2 header, then the body from line 3.
const char* kTrace =
    "1000,alloc,ExAllocatePool2,POOL_FLAG_NON_PAGED,A,100,0x10,,,,,,,p1,\n"  // 3: before
    "2000,alloc,ExAllocatePool2,POOL_FLAG_NON_PAGED,A,100,0x20,,,,,,,p1,\n"  // 4: inside
    "2500,free,ExFreePool,,,,0x10,,,,,,,p1,\n"                               // 5: inside
    "3000,alloc,ExAllocatePool2,POOL_FLAG_NON_PAGED,B,200,0x30,,,,,,,p2,\n"  // 6: inside (to)
    "3001,alloc,ExAllocatePool2,POOL_FLAG_NON_PAGED,C,300,0x40,,,,,,,p2,\n"  // 7: after
    "3002,free,ExFreePool,,,,0x20,,,,,,,p2,\n";                              // 8: after

Results replay_window(std::uint64_t from, std::uint64_t to) {
  auto reader = trace::open_trace(trace::memory_source(testing::native_trace(kTrace), "t.csv"),
                                  trace::ReadOptions{trace::BadLinePolicy::kFail});
  model::Machine machine(model::builtin_profile("win7-x64"), {});
  ReplayOptions options;
  options.check_invariants = true;
  options.window = TimeWindow{from, to};
  return replay_trace(*reader, machine, options);
}

TEST(Window, CountsOnlyInsideButReplaysBefore) {
  const Results r = replay_window(2000, 3000);
  EXPECT_TRUE(r.window.active);
  EXPECT_EQ(r.window.events_before, 1u);
  EXPECT_EQ(r.window.first_time_ns, 2000u);
  EXPECT_EQ(r.window.last_time_ns, 3000u);
  EXPECT_EQ(r.events, 3u) << "lines 4-6; line 7 ends the window";
  EXPECT_EQ(r.alloc_events, 2u);
  EXPECT_EQ(r.free_events, 1u);
  EXPECT_EQ(r.totals.allocations, 2u);
  EXPECT_EQ(r.totals.frees, 1u) << "the free of an allocation made before the window counts";
  EXPECT_EQ(r.totals.requested, Bytes{300});
  EXPECT_EQ(r.totals.footprint, Bytes{128 + 224});  // round16(116), round16(216)
  EXPECT_EQ(r.totals.live_footprint, Bytes{128 + 224}) << "live at the window's end";
  ASSERT_EQ(r.tags.size(), 2u) << "C is after the window";
  EXPECT_EQ(r.tags[0], Tag::from_chars("A"));
  EXPECT_EQ(r.by_tag[0].allocations, 1u);
  EXPECT_EQ(r.by_tag[0].frees, 1u);
  EXPECT_EQ(r.by_tag[0].live_allocations, 1u);
  EXPECT_EQ(r.by_tag[1].allocations, 1u);
  // The peak starts from what was live when the window opened (128) and reaches 352 at line 6.
  EXPECT_EQ(r.peak.live_footprint, Bytes{352});
  EXPECT_EQ(r.peak.line, 6u);
  EXPECT_EQ(r.peak.time_ns, 3000u);
  EXPECT_EQ(r.processes, (std::vector<std::string>{"p1", "p2"}));
  ASSERT_EQ(r.processes.size(), 2u);
  EXPECT_EQ(r.by_process[0].allocations, 1u);
  EXPECT_EQ(r.by_process[1].allocations, 1u);
}

TEST(Window, NothingInsideCountsNothingButKeepsTheState) {
  const Results r = replay_window(3000, 3000);
  EXPECT_EQ(r.events, 1u) << "from = to: only the events at that time";
  const Results empty = replay_window(2600, 2900);
  EXPECT_EQ(empty.events, 0u);
  EXPECT_EQ(empty.totals.allocations, 0u);
  EXPECT_EQ(empty.window.events_before, 3u);
  EXPECT_EQ(empty.window.first_time_ns, 0u);
  EXPECT_EQ(empty.end.live_footprint, Bytes{128}) << "A at 0x20 is live in the window";
  EXPECT_EQ(empty.peak.live_footprint, Bytes{128}) << "the state when the window opened";
  EXPECT_EQ(empty.peak.time_ns, 2600u);
  EXPECT_EQ(empty.peak.line, 5u);
  ASSERT_EQ(empty.tags.size(), 1u) << "A holds memory; nothing else happened";
}

TEST(Window, WithoutOneEverythingCounts) {
  auto reader = trace::open_trace(trace::memory_source(testing::native_trace(kTrace), "t.csv"),
                                  trace::ReadOptions{trace::BadLinePolicy::kSkip});
  model::Machine machine(model::builtin_profile("win7-x64"), {});
  const Results r = replay_trace(*reader, machine, ReplayOptions{true, {}, SamplerOptions{}, {}});
  EXPECT_FALSE(r.window.active);
  EXPECT_EQ(r.events, 6u);
  EXPECT_EQ(r.totals.allocations, 4u);
  GroupStats sum;
  for (const GroupStats& g : r.by_process) sum += g;
  EXPECT_EQ(sum, r.totals) << "Σ by_process = totals";
  EXPECT_EQ(r.processes, (std::vector<std::string>{"p1", "p2"}));
}

}  // namespace
}  // namespace fragreplay::replay

namespace fragreplay::replay {
namespace {

// A tag row the window drops takes its pinned frames along; the others keep theirs.
TEST(Window, PinnedFramesFollowTheirTagRows) {
  Results r;
  r.tags = {Tag::from_chars("Aaaa"), Tag::from_chars("Bbbb"), Tag::from_chars("Cccc")};
  r.by_tag.resize(3);
  r.by_tag[0].allocations = 1;
  r.by_tag[2].live_allocations = 1;  // Bbbb did nothing in the window and held nothing
  r.pinned_frames = {0, 5, 7};
  keep_window(r, Results{}, TimeWindow{10, 20});
  ASSERT_EQ(r.tags.size(), 2u);
  EXPECT_EQ(r.tags[1].to_string(), "Cccc");
  EXPECT_EQ(r.pinned_frames, (std::vector<std::uint64_t>{0, 7}));
}

}  // namespace
}  // namespace fragreplay::replay
