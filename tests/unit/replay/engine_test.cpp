// The replay engine: accounting identities, the repair and counting of events that make no sense,
// peak and end state, init-time allocations and the contiguous failure log.
#include "replay/engine.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

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

// Four events the resident-waste tests share (sizes worked out below).
constexpr const char* kResident =
    "0,alloc,ExAllocatePoolWithTag,NonPagedPool,Aaaa,100,0x10,,,,,,,,\n"
    "1,alloc,MmAllocateNonCachedMemory,,Bbbb,1024,0x20,,,,,,,,\n"
    "2,free,ExFreePool,,,,0x10,,,,,,,,\n"
    "3,alloc,ExAllocatePoolWithTag,NonPagedPool,Cccc,40,0x30,,,,,,,,\n";

// The waste resident at the live peak and at the end, by part (issue 18, item 4), not the
// turnover: win7-x64 sizes (docs/model.md: 16 B headers and blocks, page-granular noncached).
// Aaaa 100 B -> 128 B block (header 16, granularity 12); Bbbb noncached 1,024 B -> 4,096 B
// (sub-page 3,072); the free of Aaaa, then Cccc 40 B -> 64 B (header 16, granularity 8).
// Live footprint: 128, 4,224 (the peak), 4,096, 4,160.
TEST(Engine, ResidentWasteAtThePeakAndAtTheEndByPart) {
  const Results r = replay_text(kResident);
  expect_identities(r);
  EXPECT_EQ(r.peak.live_footprint, Bytes{4224});
  EXPECT_EQ(r.peak.live_waste, (model::Waste{Bytes{16}, Bytes{12}, Bytes{3072}}));
  EXPECT_EQ(r.end.live_waste, (model::Waste{Bytes{16}, Bytes{8}, Bytes{3072}}));
  EXPECT_EQ(r.totals.live_waste, r.end.live_waste);
  EXPECT_EQ(r.totals.waste, (model::Waste{Bytes{32}, Bytes{20}, Bytes{3072}}))
      << "turnover counts the freed Aaaa too";
  ASSERT_EQ(r.tags.size(), 3u);
  EXPECT_EQ(r.by_tag[0].live_waste, model::Waste{}) << "Aaaa was freed";
  EXPECT_EQ(r.by_tag[1].live_waste, (model::Waste{Bytes{0}, Bytes{0}, Bytes{3072}}));
  EXPECT_EQ(r.by_tag[2].live_waste, (model::Waste{Bytes{16}, Bytes{8}, Bytes{0}}));
}

// Each row's live state at the peak (replay/peak_rows.hpp): rows that changed after the peak kept
// their state at it, rows made after it had nothing, and the rows add up to the totals' at_peak,
// which is the peak itself. Same trace and sizes as above, plus a second peak: the free of Aaaa
// and Cccc's allocation change rows after the first peak (4,224 B at line 4), and Dddd's 4,096 B
// noncached allocation makes a higher one (8,256 B at line 7) after which nothing changes.
TEST(Engine, EveryRowKeepsItsStateAtTheLivePeak) {
  const Results first = replay_text(kResident);
  ASSERT_EQ(first.tags.size(), 3u);
  EXPECT_EQ(first.by_tag[0].at_peak,
            (LiveState{1, Bytes{100}, Bytes{128}, model::Waste{Bytes{16}, Bytes{12}, Bytes{0}}}))
      << "Aaaa was freed after the peak: its state at the peak was saved";
  EXPECT_EQ(first.by_tag[1].at_peak, first.by_tag[1].live()) << "Bbbb never changed after it";
  EXPECT_EQ(first.by_tag[2].at_peak, LiveState{}) << "Cccc came after the peak";
  const auto& nc =
      first.by_routine[static_cast<unsigned>(trace::Routine::kMmAllocateNonCachedMemory)];
  EXPECT_EQ(nc.at_peak.footprint, Bytes{4096});
  EXPECT_EQ(first.totals.at_peak.footprint, first.peak.live_footprint);
  EXPECT_EQ(first.totals.at_peak.requested, first.peak.live_requested);
  EXPECT_EQ(first.totals.at_peak.waste, first.peak.live_waste);
  EXPECT_EQ(first.totals.at_peak.allocations, 2u);
  LiveState tags;
  for (const GroupStats& g : first.by_tag) tags += g.at_peak;
  EXPECT_EQ(tags, first.totals.at_peak);

  const Results second = replay_text(std::string(kResident) +
                                     "4,alloc,MmAllocateNonCachedMemory,,Dddd,4096,0x40,,,,,,,,\n");
  EXPECT_EQ(second.peak.live_footprint, Bytes{4096 + 64 + 4096});
  EXPECT_EQ(second.peak.line, 7u);
  for (const GroupStats& g : second.by_tag) EXPECT_EQ(g.at_peak, g.live()) << "the end is the peak";
  EXPECT_EQ(second.by_tag[0].at_peak, LiveState{}) << "Aaaa was gone by the second peak";
}

