// The ETL reader on files written from the documented layouts (docs/formats.md §1.3,
// §4): exact events back from 64- and 32-bit traces, CPUs merged by time, session events, pool
// types with their modifier bits stripped (§1.4), rundown snapshots, compressed buffers,
// timestamps in nanoseconds for each clock, and damaged files: every readable event first, then
// an error naming the byte offset.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/error.hpp"
#include "etl_fixtures.hpp"
#include "etl_writer.hpp"
#include "test_support.hpp"
#include "trace/compressed_source.hpp"
#include "trace/etl/etl_reader.hpp"
#include "trace/trace_reader.hpp"
#include "zlib.h"

namespace fragreplay::trace {
namespace {

using testing::EtlFile;
using testing::EtlFileOptions;
using testing::perfinfo_record;
using testing::pool_payload;
using testing::system_record;

constexpr std::uint8_t kPool = 0x0E;

std::unique_ptr<TraceReader> open_bytes(const std::string& bytes,
                                        BadLinePolicy policy = BadLinePolicy::kFail) {
  return open_trace(memory_source(bytes, "t.etl"), ReadOptions{policy});
}

// Batches of two: the reader resumes between calls.
std::vector<Event> read_all(TraceReader& r) { return testing::read_all(r, 2); }

Event alloc(std::uint64_t time_ns, std::uint64_t pool, const char* tag, std::uint64_t bytes,
            std::uint64_t address, std::uint64_t pos, bool rundown = false) {
  Event e;
  e.time_ns = time_ns;
  e.kind = EventKind::kAlloc;
  e.routine = Routine::kExAllocatePoolWithTag;
  e.pool_arg = PoolArg::kPoolType;
  e.pool = pool;
  e.tag = Tag::from_chars(tag);
  e.bytes = bytes;
  e.address = address;
  e.source_pos = pos;
  e.rundown = rundown;
  e.routine_inferred = true;  // ETW does not say which pool routine was called
  return e;
}

// PoolFree records the freed block's type too: kept, like an alloc's (modifier bits stripped, the
// session bit set for session events), for the engine's pool-type check.
Event free_of(std::uint64_t time_ns, std::uint64_t pool, const char* tag, std::uint64_t bytes,
              std::uint64_t address, std::uint64_t pos) {
  Event e;
  e.time_ns = time_ns;
  e.kind = EventKind::kFree;
  e.routine = Routine::kExFreePoolWithTag;
  e.pool_arg = PoolArg::kPoolType;
  e.pool = pool;
  e.tag = Tag::from_chars(tag);
  e.bytes = bytes;
  e.address = address;
  e.source_pos = pos;
  e.routine_inferred = true;
  return e;
}

// Where buffer `n` of an ETL file starts (0 = the header buffer), following BufferSize.
std::size_t buffer_at(const std::string& bytes, int n) {
  std::size_t at = 0;
  for (int i = 0; i < n; ++i) {
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data() + at);
    at += static_cast<std::size_t>(p[0] | (p[1] << 8) | (p[2] << 16)) |
          (static_cast<std::size_t>(p[3]) << 24);
  }
  return at;
}

std::string error_of(const std::string& bytes) {
  try {
    auto r = open_bytes(bytes);
    read_all(*r);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

// pool-x64.etl (tests/support/etl_fixtures.cpp): the header buffer (CPU 0) at byte 0, then CPU 1's
// two buffers, then CPU 0's two (the second compressed). QPC at 10 MHz: a tick is 100 ns, counted
// from the header event at tick 1000.
TEST(EtlReader, Pool64GivesBackExactlyTheEventsWritten) {
  const std::string bytes = testing::etl_fixture("pool-x64.etl");
  auto r = open_bytes(bytes);
  EXPECT_EQ(r->format(), "etl");
  // Plain buffers' records are at their byte; a compressed buffer's at the buffer's.
  const std::uint64_t cpu1a = buffer_at(bytes, 1) + 0x48, cpu1b = buffer_at(bytes, 2) + 0x48;
  const std::uint64_t cpu0a = buffer_at(bytes, 3) + 0x48, cpu0b = buffer_at(bytes, 4);
  auto ev = read_all(*r);
  // Records are 16 + 24 bytes (PERFINFO64) = 40, SYSTEM64 pool 32 + 24 = 56, COMPACT64 48.
  std::vector<Event> want{
      // Tick 1010 on CPU 0: PoolSnap DCStart with two entries (0x28).
      alloc(1000, 0x0, "Irp ", 512, 0xfffffa8000100000, cpu0a, true),
      alloc(1000, 0x1, "Ntfx", 100, 0xfffff8a000200000, cpu0a, true),
      // Tick 1020 on CPU 1: BigPoolSnap DCStart; 0x10000200 loses ETW_POOLTRACE_BIGPOOL_MASK.
      alloc(2000, 0x200, "Nic ", 8192, 0xfffffa8000400000, cpu1a, true),
      // Tick 1100 on CPU 0 (COMPACT64 after the 64-byte snapshot and a 80-byte thread event):
      // NonPagedPoolNx | POOL_RAISE_IF_ALLOCATION_FAILURE -> NonPagedPoolNx.
      alloc(10000, 0x200, "NicP", 100, 0xfffffa8000500000, cpu0a + 64 + 80),
      // Tick 1150 on CPU 1 (SYSTEM64 after a 40-byte record): PagedPool | quota -> PagedPool.
      alloc(15000, 0x1, "NicB", 4096, 0xfffff8a000600000, cpu1a + 40),
      free_of(25000, 0x0, "Irp ", 512, 0xfffffa8000100000, cpu0b),
      // Tick 1300: session alloc (0x21) of PagedPool: the session bit is added (§1.4).
      alloc(30000, 0x21, "Gses", 64, 0xfffff90000700000, cpu1b),
      free_of(35000, 0x21, "Gses", 64, 0xfffff90000700000, cpu0b),
      free_of(40000, 0x200, "NicP", 100, 0xfffffa8000500000, cpu1b + 48),
  };
  // The SYSTEM and COMPACT headers carry the process and thread.
  ASSERT_EQ(ev.size(), want.size());
  EXPECT_EQ(r->strings().get(ev[3].process), "4");
  EXPECT_EQ(r->strings().get(ev[3].thread), "72");
  EXPECT_EQ(r->strings().get(ev[4].process), "4");
  EXPECT_EQ(r->strings().get(ev[4].thread), "68");
  want[3].process = ev[3].process;
  want[3].thread = ev[3].thread;
  want[4].process = ev[4].process;
  want[4].thread = ev[4].thread;
  for (std::size_t i = 0; i < want.size(); ++i) EXPECT_EQ(ev[i], want[i]) << "event " << i;

  const InputFacts& f = r->facts();
  EXPECT_EQ(f.records, 14u);
  EXPECT_EQ(f.pointer_size, 8u);
  EXPECT_EQ(f.buffers, 5u);
  EXPECT_EQ(f.compressed_buffers, 1u);
  EXPECT_EQ(f.pool.allocs, 3u);  // NicP, NicB and the failed one
  EXPECT_EQ(f.pool.null_allocs, 1u);
  EXPECT_EQ(f.pool.session_allocs, 1u);
  EXPECT_EQ(f.pool.frees, 2u);
  EXPECT_EQ(f.pool.session_frees, 1u);
  EXPECT_EQ(f.pool.add_pool_pages, 1u);
  EXPECT_EQ(f.pool.snapshot_start_records, 2u);
  EXPECT_EQ(f.pool.snapshot_start_entries, 3u);
  EXPECT_EQ(f.pool.snapshot_end_records, 1u);
  EXPECT_EQ(f.pool.snapshot_end_entries, 1u);
  EXPECT_EQ(f.by_group_type, (std::map<std::string, std::uint64_t>{{"0:0", 1},
                                                                   {"5:1", 1},
                                                                   {"14:32", 3},
                                                                   {"14:33", 1},
                                                                   {"14:34", 2},
                                                                   {"14:35", 1},
                                                                   {"14:36", 1},
                                                                   {"14:40", 1},
                                                                   {"14:41", 1},
                                                                   {"14:42", 1}}));
  EXPECT_EQ(f.by_provider,
            (std::map<std::string, std::uint64_t>{{"04030201-0605-0807-090a-0b0c0d0e0f10", 1}}));
  EXPECT_EQ(f.by_header_type,
            (std::map<std::string, std::uint64_t>{
                {"compact64", 1}, {"event_header64", 1}, {"perfinfo64", 9}, {"system64", 3}}));
  ASSERT_TRUE(f.etl.has_value());
  EXPECT_EQ(f.etl->os_build, 7601u);
  EXPECT_EQ(f.etl->cpus, 2u);
  EXPECT_EQ(f.etl->timer_frequency, 10'000'000u);
  EXPECT_EQ(f.etl->clock, "qpc");
  EXPECT_EQ(f.etl->logger_name, "NT Kernel Logger");
  EXPECT_EQ(f.etl->log_file_name, "C:\\pool.etl");
  EXPECT_TRUE(f.has_time_span);
  EXPECT_EQ(f.last_ns, 51'000u);  // the manifest event at tick 1510
}

// pool-x86.etl: 4-byte pointers (16-byte payloads, 20 with the session id), three CPUs, the ACPI
// PM timer at 3,579,545 Hz from the header at tick 5000: ns = ticks * 10^9 / 3579545, rounded down.
TEST(EtlReader, Pool32UsesFourBytePointers) {
  const std::string bytes = testing::etl_fixture("pool-x86.etl");
  auto r = open_bytes(bytes);
  const auto ev = read_all(*r);
  const std::uint64_t cpu2 = buffer_at(bytes, 1) + 0x48, cpu0 = buffer_at(bytes, 2) + 0x48,
                      cpu1 = buffer_at(bytes, 3) + 0x48;
  std::vector<Event> want{
      alloc(27936, 0x1, "CM  ", 1000, 0xe1002000, cpu0, true),   // 100 ticks
      alloc(55873, 0x21, "Gses", 48, 0xbe801000, cpu0 + 32),     // 200 ticks, 32-byte record
      alloc(83809, 0x0, "Mdl ", 200, 0x89a01000, cpu2),          // 300 ticks
      free_of(111746, 0x1, "CM  ", 1000, 0xe1002000, cpu1),      // 400 ticks, COMPACT32
      free_of(139682, 0x0, "Mdl ", 200, 0x89a01000, cpu1 + 40),  // 500 ticks
      free_of(167619, 0x21, "Gses", 48, 0xbe801000, cpu2 + 32),  // 600 ticks
  };
  ASSERT_EQ(ev.size(), want.size());
  want[3].process = ev[3].process;
  want[3].thread = ev[3].thread;
  EXPECT_EQ(r->strings().get(ev[3].thread), "8");
  for (std::size_t i = 0; i < want.size(); ++i) EXPECT_EQ(ev[i], want[i]) << "event " << i;
  EXPECT_EQ(r->facts().pointer_size, 4u);
  EXPECT_EQ(r->facts().etl->os_build, 2600u);
  EXPECT_EQ(r->facts().by_header_type, (std::map<std::string, std::uint64_t>{
                                           {"compact32", 1}, {"perfinfo32", 5}, {"system32", 1}}));
}

// A 64-bit trace may hold events logged by 32-bit code (WOW64): each event's header says.
TEST(EtlReader, PointerSizeComesFromEachEventHeader) {
  EtlFile f;
  f.add_buffer(
      0, {perfinfo_record(false, kPool, 0x20, 1100, pool_payload(4, 0x0, "Wow ", 24, 0x7ff10000)),
          perfinfo_record(true, kPool, 0x20, 1200,
                          pool_payload(8, 0x0, "Nat ", 24, 0x7ff1000000000000))});
  auto r = open_bytes(f.bytes());
  const auto ev = read_all(*r);
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0].address, 0x7ff10000u);
  EXPECT_EQ(ev[0].bytes, 24u);
  EXPECT_EQ(ev[1].address, 0x7ff1000000000000u);
}

// A relogger may write kernel events with PoolTrace's GUID instead of group 0x0E: a FULL_HEADER
// event of Type 0x20 and an EVENT_HEADER event of Opcode 0x22 read as the alloc and the free.
TEST(EtlReader, PoolEventsUnderPoolTracesGuid) {
  const std::string pool_guid("\xb6\xa8\x68\x02\xfd\x74\x02\x43\x9d\xd0\x6e\x8f\x17\x95\xc0\xcf",
                              16);
  EtlFile f;
  f.add_buffer(0, {testing::full_header_record(true, pool_guid, 0x20, 1100,
                                               pool_payload(8, 0x1, "Guid", 40, 0x5000)),
                   testing::event_header_record(true, pool_guid, 1200,
                                                pool_payload(8, 0x1, "Guid", 40, 0x5000), 0x22)});
  auto r = open_bytes(f.bytes());
  const auto ev = read_all(*r);
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0].kind, EventKind::kAlloc);
  EXPECT_EQ(ev[0].pool, 0x1u);
  EXPECT_EQ(ev[0].bytes, 40u);
  EXPECT_EQ(ev[1].kind, EventKind::kFree);
  EXPECT_EQ(ev[1].address, 0x5000u);
  EXPECT_EQ(r->facts().by_classic_provider.at("0268a8b6-74fd-4302-9dd0-6e8f1795c0cf"), 1u);
  EXPECT_EQ(r->facts().by_provider.at("0268a8b6-74fd-4302-9dd0-6e8f1795c0cf"), 1u);
}

