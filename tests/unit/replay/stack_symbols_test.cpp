// Frames named from linker maps (docs/attribution.md §3): frame_label with CallerRules that carry
// a map, and the stacks of the ETL fixture pool-stacks-x64.etl (tests/support/etl_fixtures.cpp)
// folded into call sites under tests/data/symbols/nicdrv.map, where NicAllocateRxBuffers is at
// RVA 0x1200 and NicFreeRxBuffers at 0x1f00, so the caller nicdrv+0x1234 is
// NicAllocateRxBuffers+0x34. Footprints under win7-x64 as in stack_rows_test.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "etl_fixtures.hpp"
#include "replay/engine.hpp"
#include "replay/stack_caller.hpp"
#include "test_support.hpp"
#include "trace/module_symbols.hpp"
#include "trace/trace_reader.hpp"

namespace fragreplay::replay {
namespace {

std::shared_ptr<const trace::ModuleSymbols> maps(std::initializer_list<const char*> names) {
  auto s = std::make_shared<trace::ModuleSymbols>();
  for (const char* n : names)
    s->load(std::string(FRAGREPLAY_SOURCE_DIR) + "/tests/data/symbols/" + n);
  return s;
}

TEST(StackSymbols, AFrameInAMappedImageIsNamedByItsFunction) {
  trace::CodeMap code;
  code.pointer_size = 8;
  code.modules.add(0xfffff80000000000, 0x800000, "ntoskrnl.exe");
  code.modules.add(0xfffff88001000000, 0x200000, "tcpip.sys");
  code.modules.add(0xfffff88004000000, 0x10000, "mydriver.sys");
  code.modules.add(0xfffff88005000000, 0x10000, "MyOtherDriver.SYS");
  CallerRules rules;
  rules.symbols = maps({"mydriver.map"});
  // DriverEntry is at RVA 0x1a10 in mydriver.map; the first function, so 0x1000 has none.
  EXPECT_EQ(frame_label(0xfffff88004001a20, code, rules), "mydriver.sys!DriverEntry+0x10");
  EXPECT_EQ(frame_label(0xfffff88004001a10, code, rules), "mydriver.sys!DriverEntry");
  EXPECT_EQ(frame_label(0xfffff88004003010, code, rules), "mydriver.sys!NicFreeRx+0x1210")
      << "not the data symbol __imp_ExAllocatePool2+0x10";
  EXPECT_EQ(frame_label(0xfffff88004001000, code, rules), "mydriver.sys+0x1000")
      << "before the first function: the label without a map";
  EXPECT_EQ(frame_label(0xfffff88001000040, code, rules), "tcpip.sys+0x40") << "no map";
  EXPECT_EQ(frame_label(0xfffff88005001a20, code, rules), "MyOtherDriver.SYS+0x1a20");
  EXPECT_EQ(frame_label(0xfffff88009999990, code, rules), "0xfffff88009999990") << "no image";
  EXPECT_EQ(frame_label(0xfffff88004001a20, code, CallerRules{}), "mydriver.sys+0x1a20")
      << "rules without a map";
  EXPECT_EQ(frame_module(0xfffff88004001a20, code), "mydriver.sys");
}

TEST(StackSymbols, TheMatchIgnoresCase) {
  trace::CodeMap code;
  code.pointer_size = 8;
  code.modules.add(0xfffff88004000000, 0x10000, "MyDriver.SYS");
  CallerRules rules;
  rules.symbols = maps({"mydriver.map"});
  EXPECT_EQ(frame_label(0xfffff88004001a20, code, rules), "MyDriver.SYS!DriverEntry+0x10");
}

Results replay_fixture(const CallerRules& rules) {
  const std::string name = "pool-stacks-x64.etl";
  auto reader = trace::open_trace(trace::memory_source(testing::etl_fixture(name), name),
                                  trace::ReadOptions{});
  model::Machine machine(model::builtin_profile("win7-x64"), {});
  ReplayOptions options;
  options.callers = rules;
  return replay_trace(*reader, machine, options);
}

TEST(StackSymbols, TheCallSiteRowsOfTheFixtureUnderItsDriversMap) {
  CallerRules rules;
  rules.symbols = maps({"nicdrv.map"});
  const Results r = replay_fixture(rules);
  std::vector<std::string> labels;
  for (const CallSite& c : r.call_sites) labels.push_back(c.name);
  ASSERT_EQ(r.call_sites.size(), 5u);
  std::size_t nic = r.call_sites.size();
  for (std::size_t i = 0; i < r.call_sites.size(); ++i)
    if (r.call_sites[i].name == "nicdrv.sys!NicAllocateRxBuffers+0x34") nic = i;
  ASSERT_LT(nic, r.call_sites.size()) << ::testing::PrintToString(labels);
  EXPECT_EQ(r.call_sites[nic].module, "nicdrv.sys") << "the module is still the image";
  EXPECT_EQ(r.call_sites[nic].address, 0xfffff88002001234u);
  EXPECT_EQ(r.by_call_site[nic].allocations, 2u);
  EXPECT_EQ(r.by_call_site[nic].footprint.value, 1024u + 2016u);
  // tcpip.sys has no map: its caller keeps its label.
  EXPECT_NE(std::find(labels.begin(), labels.end(), "tcpip.sys+0x5000"), labels.end());
  EXPECT_NE(std::find(labels.begin(), labels.end(), "ntoskrnl.exe+0x5000 (kernel only)"),
            labels.end());
  // Every frame of the nicdrv stack (nt, nt, nicdrv+0x1234, tcpip+0x5000) is labelled.
  bool seen = false;
  for (const StackRow& s : r.stacks) {
    if (s.caller != nic) continue;
    seen = true;
    ASSERT_EQ(s.frame_labels.size(), 4u);
    EXPECT_EQ(s.frame_labels[0], "ntoskrnl.exe+0x1000");
    EXPECT_EQ(s.frame_labels[2], "nicdrv.sys!NicAllocateRxBuffers+0x34");
    EXPECT_EQ(s.frame_labels[3], "tcpip.sys+0x5000");
  }
  EXPECT_TRUE(seen);
}

}  // namespace
}  // namespace fragreplay::replay
