// The options that shape the machine and the timeline: --memory-map, --background,
// --sample-every and --timeline-csv, with their errors.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "base/error.hpp"
#include "cli/command.hpp"
#include "cli/machine_options.hpp"
#include "cli/sample_option.hpp"
#include "test_support.hpp"

namespace fragreplay::cli {
namespace {

constexpr PageSize k4K{12};

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(MemoryMap, RangesInBothFormsSortedAndChecked) {
  const auto map = parse_memory_map("1MiB+3MiB, 0x1000-0x9ffff", k4K);
  ASSERT_EQ(map.size(), 2u);
  EXPECT_EQ(map[0], (model::RamRange{Pfn{1}, PageCount{159}}));
  EXPECT_EQ(map[1], (model::RamRange{Pfn{256}, PageCount{768}}));
  EXPECT_EQ(parse_memory_map("0x100000000+1GiB", k4K)[0].first, Pfn{0x100000});
  EXPECT_EQ(error_of([] { parse_memory_map("0x1000-0x1fff,0x1000+4K", k4K); }),
            "option '--memory-map': ranges overlap at 4096 bytes");
  EXPECT_EQ(error_of([] { parse_memory_map("0x1000-0x1ffe", k4K); }),
            "option '--memory-map': range \"0x1000-0x1ffe\": not whole pages (START a multiple of "
            "the page size, END one byte below one) (examples: "
            "0x1000-0x9ffff,1MiB+3071MiB,0x100000000+1GiB)");
  EXPECT_NE(error_of([] { parse_memory_map("0x2000-0x1fff", k4K); }).find("END is below START"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_memory_map("4096", k4K); }).find("START-END or START+LENGTH"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_memory_map("0x1000-0x1fff,", k4K); }).find("empty range"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_memory_map("0xZZ-0x1fff", k4K); }).find("hex number"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_memory_map("0+8TiB", k4K); }).find("4TiB"), std::string::npos);
}

TEST(MemoryMap, AddressesNearTheTopOfTheAddressSpaceAreRefusedWithoutWrapping) {
  const std::string above =
      "\": RAM above 4TiB (0x40000000000) cannot be modelled (examples: "
      "0x1000-0x9ffff,1MiB+3071MiB,0x100000000+1GiB)";
  // END + 1 would wrap to 0; START + LENGTH would wrap below START.
  for (const std::string range : {"0xfffffffffffff000-0xffffffffffffffff", "0xfffffffffffff000+4K",
                                  "0x1000+0xfffffffffffff000", "0x40000000000+4K",
                                  "0x3fffffff000-0x40000000fff", "0x3fffffff000+8K"}) {
    EXPECT_EQ(error_of([&] { parse_memory_map(range, k4K); }),
              "option '--memory-map': range \"" + range + above)
        << range;
  }
  // The last page below 4TiB is RAM the model holds.
  const auto top = parse_memory_map("0x3fffffff000-0x3ffffffffff", k4K);
  ASSERT_EQ(top.size(), 1u);
  EXPECT_EQ(top[0], (model::RamRange{Pfn{0x3ffffffful}, PageCount{1}}));
  EXPECT_EQ(parse_memory_map("0x3fffffff000+4K", k4K)[0], top[0]);
}

TEST(MemoryMap, AnalyzeRefusesAWrappingRangeWithExitStatus2) {
  std::ostringstream out, err;
  const int status = run({"analyze", std::string(FRAGREPLAY_SOURCE_DIR) + "/traces/sample-nic.csv",
                          "--memory-map", "0xfffffffffffff000-0xffffffffffffffff"},
                         Io{out, err});
  EXPECT_EQ(status, kExitUsage);
  EXPECT_EQ(err.str(),
            "fragreplay: option '--memory-map': range \"0xfffffffffffff000-0xffffffffffffffff"
            "\": RAM above 4TiB (0x40000000000) cannot be modelled (examples: "
            "0x1000-0x9ffff,1MiB+3071MiB,0x100000000+1GiB)\n");
}

TEST(RamOption, TheRefusalSaysWhatTheBoundIs) {
  std::ostringstream out, err;
  EXPECT_EQ(run({"analyze", std::string(FRAGREPLAY_SOURCE_DIR) + "/traces/sample-nic.csv", "--ram",
                 "4TiB"},
                Io{out, err}),
            kExitUsage);
  EXPECT_EQ(err.str(),
            "fragreplay: option '--ram': at most 4095GiB of RAM can be modelled (laid out like a "
            "PC, it reaches 1GiB higher, and the model stops at 4TiB)\n");
}

