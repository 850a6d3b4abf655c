// The ETL reader on the real files of the project's data (tests/data/etl/README.md): every one
// parses to its end without an error, and its records are counted exactly. The expected counts
// were taken from an independent walker over the same files (written for the check, not part of
// the project) and agree with docs/formats.md §4-5: ShutdownPerfDiagLogger holds 8,433
// SYSTEM64 and 8,645 PERFINFO64 events of groups 0x0, 0x3, 0x5 and 0x14; AMSITrace 2 SYSTEM64 and
// 19 EVENT_HEADER64 events of one provider; net.4.5.2.x64 ~180 k events in 360 buffers, 359 of
// them LZXPRESS-compressed. None holds pool events. Three are stored zstd-compressed, one as is
// and once gzip'ed, so both decompressing sources and the plain path are exercised too.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "trace/trace_reader.hpp"

namespace fragreplay::trace {
namespace {

using Counts = std::map<std::string, std::uint64_t>;

struct RealFile {
  const char* file;  // under tests/data/etl
  std::uint64_t records;
  Counts by_group_type;
  Counts by_provider;
  Counts by_classic_provider;
  Counts by_header_type;
  std::uint32_t os_build;
  std::uint32_t pointer_size;
  std::uint32_t cpus;
  const char* logger;
  std::uint32_t events_lost;  // TRACE_LOGFILE_HEADER.EventsLost
  std::uint64_t buffers;
  std::uint64_t compressed_buffers;
  std::uint64_t last_ns;  // the latest record, from the earliest, at the header's 10 MHz QPC
};

const std::vector<RealFile>& real_files() {
  static const std::vector<RealFile> files{
      {"AMSITrace.etl.zst",
       21,
       {{"0:0", 1}, {"0:80", 1}},
       {{"8e805eb3-6a8f-4a1e-90fa-a831d94e54a1", 19}},
       {},
       {{"event_header64", 19}, {"system64", 2}},
       18362,
       8,
       8,
       "AMSITraceSession",
       3,
       6,
       0,
       79982119100},
      {"ShutdownPerfDiagLogger.etl.zst",
       17078,
       {{"0:0", 1},     {"0:32", 2},    {"0:5", 3},    {"0:8", 2},    {"0:80", 1},
        {"20:2", 4791}, {"20:3", 6745}, {"20:33", 1},  {"20:34", 1},  {"20:4", 2145},
        {"3:10", 72},   {"3:11", 60},   {"3:2", 60},   {"3:3", 94},   {"3:39", 5},
        {"3:4", 37},    {"5:1", 350},   {"5:2", 1032}, {"5:3", 1175}, {"5:4", 501}},
       {},
       {},
       {{"perfinfo64", 8645}, {"system64", 8433}},
       18362,
       8,
       2,
       "PerfDiag Logger",
       0,
       49,
       0,
       29523909233400},
      {"lxcore_kernel.etl",
       4,
       {{"0:0", 1}, {"0:80", 1}},
       {{"0cd1c309-0878-4515-83db-749843b3f5c9", 2}},
       {},
       {{"event_header64", 2}, {"system64", 2}},
       19041,
       8,
       6,
       "lxcore_kernel",
       0,
       3,
       0,
       5765135400},
      {"net.4.5.2.x64.etl.zst",
       179474,
       {{"0:0", 1},     {"0:32", 2},      {"0:5", 3},      {"0:8", 2},      {"11:10", 1},
        {"11:11", 1},   {"11:12", 1},     {"11:13", 3},    {"11:15", 157},  {"11:16", 1},
        {"11:17", 1},   {"11:18", 1},     {"11:22", 78},   {"11:23", 2},    {"11:25", 1},
        {"11:28", 1},   {"15:46", 79528}, {"15:73", 1},    {"15:74", 1},    {"1:10", 1208},
        {"1:11", 21},   {"1:12", 1208},   {"1:13", 21},    {"1:14", 2},     {"1:15", 2},
        {"20:2", 32},   {"20:3", 1763},   {"20:33", 1},    {"20:34", 1},    {"20:4", 1766},
        {"24:32", 252}, {"24:35", 1909},  {"24:36", 1012}, {"24:37", 2061}, {"24:38", 7046},
        {"2:32", 153},  {"3:1", 1},       {"3:10", 35},    {"3:2", 1},      {"3:3", 32},
        {"3:32", 1},    {"3:33", 32},     {"3:39", 2},     {"3:4", 32},     {"4:32", 16},
        {"4:35", 14},   {"4:36", 3054},   {"5:1", 9},      {"5:2", 15},     {"5:3", 670},
        {"5:4", 664},   {"6:26", 240},    {"6:27", 250},   {"8:10", 1},     {"8:11", 19},
        {"8:26", 6},    {"8:27", 10}},
       {{"1c95126e-7eea-49a9-a3fe-a378b03ddb4d", 4},
        {"22fb2cd6-0e7b-422b-a0c7-2fad1fd0e716", 2},
        {"2e5dba47-a3d2-4d16-8ee0-6671ffdcd7b5", 8},
        {"315a8872-923e-4ea2-9889-33cd4754bf64", 8},
        {"763fd754-7086-4dfe-95eb-c01a46faf4ca", 1627},
        {"8e9f5090-2d75-4d03-8a81-e5afbf85daf1", 6},
        {"a669021c-c450-4609-a035-5af59af4df18", 33011},
        {"a8a71ac1-040f-54a2-07ca-00a89b5ab761", 108},
        {"b675ec37-bdb6-4648-bc92-f3fdc74d3ca2", 77},
        {"e13c0d23-ccbc-4e12-931b-d9cc2eee27e4", 32730},
        {"edd08927-9cc4-4e65-b970-c2560fb5c289", 562}},
       {{"9b79ee91-b5fd-41c0-a243-4248e266e9d0", 13},
        {"b3e675d7-2554-4f18-830b-2762732560de", 7885},
        {"bbccf6c1-6cd1-48c4-80ff-839482e37671", 85}},
       {{"event_header32", 33378},
        {"event_header64", 34765},
        {"full_header32", 27},
        {"full_header64", 7956},
        {"perfinfo64", 100157},
        {"system32", 2},
        {"system64", 3189}},
       9200,
       8,
       8,
       "Relogger",
       0,
       360,
       359,
       12581564800},
  };
  return files;
}

std::string data_path(const char* name) {
  return std::string(FRAGREPLAY_SOURCE_DIR) + "/tests/data/etl/" + name;
}

TEST(EtlRealFiles, EveryFileParsesToItsEndWithExactCounts) {
  for (const RealFile& want : real_files()) {
    SCOPED_TRACE(want.file);
    auto r = open_trace(data_path(want.file), ReadOptions{});
    EXPECT_EQ(r->format(), "etl");
    std::vector<Event> batch(1024);
    std::uint64_t events = 0;
    while (const std::size_t n = r->read(batch)) events += n;
    EXPECT_EQ(events, 0u) << "no pool events in these files";
    EXPECT_EQ(r->bad_lines().count, 0u);
    const InputFacts& f = r->facts();
    EXPECT_EQ(f.records, want.records);
    EXPECT_EQ(f.by_group_type, want.by_group_type);
    EXPECT_EQ(f.by_provider, want.by_provider);
    EXPECT_EQ(f.by_classic_provider, want.by_classic_provider);
    EXPECT_EQ(f.by_header_type, want.by_header_type);
    std::uint64_t sum = f.other_records;
    for (const Counts* m : {&f.by_group_type, &f.by_provider, &f.by_classic_provider}) {
      for (const auto& [key, n] : *m) sum += n;
    }
    EXPECT_EQ(sum, f.records) << "every record is in exactly one count (input_facts.hpp)";
    ASSERT_TRUE(f.etl.has_value());
    EXPECT_EQ(f.etl->os_build, want.os_build);
    EXPECT_EQ(f.pointer_size, want.pointer_size);
    EXPECT_EQ(f.etl->cpus, want.cpus);
    EXPECT_EQ(f.etl->logger_name, want.logger);
    EXPECT_EQ(f.etl->events_lost, want.events_lost);
    EXPECT_EQ(f.etl->timer_frequency, 10'000'000u);
    EXPECT_EQ(f.buffers, want.buffers);
    EXPECT_EQ(f.etl->buffers_written, want.buffers);
    EXPECT_EQ(f.compressed_buffers, want.compressed_buffers);
    EXPECT_EQ(f.first_ns, 0u);
    EXPECT_EQ(f.last_ns, want.last_ns);
  }
}

// The same file raw and gzip'ed reads the same.
TEST(EtlRealFiles, GzipAndRawAgree) {
  auto raw = open_trace(data_path("lxcore_kernel.etl"), ReadOptions{});
  auto gz = open_trace(data_path("lxcore_kernel.etl.gz"), ReadOptions{});
  std::vector<Event> batch(16);
  while (raw->read(batch) != 0) {
  }
  while (gz->read(batch) != 0) {
  }
  EXPECT_EQ(raw->facts().by_provider, gz->facts().by_provider);
  EXPECT_EQ(raw->facts().records, gz->facts().records);
}

}  // namespace
}  // namespace fragreplay::trace

