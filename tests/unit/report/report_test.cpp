// Renderers: the JSON schema fields the issue promises, the 80-column summary, the per-event CSV,
// and the number formatting they share. Determinism across processes: tests/determinism.sh.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "base/format.hpp"
#include "json/json_text.hpp"
#include "replay/module_rows.hpp"
#include "report/events_csv.hpp"
#include "report/json_report.hpp"
#include "report/text_summary.hpp"
#include "test_support.hpp"

namespace fragreplay::report {
namespace {

const char* kTrace =
    "0,phase,DriverEntry,,,,,,,,,,,,\n"
    "1,alloc,ExAllocatePoolWithTag,NonPagedPool,Nic1,5120,0x10,,,,,,,,\n"
    "2,alloc,MmAllocateNonCachedMemory,,Nic2,100,0x20,,,,,,,,\n"
    "3,alloc,AllocateCommonBuffer,,Nic3,1,0x30,,,,,,,,\n"
    "4,alloc,MmAllocateContiguousMemorySpecifyCache,,Nic4,33554432,0x40,0x0,0xffffff,0x1000000,"
    "MmNonCached,,,,\n"
    "5,free,ExFreePool,,,,0x10,,,,,,,,\n"
    "6,free,ExFreePool,,,,0x77,,,,,,,,\n";

TEST(JsonReport, HasTheFieldsOfSchemaVersion1) {
  const auto r = testing::replay_text(kTrace, "nt5-x86");
  const nlohmann::ordered_json j = to_json(r);
  EXPECT_EQ(j["schema_version"], 1);
  EXPECT_EQ(j["profile"]["name"], "nt5-x86");
  EXPECT_EQ(j["trace"]["format"], "native-v1");
  EXPECT_EQ(j["trace"]["events"], 7);
  EXPECT_EQ(j["totals"]["allocations"], 3);
  EXPECT_EQ(j["totals"]["frees"], 1);
  EXPECT_EQ(j["totals"]["requested_bytes"], 5120 + 100 + 1);
  EXPECT_EQ(j["totals"]["footprint_bytes"], 8192 + 4096 + 4096);
  EXPECT_EQ(j["totals"]["waste_bytes"]["pool_header"], 0);
  EXPECT_EQ(j["totals"]["waste_bytes"]["granularity"], 0);
  EXPECT_EQ(j["totals"]["waste_bytes"]["sub_page_rounding"], 3072 + 3996 + 4095);
  EXPECT_EQ(j["peak"]["live_footprint_bytes"], 8192 + 4096 + 4096);
  EXPECT_EQ(j["end"]["live_requested_bytes"], 101);
  EXPECT_EQ(j["end"]["live_footprint_bytes"], 8192);
  EXPECT_EQ(j["end"]["pool_page_slack_bytes"], 0);
  EXPECT_EQ(j["by_tag"][0]["tag"], "Nic3") << "sorted by waste: 4095 first";
  EXPECT_EQ(j["by_tag"][0]["waste_bytes"], 4095);
  EXPECT_EQ(j["by_routine"][0]["routine"], "AllocateCommonBuffer");
  EXPECT_EQ(j["dma"]["map_registers_peak"], 1);
  EXPECT_EQ(j["contiguous"]["requests"], 2);
  EXPECT_EQ(j["contiguous"]["failures"], 1);
  EXPECT_EQ(j["contiguous"]["failures_by_cause"]["constraint"], 1);
  EXPECT_EQ(j["contiguous"]["failures_by_cause"]["exhaustion"], 0);
  EXPECT_EQ(j["contiguous"]["failures_by_cause"]["fragmentation"], 0);
  const auto& f = j["contiguous"]["failure_log"][0];
  EXPECT_EQ(f["line"], 7);
  EXPECT_EQ(f["routine"], "MmAllocateContiguousMemorySpecifyCache");
  EXPECT_EQ(f["tag"], "Nic4");
  EXPECT_EQ(f["highest"], "0xffffff");
  EXPECT_EQ(f["cause"], "constraint");
  EXPECT_TRUE(f.contains("free_bytes_in_window"));
  EXPECT_TRUE(f.contains("largest_free_run_bytes_in_window"));
  EXPECT_EQ(j["data_quality"]["unknown_frees"], 1);
  EXPECT_EQ(j["data_quality"]["bad_lines"], 0);
  EXPECT_EQ(j["data_quality"]["double_frees"], 0);
  EXPECT_EQ(j["data_quality"]["live_address_reused"], 0);
  EXPECT_EQ(j["data_quality"]["time_went_backwards"], 0);
  EXPECT_EQ(j["data_quality"]["details"]["unknown_frees"]["first_lines"][0], 9);
}

// The fields this schema adds to version 1: each failure's explanation, pinned frames, the
// Johnstone-Wilson measures and the timeline (one sample per event by default).
TEST(JsonReport, HasTheFragmentationFields) {
  const auto r = testing::replay_text(kTrace, "nt5-x86");
  const nlohmann::ordered_json j = to_json(r);
  // The 32 MiB request below 16 MiB (order 13): the window holds frames 1..159 and 256..4095,
  // runs of 159 (6 pieces) and 3840 (4 pieces), 3999 free: 1000 - (1000 + 3999000/8192) / 10
  // = 852.
  const auto& f = j["contiguous"]["failure_log"][0];
  EXPECT_EQ(f["order"], 13);
  EXPECT_EQ(f["fragmentation_index"], 0.852);
  EXPECT_TRUE(f["closest_placement"].is_null()) << "a constraint failure has no placement";
  EXPECT_EQ(f["blockers"].size(), 0u);
  EXPECT_EQ(j["by_tag"][0]["pinned_frames"], 0);
  EXPECT_TRUE(j["contiguous"]["pinned_other"].is_array());
  for (const char* k : {"mean_over_time", "at_peak_live", "at_peak_used", "peak_over_peak",
                        "peak_live_bytes", "peak_used_bytes"}) {
    EXPECT_TRUE(j["fragmentation"].contains(k)) << k;
  }
  EXPECT_EQ(j["timeline_sampling"]["unit"], "events");
  EXPECT_EQ(j["timeline_sampling"]["every"], 1);
  ASSERT_EQ(j["timeline"].size(), 7u);
  const auto& s = j["timeline"][6];
  EXPECT_EQ(s["events"], 7);
  EXPECT_EQ(s["frame_map"].get<std::string>().size(), 128u);
  EXPECT_EQ(s["free_runs_by_order"].size(), s["unusable_index"].size());
  EXPECT_EQ(s["contiguous_failures_by_cause"]["constraint"], 1);
  EXPECT_EQ(s["live_waste_bytes"]["total"], 3996 + 4095);
}

// to_json_text writes the timeline directly, not through a JSON tree: the text must be the tree's
// dump byte for byte, on real replays and on the number forms nlohmann writes (exponents, -0.0,
// null for non-finite values, empty arrays).
TEST(JsonReport, TextIsTheDumpOfTheTree) {
  for (const char* profile : {"nt5-x86", "win7-x64", "win10-19h1-x64"}) {
    const auto r = testing::replay_text(kTrace, profile);
    EXPECT_EQ(to_json_text(r), json_text(to_json(r)) + "\n") << profile;
  }
  auto r = testing::replay_text(kTrace, "win7-x64");
  ASSERT_FALSE(r.timeline.empty());
  r.timeline[0].unusable_index = {
      0.0, -0.0,         1e-05,      0.0001,  1e21, 123456789012345678.0,
      0.1, std::nan(""), -1.0 / 0.0, 2.5e-300};
  r.timeline[0].fragmentation_index.clear();
  r.timeline[0].free_runs_by_order = {0, ~std::uint64_t{0}};
  r.timeline[0].frame_map.clear();
  EXPECT_EQ(to_json_text(r), json_text(to_json(r)) + "\n");
  r.timeline.clear();
  EXPECT_EQ(to_json_text(r), json_text(to_json(r)) + "\n");
}

TEST(TextSummary, FitsEightyColumns) {
  const std::string s = text_summary(testing::replay_text(kTrace, "nt5-x86"));
  std::istringstream lines(s);
  std::string line;
  while (std::getline(lines, line)) EXPECT_LE(line.size(), 80u) << line;
  EXPECT_NE(s.find("1 unknown_frees (line 9)"), std::string::npos) << s;
  EXPECT_NE(s.find("1 failed: 1 constraint"), std::string::npos) << s;
}

// With a pool-tag list the tag table names owners in the last column, still within 80 columns:
// a long owner is cut, "-" stands for none, and the module rows follow (report/modules.hpp).
TEST(TextSummary, TagOwnersFitEightyColumnsToo) {
  replay::Results r = testing::replay_text(kTrace, "nt5-x86");
  ASSERT_GE(r.tags.size(), 2u);
  std::vector<replay::TagOwnerInfo> owners(r.tags.size());
  owners[0] = {"averyveryverylongdriver.sys", "d", "averyveryverylongdriver.sys"};
  replay::attribute_modules(r, owners);
  const std::string s = text_summary(r);
  std::istringstream lines(s);
  std::string line;
  while (std::getline(lines, line)) EXPECT_LE(line.size(), 80u) << line;
  EXPECT_NE(s.find("  averyveryve...\n"), std::string::npos) << s;
  EXPECT_NE(s.find("  -\n"), std::string::npos) << s;
  EXPECT_NE(s.find("Driver modules by waste"), std::string::npos) << s;
  EXPECT_NE(s.find("(unowned)"), std::string::npos) << s;
  EXPECT_NE(s.find("  averyveryverylongdr...  "), std::string::npos) << "the module row, cut" << s;
}

class Capture : public replay::EventObserver {
 public:
  explicit Capture(std::FILE* f) : writer(f) {}
  void on_event(const trace::Event& e, const trace::StringTable& s,
                const replay::EventOutcome& o) override {
    writer.on_event(e, s, o);
  }
  EventsCsvWriter writer;
};

TEST(EventsCsv, OneRowPerEventWithItsDecision) {
  char* buf = nullptr;
  std::size_t size = 0;
  std::FILE* mem = open_memstream(&buf, &size);
  {
    Capture c(mem);
    testing::replay_text(kTrace, "nt5-x86", {}, &c);
    c.writer.flush();
  }
  std::fclose(mem);
  const std::string csv(buf, size);
  std::free(buf);
  // The common buffer (nt5-x86, 1 GiB): §5.5 asks for a whole page, MmCached, so §5.3 NT 5.x tries
  // nonpaged pool first; §3.8 carves pool pages from the end of the initial pool's run, which
  // §5.1 puts at the top of the largest RAM range [1 MiB, 1 GiB): Nic1's two pages took
  // 0x3fffe000-0x3fffffff, the common buffer the page below.
  EXPECT_EQ(
      csv,
      std::string(kEventsCsvHeader) +
          "\n"
          "3,0,phase,DriverEntry,,,,,,,1,,,,,\n"
          "4,1,alloc,ExAllocatePoolWithTag,Nic1,5120,8192,0,0,3072,1,,,,0x10,\n"
          "5,2,alloc,MmAllocateNonCachedMemory,Nic2,100,4096,0,0,3996,1,,,,0x20,\n"
          "6,3,alloc,AllocateCommonBuffer,Nic3,1,4096,0,0,4095,1,,0x3fffd000,0x3fffdfff,0x30,1\n"
          // A refused request's row shows what it asked for, and no footprint.
          "7,4,alloc,MmAllocateContiguousMemorySpecifyCache,Nic4,33554432,0,0,0,0,0,constraint,,,"
          "0x40,\n"
          "8,5,free,ExFreePool,,5120,8192,0,0,3072,1,,,,0x10,\n"
          "9,6,free,ExFreePool,,0,0,0,0,0,0,unknown_frees,,,0x77,\n");
}

TEST(Format, HumanUnits) {
  EXPECT_EQ(human_bytes(0), "0 B");
  EXPECT_EQ(human_bytes(999), "999 B");
  EXPECT_EQ(human_bytes(1000), "0.98 KiB");
  EXPECT_EQ(human_bytes(1536), "1.50 KiB");
  EXPECT_EQ(human_bytes(12u << 20), "12.0 MiB");
  EXPECT_EQ(human_bytes(1073344512), "1.00 GiB");
  EXPECT_EQ(thousands(1234567), "1,234,567");
  EXPECT_EQ(thousands(12), "12");
  EXPECT_EQ(percent(1, 3), "33.3 %");
  EXPECT_EQ(percent(1, 0), "-");
  EXPECT_EQ(trace_time(1500), "1.5 us");
  EXPECT_EQ(trace_time(2'500'000'000), "2.500 s");
}

}  // namespace
}  // namespace fragreplay::report
