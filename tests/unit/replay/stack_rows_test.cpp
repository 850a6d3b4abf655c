// Stacks folded into call sites and modules (docs/attribution.md): the caller rule of §2 on each
// kind of stack, and the module rows of §1 from the ETL fixture pool-stacks-x64.etl
// (tests/support/etl_fixtures.cpp lists its allocations) replayed under win7-x64, whose pool
// rounds a request plus its 16-byte header up to 16 bytes (docs/model.md §1).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "etl_fixtures.hpp"
#include "replay/engine.hpp"
#include "replay/module_rows.hpp"
#include "replay/stack_caller.hpp"
#include "test_support.hpp"
#include "trace/trace_reader.hpp"

namespace fragreplay::replay {
namespace {

trace::CodeMap small_map() {
  trace::CodeMap code;
  code.pointer_size = 8;
  code.modules.add(0xfffff80000000000, 0x800000, "ntoskrnl.exe");
  code.modules.add(0xfffff80000900000, 0x10000, "HALMACPI.DLL");
  code.modules.add(0xfffff88001000000, 0x200000, "tcpip.sys");
  code.modules.add(0xfffff88003000000, 0x100000, "Wdf01000.sys");
  return code;
}

TEST(StackCaller, FirstFrameOutsideTheKernelsImages) {
  const trace::CodeMap code = small_map();
  const std::vector<std::uint64_t> s{0xfffff80000001000, 0xfffff80000900010, 0xfffff88001000040};
  const Caller c = find_caller(s, code, {});
  EXPECT_EQ(c.frame, 2u);  // nt, then the HAL (any case), then tcpip
  EXPECT_FALSE(c.kernel_only);
  EXPECT_EQ(frame_label(s[2], code), "tcpip.sys+0x40");
  EXPECT_EQ(frame_module(s[2], code), "tcpip.sys");
}

TEST(StackCaller, KmdfAllocatesForItsDriverAndWrappersCanBeNamed) {
  const trace::CodeMap code = small_map();
  const std::vector<std::uint64_t> s{0xfffff80000001000, 0xfffff88003000100, 0xfffff88001000040};
  EXPECT_EQ(find_caller(s, code, {}).frame, 2u);  // Wdf01000.sys is skipped like the kernel
  const std::vector<std::uint64_t> t{0xfffff80000001000, 0xfffff88001000040, 0xfffff88003000100};
  EXPECT_EQ(find_caller(t, code, {}).frame, 1u);
  const Caller w = find_caller(t, code, CallerRules{{"TCPIP.SYS"}, {}});
  EXPECT_EQ(w.frame, 1u + 1u);  // tcpip named as a wrapper: the next frame is kernel's (KMDF)
  EXPECT_TRUE(w.kernel_only);
}

TEST(StackCaller, AFrameInNoImageIsTheCallerByItsAddress) {
  const trace::CodeMap code = small_map();
  const std::vector<std::uint64_t> s{0xfffff80000001000, 0xfffff88009999990};
  EXPECT_EQ(find_caller(s, code, {}).frame, 1u);
  EXPECT_EQ(frame_label(s[1], code), "0xfffff88009999990");
  EXPECT_EQ(frame_module(s[1], code), "");
}

TEST(StackCaller, AllKernelStackTakesItsDeepestKernelFrame) {
  const trace::CodeMap code = small_map();
  // The user-space frame (a system call's) ends the search.
  const std::vector<std::uint64_t> s{0xfffff80000001000, 0xfffff80000004000, 0x7ff600001000};
  const Caller c = find_caller(s, code, {});
  EXPECT_TRUE(c.kernel_only);
  EXPECT_EQ(c.frame, 1u);
}

TEST(StackCaller, FramesNamedByATextExport) {
  trace::CodeMap code;
  code.pointer_size = 8;
  code.frame_names[0xfffff80000001000] = "ntoskrnl.exe!ExAllocatePoolWithTag";
  code.frame_names[0xfffff88001000040] = "tcpip.sys!TcpCreateEndpoint";
  const std::vector<std::uint64_t> s{0xfffff80000001000, 0xfffff88001000040};
  EXPECT_EQ(find_caller(s, code, {}).frame, 1u);
  EXPECT_EQ(frame_label(s[1], code), "tcpip.sys!TcpCreateEndpoint");
  EXPECT_EQ(frame_module(s[1], code), "tcpip.sys");
}

Results replay_fixture(const std::string& name) {
  auto reader = trace::open_trace(trace::memory_source(testing::etl_fixture(name), name),
                                  trace::ReadOptions{});
  model::Machine machine(model::builtin_profile("win7-x64"), {});
  return replay_trace(*reader, machine, ReplayOptions{});
}

const GroupStats& site(const Results& r, const std::string& label) {
  for (std::size_t i = 0; i < r.call_sites.size(); ++i)
    if (r.call_sites[i].name == label) return r.by_call_site[i];
  ADD_FAILURE() << "no call site " << label;
  static const GroupStats kNone;
  return kNone;
}

const GroupStats& module(const Results& r, const std::string& name) {
  for (std::size_t i = 0; i < r.modules.size(); ++i)
    if (r.modules[i] == name) return r.by_module[i];
  ADD_FAILURE() << "no module " << name;
  static const GroupStats kNone;
  return kNone;
}

// Footprints: NicB 1000 -> 1016 -> 1024, NicB 2000 -> 2016, NicB 500 -> 516 -> 528,
// TcpE 300 -> 320, ObjT 200 -> 224, Unkn 100 -> 128.
TEST(StackRows, CallersOfTheFixture) {
  for (const char* file : {"pool-stacks-x64.etl", "pool-stacks-x86.etl"}) {
    SCOPED_TRACE(file);
    const Results r = replay_fixture(file);
    const bool is64 = std::string(file).find("x64") != std::string::npos;
    ASSERT_EQ(r.call_sites.size(), 5u);
    EXPECT_EQ(site(r, "nicdrv.sys+0x1234").allocations, 2u);
    EXPECT_EQ(site(r, "nicdrv.sys+0x1234").requested.value, 3000u);
    EXPECT_EQ(site(r, "nicdrv.sys+0x1234").footprint.value, 1024u + 2016u);
    EXPECT_EQ(site(r, "tcpip.sys+0x5000").footprint.value, 320u);
    EXPECT_EQ(site(r, "ntoskrnl.exe+0x5000 (kernel only)").footprint.value, 224u);
    EXPECT_EQ(site(r, is64 ? "0xfffff88009999990" : "0x8f999990").footprint.value, 128u);
    ASSERT_EQ(r.stacks.size(), 4u);
    // The last NicB has no stack: the row of no call site (address 0, no name).
    EXPECT_EQ(site(r, "").footprint.value, 528u);
  }
}

TEST(StackRows, ModulesFromCallersThenTagOwners) {
  Results r = replay_fixture("pool-stacks-x64.etl");
  // Without a list, the stackless NicB is unowned, like the caller in no image.
  EXPECT_EQ(module(r, "nicdrv.sys").footprint.value, 1024u + 2016u);
  EXPECT_EQ(module(r, "").footprint.value, 528u + 128u);
  EXPECT_EQ(module(r, "ntoskrnl.exe").footprint.value, 224u);
  EXPECT_EQ(module(r, "tcpip.sys").footprint.value, 320u);
  // With owners (NicB's is nicdrv.sys): the stackless NicB joins the module.
  std::vector<TagOwnerInfo> owners(r.by_tag.size());
  for (std::size_t i = 0; i < r.tags.size(); ++i)
    if (r.tags[i] == Tag::from_chars("NicB")) owners[i] = {"nicdrv.sys", "NIC", "nicdrv.sys"};
  attribute_modules(r, owners);
  EXPECT_EQ(module(r, "nicdrv.sys").allocations, 3u);
  EXPECT_EQ(module(r, "nicdrv.sys").footprint.value, 1024u + 2016u + 528u);
  EXPECT_EQ(module(r, "").footprint.value, 128u);
  GroupStats sum;
  for (const GroupStats& g : r.by_module) sum += g;
  EXPECT_EQ(sum, r.totals);  // the rows add up to the totals
  GroupStats sites;
  for (const GroupStats& g : r.by_call_site) sites += g;
  EXPECT_EQ(sites, r.totals);
}

}  // namespace
}  // namespace fragreplay::replay
