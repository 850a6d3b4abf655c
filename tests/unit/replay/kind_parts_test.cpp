// Rows split by pool kind (KindParts; the replay's cells, replay/row_cells.hpp; docs/attribution.md
// §4): a row of one kind keeps no parts, a row of several keeps one per kind, its state at the
// live peak included; each group's parts add up to by_pool_kind. Footprints follow
// docs/model.md §1.2 for win7-x64: round16(n + 16), waste = the 16-byte header + the
// granularity rounding.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

#include "generate/scenarios.hpp"
#include "replay/engine.hpp"
#include "replay/pool_kind.hpp"
#include "replay/stack_rows.hpp"
#include "test_support.hpp"

namespace fragreplay::replay {
namespace {

constexpr auto kNx = static_cast<std::size_t>(PoolKindRow::kNonPagedNx);
constexpr auto kPaged = static_cast<std::size_t>(PoolKindRow::kPaged);

// Live footprint: 128, 256 (the peak, at time 2), 128, 208, 240.
const char* kTrace =
    "1,alloc,ExAllocatePoolWithTag,NonPagedPoolNx,Mixd,100,0x1000,,,,,,,p1,\n"  // 128
    "2,alloc,ExAllocatePoolWithTag,NonPagedPoolNx,Mixd,100,0x1100,,,,,,,p1,\n"  // 128
    "3,free,ExFreePoolWithTag,,Mixd,,0x1000,,,,,,,p1,\n"
    "4,alloc,ExAllocatePoolWithTag,PagedPool,Mixd,50,0x2000,,,,,,,p1,\n"   // 80
    "5,alloc,ExAllocatePoolWithTag,PagedPool,Only,10,0x3000,,,,,,,p2,\n";  // 32

Results replay(TimeWindow window = {}) {
  auto reader = trace::open_trace(trace::memory_source(testing::native_trace(kTrace), "k.csv"),
                                  trace::ReadOptions{trace::BadLinePolicy::kFail});
  model::Machine machine(model::builtin_profile("win7-x64"), {});
  ReplayOptions options;
  options.check_invariants = true;
  options.window = window;
  return replay_trace(*reader, machine, options);
}

std::size_t tag_row(const Results& r, const char* tag) {
  for (std::size_t i = 0; i < r.tags.size(); ++i)
    if (r.tags[i].to_string() == tag) return i;
  ADD_FAILURE() << "no tag " << tag;
  return 0;
}

// Σ_k part(row, k) = row for every row, and Σ_rows part(row, k) = by_pool_kind[k].
void expect_parts_add_up(const Results& r, std::span<const GroupStats> rows,
                         std::span<const KindParts> kinds, const char* group) {
  ASSERT_EQ(rows.size(), kinds.size()) << group;
  std::array<GroupStats, kPoolKindCount> by_kind{};
  for (std::size_t i = 0; i < rows.size(); ++i) {
    GroupStats whole;
    for (std::size_t k = 0; k < kPoolKindCount; ++k) {
      whole += kinds[i].part(rows[i], k);
      by_kind[k] += kinds[i].part(rows[i], k);
    }
    EXPECT_EQ(whole, rows[i]) << group << " row " << i;
  }
  for (std::size_t k = 0; k < kPoolKindCount; ++k)
    EXPECT_EQ(by_kind[k], r.by_pool_kind[k]) << group << " kind " << kPoolKindKeys[k];
}

TEST(KindParts, ARowSplitsWhenASecondKindComes) {
  const Results r = replay();
  const KindParts& mixd = r.tag_kinds[tag_row(r, "Mixd")];
  ASSERT_TRUE(mixd.mixed());
  const GroupStats& nx = mixd.parts[kNx];
  EXPECT_EQ(nx.allocations, 2u);
  EXPECT_EQ(nx.frees, 1u);
  EXPECT_EQ(nx.footprint.value, 256u);
  EXPECT_EQ(nx.waste.pool_header.value, 32u);
  EXPECT_EQ(nx.waste.granularity.value, 24u);
  EXPECT_EQ(nx.live_allocations, 1u);
  EXPECT_EQ(nx.live_footprint.value, 128u);
  const GroupStats& paged = mixd.parts[kPaged];
  EXPECT_EQ(paged.allocations, 1u);
  EXPECT_EQ(paged.requested.value, 50u);
  EXPECT_EQ(paged.footprint.value, 80u);
  EXPECT_EQ(paged.waste.granularity.value, 14u);
  // The Paged allocation came after the peak (time 2): the Nx part held the row's state then.
  EXPECT_EQ(r.peak.time_ns, 2u);
  EXPECT_EQ(nx.at_peak.allocations, 2u);
  EXPECT_EQ(nx.at_peak.footprint.value, 256u);
  EXPECT_EQ(nx.at_peak.waste.total().value, 56u);
  EXPECT_EQ(paged.at_peak, LiveState{});

  const KindParts& only = r.tag_kinds[tag_row(r, "Only")];
  EXPECT_FALSE(only.mixed());
  EXPECT_EQ(only.kind, kPaged);
  EXPECT_TRUE(only.parts.empty());

  const auto routine = static_cast<std::size_t>(trace::Routine::kExAllocatePoolWithTag);
  ASSERT_TRUE(r.routine_kinds[routine].mixed());
  EXPECT_EQ(r.routine_kinds[routine].parts[kPaged].footprint.value, 112u);  // 80 + 32
  ASSERT_EQ(r.processes.size(), 2u);
  EXPECT_TRUE(r.process_kinds[0].mixed()) << r.processes[0];
  EXPECT_EQ(r.process_kinds[1].kind, kPaged) << r.processes[1];

  expect_parts_add_up(r, r.by_tag, r.tag_kinds, "tag");
  expect_parts_add_up(r, r.by_routine, r.routine_kinds, "routine");
  expect_parts_add_up(r, r.by_process, r.process_kinds, "process");
  expect_parts_add_up(r, r.by_call_site, r.call_site_kinds, "call site");
}

// The window opens at time 4: the Nx part's counts before it go, its live allocation stays.
TEST(KindParts, TheWindowSubtractsPartByPart) {
  const Results r = replay(TimeWindow{4, TimeWindow::kOpenEnd});
  const KindParts& mixd = r.tag_kinds[tag_row(r, "Mixd")];
  ASSERT_TRUE(mixd.mixed());
  EXPECT_EQ(mixd.parts[kNx].allocations, 0u);
  EXPECT_EQ(mixd.parts[kNx].frees, 0u);
  EXPECT_EQ(mixd.parts[kNx].footprint.value, 0u);
  EXPECT_EQ(mixd.parts[kNx].live_allocations, 1u);
  EXPECT_EQ(mixd.parts[kPaged].allocations, 1u);
  expect_parts_add_up(r, r.by_tag, r.tag_kinds, "tag");
  expect_parts_add_up(r, r.by_process, r.process_kinds, "process");
}

GroupStats allocs(std::uint64_t n) {
  GroupStats g;
  g.allocations = n;
  g.footprint = Bytes{16 * n};
  return g;
}

TEST(KindParts, AddAndSubtract) {
  KindParts a;
  a.kind = kNx;
  KindParts same;
  same.kind = kNx;
  a.add(allocs(1), same, allocs(2));
  EXPECT_EQ(a.kind, kNx) << "one kind plus the same kind stays one kind";

  KindParts other;
  other.kind = kPaged;
  a.add(allocs(3), other, allocs(4));  // the row held 3, now 7
  ASSERT_TRUE(a.mixed());
  EXPECT_EQ(a.parts[kNx], allocs(3));
  EXPECT_EQ(a.parts[kPaged], allocs(4));

  a.subtract(other, allocs(4));
  EXPECT_EQ(a.kind, kNx) << "what is left is of one kind";
  EXPECT_TRUE(a.parts.empty());

  KindParts unseen;
  unseen.add(GroupStats{}, other, allocs(4));
  EXPECT_EQ(unseen.kind, kPaged);
}

}  // namespace
}  // namespace fragreplay::replay

