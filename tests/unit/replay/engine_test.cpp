// The replay engine: accounting identities, the repair and counting of events that make no sense,
// peak and end state, init-time allocations and the contiguous failure log.
#include "replay/engine.hpp"

#include <gtest/gtest.h>

#include "../test_support.hpp"

namespace fragreplay::replay {
namespace {

using testing::replay_text;

void expect_identities(const Results& r) {
  EXPECT_EQ(r.totals.footprint, r.totals.requested + r.totals.waste.total());
  GroupStats tags, routines;
  for (const auto& g : r.by_tag) tags += g;
  for (const auto& g : r.by_routine) routines += g;
  EXPECT_EQ(tags, r.totals);
  EXPECT_EQ(routines, r.totals);
}

TEST(Engine, TotalsCountEachAllocationOnceAndPartsAddUp) {
  const Results r = replay_text(
      "0,alloc,ExAllocatePoolWithTag,NonPagedPool,Aaaa,100,0x10,,,,,,,,\n"
      "1,alloc,ExAllocatePoolWithTag,NonPagedPool,Aaaa,5000,0x20,,,,,,,,\n"
      "2,alloc,MmAllocateNonCachedMemory,,Bbbb,100,0x30,,,,,,,,\n"
      "3,free,ExFreePool,,,,0x10,,,,,,,,\n"
      "4,alloc,ExAllocatePoolWithTag,PagedPool,Aaaa,100,0x10,,,,,,,,\n");
  expect_identities(r);
  EXPECT_EQ(r.totals.allocations, 4u);
  EXPECT_EQ(r.totals.frees, 1u);
  // 128 (100 B, §1.2 x64) + 5040 (5000 B, §7 Win7) + 4096 (noncached) + 128.
  EXPECT_EQ(r.totals.footprint, Bytes{128 + 5040 + 4096 + 128});
  EXPECT_EQ(r.totals.requested, Bytes{100 + 5000 + 100 + 100});
  EXPECT_EQ(r.end.live_footprint, Bytes{5040 + 4096 + 128});
  EXPECT_EQ(r.end.live_allocations, 3u);
  // Peak: after the noncached allocation (128 + 5040 + 4096), before the free.
  EXPECT_EQ(r.peak.live_footprint, Bytes{9264});
  EXPECT_EQ(r.peak.time_ns, 2u);
  EXPECT_EQ(r.peak.line, 5u);
  ASSERT_EQ(r.tags.size(), 2u);
  EXPECT_EQ(r.by_tag[0].allocations, 3u);
  EXPECT_EQ(r.by_tag[0].frees, 1u);
}

TEST(Engine, EventsThatMakeNoSenseAreCountedAndRepaired) {
  const Results r = replay_text(
      "10,alloc,ExAllocatePoolWithTag,NonPagedPool,Aaaa,100,0x10,,,,,,,,\n"  // line 3
      "20,free,ExFreePool,,,,0x99,,,,,,,,\n"                                 // 4: unknown
      "30,free,ExFreePool,,,,0x10,,,,,,,,\n"                                 // 5
      "40,free,ExFreePool,,,,0x10,,,,,,,,\n"                                 // 6: double
      "35,alloc,ExAllocatePoolWithTag,NonPagedPool,Aaaa,100,0x10,,,,,,,,\n"  // 7: time back
      "50,alloc,ExAllocatePoolWithTag,NonPagedPool,Aaaa,200,0x10,,,,,,,,\n"  // 8: reuse
      "60,free,MmFreeNonCachedMemory,,,,0x10,,,,,,,,\n");                    // 9: mismatch
  const DataQuality& q = r.data_quality;
  EXPECT_EQ(q[Anomaly::kUnknownFree].count, 1u);
  EXPECT_EQ(q[Anomaly::kUnknownFree].first_lines, std::vector<std::uint64_t>{4});
  EXPECT_EQ(q[Anomaly::kDoubleFree].first_lines, std::vector<std::uint64_t>{6});
  EXPECT_EQ(q[Anomaly::kTimeWentBackwards].first_lines, std::vector<std::uint64_t>{7});
  EXPECT_EQ(q[Anomaly::kLiveAddressReused].first_lines, std::vector<std::uint64_t>{8});
  EXPECT_EQ(q[Anomaly::kMismatchedFree].first_lines, std::vector<std::uint64_t>{9});
  // Repairs: the reused address freed its old allocation; the mismatched free freed the pool block.
  EXPECT_EQ(r.totals.allocations, 3u);
  EXPECT_EQ(r.totals.frees, 3u);
  EXPECT_EQ(r.end.live_allocations, 0u);
  EXPECT_EQ(r.last_time_ns, 60u);
  expect_identities(r);
}

// A free of an allocation the model refused is expected when the model is tighter than the traced
// machine: counted apart, not as an unknown free.
TEST(Engine, FreesOfRefusedAllocationsAreNotAnomalies) {
  const Results r = replay_text(
      "0,alloc,MmAllocateContiguousMemorySpecifyCache,,Ring,33554432,0x10,0x0,0xffffff,0x0,"
      "MmCached,,,,\n"
      "1,free,MmFreeContiguousMemorySpecifyCache,,,,0x10,,,,,,,,\n",
      "nt5-x86");
  EXPECT_EQ(r.data_quality.frees_of_refused, 1u);
  EXPECT_EQ(r.data_quality[Anomaly::kUnknownFree].count, 0u);
  EXPECT_EQ(r.totals.frees, 0u);
}

TEST(Engine, DriverEntryAllocationsAreInitTime) {
  const Results r = replay_text(
      "0,phase,DriverEntry,,,,,,,,,,,,\n"
      "1,alloc,ExAllocatePoolWithTag,NonPagedPool,Init,100,0x10,,,,,,,,\n"
      "2,phase,Steady,,,,,,,,,,,,\n"
      "3,alloc,ExAllocatePoolWithTag,NonPagedPool,Init,100,0x20,,,,,,,,\n");
  EXPECT_EQ(r.totals.init_allocations, 1u);
  EXPECT_EQ(r.phase_events, 2u);
}

TEST(Engine, ContiguousFailuresAreLoggedWithTheirWindow) {
  const Results r = replay_text(
      "0,alloc,MmAllocateContiguousMemorySpecifyCache,,Ring,33554432,0x10,0x0,0xffffff,0x1000000,"
      "MmNonCached,,,,\n"
      "1,alloc,MmAllocateContiguousMemorySpecifyCache,,Ring,8388608,0x20,0x0,0xffffff,0x1000000,"
      "MmNonCached,,,,\n",
      "nt5-x86");
  EXPECT_EQ(r.contiguous.requests, 2u);
  EXPECT_EQ(r.contiguous.failures, 1u);
  EXPECT_EQ(r.contiguous.failures_by_cause[static_cast<unsigned>(model::FailCause::kConstraint)],
            1u);
  ASSERT_EQ(r.contiguous.failure_log.size(), 1u);
  const ContiguousFailureRecord& f = r.contiguous.failure_log[0];
  EXPECT_EQ(f.line, 3u);
  EXPECT_EQ(f.bytes, 33554432u);
  EXPECT_EQ(f.highest, 0xffffffu);
  EXPECT_EQ(f.boundary, 0x1000000u);
  EXPECT_EQ(f.cause, model::FailCause::kConstraint);
  EXPECT_EQ(f.largest_free_run_in_window, Bytes{0xF00000}) << "1 MiB .. 16 MiB";
  EXPECT_EQ(r.totals.failures, 1u);
}

TEST(Engine, CommonBuffersUseDeclaredAdapters) {
  const Results r = replay_text(
      "#!adapter name=nic0 highest=0xffffffff map_registers=2\n"
      "0,alloc,AllocateCommonBuffer,,Ring,8192,0x10,,,,,,nic0,,\n"
      "1,alloc,AllocateCommonBuffer,,Ring,1,0x20,,,,,,nic0,,\n"
      "2,alloc,AllocateCommonBuffer,,Ring,1,0x30,,,,,,,,\n");
  ASSERT_EQ(r.adapters.size(), 2u);
  EXPECT_EQ(r.adapters[1].name, "nic0");
  EXPECT_EQ(r.adapters[1].peak, 2u);
  EXPECT_EQ(r.adapters[1].failures, 1u);
  EXPECT_EQ(r.adapters[0].peak, 1u) << "the default adapter";
  EXPECT_EQ(r.map_registers_peak, 3u);
  EXPECT_EQ(r.contiguous.failures_by_cause[static_cast<unsigned>(model::FailCause::kMapRegisters)],
            1u);
}

TEST(Engine, PoolPageSlackIsWhatPoolPagesHoldBeyondLiveAllocations) {
  // One 100-byte block on a fresh page (win7-x64): 128 live, 3968 slack.
  const Results r =
      replay_text("0,alloc,ExAllocatePoolWithTag,NonPagedPool,Aaaa,100,0x10,,,,,,,,\n");
  EXPECT_EQ(r.end.pool_page_bytes, Bytes{4096});
  EXPECT_EQ(r.end.pool_page_slack, Bytes{3968});
}

}  // namespace
}  // namespace fragreplay::replay
