// The compact binary native format (.frb, docs/formats.md §8): a lossless round trip from the
// native CSV reader (events field by field, string ids, adapters, line numbers) and from events
// at every extreme, detection by content with or without its zstd frame, and exact errors with
// byte offsets for malformed files, every truncation included.
#include <gtest/gtest.h>
#include <zstd.h>

#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "test_support.hpp"
#include "trace/frb_format.hpp"
#include "trace/frb_reader.hpp"
#include "trace/frb_writer.hpp"
#include "trace/native_format.hpp"
#include "trace/trace_reader.hpp"

namespace fragreplay::trace {
namespace {

constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();

using testing::read_all;

// Writes `events` (naming `strings`, declaring `adapters` first) as a .frb and returns its bytes.
std::string write_frb(const std::vector<Event>& events, const StringTable& strings,
                      const std::vector<AdapterDecl>& adapters,
                      Platform platform = Platform::kAny) {
  char* buf = nullptr;
  std::size_t size = 0;
  std::FILE* mem = open_memstream(&buf, &size);
  {
    FrbWriter w(mem, "test", "t.frb", platform);
    for (const auto& a : adapters) w.declare(a, strings);
    for (const auto& e : events) w.write(e, strings);
    w.finish(strings);
  }
  std::fclose(mem);
  std::string out(buf, size);
  std::free(buf);
  return out;
}

std::string decompress(const std::string& z) {
  const unsigned long long known = ZSTD_getFrameContentSize(z.data(), z.size());
  // A frame written in several steps does not record its size.
  const bool unknown = known == ZSTD_CONTENTSIZE_UNKNOWN || known == ZSTD_CONTENTSIZE_ERROR;
  std::string out(unknown ? std::size_t{64} << 20 : static_cast<std::size_t>(known), '\0');
  const std::size_t n = ZSTD_decompress(out.data(), out.size(), z.data(), z.size());
  EXPECT_FALSE(ZSTD_isError(n));
  out.resize(n);
  return out;
}

void expect_same_reader(TraceReader& a, const std::vector<Event>& ea, TraceReader& b) {
  const auto eb = read_all(b);
  ASSERT_EQ(ea.size(), eb.size());
  for (std::size_t i = 0; i < ea.size(); ++i) {
    EXPECT_TRUE(ea[i] == eb[i]) << "event " << i << " (source_pos " << ea[i].source_pos
                                << ") differs after the round trip";
  }
  ASSERT_EQ(a.strings().size(), b.strings().size());
  for (StringId id = 0; id < a.strings().size(); ++id) {
    EXPECT_EQ(a.strings().get(id), b.strings().get(id));
  }
  ASSERT_EQ(a.adapters().size(), b.adapters().size());
  for (std::size_t i = 0; i < a.adapters().size(); ++i) {
    const AdapterDecl& x = a.adapters()[i];
    const AdapterDecl& y = b.adapters()[i];
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.highest, y.highest);
    EXPECT_EQ(x.boundary, y.boundary);
    EXPECT_EQ(x.map_registers, y.map_registers);
    EXPECT_EQ(x.declared_at, y.declared_at);
  }
  EXPECT_EQ(b.bad_lines().count, 0u);
}

TEST(Frb, RoundTripOfTheNativeReaderIsExact) {
  const std::string csv =
      std::string(native::kMagic) + "\n" + std::string(native::kHeader) +
      "\n"
      "#!adapter name=nic0 highest=0xffffffff boundary=0x100000000 "
      "map_registers=16\n"
      "0,phase,DriverEntry,,,,,,,,,,,,\n"
      "5,alloc,ExAllocatePoolWithQuotaTag,PagedPool,\"q,\\x01\","
      "77,0x10,,,,,,,\"p,1\",t\n"
      "6,alloc,ExAllocatePool3,POOL_FLAG_PAGED|0x200000000,Pool,1,0x20,,,,,,,,\n"
      "# a comment line: the next event's line number jumps\n"
      "3,alloc,MmAllocateContiguousNodeMemory,,Node,9000,0x30,0x1000,0xfffff,"
      "0x0,MmWriteCombined,1,,System,4\n"
      "8,alloc,AllocateCommonBuffer,,Cb,0,0x40,,,,,,nic0,System,4\n"
      "8,rundown,ExAllocatePool,NonPagedPoolNx,,5,0x50,,,,,,,,\n"
      "2,free,FreeCommonBuffer,,,,0x40,,,,,,nic0,,\n"
      "10,free,ExFreePool,NonPagedPool,,77,0x10,,,,,,,,\n"
      "11,phase,Steady,,,,,,,,,,,,\n";
  auto first = open_trace(memory_source(csv, "t.csv"), {});
  const auto events = read_all(*first);
  const std::string frb = write_frb(events, first->strings(), first->adapters());
  auto second = open_trace(memory_source(frb, "t.frb"), {});
  EXPECT_EQ(second->format(), "frb-v1");
  expect_same_reader(*first, events, *second);
}

// Every routine, with the fields at their extremes, times and line numbers going backwards.
TEST(Frb, RoundTripOfEveryRoutineAtTheExtremes) {
  StringTable strings;
  const StringId proc = strings.intern("proc");
  const StringId nic = strings.intern("nic\x01,\"");
  const StringId sym = strings.intern("alloc_pipe_info+0x6c");
  std::vector<AdapterDecl> adapters{{nic, kMax, 0, kMax, kMax}};
  std::vector<Event> events;
  const std::uint64_t times[] = {kMax, 0, 5, kMax - 1, 1};
  for (unsigned r = 0; r < kRoutineCount; ++r) {
    const auto routine = static_cast<Routine>(r);
    Event e;
    e.routine = routine;
    e.kind = routine_allocates(routine) ? EventKind::kAlloc
             : routine_frees(routine)   ? EventKind::kFree
                                        : EventKind::kPhase;
    e.time_ns = times[r % 5];
    e.source_pos = r % 2 ? kMax - r : r * 1000;
    if (e.kind != EventKind::kPhase) {
      e.pool_arg = static_cast<PoolArg>(r % 3);
      e.pool = r % 2 ? kMax : 0x200;
      e.tag = Tag{r % 3 ? 0xFFFFFFFFu : 0u};
      e.bytes = r % 2 ? native::kMaxBytes : 0;
      e.address = r % 3 == 0 ? kMax : r * 0x1000;
      e.window = ContiguousWindow{PhysAddr{kMax}, PhysAddr{r}, Bytes{kMax - r}};
      e.cache = static_cast<CachingType>(static_cast<int>(r % 7) - 1);
      e.charged_bytes = kMax - 1;
      e.node = r % 2 ? 0x7FFFFFFF : -1;
      e.adapter = r % 2 ? nic : 0;
      e.process = r % 4 ? proc : 0;
      e.call_site = kMax;
      e.call_site_symbol = r % 2 ? sym : 0;
      e.rundown = e.kind == EventKind::kAlloc && r % 2;
      e.routine_inferred = r % 3 == 1;
    }
    events.push_back(e);
  }
  const std::string frb = write_frb(events, strings, adapters, Platform::kLinux);
  auto reader = open_trace(memory_source(frb, "x.frb"), {});
  EXPECT_EQ(reader->platform(), Platform::kLinux);
  const auto again = read_all(*reader);
  ASSERT_EQ(again.size(), events.size());
  for (std::size_t i = 0; i < events.size(); ++i) EXPECT_TRUE(events[i] == again[i]) << i;
  EXPECT_EQ(reader->strings().get(nic), "nic\x01,\"");
  ASSERT_EQ(reader->adapters().size(), 1u);
  EXPECT_EQ(reader->adapters()[0].map_registers, kMax);
  // Without its zstd frame the file reads the same.
  auto raw = open_trace(memory_source(decompress(frb), "raw.frb"), {});
  EXPECT_EQ(read_all(*raw).size(), events.size());
}

// A hand-made file: the header, then `records`.
std::string frb_bytes(const std::string& records) {
  return std::string(frb::kMagic) + std::string("\x01\x00\x00", 3) + records;
}

std::string error_of(const std::string& bytes) {
  try {
    auto r = open_trace(memory_source(bytes, "m.frb"), {BadLinePolicy::kSkip});
    read_all(*r);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(Frb, MalformedFilesAreErrorsAtTheirByte) {
  using namespace std::string_literals;
  const std::string end = "\x03\x00"s;
  EXPECT_EQ(error_of(frb_bytes(end)), "no error");
  EXPECT_EQ(error_of(std::string(frb::kMagic) + "\x02\x00\x00"s + end),
            "m.frb:byte 8: .frb version 2 is not one this fragreplay reads (1)");
  EXPECT_EQ(error_of(std::string(frb::kMagic.substr(0, 6)) + "xx\x01"),
            "m.frb:byte 0: not a .frb file, or one damaged in transfer (its first 8 bytes are not "
            "89 46 52 42 0d 0a 1a 0a)");
  EXPECT_EQ(error_of(std::string(frb::kMagic) + "\x01\x03\x00"s + end),
            "m.frb:byte 9: the .frb header at byte 0: the platform is not 0 (any), 1 (Windows) "
            "or 2 (Linux)");
  EXPECT_EQ(error_of(frb_bytes("")),
            "m.frb:byte 11: truncated .frb file: it ends without its end record (0 events read)");
  // A varint of eleven bytes; an event naming string 1 when none is defined.
  EXPECT_EQ(error_of(frb_bytes("\x81" + std::string(11, '\xff') + end)),
            "m.frb:byte 12: event record at byte 11: the mask is a varint of more than 64 bits");
  EXPECT_EQ(error_of(frb_bytes("\x81\x80\x04\x01"s + end)),
            "m.frb:byte 14: event record at byte 11: process names string 1, but only 1 are "
            "defined before it");
  EXPECT_EQ(error_of(frb_bytes("\x01\xff\xff\xff\xff\x0f"s)),
            "m.frb:byte 12: string record at byte 11: its length exceeds 1 MiB");
  EXPECT_EQ(error_of(frb_bytes("\x01\x05"
                               "ab")),
            "m.frb:byte 13: string record at byte 11: its text runs past the end of the file");
  EXPECT_EQ(error_of(frb_bytes("\x01\x01"
                               "a"
                               "\x01\x01"
                               "a" +
                               end)),
            "m.frb:byte 16: string record at byte 14: its text is defined twice");
  EXPECT_EQ(error_of(frb_bytes("\x04"s + end)), "m.frb:byte 11: unknown .frb record type 4");
  EXPECT_EQ(error_of(frb_bytes("\xff\x00"s + end)), "m.frb:byte 11: unknown .frb record type 255");
  // ExFreePool (routine 13) as an alloc; a size above 2^48; an adapter never declared.
  EXPECT_EQ(error_of(frb_bytes("\x8d\x00"s + end)),
            "m.frb:byte 12: event record at byte 11: the event kind does not match the routine "
            "ExFreePool");
  EXPECT_EQ(error_of(frb_bytes("\x81\x08\x81\x80\x80\x80\x80\x80\x40"s + end)),
            "m.frb:byte 13: event record at byte 11: bytes is above 2^48");
  EXPECT_EQ(error_of(frb_bytes("\x01\x01"
                               "a"
                               "\x98\x80\x80\x40\x01"s +
                               end)),
            "m.frb:byte 18: event record at byte 14: adapter names an adapter not declared "
            "before it");
  EXPECT_EQ(error_of(frb_bytes("\x03\x05"s)),
            "m.frb:byte 12: end record at byte 11: the event count says 5 events, but the file "
            "holds 0");
  EXPECT_EQ(error_of(frb_bytes(end + "x")),
            "m.frb:byte 13: data after the end record of the .frb file");
}

// Every prefix of a valid file is an error naming a byte, never a crash or a shorter trace.
TEST(Frb, EveryTruncationIsAnError) {
  StringTable strings;
  const StringId p = strings.intern("System");
  std::vector<Event> events(3);
  events[0].bytes = 100;
  events[0].process = p;
  events[1].kind = EventKind::kFree;
  events[1].routine = Routine::kExFreePoolWithTag;
  events[1].address = 0xffff800000001000;
  events[2].kind = EventKind::kPhase;
  events[2].routine = Routine::kSteady;
  const std::string raw = decompress(write_frb(events, strings, {}));
  for (std::size_t n = 0; n < raw.size(); ++n) {
    const std::string message = error_of(raw.substr(0, n));
    EXPECT_NE(message, "no error") << "prefix of " << n << " bytes";
    if (n >= frb::kMagicNameSize) {
      EXPECT_NE(message.find(":byte "), std::string::npos) << message;
    }
  }
  EXPECT_EQ(error_of(raw), "no error");
}

}  // namespace
}  // namespace fragreplay::trace