namespace fragreplay::replay {
namespace {

KindParts one_kind(std::size_t k) {
  KindParts p;
  p.kind = static_cast<std::uint8_t>(k);
  return p;
}

// Two stacks of one tag with the same caller frame, one NonPagedNx (a), one Paged (b), and the
// tag's allocations without a stack (c, NonPagedNx): the caller's row and its module's are split
// like the stacks, and the stackless rest of the tag (its row less its stacks) is c's kind alone.
TEST(KindParts, CallersAndModulesTakeTheirStacksParts) {
  trace::CodeMap code;
  code.pointer_size = 8;
  code.modules.add(0xfffff88001000000, 0x200000, "tcpip.sys");
  const std::uint64_t caller = 0xfffff88001000040;
  const std::vector<std::uint64_t> s1{caller};
  const std::vector<std::uint64_t> s2{caller, 0xfffff88001000100};
  const trace::StackId id1 = code.stacks.intern(s1);
  const trace::StackId id2 = code.stacks.intern(s2);

  const GroupStats a = allocs(1), b = allocs(2), c = allocs(4);
  Results r;
  r.tags = {Tag{}};
  r.by_tag = {a};
  r.by_tag[0] += b;
  r.by_tag[0] += c;
  KindParts tag;
  tag.kind = static_cast<std::uint8_t>(kNx);
  tag.split(a);  // Nx: a
  tag.parts[kNx] += c;
  tag.parts[kPaged] = b;
  r.tag_kinds = {tag};
  r.call_sites = {CallSite{0, "", "", false, 0, 0}, CallSite{0, "", "", false, id1, 0},
                  CallSite{0, "", "", false, id2, 0}};
  r.by_call_site = {c, a, b};
  r.call_site_kinds = {one_kind(kNx), one_kind(kNx), one_kind(kPaged)};

  fold_stacks(r, &code, CallerRules{});
  ASSERT_EQ(r.call_sites.size(), 2u);
  EXPECT_EQ(r.call_sites[1].name, "tcpip.sys+0x40");
  ASSERT_TRUE(r.call_site_kinds[1].mixed());
  EXPECT_EQ(r.call_site_kinds[1].parts[kNx], a);
  EXPECT_EQ(r.call_site_kinds[1].parts[kPaged], b);
  EXPECT_EQ(r.call_site_kinds[0].kind, kNx);

  ASSERT_EQ(r.modules.size(), 2u);
  EXPECT_EQ(r.modules[0], "tcpip.sys");
  ASSERT_TRUE(r.module_kinds[0].mixed());
  EXPECT_EQ(r.module_kinds[0].parts[kNx], a);
  EXPECT_EQ(r.module_kinds[0].parts[kPaged], b);
  EXPECT_EQ(r.modules[1], "") << "the stackless rest of the tag, owned by nobody";
  EXPECT_EQ(r.by_module[1], c);
  EXPECT_EQ(r.module_kinds[1].kind, kNx);
  EXPECT_TRUE(r.module_kinds[1].parts.empty());
}

}  // namespace
}  // namespace fragreplay::replay

