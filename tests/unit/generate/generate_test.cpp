// `generate`: the scenarios are deterministic by seed, write exactly the events asked for, and
// every trace they write reads back and replays cleanly (every free names a live allocation).
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "generate/rng.hpp"
#include "generate/scenarios.hpp"
#include "model/machine.hpp"
#include "replay/engine.hpp"
#include "trace/trace_reader.hpp"

namespace fragreplay::generate {
namespace {

std::string generate_text(std::string_view scenario, std::uint64_t events, std::uint64_t seed) {
  const Scenario* s = find_scenario(scenario);
  EXPECT_NE(s, nullptr) << scenario;
  std::FILE* f = std::tmpfile();
  generate(*s, events, seed, f);
  std::string text;
  std::rewind(f);
  char buf[65536];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
  std::fclose(f);
  return text;
}

TEST(Rng, IsSplitMix64) {
  // SplitMix64's published first outputs for seed 0 (Vigna's reference implementation).
  Rng rng(0);
  EXPECT_EQ(rng.next(), 0xE220A8397B1DCDAFull);
  EXPECT_EQ(rng.next(), 0x6E789E6AA1B965F4ull);
  EXPECT_EQ(rng.next(), 0x06C45D188009454Full);
}

TEST(Rng, BetweenStaysInRange) {
  Rng rng(7);
  for (int i = 0; i < 10000; ++i) {
    const auto v = rng.between(3, 5);
    ASSERT_GE(v, 3u);
    ASSERT_LE(v, 5u);
  }
}

class ScenarioTest : public ::testing::TestWithParam<std::string_view> {};

TEST_P(ScenarioTest, SameSeedSameBytesOtherSeedOtherTrace) {
  const std::string a = generate_text(GetParam(), 3000, 42);
  const std::string b = generate_text(GetParam(), 3000, 42);
  const std::string c = generate_text(GetParam(), 3000, 43);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

TEST_P(ScenarioTest, WritesExactlyTheEventsAskedForAndReplaysCleanly) {
  for (const std::uint64_t events : {0ull, 1ull, 17ull, 4000ull}) {
    const std::string text = generate_text(GetParam(), events, 5);
    auto reader = trace::open_trace(trace::memory_source(text, "g.csv"), trace::ReadOptions{});
    // 64 MiB keeps the invariant checks (O(frames) per event) quick.
    // The storage driver calls ExAllocatePool2, which exists from Windows 10 2004 (MS docs
    // nf-wdm-exallocatepool2): replayed where it exists, it raises no data-quality note.
    const model::Profile& profile = model::builtin_profile(
        GetParam() == std::string("storage-driver") ? "win10-2004-x64" : "win7-x64");
    model::MachineConfig config;
    config.ram = model::pc_ram_map(Bytes{64u << 20}, profile.page_size);
    model::Machine machine(profile, config);
    replay::ReplayOptions options;
    options.check_invariants = events < 100;  // every event of the short traces
    const replay::Results r = replay::replay_trace(*reader, machine, options);
    EXPECT_EQ(r.events, events) << GetParam();
    EXPECT_EQ(r.data_quality.bad_lines, 0u);
    for (unsigned k = 0; k < replay::kAnomalyCount; ++k) {
      EXPECT_EQ(r.data_quality.anomalies[k].count, 0u)
          << GetParam() << " " << replay::anomaly_name(static_cast<replay::Anomaly>(k));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Scenarios, ScenarioTest,
                         ::testing::Values("network-driver", "storage-driver", "long-running",
                                           "anti-patterns"));

TEST(Scenarios, EveryScenarioIsListedAndFound) {
  EXPECT_EQ(scenarios().size(), 4u);
  for (const auto& s : scenarios()) EXPECT_EQ(find_scenario(s.name), &s);
  EXPECT_EQ(find_scenario("nope"), nullptr);
}

}  // namespace
}  // namespace fragreplay::generate
