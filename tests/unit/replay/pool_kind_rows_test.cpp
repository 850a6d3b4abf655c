// The rows by pool kind (replay/pool_kind.hpp): which POOL_TYPE and POOL_FLAGS land in which row
// (wdm.h POOL_TYPE values: NonPagedPool 0, PagedPool 1, NonPagedPoolNx 0x200, the session bit
// 0x20; ExAllocatePool2's POOL_FLAG_NON_PAGED 0x40 is NX, POOL_FLAG_NON_PAGED_EXECUTE 0x80 is not,
// POOL_FLAG_PAGED 0x100, POOL_FLAG_SESSION 0x4: docs/model.md §1.5), and that the rows of a
// replay add up to the totals.
#include <gtest/gtest.h>

#include "replay/engine.hpp"
#include "replay/pool_kind.hpp"
#include "test_support.hpp"

namespace fragreplay::replay {
namespace {

using trace::PoolArg;

TEST(PoolKindRows, FromPoolTypeAndPoolFlags) {
  EXPECT_EQ(pool_kind_row(PoolArg::kPoolType, 0x0), PoolKindRow::kNonPaged);
  EXPECT_EQ(pool_kind_row(PoolArg::kPoolType, 0x4), PoolKindRow::kNonPaged);  // cache aligned
  EXPECT_EQ(pool_kind_row(PoolArg::kPoolType, 0x200), PoolKindRow::kNonPagedNx);
  EXPECT_EQ(pool_kind_row(PoolArg::kPoolType, 0x1), PoolKindRow::kPaged);
  EXPECT_EQ(pool_kind_row(PoolArg::kPoolType, 0x21), PoolKindRow::kSessionPaged);
  EXPECT_EQ(pool_kind_row(PoolArg::kPoolType, 0x20), PoolKindRow::kSessionNonPaged);
  EXPECT_EQ(pool_kind_row(PoolArg::kPoolType, 0x220), PoolKindRow::kSessionNonPaged);
  EXPECT_EQ(pool_kind_row(PoolArg::kPoolFlags, 0x40), PoolKindRow::kNonPagedNx);
  EXPECT_EQ(pool_kind_row(PoolArg::kPoolFlags, 0x80), PoolKindRow::kNonPaged);
  EXPECT_EQ(pool_kind_row(PoolArg::kPoolFlags, 0x100), PoolKindRow::kPaged);
  EXPECT_EQ(pool_kind_row(PoolArg::kPoolFlags, 0x100 | 0x4), PoolKindRow::kSessionPaged);
  EXPECT_EQ(pool_kind_row(PoolArg::kPoolFlags, 0x0), PoolKindRow::kNone);  // names no pool
  EXPECT_EQ(pool_kind_row(PoolArg::kNone, 0x1), PoolKindRow::kNone);
}

// Under win7-x64 (16-byte header, 16-byte blocks): NonPagedPoolNx 100 B -> 128, PagedPool
// 200 B -> 224, then freed; MmAllocateNonCachedMemory 100 B -> one 4 KiB page.
TEST(PoolKindRows, RowsAddUpToTheTotals) {
  const std::string csv =
      "# fragreplay trace v1\n"
      "time_ns,event,routine,pool,tag,bytes,address,lowest,highest,boundary,cache,node,adapter,"
      "process,thread\n"
      "1,alloc,ExAllocatePoolWithTag,NonPagedPoolNx,NxA,100,0x1000,,,,,,,,\n"
      "2,alloc,ExAllocatePoolWithTag,PagedPool,PgA,200,0x2000,,,,,,,,\n"
      "3,free,ExFreePoolWithTag,,PgA,,0x2000,,,,,,,,\n"
      "4,alloc,MmAllocateNonCachedMemory,,,100,0x3000,,,,MmNonCached,,,,\n";
  auto reader = trace::open_trace(trace::memory_source(csv, "k.csv"), trace::ReadOptions{});
  model::Machine machine(model::builtin_profile("win7-x64"), {});
  const Results r = replay_trace(*reader, machine, ReplayOptions{});
  const auto& k = r.by_pool_kind;
  EXPECT_EQ(k[static_cast<unsigned>(PoolKindRow::kNonPagedNx)].footprint.value, 128u);
  EXPECT_EQ(k[static_cast<unsigned>(PoolKindRow::kPaged)].footprint.value, 224u);
  EXPECT_EQ(k[static_cast<unsigned>(PoolKindRow::kPaged)].frees, 1u);
  EXPECT_EQ(k[static_cast<unsigned>(PoolKindRow::kPaged)].live_allocations, 0u);
  EXPECT_EQ(k[static_cast<unsigned>(PoolKindRow::kNone)].footprint.value, 4096u);
  GroupStats sum;
  for (const GroupStats& g : k) sum += g;
  EXPECT_EQ(sum, r.totals);
}

}  // namespace
}  // namespace fragreplay::replay
