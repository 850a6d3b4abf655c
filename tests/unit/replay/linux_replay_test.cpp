// Replaying Linux kmem captures under linux-slub: model agreement against the bytes_alloc the
// trace recorded, kfree and page events, and routines a profile does not have. Also the anomaly
// for ExAllocatePool2 flags the kernel does not know (docs/model.md §4.3).
#include <gtest/gtest.h>

#include "model/machine.hpp"
#include "replay/engine.hpp"
#include "test_support.hpp"
#include "trace/trace_reader.hpp"

namespace fragreplay::replay {
namespace {

using testing::replay_text;

Results replay_linux(const std::string& text, const std::string& profile = "linux-slub") {
  auto reader = trace::open_trace(trace::memory_source(text, "k.txt"),
                                  trace::ReadOptions{trace::BadLinePolicy::kSkip});
  const model::Profile& p = model::builtin_profile(profile);
  model::Machine machine(p, model::MachineConfig{model::pc_ram_map(Bytes{64 << 20}, p.page_size)});
  ReplayOptions options;
  options.check_invariants = true;
  return replay_trace(*reader, machine, options);
}

// bytes_alloc is kmalloc's size class; the model agrees with every record but the one whose
// trace claims 100 bytes cost 128 (a made-up line: kmalloc-128 would hold 100, but 100 -> 128 is
// right; 200 -> 256 is right; the 300 -> 384 line cannot be: no 384 class exists).
TEST(LinuxReplay, ModelAgreementComparesTheChargedBytes) {
  const Results r = replay_linux(
      "ffff000000001000,      100,      128\n"
      "ffff000000002000,      200,      256\n"
      "ffff000000003000,      300,      384\n"
      "ffff000000004000,    10000,    16384\n");
  EXPECT_EQ(r.model_agreement.compared, 4u);
  EXPECT_EQ(r.model_agreement.matching, 3u);
  ASSERT_EQ(r.model_agreement.first_disagreements.size(), 1u);
  const Disagreement& d = r.model_agreement.first_disagreements[0];
  EXPECT_EQ(d.line, 3u);
  EXPECT_EQ(d.requested, 300u);
  EXPECT_EQ(d.charged, 384u);
  EXPECT_EQ(d.model, 512u);
  EXPECT_EQ(r.totals.footprint, Bytes{128 + 256 + 512 + 16384});
  EXPECT_EQ(r.totals.waste.granularity, Bytes{28 + 56 + 212});
  EXPECT_EQ(r.totals.waste.sub_page, Bytes{16384 - 10000});
}

// A capture without frees: an address coming back means its earlier allocation was freed; the
// replay repairs it and counts it (KETag's 104,464 records use 1,926 addresses).
TEST(LinuxReplay, ReusedAddressesOfAnAllocationOnlyCapture) {
  const Results r = replay_linux(
      "Attaching 2 probes...\n"
      "ffff000000001000,      100,      128\n"
      "ffff000000001000,      120,      128\n"
      "\n"
      "@[128]: 2\n");
  EXPECT_EQ(r.data_quality[Anomaly::kLiveAddressReused].count, 1u);
  EXPECT_EQ(r.end.live_allocations, 1u);
  EXPECT_EQ(r.data_quality.ignored_records, 2u);
  EXPECT_EQ(r.model_agreement.matching, 2u);
}

TEST(LinuxReplay, FtraceFreesAndPageBlocks) {
  const Results r = replay_linux(
      "# tracer: nop\n"
      " a-1 [000] 1.000001: kmalloc: call_site=x ptr=0xffff000000001000 bytes_req=640 "
      "bytes_alloc=1024 gfp_flags=GFP_KERNEL\n"
      " a-1 [000] 1.000002: mm_page_alloc: page=x pfn=4660 order=1 migratetype=0\n"
      " a-1 [000] 1.000003: kfree: call_site=x ptr=0xffff000000001000\n"
      " a-1 [000] 1.000004: mm_page_free: page=x pfn=4660 order=1\n"
      " a-1 [000] 1.000005: kfree: call_site=x ptr=0xffff000000009000\n");
  EXPECT_EQ(r.totals.allocations, 2u);
  EXPECT_EQ(r.totals.frees, 2u);
  EXPECT_EQ(r.totals.footprint, Bytes{1024 + 8192});
  EXPECT_EQ(r.by_routine[static_cast<unsigned>(trace::Routine::kPageAlloc)].footprint, Bytes{8192});
  EXPECT_EQ(r.end.live_footprint, Bytes{0});
  EXPECT_EQ(r.data_quality[Anomaly::kUnknownFree].first_lines, std::vector<std::uint64_t>{6});
  EXPECT_EQ(r.first_time_ns, 1'000'001'000u);
}

// Linux routines have no meaning on a Windows profile, nor the Windows ones on linux-slub: they
// are counted and not replayed, frees included.
TEST(LinuxReplay, RoutinesTheProfileLacksAreUnsupported) {
  const Results windows = replay_linux(
      "# tracer: nop\n"
      " a-1 [000] 1.0: kmalloc: ptr=0x1000 bytes_req=8 bytes_alloc=8\n"
      " a-1 [000] 1.1: kfree: ptr=0x1000\n",
      "win7-x64");
  EXPECT_EQ(windows.data_quality[Anomaly::kUnsupportedRoutine].count, 2u);
  EXPECT_EQ(windows.totals.allocations, 0u);
  EXPECT_EQ(windows.model_agreement.compared, 0u);
  const Results on_linux = replay_text(
      "0,alloc,ExAllocatePoolWithTag,NonPagedPool,Aaaa,100,0x10,,,,,,,,\n"
      "1,free,ExFreePool,,,,0x10,,,,,,,,\n",
      "linux-slub");
  EXPECT_EQ(on_linux.data_quality[Anomaly::kUnsupportedRoutine].first_lines,
            (std::vector<std::uint64_t>{3, 4}));
}

// §4.3: a required POOL_FLAG the kernel does not know makes ExAllocatePool2 fail; a trace that
// shows such a call succeeding has a problem worth naming. An unknown optional flag is fine.
TEST(LinuxReplay, UnknownRequiredPoolFlagsAreAnAnomaly) {
  const Results r = replay_text(
      "0,alloc,ExAllocatePool2,0x240,Aaaa,100,0x10,,,,,,,,\n"
      "1,alloc,ExAllocatePool2,0x1000000040,Aaaa,100,0x20,,,,,,,,\n"
      "2,alloc,ExAllocatePool2,POOL_FLAG_NON_PAGED,\\x00\\x00\\x00\\x00,100,0x30,,,,,,,,\n",
      "win10-19h1-x64");
  EXPECT_EQ(r.data_quality[Anomaly::kUnknownPoolFlags].first_lines, std::vector<std::uint64_t>{3});
  EXPECT_EQ(r.totals.failures, 2u) << "unknown flag, and tag 0 (invalid)";
  EXPECT_EQ(r.totals.allocations, 1u);
}

}  // namespace
}  // namespace fragreplay::replay