// Refused requests' bytes are counted apart (refused), so requested is what was granted and waste
// percentages have the same meaning under every profile: here the 16 MiB contiguous request
// cannot fit below 16 MiB minus the first page (constraint) and the 5000-byte pool request is
// granted (5000 requested). identities: footprint = requested + waste still holds.
TEST(Engine, RefusedRequestsAreCountedApart) {
  const Results r = replay_text(
      "0,alloc,ExAllocatePoolWithTag,NonPagedPool,Aaaa,5000,0x10,,,,,,,,\n"
      "1,alloc,MmAllocateContiguousMemorySpecifyCache,,Bbbb,16777216,0x20,0,0xffffff,0,"
      "MmCached,,,,\n");
  EXPECT_EQ(r.totals.requested, Bytes{5000});
  EXPECT_EQ(r.totals.refused, Bytes{16777216});
  EXPECT_EQ(r.totals.failures, 1u);
  EXPECT_EQ(r.by_tag[1].refused, Bytes{16777216});
  EXPECT_EQ(r.by_tag[0].refused, Bytes{0});
  expect_identities(r);
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

// A free that records its pool type (ETW PoolFree carries the freed block's POOL_TYPE) is checked
// against the allocation's pool: paged or nonpaged, session or not (wdm.h POOL_TYPE: bit 0 paged,
// 0x20 session). NX is not compared: the pool header keeps only the bits of mask 0x6D (SCOOP,
// SSTIC 2020, §2.2), so a free of a NonPagedPoolNx block may record NonPagedPool.
TEST(Engine, FreesRecordingAnotherPoolTypeAreCountedAndFreedAsAllocated) {
  const Results r = replay_text(
      "0,alloc,ExAllocatePoolWithTag,NonPagedPoolNx,Aaaa,100,0x10,,,,,,,,\n"    // 3
      "1,alloc,ExAllocatePool2,POOL_FLAG_PAGED,Bbbb,100,0x20,,,,,,,,\n"         // 4
      "2,alloc,ExAllocatePoolWithTag,PagedPoolSession,Cccc,100,0x30,,,,,,,,\n"  // 5
      "3,alloc,ExAllocatePoolWithTag,NonPagedPool,Dddd,100,0x40,,,,,,,,\n"      // 6
      "4,free,ExFreePoolWithTag,NonPagedPool,Aaaa,,0x10,,,,,,,,\n"              // 7: NX only
      "5,free,ExFreePoolWithTag,PagedPool,Bbbb,,0x20,,,,,,,,\n"                 // 8: same
      "6,free,ExFreePoolWithTag,PagedPool,Cccc,,0x30,,,,,,,,\n"                 // 9: session
      "7,free,ExFreePool,POOL_FLAG_PAGED,,,0x40,,,,,,,,\n",                     // 10: paged
      "win10-19h1-x64");
  const AnomalyStats& a = r.data_quality[Anomaly::kMismatchedPoolType];
  EXPECT_EQ(a.count, 2u);
  EXPECT_EQ(a.first_lines, (std::vector<std::uint64_t>{9, 10}));
  EXPECT_EQ(r.totals.frees, 4u) << "every free still frees what was allocated";
  EXPECT_EQ(r.end.live_allocations, 0u);
  EXPECT_EQ(r.data_quality[Anomaly::kMismatchedFree].count, 0u);
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

// A hand-built map in frames 0x100..0x10f (RAM 0x100..0x1c7, 200 frames), made of one-page
// contiguous allocations (each the lowest free frame, §5.3) of which some are freed:
//   frame  0123456789abcdef
//          ...a..bb...a.b..     a = Aaaa, b = Bbbb
// A 5-page request in that window fails for fragmentation (11 free frames, runs 3, 2, 3, 1, 2) and
// is explained as in tests/unit/model/contiguous_test.cpp: index 1000 - 2375/7 = 661, the closest
// placement 0x100000 with 4 free frames blocked by one Aaaa frame, and Aaaa and Bbbb each pinning
// two frames.
TEST(Engine, FailuresAreExplainedAndPinnedFramesKeptPerTag) {
  const std::string picture = "...a..bb...a.b..";
  std::string body;
  for (std::size_t f = 0; f < picture.size(); ++f) {
    const char* tag = picture[f] == 'a' ? "Aaaa" : picture[f] == 'b' ? "Bbbb" : "Tmp";
    body += std::to_string(f) + ",alloc,MmAllocateContiguousMemorySpecifyCache,," + tag + ",4096," +
            std::to_string(0x1000 + f) + ",0x100000,0x10ffff,0x0,MmNonCached,,,,\n";
  }
  for (std::size_t f = 0; f < picture.size(); ++f) {
    if (picture[f] != '.') continue;
    body += std::to_string(100 + f) + ",free,MmFreeContiguousMemorySpecifyCache,,,," +
            std::to_string(0x1000 + f) + ",,,,,,,,\n";
  }
  body +=
      "200,alloc,MmAllocateContiguousMemorySpecifyCache,,Want,20480,0x9000,0x100000,0x10ffff,0x0,"
      "MmNonCached,,,,\n";
  model::MachineConfig config;
  config.ram = {model::RamRange{Pfn{0x100}, PageCount{200}}};
  const Results r = replay_text(body, "win7-x64", config);
  ASSERT_EQ(r.contiguous.failure_log.size(), 1u);
  const ContiguousFailureRecord& f = r.contiguous.failure_log[0];
  EXPECT_EQ(f.cause, model::FailCause::kFragmentation);
  EXPECT_EQ(f.order, 3u);
  EXPECT_EQ(f.fragmentation_index, 661);
  EXPECT_TRUE(f.has_candidate);
  EXPECT_EQ(f.candidate_phys, 0x100000u);
  EXPECT_EQ(f.candidate_free, Bytes{4 * 4096});
  ASSERT_EQ(f.blockers.size(), 1u);
  EXPECT_EQ(f.blockers[0].tag, Tag::from_chars("Aaaa"));
  EXPECT_EQ(f.blockers[0].cls, model::OwnerClass::kContiguous);
  EXPECT_EQ(f.pinned_frames, 4u);
  for (std::size_t i = 0; i < r.tags.size(); ++i) {
    const std::uint64_t want =
        r.tags[i] == Tag::from_chars("Aaaa") || r.tags[i] == Tag::from_chars("Bbbb") ? 2 : 0;
    EXPECT_EQ(r.pinned_frames[i], want) << r.tags[i].to_string();
  }
  EXPECT_TRUE(r.pinned_other.empty());
}

// Live waste follows the live allocations: after the free only the noncached page's is left.
TEST(Engine, LiveWasteByPart) {
  const Results r = replay_text(
      "0,alloc,ExAllocatePoolWithTag,NonPagedPool,Aaaa,100,0x10,,,,,,,,\n"
      "1,alloc,MmAllocateNonCachedMemory,,Bbbb,100,0x20,,,,,,,,\n"
      "2,free,ExFreePool,,,,0x10,,,,,,,,\n");
  EXPECT_EQ(r.totals.live_waste.sub_page, Bytes{3996});
  EXPECT_EQ(r.totals.live_waste.pool_header, Bytes{0});
  EXPECT_EQ(r.totals.live_waste.granularity, Bytes{0});
}

}  // namespace
}  // namespace fragreplay::replay
