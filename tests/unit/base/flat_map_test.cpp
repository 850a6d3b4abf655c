// FlatMap against std::unordered_map on random operations: same contents every step, and the
// probing invariant holds after every erase (backward shift leaves no gaps).
#include "base/flat_map.hpp"

#include <gtest/gtest.h>

#include <random>
#include <unordered_map>

namespace fragreplay {
namespace {

TEST(FlatMap, MatchesUnorderedMapOnRandomOperations) {
  std::mt19937_64 rng(42);
  FlatMap<std::uint64_t> map;
  std::unordered_map<std::uint64_t, std::uint64_t> ref;
  for (int step = 0; step < 20000; ++step) {
    const std::uint64_t key = rng() % 512;  // small key space: many collisions and re-inserts
    if (rng() % 3 == 0) {
      EXPECT_EQ(map.erase(key), ref.erase(key) == 1);
    } else if (ref.count(key) == 0) {
      map.insert(key, key * 7);
      ref[key] = key * 7;
    }
    if (step % 97 == 0) map.check_invariants();
  }
  map.check_invariants();
  EXPECT_EQ(map.size(), ref.size());
  for (const auto& [k, v] : ref) {
    ASSERT_NE(map.find(k), nullptr);
    EXPECT_EQ(*map.find(k), v);
  }
  std::size_t seen = 0;
  map.for_each([&](std::uint64_t k, std::uint64_t v) {
    ++seen;
    EXPECT_EQ(ref.at(k), v);
  });
  EXPECT_EQ(seen, ref.size());
}

TEST(FlatMap, GrowsPastItsInitialCapacity) {
  FlatMap<int> map(16);
  for (std::uint64_t k = 0; k < 1000; ++k) map.insert(k * 4096, static_cast<int>(k));
  EXPECT_EQ(map.size(), 1000u);
  // At most half full: 1,000 keys need 2,048 slots (the capacity doubles from 16).
  EXPECT_EQ(map.capacity(), 2048u);
  EXPECT_EQ(*map.find(999 * 4096), 999);
  map.check_invariants();
}

}  // namespace
}  // namespace fragreplay
