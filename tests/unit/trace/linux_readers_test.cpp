// The Linux kmem readers (docs/formats.md §5): detection by content, the bpftrace
// "ptr, bytes_req, bytes_alloc" lines of the KETag capture and the ftrace kmalloc, kfree,
// mm_page_alloc and mm_page_free lines quoted there, what they ignore and count, and their errors.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/error.hpp"
#include "test_support.hpp"
#include "trace/trace_reader.hpp"

namespace fragreplay::trace {
namespace {

std::unique_ptr<TraceReader> open_text(const std::string& text,
                                       BadLinePolicy policy = BadLinePolicy::kFail) {
  return open_trace(memory_source(text, "k.txt"), ReadOptions{policy});
}

// Batches of two: the reader resumes between calls.
std::vector<Event> read_all(TraceReader& r) { return testing::read_all(r, 2); }

std::string error_of(const std::string& text) {
  try {
    auto r = open_text(text);
    read_all(*r);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

// The first lines and the closing map of the real capture (traces/kmalloc-ketag.txt).
const std::string kKetag =
    "Attaching 2 probes...\n"
    "ffff8880b7b0c400,      552,     1024\n"
    "ffff88812a974000,     4816,     8192\n"
    "ffff888133484090,        8,        8\n"
    "\n"
    "@[8192]: 1\n"
    "@[192]: 25204\n";

TEST(BpftraceReader, ReadsTheKetagCapture) {
  auto r = open_text(kKetag);
  EXPECT_EQ(r->format(), "bpftrace-kmalloc");
  const auto ev = read_all(*r);
  ASSERT_EQ(ev.size(), 3u);
  EXPECT_EQ(ev[0].kind, EventKind::kAlloc);
  EXPECT_EQ(ev[0].routine, Routine::kKmalloc);
  EXPECT_EQ(ev[0].address, 0xffff8880b7b0c400u);
  EXPECT_EQ(ev[0].bytes, 552u);
  EXPECT_EQ(ev[0].charged_bytes, 1024u);
  EXPECT_EQ(ev[0].time_ns, 0u) << "bpftrace printed no time";
  EXPECT_EQ(ev[0].source_pos, 2u);
  EXPECT_EQ(ev[1].bytes, 4816u);
  EXPECT_EQ(ev[1].charged_bytes, 8192u);
  EXPECT_EQ(ev[2].source_pos, 4u);
  EXPECT_EQ(r->ignored().total, 3u);
  ASSERT_EQ(r->ignored().by_kind.size(), 2u);
  EXPECT_EQ(r->ignored().by_kind[0].name, "bpftrace banner");
  EXPECT_EQ(r->ignored().by_kind[1].name, "bpftrace map printed at exit");
  EXPECT_EQ(r->ignored().by_kind[1].count, 2u);
}

TEST(BpftraceReader, DetectedWithoutTheBanner) {
  auto r = open_text("ffff888133484090,        8,        8\n");
  EXPECT_EQ(r->format(), "bpftrace-kmalloc");
  EXPECT_EQ(read_all(*r).size(), 1u);
}

TEST(BpftraceReader, MalformedLinesNameTheLine) {
  EXPECT_EQ(error_of(kKetag + "ffff8880b7b0c400, 552\n"),
            "k.txt:8: expected \"ptr, bytes_req, bytes_alloc[, call_site]\" (hexadecimal, decimal, "
            "decimal), "
            "got \"ffff8880b7b0c400, 552\"");
  EXPECT_EQ(error_of(kKetag + "zzzz, 1, 8\n"),
            "k.txt:8: expected \"ptr, bytes_req, bytes_alloc[, call_site]\" (hexadecimal, decimal, "
            "decimal), "
            "got \"zzzz, 1, 8\"");
  EXPECT_EQ(error_of(kKetag + "ffff8880b7b0c400, 552, 512\n"),
            "k.txt:8: bytes_alloc 512 is below bytes_req 552 (no allocator charges less than was "
            "asked)");
  auto r = open_text(kKetag + "oops\nffff888133484090, 8, 8\n", BadLinePolicy::kSkip);
  EXPECT_EQ(read_all(*r).size(), 4u);
  EXPECT_EQ(r->bad_lines().count, 1u);
  EXPECT_EQ(r->bad_lines().first[0].position, 8u);
}

// ftrace lines as quoted in docs/formats.md §5 (several kernels' layouts).
const std::string kFtrace =
    "# tracer: nop\n"
    "#\n"
    "   trace-cmd-13543 [001] 106260.693809: kmalloc: call_site=81128dd4 "
    "ptr=0xffff88003dd83800 bytes_req=768 bytes_alloc=1024 gfp_flags=GFP_KERNEL|GFP_ZERO\n"
    "                  ls-13545 [002] 106260.693810: kfree: call_site=810a7abb "
    "ptr=0xffff88003dd83800\n"
    "  <...>-22275 [006] ....   889.213383: mm_page_alloc: page=00000000d2be5665 pfn=970744 "
    "order=0 migratetype=0 nr_free=3650 gfp_flags=GFP_HIGHUSER|__GFP_ZERO\n"
    " make-a-pipe-4812 [003] ..... 913.204117: kmalloc: call_site=alloc_pipe_info+0x6c/0x220 "
    "ptr=000000009c3a1e77 bytes_req=640 bytes_alloc=1024 gfp_flags=GFP_KERNEL_ACCOUNT|__GFP_ZERO "
    "node=-1 accounted=true\n"
    "  <...>-22275 [006] ....   889.213999: mm_page_free: page=00000000d2be5665 pfn=0xecff8 "
    "order=2\n"
    "  <...>-22275 [006] ....   889.214000: kmem_cache_alloc: call_site=x ptr=0x1 bytes_req=8 "
    "bytes_alloc=8 gfp_flags=GFP_KERNEL\n"
    "  <...>-22275 [006] ....   889.214001: kfree: call_site=x ptr=0x0\n";

TEST(FtraceReader, ReadsKmemEvents) {
  auto r = open_text(kFtrace);
  EXPECT_EQ(r->format(), "ftrace-kmem");
  const auto ev = read_all(*r);
  ASSERT_GE(ev.size(), 5u);
  EXPECT_EQ(ev[0].routine, Routine::kKmalloc);
  EXPECT_EQ(ev[0].time_ns, 106260'693809000u);
  EXPECT_EQ(ev[0].address, 0xffff88003dd83800u);
  EXPECT_EQ(ev[0].bytes, 768u);
  EXPECT_EQ(ev[0].charged_bytes, 1024u);
  EXPECT_EQ(ev[0].source_pos, 3u);
  EXPECT_EQ(ev[1].kind, EventKind::kFree);
  EXPECT_EQ(ev[1].routine, Routine::kKfree);
  EXPECT_EQ(ev[1].address, 0xffff88003dd83800u);
  EXPECT_EQ(ev[2].routine, Routine::kPageAlloc);
  EXPECT_EQ(ev[2].time_ns, 889'213383000u);
  EXPECT_EQ(ev[2].address, 970744u) << "a page block is named by its pfn";
  EXPECT_EQ(ev[2].bytes, 4096u);
  EXPECT_EQ(ev[3].address, 0x9c3a1e77u) << "hashed pointers are plain hexadecimal";
  EXPECT_EQ(ev[3].bytes, 640u);
  EXPECT_EQ(ev[4].routine, Routine::kPageFree);
  EXPECT_EQ(ev[4].address, 0xecff8u) << "newer kernels print the pfn in hexadecimal";
  EXPECT_EQ(ev[4].bytes, 16384u);
  // kmem_cache_alloc is replayed on a cache of its own; kfree(NULL) is an event the engine counts
  // as a null free (include/trace/events/kmem.h prints both; mm/slab_common.c returns on NULL).
  ASSERT_EQ(ev.size(), 7u);
  EXPECT_EQ(ev[5].routine, Routine::kKmemCacheAlloc);
  EXPECT_EQ(ev[5].charged_bytes, 8u);
  EXPECT_EQ(ev[6].kind, EventKind::kFree);
  EXPECT_EQ(ev[6].address, 0u);
  EXPECT_EQ(r->ignored().total, 0u);
}

TEST(FtraceReader, DetectedByAnEventLineWithoutTheHeader) {
  auto r = open_text(
      "  <...>-1 [000] ....   1.5: mm_page_alloc: page=x pfn=100 order=1 migratetype=0\n");
  EXPECT_EQ(r->format(), "ftrace-kmem");
  const auto ev = read_all(*r);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].time_ns, 1'500'000'000u);
  EXPECT_EQ(ev[0].bytes, 8192u);
}

TEST(FtraceReader, MalformedLinesNameTheLineAndField) {
  const std::string head = "# tracer: nop\n";
  EXPECT_EQ(error_of(head + "garbage\n"),
            "k.txt:2: expected an ftrace event line \"task-pid [cpu] timestamp: event: fields\", "
            "got \"garbage\"");
  EXPECT_EQ(error_of(head + " a-1 [000] 5.0: kmalloc: ptr=0x10 bytes_req=8\n"),
            "k.txt:2: kmalloc: field 'bytes_alloc': expected a decimal number, in \"ptr=0x10 "
            "bytes_req=8\"");
  EXPECT_EQ(error_of(head + " a-1 [000] 5.0: kfree: ptr=xyz\n"),
            "k.txt:2: kfree: field 'ptr': expected a hexadecimal pointer, in \"ptr=xyz\"");
  EXPECT_EQ(error_of(head + " a-1 [000] x.0: kfree: ptr=0x20\n"),
            "k.txt:2: expected a timestamp in seconds such as 889.213383, got \"x.0\"");
  EXPECT_EQ(error_of(head + " a-1 [000] 5.0: mm_page_alloc: pfn=5 order=99\n"),
            "k.txt:2: mm_page_alloc: order 99 is larger than any page allocator's");
}

}  // namespace
}  // namespace fragreplay::trace
