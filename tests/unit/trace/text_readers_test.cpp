// The readers of Windows text exports (docs/formats.md §2): xperf dumper text, tracerpt
// CSV and WPA pool-table CSV. Columns are found by name, pool events become the same Events the
// ETL reader gives (modifier bits stripped, the session bit set for session events, §1.4), the
// timestamp unit is configurable, and bad values are errors naming the line and the column.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/error.hpp"
#include "test_support.hpp"
#include "trace/trace_reader.hpp"

namespace fragreplay::trace {
namespace {

std::unique_ptr<TraceReader> open_text(const std::string& text, ReadOptions options = {}) {
  return open_trace(memory_source(text, "t.txt"), options);
}

// Batches of two: the reader resumes between calls.
std::vector<Event> read_all(TraceReader& r) { return testing::read_all(r, 2); }

std::string error_of(const std::string& text, ReadOptions options = {}) {
  try {
    auto r = open_text(text, options);
    read_all(*r);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

// Laid out as the dumper writes: right-aligned names, ", " separators, "name ( PID)" processes.
const std::string kXperfHeader =
    "BeginHeader\n"
    "   UnknownEvent/Classic,  TimeStamp,     Process Name ( PID),   ThreadID,  CPU,   "
    "EventGuid,  Type,  Level,  Version,  MofLength\n"
    "                CSwitch,  TimeStamp, New Process Name ( PID),    New TID, NPri, NQnt, "
    "TmSinceLast, WaitTime, Old Process Name ( PID),    Old TID\n"
    "              PoolAlloc,  TimeStamp,     Process Name ( PID),   ThreadID,       Type,   "
    "     Tag,   NumberOfBytes,              Entry\n"
    "       PoolAllocSession,  TimeStamp,     Process Name ( PID),   ThreadID,       Type,   "
    "     Tag,   NumberOfBytes,              Entry,  SessionId\n"
    "               PoolFree,  TimeStamp,     Process Name ( PID),   ThreadID,       Type,   "
    "     Tag,   NumberOfBytes,              Entry\n"
    "                  Stack,  TimeStamp,   ThreadID,  No.,           Address,  Image!Function\n"
    "EndHeader\n";

const std::string kXperfRows =
    "                CSwitch,      64630,             Idle (   0),          0,    0,   -1,      "
    "     0,        0,     tracelog.exe (5200),       5912\n"
    "              PoolAlloc,      65000,           System (   4),         68, 0x00000210,       "
    "NicP,             100, 0xfffffa8000500000\n"
    "                  Stack,      65000,         68,    1, 0xfffff80001104787, "
    "ntoskrnl.exe!EtwpStackTraceDispatcher\n"
    "                  Stack,      65000,         68,    2, 0xfffff88001234567, "
    "nic.sys!NicAllocate\n"
    "       PoolAllocSession,      65100,      csrss.exe ( 512),        520,          1,       "
    "Gses,              64, 0xfffff90000700000,          1\n"
    "                  Stack,      65200,         99,    1, 0xfffff80001104787, ntoskrnl.exe!Foo\n"
    "   UnknownEvent/Classic,      65300,           System (   4),         68,    0, "
    "{0268a8b6-74fd-4302-9dd0-6e8f1795c0cf},   34,     0,        2,        24\n"
    "               PoolFree,      66000,           System (   4),         68,          0,       "
    "NicP,             100, 0xfffffa8000500000\n";

TEST(XperfText, ReadsPoolEventsByColumnName) {
  auto r = open_text(kXperfHeader + kXperfRows);
  EXPECT_EQ(r->format(), "xperf-text");
  const auto ev = read_all(*r);
  ASSERT_EQ(ev.size(), 3u);
  // TimeStamp in microseconds by default: 65000 us = 65,000,000 ns.
  EXPECT_EQ(ev[0].time_ns, 65'000'000u);
  EXPECT_EQ(ev[0].kind, EventKind::kAlloc);
  EXPECT_EQ(ev[0].pool, 0x200u) << "0x210: POOL_RAISE_IF_ALLOCATION_FAILURE stripped";
  EXPECT_EQ(ev[0].tag, Tag::from_chars("NicP"));
  EXPECT_EQ(ev[0].bytes, 100u);
  EXPECT_EQ(ev[0].address, 0xfffffa8000500000u);
  EXPECT_EQ(r->strings().get(ev[0].process), "System (4)");
  EXPECT_EQ(r->strings().get(ev[0].thread), "68");
  EXPECT_EQ(ev[0].source_pos, 10u);
  EXPECT_TRUE(ev[0].routine_inferred) << "the export does not say which pool routine it was";
  EXPECT_EQ(ev[1].pool, 0x21u) << "PagedPool, session event: PagedPoolSession";
  EXPECT_EQ(r->strings().get(ev[1].process), "csrss.exe (512)");
  EXPECT_EQ(ev[2].kind, EventKind::kFree);
  EXPECT_EQ(ev[2].time_ns, 66'000'000u);
  const InputFacts& f = r->facts();
  EXPECT_EQ(f.records, 8u);
  EXPECT_EQ(f.stack_rows, 2u);
  EXPECT_EQ(f.orphan_stack_rows, 1u);
  EXPECT_EQ(f.pool_rows_without_fields, 1u) << "the UnknownEvent/Classic row of PoolTrace";
  EXPECT_EQ(f.by_event_name.at("Stack"), 3u);
  EXPECT_EQ(f.pool.allocs, 1u);
  EXPECT_EQ(f.pool.session_allocs, 1u);
  EXPECT_EQ(f.pool.frees, 1u);
}

// The Stack rows after an allocation are its stack (docs/formats.md §10.3), frames in row order,
// named by their Image!Function text; whatever the batch size (the reader holds a full batch's
// last allocation back until its Stack rows are read).
TEST(XperfText, StackRowsBecomeTheAllocationsStack) {
  for (const std::size_t batch : {1u, 2u, 64u}) {
    SCOPED_TRACE(batch);
    auto r = open_text(kXperfHeader + kXperfRows);
    const auto ev = testing::read_all(*r, batch);
    ASSERT_EQ(ev.size(), 3u);
    const CodeMap* code = r->code();
    ASSERT_NE(code, nullptr);
    ASSERT_NE(ev[0].stack, 0u);
    const auto frames = code->stacks.frames(ev[0].stack);
    EXPECT_EQ(std::vector<std::uint64_t>(frames.begin(), frames.end()),
              (std::vector<std::uint64_t>{0xfffff80001104787, 0xfffff88001234567}));
    EXPECT_EQ(code->frame_names.at(0xfffff88001234567), "nic.sys!NicAllocate");
    EXPECT_EQ(ev[1].stack, 0u) << "the session alloc has no Stack rows";
    EXPECT_EQ(r->facts().stacks.on_allocations, 1u);
    EXPECT_EQ(r->facts().stacks.frames, 2u);
  }
}

TEST(XperfText, TimeUnitIsAnOption) {
  ReadOptions ms;
  ms.time_unit_ns = 1'000'000;
  auto r = open_text(kXperfHeader + kXperfRows, ms);
  EXPECT_EQ(read_all(*r)[0].time_ns, 65'000'000'000u);
  EXPECT_TRUE(r->facts().notes.empty()) << "no assumption to note";
}

TEST(XperfText, ErrorsNameTheLineAndTheColumn) {
  std::string rows = kXperfRows;
  rows.replace(rows.find("             100, 0xfffffa8000500000\n"), 16, "             12a");
  EXPECT_EQ(error_of(kXperfHeader + rows),
            "t.txt:10: column 'NumberOfBytes': expected a number (decimal or 0x hexadecimal), "
            "got \"12a\"");
  EXPECT_EQ(error_of("BeginHeader\n  PoolFree, TimeStamp, Tag\nEndHeader\n"),
            "t.txt:2: pool event PoolFree has no column Entry (or Address); its rows cannot be "
            "replayed");
  EXPECT_EQ(error_of("BeginHeader\n  PoolFree, TimeStamp, Entry\n"),
            "t.txt:2: the file ends before \"EndHeader\"");
  // Skipped, a bad row is counted and the others are read.
  ReadOptions skip;
  skip.on_bad_line = BadLinePolicy::kSkip;
  auto r = open_text(kXperfHeader + rows, skip);
  EXPECT_EQ(read_all(*r).size(), 2u);
  EXPECT_EQ(r->bad_lines().count, 1u);
}

const std::string kTracerpt =
    "Event Name, Type, Event ID, Version, Channel, Level, Opcode, Task, Keyword, PID, TID, "
    "Processor Number, Instance ID, Parent Instance ID, Activity ID, Related Activity ID, "
    "Clock-Time, Kernel(ms), User(ms), User Data\n"
    "EventTrace, Header, 0, 2, 0, 0, 0, 0, 0x0, 0x8080, 0x46DC, 0, , , {0}, , "
    "130000000000000000, 30, 15, 1048576, 1, 2, 20, 999, 156250, 0, 0x0, 25, 1, 8, 7, 2496\n"
    "PoolTrace, PoolAllocation, 0, 2, 0, 0, 32, 0, 0x0, 0x00000004, 0x00000044, 0, , , {0}, , "
    "130000000000001000, 0, 0, 0x10000200, NicP, 100, 0xFFFFFA8000500000\n"
    "PoolTrace, SessionPoolAllocation, 0, 2, 0, 0, 33, 0, 0x0, 0x00000200, 0x00000208, 1, , , "
    "{0}, , 130000000000002000, 0, 0, 1, Gses, 64, 0xFFFFF90000700000, 1\n"
    "Thread, CSwitch, 0, 2, 0, 0, 36, 0, 0x0, 0x0, 0x0, 0, , , {0}, , 130000000000002500, 0, 0, "
    "1, 2, 3\n"
    "PoolTrace, PoolFree, 0, 2, 0, 0, 34, 0, 0x0, 0x00000004, 0x00000044, 0, , , {0}, , "
    "130000000000003000, 0, 0, 0x200, NicP, 100, 0xFFFFFA8000500000\n";

TEST(TracerptCsv, ReadsPoolEventsAfterUserData) {
  auto r = open_text(kTracerpt);
  EXPECT_EQ(r->format(), "tracerpt-csv");
  const auto ev = read_all(*r);
  ASSERT_EQ(ev.size(), 3u);
  // Clock-Time in 100 ns (FILETIME) units from the first row.
  EXPECT_EQ(ev[0].time_ns, 100'000u);
  EXPECT_EQ(ev[0].pool, 0x200u) << "ETW_POOLTRACE_BIGPOOL_MASK stripped";
  EXPECT_EQ(ev[0].address, 0xfffffa8000500000u);
  EXPECT_EQ(r->strings().get(ev[0].process), "4");
  EXPECT_EQ(r->strings().get(ev[0].thread), "68");
  EXPECT_EQ(ev[1].pool, 0x21u);
  EXPECT_EQ(ev[1].time_ns, 200'000u);
  EXPECT_EQ(ev[2].kind, EventKind::kFree);
  EXPECT_EQ(ev[2].time_ns, 300'000u);
  EXPECT_EQ(r->facts().pointer_size, 8u) << "from the EventTrace Header row";
  EXPECT_EQ(r->facts().records, 5u);
  EXPECT_EQ(r->facts().by_event_name.at("Thread/CSwitch"), 1u);
}

TEST(TracerptCsv, PoolRowsNeedTheirPayload) {
  std::string t = kTracerpt;
  t += "PoolTrace, PoolFree, 0, 2, 0, 0, 34, 0, 0x0, 0x4, 0x44, 0, , , {0}, , 130000000000004000, "
       "0, 0, 0x200\n";
  EXPECT_EQ(error_of(t),
            "t.txt:7: pool event without its four payload fields (Type, Tag, NumberOfBytes, "
            "Entry) after the User Data column");
}

const std::string kWpa =
    "Pool Tag,Type,Paged,Address,Size,Alloc Time,Free Time,Process,Stack\n"
    "NicP,AIFI,NonPaged,0xfffffa8000500000,100,1.000000000,1.500000000,System (4),\n"
    "NicB,AIFO,Paged,0xfffff8a000600000,\"4,096\",1.250000000,,System (4),\n"
    "Irp ,AOFI,NonPaged,0xfffffa8000100000,512,0.000000000,2.000000000,Idle (0),\n"
    "Gses,AIFI,Paged,0xfffff90000700000,64,1.500000000,1.500000000,csrss.exe ( 512),\n";

// One row per allocation: an alloc at Alloc Time and, if freed, a free at Free Time, sorted by
// time; frees first at equal times, but never before their own alloc; AO.. rows predate the trace.
TEST(WpaPoolCsv, RowsBecomeAllocsAndFreesInTimeOrder) {
  auto r = open_text(kWpa);
  EXPECT_EQ(r->format(), "wpa-pool-csv");
  const auto ev = read_all(*r);
  struct Want {
    std::uint64_t time_ns;
    EventKind kind;
    const char* tag;
    bool rundown;
  };
  const std::vector<Want> want{
      {0, EventKind::kAlloc, "Irp ", true},
      {1'000'000'000, EventKind::kAlloc, "NicP", false},
      {1'250'000'000, EventKind::kAlloc, "NicB", false},
      {1'500'000'000, EventKind::kFree, "NicP", false},
      {1'500'000'000, EventKind::kAlloc, "Gses", false},
      {1'500'000'000, EventKind::kFree, "Gses", false},
      {2'000'000'000, EventKind::kFree, "Irp ", false},
  };
  ASSERT_EQ(ev.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(ev[i].time_ns, want[i].time_ns) << i;
    EXPECT_EQ(ev[i].kind, want[i].kind) << i;
    EXPECT_EQ(ev[i].tag, Tag::from_chars(want[i].tag)) << i;
    EXPECT_EQ(ev[i].rundown, want[i].rundown) << i;
  }
  EXPECT_EQ(ev[2].bytes, 4096u) << "thousands separator";
  EXPECT_EQ(ev[2].pool, 1u) << "Paged";
  EXPECT_EQ(ev[1].pool, 0u) << "NonPaged";
  EXPECT_EQ(ev[1].source_pos, 2u);
  EXPECT_EQ(r->strings().get(ev[4].process), "csrss.exe (512)");
  EXPECT_EQ(r->facts().pool.allocs, 3u);
  EXPECT_EQ(r->facts().pool.snapshot_start_entries, 1u);
  EXPECT_EQ(r->facts().pool.frees, 3u);
}

TEST(WpaPoolCsv, WithoutAddressesEachRowGetsItsOwn) {
  auto r = open_text("Pool Tag,Size,Alloc Time,Free Time\nAbcd,16,1,2\nAbcd,16,1,3\n");
  const auto ev = read_all(*r);
  ASSERT_EQ(ev.size(), 4u);
  EXPECT_NE(ev[0].address, ev[1].address);
  EXPECT_EQ(ev[2].address, ev[0].address);
  EXPECT_EQ(ev[3].address, ev[1].address);
}

TEST(WpaPoolCsv, AggregatedTablesAndBadTimesAreRefused) {
  EXPECT_EQ(error_of("Pool Tag,Size,Alloc Time,Count\nAbcd,16,1,12\n"),
            "t.txt:2: this row stands for 12 allocations (Count column): the table is aggregated; "
            "export the Pool table with one row per allocation (ungroup it, keep Address, Alloc "
            "Time, Free Time)");
  EXPECT_EQ(error_of("Pool Tag,Size,Alloc Time,Free Time\nAbcd,16,2,1\n"),
            "t.txt:2: Free Time is before Alloc Time");
  EXPECT_EQ(error_of("Pool Tag,Size,Alloc Time\nAbcd,16,1.5s\n"),
            "t.txt:2: column 'Alloc Time': expected a non-negative time, got \"1.5s\"");
  ReadOptions ms;
  ms.time_unit_ns = 1'000'000;
  auto r = open_text("Pool Tag,Size,Alloc Time\nAbcd,16,1.5\n", ms);
  EXPECT_EQ(read_all(*r)[0].time_ns, 1'500'000u);
}

TEST(TextFormats, DetectionIsByContent) {
  EXPECT_EQ(open_text(kXperfHeader)->format(), "xperf-text");
  EXPECT_EQ(open_text("\xEF\xBB\xBF" + kTracerpt)->format(), "tracerpt-csv");
  EXPECT_EQ(open_text("\r\n" + kWpa)->format(), "wpa-pool-csv");
  EXPECT_THROW(open_text("Tag,Size\n"), Error);
}

}  // namespace
}  // namespace fragreplay::trace
