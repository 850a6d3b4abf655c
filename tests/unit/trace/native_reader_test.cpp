// The native trace format v1 (traces/README.md): what each column accepts, the exact error
// messages for what it does not, bad-line skipping, DMA adapter declarations, and a lossless
// round trip through the writer.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "test_support.hpp"
#include "trace/kernel_names.hpp"
#include "trace/native_format.hpp"
#include "trace/native_writer.hpp"
#include "trace/routine_columns.hpp"
#include "trace/trace_reader.hpp"

namespace fragreplay::trace {
namespace {

const std::string kPreamble =
    std::string(native::kMagic) + "\n" + std::string(native::kHeader) + "\n";

std::unique_ptr<TraceReader> open_text(const std::string& body,
                                       BadLinePolicy policy = BadLinePolicy::kFail) {
  return open_trace(memory_source(kPreamble + body, "t.csv"), ReadOptions{policy});
}

using testing::read_all;

std::string error_of(const std::string& body) {
  try {
    auto r = open_text(body);
    read_all(*r);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(NativeReader, ReadsEveryKindOfEvent) {
  auto r = open_text(
      "# a comment\n"
      "\n"
      "0,phase,DriverEntry,,,,,,,,,,,,\n"
      "10,alloc,ExAllocatePoolWithTag,NonPagedPoolNx,Nic1,100,0xffffa00000001000,,,,,,,System,4\n"
      "20,alloc,ExAllocatePool2,POOL_FLAG_NON_PAGED|POOL_FLAG_UNINITIALIZED,Nic2,64,0x2000,,,,,,,,"
      "\n"
      "30,alloc,MmAllocateContiguousMemorySpecifyCache,,Ring,8192,0x3000,0x0,0xffffffff,0x10000,"
      "MmNonCached,0,,,\n"
      "40,free,ExFreePoolWithTag,,Nic1,,0xffffa00000001000,,,,,,,,\n"
      "50,alloc,MmAllocateContiguousMemory,,Cm,4096,0x4000,,0xffffff,,,,,,\r\n"
      "60,phase,Steady,,,,,,,,,,,,");
  EXPECT_EQ(r->format(), "native-v1");
  const auto ev = read_all(*r);
  ASSERT_EQ(ev.size(), 7u);
  EXPECT_EQ(ev[0].kind, EventKind::kPhase);
  EXPECT_EQ(ev[0].routine, Routine::kDriverEntry);
  EXPECT_EQ(ev[0].source_pos, 5u);
  EXPECT_EQ(ev[1].pool_arg, PoolArg::kPoolType);
  EXPECT_EQ(ev[1].pool, 0x200u);
  EXPECT_EQ(ev[1].tag, Tag::from_chars("Nic1"));
  EXPECT_EQ(ev[1].address, 0xffffa00000001000u);
  EXPECT_EQ(r->strings().get(ev[1].process), "System");
  EXPECT_EQ(r->strings().get(ev[1].thread), "4");
  EXPECT_EQ(ev[2].pool_arg, PoolArg::kPoolFlags);
  EXPECT_EQ(ev[2].pool, 0x42u);
  EXPECT_EQ(ev[3].window.lowest.value, 0u);
  EXPECT_EQ(ev[3].window.highest.value, 0xffffffffu);
  EXPECT_EQ(ev[3].window.boundary.value, 0x10000u);
  EXPECT_EQ(ev[3].cache, CachingType::kMmNonCached);
  EXPECT_EQ(ev[3].node, 0);
  EXPECT_EQ(ev[4].kind, EventKind::kFree);
  EXPECT_EQ(ev[4].bytes, 0u);
  EXPECT_EQ(ev[5].window.highest.value, 0xffffffu);
  EXPECT_EQ(ev[5].source_pos, 10u) << "CRLF endings are accepted";
  EXPECT_EQ(ev[6].routine, Routine::kSteady);
  EXPECT_EQ(ev[6].source_pos, 11u) << "a last line without newline counts";
}

TEST(NativeReader, ExactMessagesForMalformedColumns) {
  EXPECT_EQ(error_of("0,alloc,ExAllocatePoolWithTag,NonPagedPool,Tag1,12a,0x10,,,,,,,,\n"),
            "t.csv:3: column 'bytes': expected an unsigned integer, got \"12a\"");
  EXPECT_EQ(error_of("x,alloc,ExAllocatePoolWithTag,NonPagedPool,Tag1,12,0x10,,,,,,,,\n"),
            "t.csv:3: column 'time_ns': expected an unsigned integer, got \"x\"");
  EXPECT_EQ(error_of("0,malloc,ExAllocatePoolWithTag,NonPagedPool,Tag1,12,0x10,,,,,,,,\n"),
            "t.csv:3: column 'event': expected alloc, free, rundown or phase, got \"malloc\"");
  EXPECT_EQ(error_of("0,alloc,ExAllocatePoolEx,NonPagedPool,Tag1,12,0x10,,,,,,,,\n"),
            "t.csv:3: column 'routine': expected a routine name such as ExAllocatePoolWithTag, got "
            "\"ExAllocatePoolEx\"");
  // An empty routine is refused on the first line too (the parser remembers the last routine
  // of each event kind, and that memory starts empty), and on a later line of another kind.
  EXPECT_EQ(error_of("0,alloc,,NonPagedPool,Tag1,12,0x10,,,,,,,,\n"),
            "t.csv:3: column 'routine': expected a routine name such as ExAllocatePoolWithTag, got "
            "\"\"");
  EXPECT_EQ(error_of("0,alloc,ExAllocatePoolWithTag,NonPagedPool,Tag1,12,0x10,,,,,,,,\n"
                     "1,free,,,,,0x10,,,,,,,,\n"),
            "t.csv:4: column 'routine': expected a routine name such as ExAllocatePoolWithTag, got "
            "\"\"");
  EXPECT_EQ(
      error_of("0,alloc,ExAllocatePoolWithTag,BigPool,Tag1,12,0x10,,,,,,,,\n"),
      "t.csv:3: column 'pool': expected a POOL_TYPE name such as NonPagedPoolNx, or a number, "
      "got \"BigPool\"");
  EXPECT_EQ(error_of("0,alloc,ExAllocatePoolWithTag,NonPagedPool,Tags1,12,0x10,,,,,,,,\n"),
            "t.csv:3: column 'tag': expected at most 4 characters, got \"Tags1\"");
  EXPECT_EQ(error_of("0,free,ExAllocatePoolWithTag,,,,0x10,,,,,,,,\n"),
            "t.csv:3: column 'routine': expected a routine that frees for a free event, got "
            "\"ExAllocatePoolWithTag\"");
  EXPECT_EQ(error_of("0,free,ExFreePool,,,,,,,,,,,,\n"),
            "t.csv:3: column 'address': expected an unsigned integer, got \"\"");
  // A free's pool type is read (the engine compares it with the allocation's), so a malformed
  // one is an error like any value the row's routine takes.
  EXPECT_EQ(
      error_of("0,free,ExFreePoolWithTag,BigPool,Tag1,,0x10,,,,,,,,\n"),
      "t.csv:3: column 'pool': expected a POOL_TYPE name such as NonPagedPoolNx, or a number, "
      "got \"BigPool\"");
  EXPECT_EQ(
      error_of("0,alloc,MmAllocateContiguousMemorySpecifyCache,,C,12,0x10,0,0xffff,0,,,,,\n"),
      "t.csv:3: column 'cache': expected the caching type MmAllocateContiguousMemorySpecifyCache "
      "takes, got \"\"");
  EXPECT_EQ(
      error_of("0,alloc,AllocateCommonBuffer,,C,12,0x10,,,,,,nic9,,\n"),
      "t.csv:3: column 'adapter': adapter \"nic9\" is not declared (add a '#!adapter name=... "
      "map_registers=...' line before it)");
  EXPECT_EQ(error_of("0,alloc,ExAllocatePoolWithTag,NonPagedPool,T,1,0x10,,,,,,,,,,\n"),
            "t.csv:3: expected 15 columns (as the header names), got more");
  // A quote still open when the input ends (a quoted field may continue on the next line).
  EXPECT_EQ(error_of("0,alloc,ExAllocatePoolWithTag,NonPagedPool,\"T,1,0x10\n"),
            "t.csv:3: unterminated double quote at the end of the input");
}

// Be liberal in what you accept (README, "Native format"): a column the row's routine does not
// take is set aside and counted by column and routine with its first line, whatever it holds,
// and the event is read as if the column were empty.
TEST(NativeReader, FieldsARoutineDoesNotTakeAreCountedNotRefused) {
  auto r = open_text(
      "0,phase,DriverEntry,,,,,,,,,,,drv.sys,1\n"                             // 3: process, thread
      "10,alloc,MmAllocateNonCachedMemory,NonPagedPool,Nc,12,0x10,,,,,,,,\n"  // 4: pool
      "20,free,ExFreePoolWithTag,NonPagedPoolNx,Nic1,,0x10,,,,,,,,\n"        // 5: read, not ignored
      "30,alloc,ExAllocatePoolWithTag,PagedPool,T,1,0x20,,,,MmCached,,,,\n"  // 6: cache
      "40,free,MmFreeNonCachedMemory,NonPagedPool,,,0x10,,,,,,,,\n"          // 7: pool
      "50,phase,Steady,,,,,,,,,,,drv.sys,\n"                                 // 8: process
      "60,alloc,MmAllocateNonCachedMemory,PagedPool,Nc,12,0x30,,,,,,,,\n");  // 9: pool again
  const auto ev = read_all(*r);
  ASSERT_EQ(ev.size(), 7u);
  EXPECT_EQ(ev[0].process, 0u) << "an ignored field is not kept on the event";
  EXPECT_EQ(ev[1].pool_arg, PoolArg::kNone);
  EXPECT_EQ(ev[2].pool_arg, PoolArg::kPoolType);
  EXPECT_EQ(ev[2].pool, 0x200u) << "NonPagedPoolNx = 512 (wdm.h POOL_TYPE)";
  EXPECT_EQ(ev[3].cache, kCacheNotGiven);
  // Ordered by column (the header's order), then by routine (event.hpp's order).
  const std::vector<IgnoredField> expected{
      {"pool", "MmAllocateNonCachedMemory", 2, 4},
      {"pool", "MmFreeNonCachedMemory", 1, 7},
      {"cache", "ExAllocatePoolWithTag", 1, 6},
      {"process", "DriverEntry", 1, 3},
      {"process", "Steady", 1, 8},
      {"thread", "DriverEntry", 1, 3},
  };
  EXPECT_EQ(r->ignored_fields(), expected);
}

// Columns a converter appends after the fifteen are named by the header and ignored on every row;
// a row with more columns than the header names is still malformed.
TEST(NativeReader, ExtraHeaderColumnsAreIgnoredByName) {
  const std::string preamble =
      std::string(native::kMagic) + "\n" + std::string(native::kHeader) + ",stack,session\n";
  auto r = open_trace(
      memory_source(preamble + "0,alloc,ExAllocatePoolWithTag,NonPagedPool,T,1,0x10,,,,,,,"
                               ",,nt!Foo+0x10,\n"
                               "1,free,ExFreePool,,,,0x10,,,,,,,,,nt!Bar,1\n",
                    "x.csv"),
      {});
  const auto ev = read_all(*r);
  ASSERT_EQ(ev.size(), 2u);
  const std::vector<IgnoredField> expected{
      {"stack", "ExAllocatePoolWithTag", 1, 3},
      {"stack", "ExFreePool", 1, 4},
      {"session", "ExFreePool", 1, 4},
  };
  EXPECT_EQ(r->ignored_fields(), expected);

  auto wide = open_trace(
      memory_source(
          preamble + "0,alloc,ExAllocatePoolWithTag,NonPagedPool,T,1,0x10,,,,,,,,,a,b,c\n",
          "x.csv"),
      {});
  try {
    read_all(*wide);
    ADD_FAILURE() << "a row wider than the header was accepted";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "x.csv:3: expected 17 columns (as the header names), got more");
  }
  EXPECT_THROW(open_trace(memory_source(std::string(native::kMagic) + "\n" +
                                            std::string(native::kHeader) + ",,x\n",
                                        "y.csv"),
                          {}),
               Error);
}

// Windows editors start a UTF-8 file with a byte order mark; the text exports accept it, and so
// does the native format.
TEST(NativeReader, AcceptsAUtf8ByteOrderMark) {
  auto r =
      open_trace(memory_source("\xEF\xBB\xBF" + kPreamble +
                                   "0,alloc,ExAllocatePoolWithTag,NonPagedPool,T,1,0x10,,,,,,,,\n",
                               "bom.csv"),
                 {});
  EXPECT_EQ(r->format(), "native-v1");
  EXPECT_EQ(read_all(*r).size(), 1u);
}

// BoundaryAddressMultiple is 0 or a power of two of at least a page (docs/model.md §5.3; WRK
// MmAllocateContiguousMemorySpecifyCache), on a declared adapter as on the routine.
TEST(NativeReader, AdapterBoundaryMustBeAPowerOfTwoOfAPageOrMore) {
  for (const char* boundary : {"1", "0x3000", "0x800"}) {
    EXPECT_EQ(
        error_of("#!adapter name=nic0 map_registers=8 boundary=" + std::string(boundary) + "\n"),
        "t.csv:3: adapter declaration: 'boundary' must be 0 or a power of two of at least "
        "4096, got \"" +
            std::to_string(std::stoull(boundary, nullptr, 0)) + "\"")
        << boundary;
  }
  EXPECT_EQ(error_of("#!adapter name=nic0 map_registers=8 boundary=0x10000\n"
                     "#!adapter name=nic1 map_registers=8 boundary=0\n"
                     "#!adapter name=nic0 map_registers=4\n"),
            "t.csv:5: adapter \"nic0\" already declared on line 3");
}

TEST(NativeReader, PreambleErrorsNameWhatWasExpected) {
  auto open = [](const std::string& text) -> std::string {
    try {
      open_trace(memory_source(text, "p.csv"), {});
    } catch (const Error& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_EQ(open("# fragreplay trace v2\n"),
            "p.csv:1: trace format \"fragreplay trace v2\" is not one this fragreplay reads (v1)");
  EXPECT_EQ(open(std::string(native::kMagic) + "\ntime,event\n"),
            "p.csv:2: expected the header line \"" + std::string(native::kHeader) +
                "\", got \"time,event\"");
  EXPECT_EQ(
      open("hello\n"),
      "p.csv: unrecognised trace format: not a native trace (\"# fragreplay trace v1\", "
      "traces/README.md), a binary native trace (.frb, docs/formats.md section 8), an ETL "
      "file, xperf dumper text (BeginHeader), tracerpt CSV (Event Name, "
      "Type, ...), a WPA pool table CSV (Pool Tag, Size, Alloc Time, ...), a Linux bpftrace kmem "
      "capture (\"ptr, bytes_req, bytes_alloc\" lines), Linux ftrace kmem events (kmalloc:, "
      "kfree:, mm_page_alloc:) or perf script kmem events (kmem:kmalloc:, ...) (README.md, "
      "\"Input formats\")");
  EXPECT_EQ(open(""), "p.csv: empty file, expected a trace");
}

TEST(NativeReader, SkipPolicyCountsBadLinesAndGoesOn) {
  auto r = open_text(
      "0,alloc,ExAllocatePoolWithTag,NonPagedPool,Tag1,12a,0x10,,,,,,,,\n"
      "1,alloc,ExAllocatePoolWithTag,NonPagedPool,Tag1,12,0x10,,,,,,,,\n"
      "2,bogus\n",
      BadLinePolicy::kSkip);
  const auto ev = read_all(*r);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].source_pos, 4u);
  EXPECT_EQ(r->bad_lines().count, 2u);
  ASSERT_EQ(r->bad_lines().first.size(), 2u);
  EXPECT_EQ(r->bad_lines().first[0].position, 3u);
  EXPECT_EQ(r->bad_lines().first[1].position, 5u);
  EXPECT_EQ(r->bad_lines().first[1].message,
            "column 'event': expected alloc, free, rundown or phase, got \"bogus\"");
}

TEST(NativeReader, AdapterDeclarations) {
  auto r = open_text(
      "#!adapter name=nic0 highest=0xffffffff map_registers=32 boundary=0x10000\n"
      "0,alloc,AllocateCommonBuffer,,Ring,4096,0x10,,,,MmCached,,nic0,,\n");
  const auto ev = read_all(*r);
  ASSERT_EQ(r->adapters().size(), 1u);
  const AdapterDecl& a = r->adapters()[0];
  EXPECT_EQ(r->strings().get(a.name), "nic0");
  EXPECT_EQ(a.highest, 0xffffffffu);
  EXPECT_EQ(a.map_registers, 32u);
  EXPECT_EQ(a.boundary, 0x10000u);
  EXPECT_EQ(ev[0].adapter, a.name);
  EXPECT_EQ(error_of("#!adapter name=nic0\n"),
            "t.csv:3: adapter declaration: 'map_registers=' is required");
  EXPECT_EQ(error_of("#!adapter name=nic0 speed=1 map_registers=1\n"),
            "t.csv:3: adapter declaration: unknown key \"speed\" (known: name, highest, boundary, "
            "map_registers)");
}

TEST(NativeReader, TagsWithEscapesAndQuotedFields) {
  auto r = open_text(
      "0,alloc,ExAllocatePoolWithTag,NonPagedPool,\"a,\\x00\",8,0x10,,,,,,,\"say \"\"hi\"\"\",\n");
  const auto ev = read_all(*r);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].tag.value, 0x20002c61u);  // 'a', ',', 0x00, ' '
  EXPECT_EQ(r->strings().get(ev[0].process), "say \"hi\"");
}

// A quoted field may hold line breaks (RFC 4180 §2.6; traces/README.md allows them, issue 16
// item 12): the record continues on the next line, its event carries the record's first line
// (3; the preamble is lines 1-2), and the next event its own line (5).
TEST(NativeReader, QuotedFieldsMayHoldLineBreaks) {
  auto r = open_text(
      "0,alloc,ExAllocatePoolWithTag,NonPagedPool,Two,8,0x10,,,,,,,\"first\nsecond, \"\"x\"\"\",4\n"
      "1,free,ExFreePoolWithTag,,Two,,0x10,,,,,,,,\n");
  const auto ev = read_all(*r);
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(r->strings().get(ev[0].process), "first\nsecond, \"x\"");
  EXPECT_EQ(ev[0].source_pos, 3u);
  EXPECT_EQ(ev[1].source_pos, 5u);
  EXPECT_EQ(error_of("0,alloc,ExAllocatePoolWithTag,NonPagedPool,Open,8,0x10,,,,,,,\"never\n"),
            "t.csv:3: unterminated double quote at the end of the input");
  std::string endless = "0,alloc,ExAllocatePoolWithTag,NonPagedPool,Open,8,0x10,,,,,,,\"a\n";
  for (int k = 0; k < 70; ++k) endless += "b\n";
  EXPECT_EQ(error_of(endless), "t.csv:66: a quoted field is still open after 64 lines");
}

// The writer's output reads back as the same events (native -> native is lossless).
// Each routine takes the columns of its C signature (MS docs, each routine's page; the table is
// trace/routine_columns.cpp): a column it has no parameter for is set aside and counted.
TEST(NativeReader, EachRoutineTakesTheColumnsOfItsSignature) {
  auto r = open_text(
      "0,alloc,ExAllocatePool,PagedPool,,100,0x10,,,,,,,,\n"
      "1,alloc,ExAllocatePoolWithQuota,NonPagedPool,None,100,0x20,,,,,,,,\n"
      "2,alloc,ExAllocatePoolWithTagPriority,NonPagedPoolNx,Prio,100,0x30,,,,,,,,\n"
      "3,alloc,ExAllocatePoolQuotaUninitialized,PagedPool,Quot,100,0x40,,,,,,,,\n"
      "4,alloc,MmAllocateContiguousMemorySpecifyCacheNode,,Cn,100,0x50,0x1000,0xffffff,0,"
      "MmNonCached,1,,,\n"
      "5,alloc,MmAllocatePagesForMdl,,Mdl,5000,0x60,0x1000000,0x1ffffff,0x1000000,,,,,\n"
      "6,alloc,MmAllocatePagesForMdlEx,,Mdl,5000,0x70,,0xffffffff,,MmCached,,,,\n"
      "7,alloc,AllocateCommonBufferEx,,Cbx,100,0x80,,0xffffff,,MmNonCached,0,,,\n"
      "8,free,ExFreePool2,,Pool,,0x10,,,,,,,,\n"
      "9,free,MmFreePagesFromMdl,,,,0x60,,,,,,,,\n");
  const auto e = read_all(*r);
  ASSERT_EQ(e.size(), 10u);
  // WRK ex/pool.c: ExAllocatePool[WithQuota] pass the tag 'enoN', which reads "None".
  EXPECT_EQ(e[0].tag, Tag::from_chars("None"));
  EXPECT_EQ(e[0].pool_arg, PoolArg::kPoolType);
  EXPECT_EQ(e[0].pool, 1u);
  EXPECT_EQ(e[1].tag, Tag::from_chars("None"));
  EXPECT_EQ(e[2].pool, 0x200u);
  EXPECT_EQ(e[3].tag, Tag::from_chars("Quot"));
  EXPECT_EQ(e[4].window.lowest.value, 0x1000u);
  EXPECT_EQ(e[4].window.highest.value, 0xffffffu);
  EXPECT_EQ(e[4].cache, CachingType::kMmNonCached);
  EXPECT_EQ(e[4].node, 1);
  // MmAllocatePagesForMdl: LowAddress, HighAddress, SkipBytes (in the boundary column).
  EXPECT_EQ(e[5].window.lowest.value, 0x1000000u);
  EXPECT_EQ(e[5].window.highest.value, 0x1ffffffu);
  EXPECT_EQ(e[5].window.boundary.value, 0x1000000u);
  EXPECT_EQ(e[5].cache, kCacheNotGiven);
  EXPECT_EQ(e[6].cache, CachingType::kMmCached);
  // AllocateCommonBufferEx: MaximumAddress in the highest column.
  EXPECT_EQ(e[7].window.highest.value, 0xffffffu);
  EXPECT_EQ(e[8].routine, Routine::kExFreePool2);
  EXPECT_EQ(e[9].routine, Routine::kMmFreePagesFromMdl);

  EXPECT_EQ(error_of("0,alloc,MmAllocatePagesForMdlEx,,M,100,0x10,,0xffffffff,,,,,,\n"),
            "t.csv:3: column 'cache': expected the caching type MmAllocatePagesForMdlEx takes, got "
            "\"\"");
  EXPECT_EQ(error_of("0,alloc,MmAllocatePagesForMdl,,M,100,0x10,,,,,,,,\n"),
            "t.csv:3: column 'highest': expected an unsigned integer, got \"\"");
  // Arguments a signature lacks are set aside and counted, never refused: a tag on ExAllocatePool
  // (the kernel tags it 'None'), a cache type on MmAllocatePagesForMdl, a highest address on
  // AllocateCommonBuffer (its adapter gives the limit).
  auto lenient = open_text(
      "0,alloc,ExAllocatePool,PagedPool,Tag1,100,0x10,,,,,,,,\n"
      "1,alloc,MmAllocatePagesForMdl,,M,100,0x20,,0xffff,,MmCached,,,,\n"
      "2,alloc,AllocateCommonBuffer,,C,100,0x30,,0xffffff,,,,,,\n");
  const auto ev = read_all(*lenient);
  ASSERT_EQ(ev.size(), 3u);
  EXPECT_EQ(ev[0].tag, kUntaggedTag);
  EXPECT_EQ(ev[1].cache, kCacheNotGiven);
  EXPECT_EQ(ev[2].window.highest.value, 0u);
  const std::vector<IgnoredField> set_aside{{"tag", "ExAllocatePool", 1, 3},
                                            {"highest", "AllocateCommonBuffer", 1, 5},
                                            {"cache", "MmAllocatePagesForMdl", 1, 4}};
  EXPECT_EQ(lenient->ignored_fields(), set_aside);
  EXPECT_EQ(error_of("0,alloc,ExAllocatePool2,NonPagedPool,P,100,0x10,,,,,,,,\n"),
            "t.csv:3: column 'pool': expected POOL_FLAG_* names joined by '|' or a number, got "
            "\"NonPagedPool\"");
  EXPECT_EQ(error_of("0,alloc,ExAllocatePoolZero,POOL_FLAG_PAGED,P,100,0x10,,,,,,,,\n"),
            "t.csv:3: column 'pool': expected a POOL_TYPE name such as NonPagedPoolNx, or a "
            "number, got \"POOL_FLAG_PAGED\"");
}

TEST(NativeWriter, RoundTripIsLossless) {
  const std::string body =
      "#!adapter name=nic0 highest=0xffffffff boundary=0x100000000 map_registers=16\n"
      "0,phase,DriverEntry,,,,,,,,,,,,\n"
      "5,alloc,ExAllocatePoolWithQuotaTag,PagedPool|POOL_RAISE_IF_ALLOCATION_FAILURE,\"q,\\x01\","
      "77,0x10,,,,,,,\"p,1\",t\n"
      "6,alloc,ExAllocatePool3,POOL_FLAG_PAGED|0x200000000,Pool,1,0x20,,,,,,,,\n"
      "7,alloc,MmAllocateContiguousNodeMemory,,Node,9000,0x30,0x1000,0xfffff,0x0,MmWriteCombined,1,"
      ",,\n"
      "8,alloc,AllocateCommonBuffer,,Cb,0,0x40,,,,,,nic0,,\n"
      "8,alloc,ExAllocatePool,NonPagedPoolNx,,5,0x50,,,,,,,,\n"
      "8,alloc,MmAllocatePagesForMdlEx,,Mdl,9000,0x60,0x0,0xffffffff,0x0,MmNonCached,,,,\n"
      "8,alloc,AllocateCommonBufferEx,,Cbx,10,0x70,,0xffffff,,,0,nic0,,\n"
      "9,free,FreeCommonBuffer,,,,0x40,,,,,,nic0,,\n"
      "10,free,ExFreePool,,,77,0x10,,,,,,,,\n";
  auto first = open_text(body);
  const auto events = read_all(*first);
  char* buf = nullptr;
  std::size_t size = 0;
  std::FILE* mem = open_memstream(&buf, &size);
  {
    NativeWriter w(mem, "converted");
    for (const auto& a : first->adapters()) w.declare(a, first->strings());
    for (const auto& e : events) w.write(e, first->strings());
    w.flush();
  }
  std::fclose(mem);
  const std::string text(buf, size);
  std::free(buf);
  auto second = open_trace(memory_source(text, "rt.csv"), {});
  const auto again = read_all(*second);
  ASSERT_EQ(again.size(), events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    Event a = events[i];
    Event b = again[i];
    EXPECT_EQ(first->strings().get(a.process), second->strings().get(b.process));
    EXPECT_EQ(first->strings().get(a.adapter), second->strings().get(b.adapter));
    a.source_pos = b.source_pos = 0;
    a.process = b.process = a.thread = b.thread = a.adapter = b.adapter = 0;
    EXPECT_TRUE(a == b) << "event " << i << " differs after the round trip";
  }
}

TEST(KernelNames, PoolTypesFlagsAndCacheTypes) {
  EXPECT_EQ(parse_pool_type("NonPagedPoolNx"), 0x200u);
  EXPECT_EQ(parse_pool_type("PagedPool | POOL_COLD_ALLOCATION"), 0x101u);
  EXPECT_EQ(parse_pool_type("0x21"), 0x21u);
  EXPECT_EQ(parse_pool_type("33"), 33u);
  EXPECT_EQ(parse_pool_type("Paged"), std::nullopt);
  EXPECT_EQ(pool_type_name(0x200), "NonPagedPoolNx");
  EXPECT_EQ(pool_type_name(0x210), "NonPagedPoolNx|POOL_RAISE_IF_ALLOCATION_FAILURE");
  EXPECT_EQ(pool_type_name(0x21), "PagedPoolSession");
  EXPECT_EQ(parse_pool_flags("POOL_FLAG_NON_PAGED|POOL_FLAG_CACHE_ALIGNED"), 0x48u);
  EXPECT_EQ(pool_flags_name(0x100000040), "POOL_FLAG_NON_PAGED|POOL_FLAG_SPECIAL_POOL");
  EXPECT_EQ(pool_flags_name(0x40 | 0x1000), "POOL_FLAG_NON_PAGED|0x1000");
  EXPECT_EQ(parse_cache_type("MmWriteCombined"), CachingType::kMmWriteCombined);
  EXPECT_EQ(parse_cache_type("7"), std::nullopt);
  EXPECT_EQ(cache_type_name(CachingType::kMmCached), "MmCached");
}

}  // namespace
}  // namespace fragreplay::trace

namespace fragreplay::trace {
namespace {

// The Event stays a small fixed-size aggregate (the readers' and the engine's hot path): typing
// the cache (CachingType, one byte) and the window (ContiguousWindow, three 64-bit values) did
// not grow it.
TEST(Event, TypedFieldsKeepItsSize) {
  static_assert(sizeof(CachingType) == sizeof(std::int8_t));
  static_assert(sizeof(ContiguousWindow) == 3 * sizeof(std::uint64_t));
  EXPECT_EQ(sizeof(Event), 120u);
}

}  // namespace
}  // namespace fragreplay::trace
