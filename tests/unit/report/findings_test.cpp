// Findings: one trace that falls into every documented pitfall once or twice, with each finding's
// count, bytes, first line and severity worked out by hand from docs/model.md.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "replay/finding_facts.hpp"
#include "report/findings.hpp"
#include "report/json_report.hpp"
#include "test_support.hpp"

namespace fragreplay::report {
namespace {

// File lines: 1 magic, 2 header, then the body from line 3.
const char* kPitfalls =
    "#!adapter name=nic0 highest=0xffffffff boundary=0x100000000 map_registers=4\n"  // 3
    "0,phase,DriverEntry,,,,,,,,,,,,\n"                                              // 4
    "10,alloc,AllocateCommonBuffer,,Ring,12288,0x10,,,,MmCached,,nic0,,\n"           // 5
    "20,alloc,MmAllocateNonCachedMemory,,Rx,1000,0x20,,,,,,,,\n"                     // 6
    "30,alloc,MmAllocateNonCachedMemory,,Rx,3000,0x30,,,,,,,,\n"                     // 7
    "40,phase,Steady,,,,,,,,,,,,\n"                                                  // 8
    "50,free,MmFreeNonCachedMemory,,,,0x20,,,,,,,,\n"                                // 9
    "60,alloc,MmAllocateContiguousMemorySpecifyCache,,Scr,5000,0x40,0x0,0xffffff,0x0,"
    "MmNonCached,,,,\n"                                 // 10
    "70,free,MmFreeContiguousMemory,,,,0x40,,,,,,,,\n"  // 11
    "80,alloc,MmAllocateContiguousMemorySpecifyCache,,Scr,5000,0x50,0x0,0xffffff,0x0,"
    "MmNonCached,,,,\n"                                                     // 12
    "90,free,MmFreeContiguousMemory,,,,0x50,,,,,,,,\n"                      // 13
    "100,alloc,ExAllocatePoolWithTag,NonPagedPool,Big,5120,0x60,,,,,,,,\n"  // 14
    "110,alloc,ExAllocatePool2,POOL_FLAG_NON_PAGED,Nx,100,0x70,,,,,,,,\n"   // 15
    "120,alloc,MmAllocateContiguousMemorySpecifyCache,,Huge,33554432,0x80,0x0,0xffffff,0x0,"
    "MmNonCached,,,,\n"                                 // 16
    "130,phase,DriverUnload,,,,,,,,,,,,\n"              // 17
    "140,free,FreeCommonBuffer,,,,0x10,,,,,,nic0,,\n";  // 18

struct Expected {
  const char* rule;
  Severity severity;
  const char* tag;
  const char* routine;
  std::uint64_t count;
  std::uint64_t bytes;
  std::uint64_t first_line;
};

TEST(Findings, EveryRuleOnItsPitfall) {
  const auto r = testing::replay_text(kPitfalls, "nt5-x86");
  const std::vector<Finding> list = findings(r);
  const std::vector<Expected> expected{
      // 32 MiB below 16 MiB cannot fit (constraint) and comes after DriverEntry: an error.
      {"contiguous-after-init", Severity::kError, "Huge", "MmAllocateContiguousMemorySpecifyCache",
       1, 32u << 20, 16},
      // Two 5000-byte requests after init, each two pages (§5.3 BYTES_TO_PAGES).
      {"contiguous-after-init", Severity::kWarning, "Scr", "MmAllocateContiguousMemorySpecifyCache",
       2, 2 * 8192, 10},
      // ... freed twice outside DriverUnload; the routine of the row is the allocating one.
      {"contiguous-churn", Severity::kWarning, "Scr", "MmAllocateContiguousMemorySpecifyCache", 2,
       2 * 8192, 11},
      // 12288 bytes = 3 pages = 3 map registers of 4 (§5.5): more than half.
      {"map-registers-tied-up", Severity::kWarning, "Ring", "AllocateCommonBuffer", 3, 3 * 4096, 5},
      // NonPagedPool without the NX bit (§1.5).
      {"executable-nonpaged-pool", Severity::kWarning, "Big", "ExAllocatePoolWithTag", 1, 5120, 14},
      // 1000 and 3000 bytes take a page each (§5.4): 3096 + 1096 bytes of tail.
      {"small-page-granular-request", Severity::kWarning, "Rx", "MmAllocateNonCachedMemory", 2,
       3096 + 1096, 6},
      // 5 KB on NT 5.x: 8192 bytes; split, 4096 + a 1024-byte small block of 1032 bytes (8-byte
      // header, 8-byte units, §1.2, §3.7): 3064 bytes saved.
      {"big-pool-tail", Severity::kWarning, "Big", "ExAllocatePoolWithTag", 1, 3064, 14},
      {"deprecated-pool-routine", Severity::kInfo, "Big", "ExAllocatePoolWithTag", 1, 5120, 14},
  };
  ASSERT_EQ(list.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const Expected& e = expected[i];
    const Finding& f = list[i];
    SCOPED_TRACE(i);
    EXPECT_EQ(f.rule, e.rule);
    EXPECT_EQ(f.severity, e.severity);
    EXPECT_EQ(f.tag, e.tag);
    EXPECT_EQ(f.routine, e.routine);
    EXPECT_EQ(f.count, e.count);
    EXPECT_EQ(f.bytes, e.bytes);
    EXPECT_EQ(f.first_line, e.first_line);
    EXPECT_FALSE(f.rationale.empty());
    EXPECT_EQ(f.rationale.back(), '.');
  }
  // The common buffer freed in DriverUnload is not churn, ExAllocatePool2 is not deprecated.
  EXPECT_EQ(severity_counts(list), "1 error, 6 warnings, 1 info");
  EXPECT_NE(list[5].rationale.find("up to 4.09 KiB at once"), std::string::npos)
      << "both non-cached tails were live together: " << list[5].rationale;
  EXPECT_NE(list[3].rationale.find("'nic0' had 3 of its 4"), std::string::npos)
      << list[3].rationale;
}

TEST(Findings, NothingOnACleanTrace) {
  // Pool2 with NX pool, contiguous memory inside DriverEntry and never freed before unload.
  const auto r = testing::replay_text(
      "0,phase,DriverEntry,,,,,,,,,,,,\n"
      "1,alloc,ExAllocatePool2,POOL_FLAG_NON_PAGED,Good,64,0x10,,,,,,,,\n"
      "2,alloc,MmAllocateContiguousMemorySpecifyCache,,Ring,65536,0x20,0x0,0xffffffff,0x0,"
      "MmCached,,,,\n"
      "3,phase,DriverUnload,,,,,,,,,,,,\n"
      "4,free,MmFreeContiguousMemory,,,,0x20,,,,,,,,\n");
  EXPECT_TRUE(findings(r).empty());
  EXPECT_TRUE(r.facts.driver_entry_seen);
}

TEST(Findings, AfterInitNeedsADriverEntryMarker) {
  // Without phase markers nobody can tell init from steady state: the rule stays silent.
  const auto r = testing::replay_text(
      "1,alloc,MmAllocateContiguousMemorySpecifyCache,,Ring,65536,0x20,0x0,0xffffffff,0x0,"
      "MmCached,,,,\n");
  EXPECT_FALSE(r.facts.driver_entry_seen);
  EXPECT_TRUE(findings(r).empty());
}

TEST(Findings, SplitSavingFollowsTheBigPoolRule) {
  const replay::FindingFacts nt5(model::builtin_profile("nt5-x86"));
  EXPECT_EQ(nt5.split_saving(5120), 3064u) << "§3.7: the 5 KB example";
  EXPECT_EQ(nt5.split_saving(4080), 0u) << "a small request (§1.2 POOL_BUDDY_MAX 0xFF0)";
  EXPECT_EQ(nt5.split_saving(8192), 0u) << "a page multiple wastes no tail";
  EXPECT_EQ(nt5.split_saving(4096 + 4080), 8u) << "4096 + round8(4080 + 8) = 8184 of 8192";
  EXPECT_EQ(nt5.split_saving(4096 + 4090), 0u) << "a remainder above 0xFF0 is a page anyway";
  const replay::FindingFacts win7(model::builtin_profile("win7-x64"));
  EXPECT_EQ(win7.split_saving(5120), 0u) << "§3.7: Vista and later reuse the tail";
}

TEST(Findings, JsonArrayHasTheAgreedShape) {
  const auto j = to_json(testing::replay_text(kPitfalls, "nt5-x86"));
  ASSERT_TRUE(j["findings"].is_array());
  ASSERT_EQ(j["findings"].size(), 8u);
  const auto& f = j["findings"][0];
  std::vector<std::string> keys;
  for (const auto& [key, value] : f.items()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"rule", "severity", "tag", "routine", "count", "bytes",
                                            "first_line", "rationale"}));
  EXPECT_EQ(f["rule"], "contiguous-after-init");
  EXPECT_EQ(f["severity"], "error");
  EXPECT_EQ(f["bytes"], 33554432);
  EXPECT_EQ(f["first_line"], 16);
  EXPECT_EQ(parse_severity("warning"), Severity::kWarning);
  EXPECT_EQ(parse_severity("fatal"), std::nullopt);
}

}  // namespace
}  // namespace fragreplay::report
