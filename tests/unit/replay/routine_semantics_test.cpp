// Every WDK allocation routine replayed as it runs on the profile's Windows version, and the
// data-quality notes about calls: a routine the version does not have, an invalid
// ExAllocatePool2/3 call. Footprints worked by hand: x64 legacy pool, block = round16(n + 16)
// (WRK inc/pool.h, POOL_OVERHEAD 16, POOL_BLOCK_SHIFT 4); x86 round8(n + 8).
#include "replay/routine_semantics.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace fragreplay::replay {
namespace {

using testing::replay_text;
using trace::Routine;

const GroupStats& row(const Results& r, Routine routine) {
  return r.by_routine[static_cast<unsigned>(routine)];
}
std::uint64_t not_in_version(const Results& r, Routine routine) {
  return r.data_quality.not_in_version[static_cast<unsigned>(routine)];
}

// WRK ex/pool.c: ExAllocatePool(T, n) = ExAllocatePoolWithTag(T, n, 'enoN'), the tag that reads
// "None"; ExAllocatePoolWithTagPriority outside special pool = ExAllocatePoolWithTag (priority
// only matters when resources are low). 100 bytes: round16(116) = 128 each.
TEST(RoutineSemantics, UntaggedAndPriorityRoutinesAreExAllocatePoolWithTag) {
  const Results r = replay_text(
      "0,alloc,ExAllocatePool,NonPagedPool,,100,0x10,,,,,,,,\n"
      "1,alloc,ExAllocatePoolWithTagPriority,NonPagedPoolNx,Prio,100,0x20,,,,,,,,\n"
      "2,free,ExFreePool,,,,0x10,,,,,,,,\n");
  EXPECT_EQ(r.data_quality.bad_lines, 0u);
  ASSERT_EQ(r.tags.size(), 2u);
  EXPECT_EQ(r.tags[0], Tag::from_chars("None"));
  EXPECT_EQ(row(r, Routine::kExAllocatePool).footprint, Bytes{128});
  EXPECT_EQ(row(r, Routine::kExAllocatePoolWithTagPriority).footprint, Bytes{128});
  EXPECT_EQ(r.totals.frees, 1u);
  EXPECT_EQ(r.data_quality[Anomaly::kRoutineNotInVersion].count, 0u);
}

// WRK ex/pool.c: ExAllocatePoolWithQuota(T, n) = ExAllocatePoolWithQuotaTag(T, n, 'enoN'); on
// x86 the quota routine adds sizeof(PVOID) = 4 bytes for the EPROCESS pointer to requests of up
// to PAGE_SIZE - 8 - 4. 104 bytes: round8(104 + 8) = 112 without quota, round8(108 + 8) = 120
// with it.
TEST(RoutineSemantics, QuotaRoutinesChargeTheProcessPointerOnX86) {
  const Results r = replay_text(
      "0,alloc,ExAllocatePool,PagedPool,,104,0x10,,,,,,,,\n"
      "1,alloc,ExAllocatePoolWithQuota,PagedPool,,104,0x20,,,,,,,,\n"
      "2,alloc,ExAllocatePoolWithQuotaTag,PagedPool,Quot,104,0x30,,,,,,,,\n",
      "nt5-x86");
  EXPECT_EQ(row(r, Routine::kExAllocatePool).footprint, Bytes{112});
  EXPECT_EQ(row(r, Routine::kExAllocatePoolWithQuota).footprint, Bytes{120});
  EXPECT_EQ(row(r, Routine::kExAllocatePoolWithQuotaTag).footprint, Bytes{120});
}

// MS docs nf-wdm-exallocatepoolzero and "Updating deprecated ExAllocatePool calls": the Zero /
// Uninitialized wrappers are inline code calling ExAllocatePoolWithTag (QuotaZero:
// WithQuotaTag; PriorityZero: WithTagPriority) with PoolType | POOL_ZERO_ALLOCATION for the Zero
// ones; they need the Windows 10 2004 WDK and target Windows 7 and later. So on nt5-x86 (XP,
// build 2600) they are noted as not in the version and replayed as asked: QuotaZero of 104
// bytes costs 120 as WithQuotaTag does; on win7-x64 (7601) nothing is noted.
TEST(RoutineSemantics, WdmWrappersAreTheRoutinesTheyCallFromWindows7) {
  const std::string body =
      "0,alloc,ExAllocatePoolZero,NonPagedPool,Zero,104,0x10,,,,,,,,\n"
      "1,alloc,ExAllocatePoolQuotaZero,PagedPool,Quot,104,0x20,,,,,,,,\n"
      "2,alloc,ExAllocatePoolUninitialized,NonPagedPool,Unin,104,0x30,,,,,,,,\n"
      "3,alloc,ExAllocatePoolQuotaUninitialized,PagedPool,Quot,104,0x40,,,,,,,,\n"
      "4,alloc,ExAllocatePoolPriorityZero,NonPagedPool,Prio,104,0x50,,,,,,,,\n"
      "5,alloc,ExAllocatePoolPriorityUninitialized,NonPagedPool,Prio,104,0x60,,,,,,,,\n";
  const Results xp = replay_text(body, "nt5-x86");
  EXPECT_EQ(xp.data_quality[Anomaly::kRoutineNotInVersion].count, 6u);
  EXPECT_EQ(xp.data_quality[Anomaly::kRoutineNotInVersion].first_lines,
            (std::vector<std::uint64_t>{3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(not_in_version(xp, Routine::kExAllocatePoolQuotaZero), 1u);
  EXPECT_EQ(routines_not_in_version(xp.data_quality),
            "ExAllocatePoolZero (1), ExAllocatePoolQuotaZero (1), ExAllocatePoolUninitialized (1), "
            "ExAllocatePoolQuotaUninitialized (1), ExAllocatePoolPriorityZero (1), "
            "ExAllocatePoolPriorityUninitialized (1)");
  EXPECT_EQ(row(xp, Routine::kExAllocatePoolZero).footprint, Bytes{112});
  EXPECT_EQ(row(xp, Routine::kExAllocatePoolQuotaZero).footprint, Bytes{120});
  EXPECT_EQ(row(xp, Routine::kExAllocatePoolQuotaUninitialized).footprint, Bytes{120});
  EXPECT_EQ(row(xp, Routine::kExAllocatePoolPriorityZero).footprint, Bytes{112});
  const Results win7 = replay_text(body);
  EXPECT_EQ(win7.data_quality[Anomaly::kRoutineNotInVersion].count, 0u);
  EXPECT_EQ(win7.totals.allocations, 6u);
  EXPECT_EQ(win7.totals.footprint, Bytes{6 * 128});  // round16(104 + 16) = 128 on x64
}

// Because the wrappers call ExAllocatePoolWithTag, even on Windows 10 2004 (where
// ExPoolZeroingNativelySupported is TRUE and the kernel zeroes), they keep its rules: tag 0 is
// accepted. ExAllocatePool2 refuses tag 0 (MS docs nf-wdm-exallocatepool2), so a wrapper routed
// through it would fail here.
TEST(RoutineSemantics, WrappersKeepExAllocatePoolWithTagRulesOn2004) {
  const Results r = replay_text(
      "0,alloc,ExAllocatePoolZero,PagedPool,\\x00\\x00\\x00\\x00,100,0x10,,,,,,,,\n"
      "1,alloc,ExAllocatePool2,POOL_FLAG_PAGED,\\x00\\x00\\x00\\x00,100,0x20,,,,,,,,\n",
      "win10-2004-x64");
  EXPECT_EQ(row(r, Routine::kExAllocatePoolZero).allocations, 1u);
  EXPECT_EQ(row(r, Routine::kExAllocatePoolZero).failures, 0u);
  EXPECT_EQ(row(r, Routine::kExAllocatePool2).failures, 1u);
  EXPECT_EQ(r.data_quality[Anomaly::kPool2TagZero].first_lines, std::vector<std::uint64_t>{4});
  EXPECT_EQ(r.data_quality[Anomaly::kRoutineNotInVersion].count, 0u);
}

// MS docs nf-wdm-exallocatepool2 / -3 / nf-wdm-exfreepool2: "Available starting with Windows 10,
// version 2004" (build 19041). Before it they are noted and replayed as asked: 100 bytes cost
// 128 on win7-x64 and the free releases them; win10-19h1-x64 (18362) notes them too;
// win10-2004-x64 does not.
TEST(RoutineSemantics, Pool2RoutinesExistFromWindows10_2004) {
  const std::string body =
      "0,alloc,ExAllocatePool2,POOL_FLAG_NON_PAGED,Two ,100,0x10,,,,,,,,\n"
      "1,alloc,ExAllocatePool3,POOL_FLAG_PAGED,Thre,100,0x20,,,,,,,,\n"
      "2,free,ExFreePool2,,Two ,,0x10,,,,,,,,\n";
  const Results win7 = replay_text(body);
  EXPECT_EQ(win7.data_quality[Anomaly::kRoutineNotInVersion].first_lines,
            (std::vector<std::uint64_t>{3, 4, 5}));
  EXPECT_EQ(routines_not_in_version(win7.data_quality),
            "ExAllocatePool2 (1), ExAllocatePool3 (1), ExFreePool2 (1)");
  EXPECT_EQ(win7.totals.footprint, Bytes{256});
  EXPECT_EQ(win7.end.live_allocations, 1u);
  EXPECT_EQ(replay_text(body, "win10-19h1-x64").data_quality[Anomaly::kRoutineNotInVersion].count,
            3u);
  const Results win2004 = replay_text(body, "win10-2004-x64");
  EXPECT_EQ(win2004.data_quality[Anomaly::kRoutineNotInVersion].count, 0u);
  EXPECT_EQ(win2004.totals.frees, 1u);
}

// MS docs pool_flags and nf-wdm-exallocatepool2: exactly one of NON_PAGED, NON_PAGED_EXECUTE,
// PAGED; unknown required (low 32) bits fail the call; tag 0 fails it. Each broken rule is named
// in data quality with its line, and the call is refused.
TEST(RoutineSemantics, InvalidPool2CallsNameTheRuleTheyBroke) {
  const Results r = replay_text(
      "0,alloc,ExAllocatePool2,POOL_FLAG_UNINITIALIZED,None,100,0x10,,,,,,,,\n"
      "1,alloc,ExAllocatePool2,POOL_FLAG_PAGED|POOL_FLAG_NON_PAGED,Both,100,0x20,,,,,,,,\n"
      "2,alloc,ExAllocatePool3,POOL_FLAG_PAGED,\\x00\\x00\\x00\\x00,100,0x30,,,,,,,,\n"
      "3,alloc,ExAllocatePool2,POOL_FLAG_PAGED|0x1000,Unkn,100,0x40,,,,,,,,\n"
      "4,alloc,ExAllocatePool2,POOL_FLAG_PAGED,Good,100,0x50,,,,,,,,\n",
      "win10-2004-x64");
  const DataQuality& q = r.data_quality;
  EXPECT_EQ(q[Anomaly::kPool2NoPoolFlag].first_lines, std::vector<std::uint64_t>{3});
  EXPECT_EQ(q[Anomaly::kPool2SeveralPoolFlags].first_lines, std::vector<std::uint64_t>{4});
  EXPECT_EQ(q[Anomaly::kPool2TagZero].first_lines, std::vector<std::uint64_t>{5});
  EXPECT_EQ(q[Anomaly::kUnknownPoolFlags].first_lines, std::vector<std::uint64_t>{6});
  EXPECT_EQ(r.totals.failures, 4u);
  EXPECT_EQ(r.totals.allocations, 1u);
}

// The contiguous routines with a node (MS docs: SpecifyCacheNode from Windows Vista, NodeMemory
// from Windows 8) are SpecifyCache on a single-node model: 100 bytes take one page (4096). On
// nt5-x64 (3790) SpecifyCacheNode is noted; on win7-x64 (7601) NodeMemory is, on win8-x64 not.
// MmNonCached keeps NT 5.x's "nonpaged pool first" path (MmCached only) out of the way.
TEST(RoutineSemantics, NodeContiguousRoutinesBySince) {
  const std::string body =
      "0,alloc,MmAllocateContiguousMemorySpecifyCacheNode,,Cn,100,0x10,0,0xffffffff,0,"
      "MmNonCached,0,,,\n"
      "1,alloc,MmAllocateContiguousNodeMemory,,Nm,100,0x20,0,0xffffffff,0,MmNonCached,0,,,\n"
      "2,free,MmFreeContiguousMemorySpecifyCache,,,100,0x10,,,,,,,,\n"
      "3,free,MmFreeContiguousMemory,,,,0x20,,,,,,,,\n";
  const Results nt5 = replay_text(body, "nt5-x64");
  EXPECT_EQ(routines_not_in_version(nt5.data_quality),
            "MmAllocateContiguousMemorySpecifyCacheNode (1), MmAllocateContiguousNodeMemory (1)");
  EXPECT_EQ(nt5.totals.footprint, Bytes{8192});
  EXPECT_EQ(nt5.totals.frees, 2u);
  const Results win7 = replay_text(body);
  EXPECT_EQ(routines_not_in_version(win7.data_quality), "MmAllocateContiguousNodeMemory (1)");
  EXPECT_EQ(row(win7, Routine::kMmAllocateContiguousNodeMemory).footprint, Bytes{4096});
  EXPECT_EQ(replay_text(body, "win8-x64").data_quality[Anomaly::kRoutineNotInVersion].count, 0u);
}

// AllocateCommonBufferEx (MS docs: "Available starting with Windows 8") is a common buffer whose
// MaximumAddress narrows the adapter's window: one page and one map register for 100 bytes.
// MmAllocatePagesForMdlEx (Server 2003 SP1, build 3790) and MmAllocatePagesForMdl take whole
// pages: 5000 bytes = 8192. On XP (2600) the Ex routine is noted; on win7 neither.
TEST(RoutineSemantics, CommonBufferExAndMdlPages) {
  const std::string body =
      "0,alloc,AllocateCommonBufferEx,,Cbx,100,0x10,,0xffffff,,,0,,,\n"
      "1,alloc,MmAllocatePagesForMdl,,Mdl,5000,0x20,0,0xffffffff,0,,,,,\n"
      "2,alloc,MmAllocatePagesForMdlEx,,Mdl,5000,0x30,0x1000000,0x1ffffff,0,MmCached,,,,\n"
      "3,free,MmFreePagesFromMdl,,,,0x20,,,,,,,,\n"
      "4,free,FreeCommonBuffer,,,,0x10,,,,,,,,\n";
  const Results win7 = replay_text(body);
  EXPECT_EQ(routines_not_in_version(win7.data_quality), "AllocateCommonBufferEx (1)");
  EXPECT_EQ(row(win7, Routine::kAllocateCommonBufferEx).footprint, Bytes{4096});
  EXPECT_EQ(row(win7, Routine::kMmAllocatePagesForMdl).footprint, Bytes{8192});
  EXPECT_EQ(row(win7, Routine::kMmAllocatePagesForMdl).waste.sub_page, Bytes{3192});
  EXPECT_EQ(row(win7, Routine::kMmAllocatePagesForMdlEx).footprint, Bytes{8192});
  EXPECT_EQ(win7.totals.frees, 2u);
  EXPECT_EQ(win7.end.live_footprint, Bytes{8192});
  EXPECT_EQ(win7.contiguous.requests, 1u);
  const Results xp = replay_text(body, "nt5-x86");
  EXPECT_EQ(routines_not_in_version(xp.data_quality),
            "AllocateCommonBufferEx (1), MmAllocatePagesForMdlEx (1)");
}

TEST(RoutineSemantics, FirstBuildsFollowTheDocs) {
  EXPECT_EQ(first_windows_build(Routine::kExAllocatePoolWithTag), 0u);
  EXPECT_EQ(first_windows_build(Routine::kExAllocatePoolZero), 7600u);
  EXPECT_EQ(first_windows_build(Routine::kExAllocatePool3), 19041u);
  EXPECT_EQ(first_windows_build(Routine::kExFreePool2), 19041u);
  EXPECT_EQ(first_windows_build(Routine::kMmAllocateContiguousMemorySpecifyCacheNode), 6000u);
  EXPECT_EQ(first_windows_build(Routine::kMmAllocateContiguousNodeMemory), 9200u);
  EXPECT_EQ(first_windows_build(Routine::kAllocateCommonBufferEx), 9200u);
  EXPECT_EQ(first_windows_build(Routine::kMmAllocatePagesForMdlEx), 3790u);
  EXPECT_EQ(first_windows_build(Routine::kKmalloc), 0u);
}

}  // namespace
}  // namespace fragreplay::replay