namespace fragreplay::replay {
namespace {

// Every generated scenario, replayed whole and with a window: every row's parts add up to it and
// every group's parts to by_pool_kind, the state at the live peak included.
TEST(KindParts, PartsAddUpOnEveryScenario) {
  std::size_t mixed_rows = 0;
  for (const generate::Scenario& scenario : generate::scenarios()) {
    char* text = nullptr;
    std::size_t size = 0;
    std::FILE* out = open_memstream(&text, &size);
    ASSERT_NE(out, nullptr);
    generate::generate(scenario, 20'000, 7, out);
    std::fclose(out);
    const std::string csv(text, size);
    std::free(text);
    auto replay_window = [&](TimeWindow window) {
      auto reader = trace::open_trace(trace::memory_source(csv, "g.csv"), trace::ReadOptions{});
      model::Machine machine(model::builtin_profile("win10-2004-x64"), {});
      ReplayOptions options;
      options.window = window;
      return replay_trace(*reader, machine, options);
    };
    const Results whole = replay_window({});
    const std::uint64_t middle = whole.first_time_ns / 2 + whole.last_time_ns / 2;
    for (const Results& r : {whole, replay_window(TimeWindow{middle, TimeWindow::kOpenEnd})}) {
      SCOPED_TRACE(std::string(scenario.name) + (r.window.active ? " windowed" : ""));
      expect_parts_add_up(r, r.by_tag, r.tag_kinds, "tag");
      expect_parts_add_up(r, r.by_routine, r.routine_kinds, "routine");
      expect_parts_add_up(r, r.by_process, r.process_kinds, "process");
      expect_parts_add_up(r, r.by_call_site, r.call_site_kinds, "call site");
      for (const KindParts& k : r.tag_kinds) mixed_rows += k.mixed() ? 1 : 0;
    }
  }
  EXPECT_GT(mixed_rows, 0u) << "some scenario has a tag in several pools";
}

}  // namespace
}  // namespace fragreplay::replay
