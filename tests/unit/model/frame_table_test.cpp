// FrameTable: the page -> frame table of the pool's expansion area. Worked examples of its block
// bookkeeping, then random runs of mappings and unmappings checked against a std::map.
#include "model/pool/frame_table.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <stdexcept>
#include <vector>

namespace fragreplay::model {
namespace {

constexpr std::uint64_t kBlock = FrameTable::kBlockPages;

std::vector<std::uint32_t> frames_of(const FrameTable& t, std::uint64_t first, std::uint64_t n) {
  std::vector<std::uint32_t> out;
  t.for_each(first, n, [&](std::uint32_t f) {
    out.push_back(f);
    return true;
  });
  return out;
}

// Blocks are counted from the base, not from page 0: with base 1000, pages 1000..1000+511 are one
// block. A run across a block edge takes two; a block whose pages are all unmapped goes, and the
// directory's dead front is cut.
TEST(FrameTable, BlocksFromTheBaseAndDroppedWhenEmpty) {
  FrameTable t(1000);
  EXPECT_EQ(t.find(1000), FrameTable::kUnmapped);
  EXPECT_EQ(t.find(999), FrameTable::kUnmapped) << "below the base";
  std::uint32_t next = 7;
  t.insert_run(1000, kBlock, [&] { return next++; });
  EXPECT_EQ(t.blocks(), 1u);
  EXPECT_EQ(t.find(1000), 7u);
  EXPECT_EQ(t.find(1000 + kBlock - 1), 7u + kBlock - 1);
  t.insert_run(1000 + kBlock, 3, [&] { return next++; });
  EXPECT_EQ(t.blocks(), 2u);
  EXPECT_EQ(t.size(), kBlock + 3);
  t.check_invariants();

  std::vector<std::uint32_t> released;
  t.erase_run(1000, kBlock, [&](std::uint32_t f) { released.push_back(f); });
  EXPECT_EQ(released.size(), kBlock);
  EXPECT_EQ(released.front(), 7u);
  EXPECT_EQ(released.back(), 7u + kBlock - 1) << "in page order";
  EXPECT_EQ(t.blocks(), 1u);
  EXPECT_EQ(t.directory_size(), 1u) << "the dead front (one of two entries) is cut";
  EXPECT_EQ(t.find(1000), FrameTable::kUnmapped);
  EXPECT_EQ(t.find(1000 + kBlock + 2), 7u + kBlock + 2);
  t.check_invariants();
  EXPECT_EQ(t.erase(1000 + kBlock + 1), 7u + kBlock + 1);
  EXPECT_EQ(frames_of(t, 1000 + kBlock, 3),
            (std::vector<std::uint32_t>{7u + kBlock, FrameTable::kUnmapped, 7u + kBlock + 2}));
  t.check_invariants();
}

TEST(FrameTable, MisuseThrows) {
  FrameTable t(0);
  t.insert(5, 50);
  EXPECT_THROW(t.insert(5, 51), std::logic_error);
  EXPECT_THROW(t.erase(6), std::logic_error);
  EXPECT_THROW(t.erase(kBlock * 3), std::logic_error) << "a block never mapped";
  EXPECT_EQ(t.erase(5), 50u);
  EXPECT_THROW(t.erase(5), std::logic_error);
  EXPECT_EQ(t.size(), 0u);
  t.check_invariants();
}

// for_each stops where f says so.
TEST(FrameTable, ForEachStops) {
  FrameTable t(0);
  std::uint32_t next = 100;
  t.insert_run(kBlock - 2, 4, [&] { return next++; });
  std::vector<std::uint32_t> seen;
  EXPECT_FALSE(t.for_each(kBlock - 2, 4, [&](std::uint32_t f) {
    seen.push_back(f);
    return f != 102;
  }));
  EXPECT_EQ(seen, (std::vector<std::uint32_t>{100, 101, 102})) << "across the block edge";
}

// Pages mapped upward in runs (as the pool expands) and unmapped in random pieces, with some runs
// left mapped for long: every lookup, walk and size agrees with a std::map, after every step.
TEST(FrameTable, AgreesWithAMapUnderRandomUse) {
  std::mt19937_64 rng(8);
  for (int round = 0; round < 4; ++round) {
    const std::uint64_t base = 1 + rng() % 5000;
    FrameTable t(base);
    std::map<std::uint64_t, std::uint32_t> ref;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> live;  // mapped runs
    std::uint64_t frontier = base;
    std::uint32_t next = 0;
    for (int step = 0; step < 800; ++step) {
      const auto op = rng() % 10;
      if (op < 5 || live.empty()) {
        const std::uint64_t n = 1 + rng() % (op == 0 ? 700 : 40);
        std::uint32_t k = 0;
        t.insert_run(frontier, n, [&] { return next + k++; });
        for (std::uint64_t i = 0; i < n; ++i) {
          ref[frontier + i] = next + static_cast<std::uint32_t>(i);
        }
        next += static_cast<std::uint32_t>(n);
        live.emplace_back(frontier, n);
        frontier += n + rng() % 3;  // sometimes a gap, as when addresses are skipped
      } else {
        const std::size_t k = rng() % live.size();
        auto [first, n] = live[k];
        // Unmap a front piece of the run (or all of it), as the pool frees whole allocations and
        // MiFindContiguousMemoryInPool splits runs.
        const std::uint64_t m = op < 8 ? n : 1 + rng() % n;
        std::vector<std::uint32_t> got;
        t.erase_run(first, m, [&](std::uint32_t f) { got.push_back(f); });
        for (std::uint64_t i = 0; i < m; ++i) {
          ASSERT_EQ(got[i], ref.at(first + i));
          ref.erase(first + i);
        }
        if (m == n) {
          live.erase(live.begin() + static_cast<std::ptrdiff_t>(k));
        } else {
          live[k] = {first + m, n - m};
        }
      }
      t.check_invariants();
      ASSERT_EQ(t.size(), ref.size());
      // Probe pages around the live runs and the frontier.
      for (int probe = 0; probe < 8; ++probe) {
        const std::uint64_t p = base + rng() % (frontier - base + 2);
        const auto it = ref.find(p);
        ASSERT_EQ(t.find(p), it == ref.end() ? FrameTable::kUnmapped : it->second);
      }
      if (!live.empty()) {
        const auto [first, n] = live[rng() % live.size()];
        const std::vector<std::uint32_t> walked = frames_of(t, first, n);
        for (std::uint64_t i = 0; i < n; ++i) ASSERT_EQ(walked[i], ref.at(first + i));
      }
    }
    // With nothing left mapped at the front, the directory holds little more than the blocks.
    ASSERT_LE(t.directory_size(), 2 * (frontier - base) / kBlock + 2);
  }
}

// Runs mapped and unmapped in turn, as the MmCm round trip does, keep one block and a short
// directory however far the addresses go.
TEST(FrameTable, RoundTripsStaySmall) {
  FrameTable t(0);
  std::uint64_t frontier = 0;
  for (int i = 0; i < 4000; ++i) {
    t.insert_run(frontier, 300, [] { return 1u; });
    t.erase_run(frontier, 300, [](std::uint32_t) {});
    frontier += 300;
  }
  EXPECT_EQ(t.size(), 0u);
  EXPECT_LE(t.directory_size(), 1u);
  const std::uint64_t pinned = frontier;
  t.insert(pinned, 9);  // one long-lived page
  for (int i = 0; i < 4000; ++i) {
    frontier += 1000;
    t.insert_run(frontier, 300, [] { return 1u; });
    t.erase_run(frontier, 300, [](std::uint32_t) {});
  }
  EXPECT_EQ(t.blocks(), 1u) << "only the pinned page's block";
  EXPECT_EQ(t.find(pinned), 9u);
  t.check_invariants();
}

}  // namespace
}  // namespace fragreplay::model
