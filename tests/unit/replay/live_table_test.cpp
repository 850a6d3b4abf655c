// LiveTable against std::unordered_map on random operations, with the reserved address and
// records too wide to pack among them: take() gives back exactly what insert() was given, and
// the invariants hold after every step.
#include "replay/live_table.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <random>
#include <unordered_map>

namespace fragreplay::replay {
namespace {

constexpr std::uint64_t kAllOnes = std::numeric_limits<std::uint64_t>::max();

LiveRecord record(std::uint64_t requested, model::Waste waste) {
  LiveRecord r;
  r.handle = 0xFFFFA80000001010ull + requested;
  r.requested = requested;
  r.waste = waste;
  r.footprint = requested + waste.total().value;
  r.tag_index = 3;
  r.process_index = 5;
  r.call_site_index = 7;
  r.routine = trace::Routine::kMmAllocateContiguousMemory;
  r.kind_row = 3;  // PoolKindRow::kPaged
  return r;
}

TEST(LiveTable, PacksARecordThatFitsAndGivesItBack) {
  LiveTable t;
  const LiveRecord r = record(100, {Bytes{16}, Bytes{12}, Bytes{0}});
  t.insert(0x1000, r);
  EXPECT_TRUE(t.contains(0x1000));
  EXPECT_EQ(t.wide_count(), 0u);
  t.check_invariants();
  EXPECT_EQ(t.take(0x1000), r);
  EXPECT_FALSE(t.take(0x1000).has_value());
  EXPECT_EQ(t.size(), 0u);
}

TEST(LiveTable, KeepsSizesThatDoNotFitInTheSideTable) {
  LiveTable t;
  const std::uint64_t huge = (std::uint64_t{1} << 47) + 3;
  std::vector<LiveRecord> wide = {
      record(huge, {Bytes{0}, Bytes{0}, Bytes{4093}}),     // requested above 32 bits
      record(4096, {Bytes{256}, Bytes{0}, Bytes{0}}),      // header above 8 bits
      record(70000, {Bytes{16}, Bytes{65536}, Bytes{0}}),  // granularity above 16 bits
      record(70000, {Bytes{0}, Bytes{0}, Bytes{std::uint64_t{1} << 20}}),  // sub-page above 16 bits
      record(kAllOnes, {Bytes{0}, Bytes{0}, Bytes{0}}),                    // the largest request
  };
  LiveRecord odd = record(100, {Bytes{16}, Bytes{12}, Bytes{0}});
  odd.footprint = 1;  // footprint not requested + waste: kept as given
  wide.push_back(odd);
  LiveRecord wraps = record(kAllOnes - 1, {Bytes{16}, Bytes{0}, Bytes{0}});  // sum wraps
  wide.push_back(wraps);
  for (std::size_t i = 0; i < wide.size(); ++i) t.insert(0x1000 * (i + 1), wide[i]);
  t.insert(0x900000, record(8, {Bytes{16}, Bytes{8}, Bytes{0}}));
  EXPECT_EQ(t.wide_count(), wide.size());
  t.check_invariants();
  std::size_t seen = 0;
  t.for_each([&](std::uint64_t a, const LiveRecord& r) {
    if (a != 0x900000) {
      EXPECT_EQ(r, wide[a / 0x1000 - 1]);
    }
    ++seen;
  });
  EXPECT_EQ(seen, wide.size() + 1);
  for (std::size_t i = 0; i < wide.size(); ++i) {
    EXPECT_EQ(t.take(0x1000 * (i + 1)), wide[i]) << i;
    t.check_invariants();
  }
  EXPECT_EQ(t.wide_count(), 0u);
  EXPECT_EQ(t.size(), 1u);
}

TEST(LiveTable, HoldsTheAllOnesAddress) {
  LiveTable t;
  LiveRecord r = record(kAllOnes, {Bytes{0}, Bytes{0}, Bytes{0}});
  r.rundown = true;
  EXPECT_FALSE(t.contains(kAllOnes));
  t.insert(kAllOnes, r);
  EXPECT_TRUE(t.contains(kAllOnes));
  EXPECT_EQ(t.size(), 1u);
  t.check_invariants();
  EXPECT_EQ(t.take(kAllOnes), r);
  EXPECT_FALSE(t.contains(kAllOnes));
  EXPECT_EQ(t.size(), 0u);
}

TEST(LiveTable, MatchesUnorderedMapOnRandomOperations) {
  std::mt19937_64 rng(17);
  LiveTable t;
  std::unordered_map<std::uint64_t, LiveRecord> ref;
  for (int step = 0; step < 30000; ++step) {
    // A small address space (collisions, re-inserts) and the reserved address now and then.
    const std::uint64_t address = rng() % 64 == 0 ? kAllOnes : (rng() % 2048) * 16;
    if (rng() % 3 == 0) {
      const auto it = ref.find(address);
      const std::optional<LiveRecord> got = t.take(address);
      ASSERT_EQ(got.has_value(), it != ref.end());
      if (got) {
        EXPECT_EQ(*got, it->second);
        ref.erase(it);
      }
    } else if (ref.count(address) == 0) {
      // One in eight too wide to pack.
      const std::uint64_t requested =
          rng() % 8 == 0 ? (rng() | (std::uint64_t{1} << 40)) : rng() % 5000;
      LiveRecord r = record(requested, {Bytes{rng() % 48}, Bytes{rng() % 16}, Bytes{rng() % 4096}});
      r.rundown = rng() % 2 == 0;
      r.tag_index = static_cast<std::uint32_t>(rng());
      t.insert(address, r);
      ref[address] = r;
    }
    ASSERT_EQ(t.size(), ref.size());
    if (step % 101 == 0) t.check_invariants();
  }
  t.check_invariants();
  for (const auto& [a, r] : ref) {
    EXPECT_TRUE(t.contains(a));
  }
  std::size_t seen = 0;
  t.for_each([&](std::uint64_t a, const LiveRecord& r) {
    ++seen;
    EXPECT_EQ(ref.at(a), r);
  });
  EXPECT_EQ(seen, ref.size());
}

}  // namespace
}  // namespace fragreplay::replay