// CPUs' buffers are merged by time, whatever their order in the file: CPU 2's only buffer comes
// last though it holds the first and the last events.
TEST(EtlReader, MergesManyCpusByTime) {
  EtlFile f;
  auto rec = [](std::uint64_t t) {
    return perfinfo_record(true, kPool, 0x20, t, pool_payload(8, 0, "Tick", t, 0x1000 + t));
  };
  f.add_buffer(0, {rec(1010), rec(1040)});
  f.add_buffer(1, {rec(1020), rec(1050)});
  f.add_buffer(0, {rec(1060), rec(1090)}, /*compressed=*/true);
  f.add_buffer(1, {rec(1070)});
  f.add_buffer(2, {rec(1005), rec(1030), rec(1080), rec(1100)});
  auto r = open_bytes(f.bytes());
  std::vector<std::uint64_t> times;
  for (const Event& e : read_all(*r)) times.push_back(e.bytes);  // bytes = the tick written
  EXPECT_EQ(times, (std::vector<std::uint64_t>{1005, 1010, 1020, 1030, 1040, 1050, 1060, 1070, 1080,
                                               1090, 1100}));
  EXPECT_EQ(r->facts().out_of_order, 0u);
}

// Equal timestamps on two CPUs: the lower CPU first, so output never depends on the file order.
TEST(EtlReader, TiesGoToTheLowerCpu) {
  EtlFile f;
  f.add_buffer(1, {perfinfo_record(true, kPool, 0x20, 1100, pool_payload(8, 0, "One ", 1, 0x10))});
  f.add_buffer(0, {perfinfo_record(true, kPool, 0x20, 1100, pool_payload(8, 0, "Zero", 1, 0x20))});
  auto r = open_bytes(f.bytes());
  const auto ev = read_all(*r);
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0].tag, Tag::from_chars("Zero"));
  EXPECT_EQ(ev[1].tag, Tag::from_chars("One "));
}