namespace fragreplay::trace {
namespace {

// Image and StackWalk events of the real captures (docs/formats.md §10.2): kernel-space images are
// mapped by file name, user-space ones counted; the kernel itself is among them. Counts taken from
// `fragreplay info` and checked against the files' Image events by type (DCStart and DCEnd name
// each kernel image twice: 2 x 196 + 13,289 = 13,681).
TEST(EtlRealFiles, ImagesAndStacks) {
  struct Want {
    const char* file;
    std::uint64_t image_records, images, user_images, stack_records, key_references;
  };
  for (const Want& w : {Want{"ShutdownPerfDiagLogger.etl.zst", 13681, 196, 13289, 0, 0},
                        Want{"net.4.5.2.x64.etl.zst", 3561, 141, 3279, 252, 9107}}) {
    SCOPED_TRACE(w.file);
    auto r = open_trace(data_path(w.file), ReadOptions{});
    std::vector<Event> batch(256);
    while (r->read(batch) != 0) {
    }
    const StackFacts& f = r->facts().stacks;
    EXPECT_EQ(f.image_records, w.image_records);
    EXPECT_EQ(f.images, w.images);
    EXPECT_EQ(f.user_images, w.user_images);
    EXPECT_EQ(f.records, w.stack_records);
    EXPECT_EQ(f.unmatched, w.stack_records);  // none of them a pool event's
    EXPECT_EQ(f.key_references, w.key_references);
    const auto& images = r->code()->modules.images();
    const bool has_kernel = std::any_of(images.begin(), images.end(), [](const ImageRange& m) {
      return m.name == "ntoskrnl.exe" || m.name == "ntkrnlmp.exe";
    });
    EXPECT_TRUE(has_kernel);
  }
}

}  // namespace
}  // namespace fragreplay::trace
