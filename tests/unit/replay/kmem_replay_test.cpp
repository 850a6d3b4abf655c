// Replaying the kmem records of a real kernel's capture under linux-slub: slab-cache objects
// charged what the trace recorded, kfree(NULL) and friends counted apart as null frees (Linux
// include/linux/slab.h ZERO_OR_NULL_PTR: kfree and kmem_cache_free return at once), kfree of a
// kmem_cache object (allowed: mm/slab_common.c kfree finds the object's cache), model agreement
// over kmalloc records only, and the rows by call site.
#include <gtest/gtest.h>

#include "model/machine.hpp"
#include "replay/engine.hpp"
#include "trace/trace_reader.hpp"

namespace fragreplay::replay {
namespace {

Results replay_linux(const std::string& text) {
  auto reader = trace::open_trace(trace::memory_source(text, "k.txt"), trace::ReadOptions{});
  const model::Profile& p = model::builtin_profile("linux-slub");
  model::Machine machine(p, model::MachineConfig{model::pc_ram_map(Bytes{64 << 20}, p.page_size)});
  ReplayOptions options;
  options.check_invariants = true;
  return replay_trace(*reader, machine, options);
}

const std::string kTrace =
    "# tracer: nop\n"
    " a-1 [000] .... 1.000000: kmalloc: call_site=c1000010 ptr=c2000000 bytes_req=100 "
    "bytes_alloc=128 gfp_flags=GFP_KERNEL\n"
    " a-1 [000] .... 1.000001: kmem_cache_alloc: call_site=c1000020 ptr=c2001000 bytes_req=132 "
    "bytes_alloc=160 gfp_flags=GFP_KERNEL\n"
    " a-1 [000] .... 1.000002: kmem_cache_alloc: call_site=c1000020 ptr=c2001100 bytes_req=132 "
    "bytes_alloc=160 gfp_flags=GFP_KERNEL\n"
    " a-1 [000] .... 1.000003: kfree: call_site=c1000030 ptr=  (null)\n"
    " a-1 [000] .... 1.000004: kmem_cache_free: call_site=c1000040 ptr=(null)\n"
    " a-1 [000] .... 1.000005: kfree: call_site=c1000030 ptr=c2001000\n"
    " a-1 [000] .... 1.000006: kmem_cache_free: call_site=c1000040 ptr=c2000000\n"
    " a-1 [000] .... 1.000007: kmem_cache_free: call_site=c1000040 ptr=c2009999\n"
    " a-1 [000] .... 1.000008: kfree: call_site=c1000030 ptr=0000000000000010\n";

TEST(KmemReplay, SlabCacheObjectsNullFreesAndCrossFrees) {
  const Results r = replay_linux(kTrace);
  EXPECT_EQ(r.alloc_events, 3u);
  EXPECT_EQ(r.free_events, 6u);
  EXPECT_EQ(r.totals.allocations, 3u);
  EXPECT_EQ(r.totals.frees, 2u) << "lines 7 and 8";
  EXPECT_EQ(r.data_quality.null_frees, 3u) << "lines 5, 6 and 10 (NULL twice, ZERO_SIZE_PTR)";
  EXPECT_EQ(r.data_quality[Anomaly::kUnknownFree].count, 1u) << "line 9";
  EXPECT_EQ(r.data_quality[Anomaly::kMismatchedFree].count, 0u)
      << "kfree of a kmem_cache object and kmem_cache_free of a kmalloc one: one family";
  EXPECT_EQ(r.data_quality.ignored_records, 0u);
  EXPECT_EQ(r.totals.requested, Bytes{100 + 132 + 132});
  EXPECT_EQ(r.totals.footprint, Bytes{128 + 160 + 160}) << "each object its recorded size";
  EXPECT_EQ(r.totals.waste.granularity, Bytes{28 + 28 + 28});
  EXPECT_EQ(r.by_routine[static_cast<unsigned>(trace::Routine::kKmemCacheAlloc)].allocations, 2u);
  // Agreement compares the one kmalloc record; slab-cache records agree by construction.
  EXPECT_EQ(r.model_agreement.compared, 1u);
  EXPECT_EQ(r.model_agreement.matching, 1u);
}

TEST(KmemReplay, RowsByCallSiteAddUpToTheTotals) {
  const Results r = replay_linux(kTrace);
  ASSERT_EQ(r.call_sites.size(), 2u) << "only allocations open rows; a free counts in its alloc's";
  EXPECT_EQ(r.call_sites[0].address, 0xc1000010u);
  EXPECT_EQ(r.call_sites[1].address, 0xc1000020u);
  EXPECT_TRUE(r.call_sites[0].name.empty());
  EXPECT_EQ(r.by_call_site[0].allocations, 1u);
  EXPECT_EQ(r.by_call_site[0].frees, 1u) << "freed by kmem_cache_free at another site";
  EXPECT_EQ(r.by_call_site[1].allocations, 2u);
  EXPECT_EQ(r.by_call_site[1].frees, 1u);
  EXPECT_EQ(r.by_call_site[1].live_footprint, Bytes{160});
  GroupStats sum;
  for (const GroupStats& g : r.by_call_site) sum += g;
  EXPECT_EQ(sum, r.totals);
  EXPECT_TRUE(has_call_sites(r));
}

TEST(KmemReplay, SymbolisedCallSitesAndRecordsWithout) {
  const Results r = replay_linux(
      " a-1 [000] .... 1.0: kmalloc: call_site=alloc_pipe_info+0x6c/0x220 ptr=0x1000 "
      "bytes_req=640 bytes_alloc=1024 gfp_flags=GFP_KERNEL node=-1 accounted=true\n"
      " a-1 [000] .... 1.1: mm_page_alloc: page=x pfn=4660 order=0 migratetype=0\n"
      " a-1 [000] .... 1.2: kmalloc: call_site=alloc_pipe_info+0x6c/0x220 ptr=0x2000 "
      "bytes_req=640 bytes_alloc=1024 gfp_flags=GFP_KERNEL node=-1 accounted=true\n");
  ASSERT_EQ(r.call_sites.size(), 2u);
  EXPECT_EQ(r.call_sites[0].name, "alloc_pipe_info+0x6c");
  EXPECT_EQ(r.call_sites[0].address, 0u);
  EXPECT_EQ(r.by_call_site[0].allocations, 2u);
  EXPECT_EQ(r.call_sites[1].address, 0u) << "the page event has no call site: the (none) row";
  EXPECT_TRUE(r.call_sites[1].name.empty());
  EXPECT_EQ(r.by_call_site[1].allocations, 1u);
}

}  // namespace
}  // namespace fragreplay::replay