// §4.3: ReservedFlags picks the clock: 2 = system time (100 ns ticks), 3 = CPU cycles at
// CpuSpeedInMHz.
TEST(EtlReader, ConvertsEachClockToNanoseconds) {
  for (const auto& [clock, ticks, ns] :
       {std::tuple{2u, 50u, 5000u}, std::tuple{3u, 3000u, 1000u}}) {
    EtlFileOptions o;
    o.clock_type = clock;
    o.cpu_mhz = 3000;
    EtlFile f(o);
    f.add_buffer(
        0, {perfinfo_record(true, kPool, 0x20, 1000 + ticks, pool_payload(8, 0, "Clk ", 8, 0x10))});
    auto r = open_bytes(f.bytes());
    const auto ev = read_all(*r);
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0].time_ns, ns) << "clock " << clock;
    EXPECT_EQ(r->facts().etl->clock, clock == 2 ? "system-time" : "cpu-cycles");
  }
}

// A truncated file: every event of the complete buffers comes out, then the error names the byte
// where the cut buffer starts; with skip it is a bad record and the events are the same.
TEST(EtlReader, TruncatedFileGivesWhatWasReadThenTheOffset) {
  const std::string cut = testing::etl_fixture("pool-x64-truncated.etl");
  const std::size_t last = buffer_at(cut, 4);  // the compressed buffer
  auto r = open_bytes(cut);
  std::vector<Event> got;
  std::vector<Event> batch(64);
  std::string error;
  try {
    while (const std::size_t n = r->read(batch))
      got.insert(got.end(), batch.begin(), batch.begin() + static_cast<long>(n));
  } catch (const Error& e) {
    error = e.what();
  }
  EXPECT_EQ(got.size(), 7u);  // the 9 events less the two frees of the compressed buffer
  EXPECT_EQ(error.rfind("t.etl:byte " + std::to_string(last) +
                            ": truncated ETL file: the buffer "
                            "here needs ",
                        0),
            0u)
      << error;
  EXPECT_NE(error.find("(11 records were read before it"), std::string::npos) << error;

  auto skipping = open_bytes(cut, BadLinePolicy::kSkip);
  EXPECT_EQ(read_all(*skipping).size(), 7u);
  ASSERT_EQ(skipping->bad_lines().count, 1u);
  EXPECT_EQ(skipping->bad_lines().first[0].position, last);
}

