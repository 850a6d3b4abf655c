// The Linux kmem captures as kernels really print them (formats of Linux
// include/trace/events/kmem.h, and of perf script and bpftrace around them): NULL pointers in
// every spelling, the slab-cache events, call sites (addresses and %pS symbols), perf script's
// "kmem:" event names and fields added by newer kernels, and bpftrace's optional call-site column.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/error.hpp"
#include "test_support.hpp"
#include "trace/trace_reader.hpp"

namespace fragreplay::trace {
namespace {

std::unique_ptr<TraceReader> open_text(const std::string& text) {
  return open_trace(memory_source(text, "k.txt"), ReadOptions{});
}

using testing::read_all;

// Lines 12 to 18 and 29 of the real 2012 capture (tests/data/linux/kmem_SLUB.log), then NULL as
// other kernels print it: %p gave "(null)" padded to the pointer's width before 4.15-era kernels
// printed zeros, and %lx/%px give 0 or 0x0.
const std::string kSlub =
    "# tracer: nop\n"
    "            init-1     [000] .N..     0.170000: kmalloc: call_site=c104de4f ptr=c143de20 "
    "bytes_req=29 bytes_alloc=32 gfp_flags=GFP_KERNEL\n"
    "            init-1     [000] .N..     0.170000: kfree: call_site=c10c283a ptr=  (null)\n"
    "            init-1     [000] .N..     0.170000: kmem_cache_alloc: call_site=c10a937b "
    "ptr=c16111e0 bytes_req=132 bytes_alloc=160 gfp_flags=GFP_KERNEL|GFP_ZERO\n"
    "            init-1     [000] .N..     0.170000: kmem_cache_free: call_site=c10c226b "
    "ptr=c163a850\n"
    "            init-1     [000] .N..     0.170000: kfree: call_site=c10c283a ptr=(null)\n"
    "            init-1     [000] .N..     0.170000: kmem_cache_free: call_site=c10c226b "
    "ptr=0000000000000000\n"
    "            init-1     [000] .N..     0.170000: kfree: call_site=c10c283a ptr=0x0\n"
    "            init-1     [000] .N..     0.170000: kfree: call_site=c10c283a "
    "ptr=0000000000000010\n";

TEST(KmemCaptureForms, NullFreesInEverySpellingAreFreeEventsOfAddressZero) {
  auto r = open_text(kSlub);
  EXPECT_EQ(r->format(), "ftrace-kmem");
  EXPECT_EQ(r->platform(), Platform::kLinux);
  const auto ev = read_all(*r);
  ASSERT_EQ(ev.size(), 8u);
  EXPECT_EQ(ev[1].kind, EventKind::kFree);
  EXPECT_EQ(ev[1].routine, Routine::kKfree);
  EXPECT_EQ(ev[1].address, 0u) << "ptr=  (null): the padding does not hide the value";
  EXPECT_EQ(ev[1].call_site, 0xc10c283au);
  EXPECT_EQ(ev[4].address, 0u) << "ptr=(null)";
  EXPECT_EQ(ev[5].routine, Routine::kKmemCacheFree);
  EXPECT_EQ(ev[5].address, 0u) << "ptr=0000000000000000";
  EXPECT_EQ(ev[6].address, 0u) << "ptr=0x0";
  EXPECT_EQ(ev[7].address, 16u) << "ZERO_SIZE_PTR, left for the engine to count";
  EXPECT_EQ(r->ignored().total, 0u);
}

TEST(KmemCaptureForms, SlabCacheEventsKeepBothSizesAndTheCallSite) {
  auto r = open_text(kSlub);
  const auto ev = read_all(*r);
  ASSERT_EQ(ev.size(), 8u);
  EXPECT_EQ(ev[0].routine, Routine::kKmalloc);
  EXPECT_EQ(ev[0].call_site, 0xc104de4fu);
  EXPECT_EQ(ev[0].address, 0xc143de20u);
  EXPECT_EQ(ev[0].time_ns, 170'000'000u);
  EXPECT_EQ(ev[2].kind, EventKind::kAlloc);
  EXPECT_EQ(ev[2].routine, Routine::kKmemCacheAlloc);
  EXPECT_EQ(ev[2].bytes, 132u) << "bytes_req: the cache's object_size";
  EXPECT_EQ(ev[2].charged_bytes, 160u) << "bytes_alloc: the cache's size";
  EXPECT_EQ(ev[2].call_site, 0xc10a937bu);
  EXPECT_EQ(ev[3].kind, EventKind::kFree);
  EXPECT_EQ(ev[3].routine, Routine::kKmemCacheFree);
  EXPECT_EQ(ev[3].address, 0xc163a850u);
  EXPECT_EQ(std::string(routine_name(Routine::kKmemCacheAllocNode)), "kmem_cache_alloc_node");
  EXPECT_EQ(routine_family(Routine::kKmemCacheFree), RoutineFamily::kSlab)
      << "kfree may free a kmem_cache object: one family, no mismatched free";
}

// perf script prints "comm pid [cpu] time: kmem:event: fields"; newer kernels print call_site
// with %pS and add node= and accounted= to kmalloc.
const std::string kPerf =
    "  swapper     0 [000]  1234.567890: kmem:kmalloc: call_site=ffffffff81234567 "
    "ptr=0xffff888003dd8000 bytes_req=64 bytes_alloc=64 gfp_flags=GFP_KERNEL\n"
    " make-a-pipe  4812 [003]  1234.600000: kmem:kmalloc: "
    "call_site=alloc_pipe_info+0x6c/0x220 ptr=0xffff888009c3a000 bytes_req=640 "
    "bytes_alloc=1024 gfp_flags=GFP_KERNEL_ACCOUNT|__GFP_ZERO node=-1 accounted=true\n"
    "  swapper     0 [000]  1234.700000: kmem:kfree: call_site=free_pipe_info+0x9c/0xc0 "
    "ptr=0xffff888009c3a000\n"
    "  kworker/0:1    12 [000]  1234.800000: kmem:mm_page_free_batched: page=0xffffea0000123400 "
    "pfn=0x48d0 order=0\n"
    "  kworker/0:1    12 [000]  1234.900000: kmem:mm_page_free_batched: page=c1a2b3c0 pfn=12345 "
    "cold=0\n"
    "  kworker/0:1    12 [000]  1235.000000: sched:sched_switch: prev_comm=a next_comm=b\n";

TEST(KmemCaptureForms, PerfScriptLinesAreReadByContent) {
  auto r = open_text(kPerf);
  EXPECT_EQ(r->format(), "perf-script-kmem");
  EXPECT_EQ(r->platform(), Platform::kLinux);
  const auto ev = read_all(*r);
  ASSERT_EQ(ev.size(), 5u);
  EXPECT_EQ(ev[0].routine, Routine::kKmalloc);
  EXPECT_EQ(ev[0].time_ns, 1234'567890000u);
  EXPECT_EQ(ev[0].call_site, 0xffffffff81234567u);
  EXPECT_EQ(ev[0].address, 0xffff888003dd8000u);
  EXPECT_EQ(ev[1].bytes, 640u) << "node= and accounted= are fields it does not need";
  EXPECT_EQ(ev[1].charged_bytes, 1024u);
  EXPECT_EQ(ev[1].call_site, 0u);
  EXPECT_EQ(r->strings().get(ev[1].call_site_symbol), "alloc_pipe_info+0x6c")
      << "%pS's /0xlen is dropped: the site is function+offset";
  EXPECT_EQ(r->strings().get(ev[2].call_site_symbol), "free_pipe_info+0x9c");
  EXPECT_EQ(ev[3].routine, Routine::kPageFreeBatched);
  EXPECT_EQ(ev[3].kind, EventKind::kFree);
  EXPECT_EQ(ev[3].address, 0x48d0u);
  EXPECT_EQ(ev[3].bytes, 4096u);
  EXPECT_EQ(ev[4].address, 12345u) << "older kernels print no order: one page";
  EXPECT_EQ(ev[4].bytes, 4096u);
  ASSERT_EQ(r->ignored().by_kind.size(), 1u);
  EXPECT_EQ(r->ignored().by_kind[0].name, "sched_switch");
}

TEST(KmemCaptureForms, MalformedValuesStayErrorsWithTheLine) {
  try {
    auto r = open_text(kPerf +
                       "  a  1 [000]  1236.0: kmem:kmalloc: ptr=(nul) bytes_req=8 "
                       "bytes_alloc=8\n");
    read_all(*r);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "k.txt:7: kmalloc: field 'ptr': expected a hexadecimal pointer, in "
                 "\"ptr=(nul) bytes_req=8 bytes_alloc=8\"");
  }
}

TEST(KmemCaptureForms, BpftraceAcceptsACallSiteColumn) {
  auto r = open_text(
      "ffff8880b7b0c400,      552,     1024, ffffffff81234567\n"
      "ffff8880b7b0c800,        8,        8, kmalloc_trace\n"
      "ffff8880b7b0cc00,        8,        8\n");
  EXPECT_EQ(r->format(), "bpftrace-kmalloc");
  EXPECT_EQ(r->platform(), Platform::kLinux);
  const auto ev = read_all(*r);
  ASSERT_EQ(ev.size(), 3u);
  EXPECT_EQ(ev[0].call_site, 0xffffffff81234567u);
  EXPECT_EQ(r->strings().get(ev[1].call_site_symbol), "kmalloc_trace");
  EXPECT_EQ(ev[2].call_site, 0u);
  EXPECT_EQ(ev[2].call_site_symbol, 0u);
}

}  // namespace
}  // namespace fragreplay::trace