TEST(Background, PercentAndSeed) {
  EXPECT_EQ(parse_background("30").percent, 30u);
  EXPECT_EQ(parse_background("30").seed, 1u);
  EXPECT_EQ(parse_background("30:7").seed, 7u);
  EXPECT_EQ(error_of([] { parse_background("101"); }),
            "option '--background': PERCENT must be 0 to 100, got \"101\" (examples: 30, 30:7)");
  EXPECT_NE(error_of([] { parse_background("30:"); }).find("SEED"), std::string::npos);
  EXPECT_NE(error_of([] { parse_background("half"); }).find("PERCENT or PERCENT:SEED"),
            std::string::npos);
}

TEST(SampleEvery, EventsTimeOrOff) {
  EXPECT_EQ(parse_sample_every("1000")->every, 1000u);
  EXPECT_FALSE(parse_sample_every("1000")->by_time);
  EXPECT_EQ(parse_sample_every("5ms")->every, 5000000u);
  EXPECT_TRUE(parse_sample_every("5ms")->by_time);
  EXPECT_EQ(parse_sample_every("250us")->every, 250000u);
  EXPECT_EQ(parse_sample_every("2s")->every, 2000000000u);
  EXPECT_FALSE(parse_sample_every("off"));
  EXPECT_NE(error_of([] { parse_sample_every("0"); }).find("positive"), std::string::npos);
  EXPECT_NE(error_of([] { parse_sample_every("5min"); }).find("unknown unit 'min'"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_sample_every("ms"); }).find("a count or a duration"),
            std::string::npos);
}

struct CliRun {
  int status;
  std::string out, err;
};
CliRun run_cli(const Args& args) {
  std::ostringstream out, err;
  const int status = run(args, Io{out, err});
  return {status, out.str(), err.str()};
}

// A replay on a memory map with background and a timeline CSV: one row per sample, the frame-map
// letters for background ('g') appear, and the options that contradict each other are refused.
TEST(AnalyzeOptions, MemoryMapBackgroundAndTimelineCsv) {
  const std::string dir = std::filesystem::temp_directory_path().string();
  const std::string trace = dir + "/fragreplay-opts-" + std::to_string(::getpid()) + ".csv";
  const std::string csv = trace + ".timeline.csv";
  std::ofstream(trace) << testing::native_trace(
      "0,alloc,MmAllocateNonCachedMemory,,Nc,4096,0x10,,,,,,,,\n"
      "1,free,MmFreeNonCachedMemory,,,,0x10,,,,,,,,\n"
      "2,alloc,MmAllocateContiguousMemorySpecifyCache,,Big,1048576,0x20,0x0,0xffffffff,0x0,"
      "MmCached,,,,\n");
  const CliRun r = run_cli({"analyze", trace, "--memory-map", "0x100000+4MiB", "--background",
                            "50:3", "--timeline-csv", csv, "-q"});
  EXPECT_EQ(r.status, kExitOk) << r.err;
  std::ifstream in(csv);
  std::string header, line;
  std::getline(in, header);
  EXPECT_EQ(header.rfind("time_ns,events,live_requested_bytes,live_footprint_bytes,", 0), 0u)
      << header;
  EXPECT_NE(header.find(",frame_map"), std::string::npos);
  int rows = 0;
  std::string last;
  while (std::getline(in, line)) {
    ++rows;
    last = line;
  }
  EXPECT_EQ(rows, 3) << "one sample per event";
  EXPECT_NE(last.find('g'), std::string::npos) << "half the map is background: " << last;
  EXPECT_EQ(run_cli({"analyze", trace, "--ram", "1GiB", "--memory-map", "0x100000+4MiB"}).err,
            "fragreplay: options '--ram' and '--memory-map' cannot be combined\n");
  EXPECT_EQ(run_cli({"analyze", trace, "--sample-every", "off", "--timeline-csv", csv}).err,
            "fragreplay: option '--timeline-csv' needs a timeline: drop '--sample-every off'\n");
  std::filesystem::remove(trace);
  std::filesystem::remove(csv);
}

}  // namespace
}  // namespace fragreplay::cli