// A header claiming a 4 GB buffer is refused, not allocated.
TEST(EtlReader, RefusesAbsurdBufferSizes) {
  EtlFile f;
  f.add_buffer(0, {perfinfo_record(true, kPool, 0x20, 1100, pool_payload(8, 0, "Ok  ", 8, 0x10))});
  f.add_buffer(1, {perfinfo_record(true, kPool, 0x20, 1200, pool_payload(8, 0, "Big ", 8, 0x20))});
  std::string bytes = f.bytes();
  const std::size_t second = buffer_at(bytes, 2);
  for (std::size_t i = 0; i < 4; ++i) bytes[second + i] = '\xFF';  // BufferSize = 0xFFFFFFFF
  EXPECT_EQ(error_of(bytes).rfind("t.etl:byte " + std::to_string(second) +
                                      ": corrupt ETL buffer header: it claims a size of "
                                      "4294967295 bytes; buffers hold 72 bytes to 64 MiB",
                                  0),
            0u)
      << error_of(bytes);
  auto r = open_bytes(bytes, BadLinePolicy::kSkip);
  EXPECT_EQ(read_all(*r).size(), 1u);  // the buffer before it
}

// An allocation of 2^63 bytes is a corrupt record: an error naming its byte, or with skip a
// malformed record counted and left out.
TEST(EtlReader, RefusesAbsurdAllocationSizes) {
  EtlFile f;
  f.add_buffer(0, {perfinfo_record(true, kPool, 0x20, 1100, pool_payload(8, 0, "Ok  ", 8, 0x10)),
                   perfinfo_record(true, kPool, 0x20, 1200,
                                   pool_payload(8, 0, "Huge", std::uint64_t{1} << 63, 0x20)),
                   perfinfo_record(true, kPool, 0x20, 1300, pool_payload(8, 0, "Next", 8, 0x30))});
  const std::uint64_t at = buffer_at(f.bytes(), 1) + 0x48 + 40;
  EXPECT_EQ(error_of(f.bytes()),
            "t.etl:byte " + std::to_string(at) +
                ": pool event claims an allocation of 9223372036854775808 bytes, more than any "
                "address space holds (2^48) (2 records were read before it; --on-bad-line skip "
                "reads past it)");
  auto r = open_bytes(f.bytes(), BadLinePolicy::kSkip);
  const auto ev = read_all(*r);
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[1].tag, Tag::from_chars("Next"));
  EXPECT_EQ(r->facts().pool.malformed, 1u);
}

