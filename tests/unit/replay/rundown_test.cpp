// Allocations that predate the trace (rundown snapshots, Event::rundown): they are placed in the
// model and the live table, so their frees are known, but counted apart (Results::rundown) and in
// none of totals, by_tag, by_routine or the peak. A snapshot entry at an address the trace has
// already allocated is a duplicate and skipped; one the model refuses makes its free a free of a
// refused allocation.
#include <gtest/gtest.h>

#include "replay/engine.hpp"
#include "test_support.hpp"

namespace fragreplay::replay {
namespace {

using testing::replay_text;

TEST(Rundown, SeedsTheLiveTableWithoutCountingAsTraceAllocations) {
  const Results r = replay_text(
      "0,rundown,ExAllocatePoolWithTag,NonPagedPool,Old,100,0x1000,,,,,,,,\n"
      "10,alloc,ExAllocatePoolWithTag,NonPagedPool,New,100,0x2000,,,,,,,,\n"
      "20,free,ExFreePoolWithTag,,Old,,0x1000,,,,,,,,\n"
      "30,rundown,ExAllocatePoolWithTag,NonPagedPool,Dup,100,0x2000,,,,,,,,\n");
  // 100 bytes on win7-x64: 128 bytes of footprint (pool-model.md §1.2 x64).
  EXPECT_EQ(r.rundown.allocations, 1u);
  EXPECT_EQ(r.rundown.requested, Bytes{100});
  EXPECT_EQ(r.rundown.footprint, Bytes{128});
  EXPECT_EQ(r.rundown.freed, 1u);
  EXPECT_EQ(r.rundown.duplicates, 1u) << "0x2000 was live: the snapshot raced the alloc";
  EXPECT_EQ(r.rundown.refused, 0u);
  // The trace's own figures hold the one traced allocation only.
  EXPECT_EQ(r.totals.allocations, 1u);
  EXPECT_EQ(r.totals.frees, 0u);
  EXPECT_EQ(r.totals.footprint, Bytes{128});
  EXPECT_EQ(r.end.live_allocations, 1u);
  EXPECT_EQ(r.peak.live_footprint, Bytes{128});
  ASSERT_EQ(r.tags.size(), 1u);
  EXPECT_EQ(r.tags[0], Tag::from_chars("New"));
  EXPECT_EQ(r.data_quality[Anomaly::kUnknownFree].count, 0u);
  EXPECT_EQ(r.data_quality[Anomaly::kLiveAddressReused].count, 0u);
  EXPECT_EQ(r.events, 4u);
  EXPECT_EQ(r.alloc_events, 1u);
  EXPECT_EQ(r.free_events, 1u);
}

TEST(Rundown, WithoutItTheFreeIsUnknown) {
  const Results r = replay_text("20,free,ExFreePoolWithTag,,Old,,0x1000,,,,,,,,\n");
  EXPECT_EQ(r.data_quality[Anomaly::kUnknownFree].count, 1u);
}

// The model refuses 2^47 bytes of nonpaged pool on 4 GiB; the traced machine had it.
TEST(Rundown, RefusedAllocationsMakeFreesOfRefused) {
  const Results r = replay_text(
      "0,rundown,ExAllocatePoolWithTag,NonPagedPool,Huge,140737488355328,0x1000,,,,,,,,\n"
      "20,free,ExFreePoolWithTag,,Huge,,0x1000,,,,,,,,\n");
  EXPECT_EQ(r.rundown.refused, 1u);
  EXPECT_EQ(r.rundown.allocations, 0u);
  EXPECT_EQ(r.data_quality.frees_of_refused, 1u);
  EXPECT_EQ(r.totals.failures, 0u) << "not a failure of the trace's own allocations";
}

}  // namespace
}  // namespace fragreplay::replay
