// FlatMap in both slot layouts against std::unordered_map on random operations: same contents
// every step, and the probing invariant holds after every erase and take (backward shift leaves
// no gaps).
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

// The same operations on both slot layouts, take() among them.
template <typename Map>
void check_against_unordered_map(Map& map, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::unordered_map<std::uint64_t, std::uint64_t> ref;
  for (int step = 0; step < 20000; ++step) {
    const std::uint64_t key = rng() % 512;
    const unsigned op = static_cast<unsigned>(rng() % 6);
    if (op == 0) {
      EXPECT_EQ(map.erase(key), ref.erase(key) == 1);
    } else if (op == 1) {
      std::uint64_t out = 12345;
      const auto it = ref.find(key);
      ASSERT_EQ(map.take(key, out), it != ref.end());
      if (it != ref.end()) {
        EXPECT_EQ(out, it->second);
        ref.erase(it);
      } else {
        EXPECT_EQ(out, 12345u);  // untouched on a miss
      }
    } else if (ref.count(key) == 0) {
      map.insert(key, key * 7 + 1);
      ref[key] = key * 7 + 1;
    }
    if (step % 97 == 0) map.check_invariants();
  }
  map.check_invariants();
  EXPECT_EQ(map.size(), ref.size());
  for (const auto& [k, v] : ref) {
    ASSERT_NE(map.find(k), nullptr);
    EXPECT_EQ(*map.find(k), v);
  }
}

TEST(FlatMap, TakeMatchesUnorderedMapInBothLayouts) {
  FlatMap<std::uint64_t> split;
  check_against_unordered_map(split, 7);
  SlotMap<std::uint64_t> joined;
  check_against_unordered_map(joined, 7);
}

TEST(SlotMap, GrowsAndClears) {
  struct Value {
    std::uint64_t a = 0;
    std::uint32_t b = 0;
  };
  SlotMap<Value> map(16);
  for (std::uint64_t k = 0; k < 1000; ++k)
    map.insert(k * 4096, Value{k, static_cast<std::uint32_t>(k)});
  EXPECT_EQ(map.capacity(), 2048u);
  map.check_invariants();
  ASSERT_NE(map.find(999 * 4096), nullptr);
  EXPECT_EQ(map.find(999 * 4096)->a, 999u);
  // Erasing every other key leaves no gap a probe would stop at.
  for (std::uint64_t k = 0; k < 1000; k += 2) EXPECT_TRUE(map.erase(k * 4096));
  map.check_invariants();
  for (std::uint64_t k = 1; k < 1000; k += 2) ASSERT_NE(map.find(k * 4096), nullptr) << k;
  map.clear();
  EXPECT_TRUE(map.empty());
  EXPECT_EQ(map.find(4096), nullptr);
  map.check_invariants();
}

}  // namespace
}  // namespace fragreplay