TEST(EtlReader, ReportsCorruptRecordsAtTheirByte) {
  EtlFile f;
  f.add_buffer(0, {perfinfo_record(true, kPool, 0x20, 1100, pool_payload(8, 0, "Ok  ", 8, 0x10)),
                   perfinfo_record(true, kPool, 0x20, 1200, pool_payload(8, 0, "Bad ", 8, 0x20))});
  std::string bytes = f.bytes();
  const std::size_t at = buffer_at(bytes, 1) + 0x48 + 40;
  bytes[at + 3] = 0x12;  // neither 0xC0 nor a message marker
  EXPECT_EQ(error_of(bytes),
            "t.etl:byte " + std::to_string(at) +
                ": corrupt ETL event: not an event header (byte 3 is neither 0xC0 nor a message "
                "marker) (2 records were read before it; --on-bad-line skip reads past it)");
  // A pool payload too short for ETW_POOL_EVENT.
  EtlFile g;
  g.add_buffer(0, {perfinfo_record(true, kPool, 0x22, 1100, std::string(20, '\0'))});
  EXPECT_NE(error_of(g.bytes()).find("pool event payload shorter than ETW_POOL_EVENT (20 bytes)"),
            std::string::npos);
}

// A compressed buffer that does not decompress: an error at the buffer, or with skip the buffer
// is left out and the others read.
TEST(EtlReader, ReportsBuffersThatDoNotDecompress) {
  std::string bytes = testing::etl_fixture("pool-x64.etl");
  const std::size_t at = buffer_at(bytes, 4);  // the compressed one
  // A first flag word whose first item is a match: it would copy from before the output.
  const char bad[] = {0, 0, 0, static_cast<char>(0x80), 0x08, 0};
  bytes.replace(at + 0x48, sizeof bad, bad, sizeof bad);
  // CPUs are read lazily: 6 records (the header, 3 of CPU 0, 2 of CPU 1) are read when CPU 0
  // reaches the bad buffer, and reading stops there.
  EXPECT_EQ(error_of(bytes), "t.etl:byte " + std::to_string(at) +
                                 ": unreadable ETL buffer: match reaches before the start of the "
                                 "output (6 records were read before it; --on-bad-line skip "
                                 "reads past it)");
  auto r = open_bytes(bytes, BadLinePolicy::kSkip);
  EXPECT_EQ(read_all(*r).size(), 7u);
  EXPECT_EQ(r->bad_lines().count, 1u);
}

// A snapshot payload that is not a whole number of entries is malformed (pool_payload.hpp).
TEST(EtlReader, SnapshotPayloadMustHoldWholeEntries) {
  EtlFile f;
  f.add_buffer(0, {perfinfo_record(true, kPool, 0x28, 1100,
                                   pool_payload(8, 0, "Half", 8, 0x10) + std::string(8, '\0'))});
  EXPECT_NE(error_of(f.bytes()).find("pool snapshot payload is not a whole number of "
                                     "ETW_POOL_EVENT entries (32 bytes)"),
            std::string::npos);
}

// An input that cannot seek (here a gzip stream) is copied to a temporary file and read alike.
TEST(EtlReader, ReadsThroughADecompressor) {
  const std::string bytes = testing::etl_fixture("pool-x64.etl");
  uLongf size = compressBound(static_cast<uLong>(bytes.size())) + 32;
  std::string gz(size, '\0');
  z_stream z{};
  ASSERT_EQ(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = static_cast<uInt>(bytes.size());
  z.next_out = reinterpret_cast<Bytef*>(gz.data());
  z.avail_out = static_cast<uInt>(gz.size());
  ASSERT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  gz.resize(z.total_out);
  deflateEnd(&z);
  auto plain = open_bytes(bytes);
  auto packed = open_trace(memory_source(gz, "t.etl.gz"), ReadOptions{});
  EXPECT_EQ(packed->format(), "etl");
  EXPECT_EQ(read_all(*packed), read_all(*plain));
}

TEST(EtlReader, DetectsByContent) {
  EXPECT_TRUE(looks_etl(testing::etl_fixture("pool-x86.etl")));
  EXPECT_FALSE(looks_etl("# fragreplay trace v1\n"));
  EXPECT_FALSE(looks_etl(std::string(200, '\0')));
}

}  // namespace
}  // namespace fragreplay::trace
