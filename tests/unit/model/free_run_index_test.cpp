// The free-run index: hand-built bit patterns with their statistics worked out by hand, the
// boundary rule of docs/model.md §5.3 (a run never contains both frame kb - 1 and kb),
// the run histogram of §8.2, and random operation sequences checked against a plain bit vector.
#include "model/physical/free_run_index.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <random>
#include <string>

namespace fragreplay::model {
namespace {

// An index of picture.size() frames: '.' free, '#' used.
FreeRunIndex from_picture(const std::string& picture) {
  FreeRunIndex x(picture.size());
  for (std::size_t f = 0; f < picture.size(); ++f) {
    if (picture[f] == '.') x.set_free(f);
  }
  x.check_invariants();
  return x;
}

TEST(FreeRunIndex, SummaryOfAHandBuiltMap) {
  //                                  0         1         2
  //                                  0123456789012345678901234
  const FreeRunIndex x = from_picture("...#.......##.#....#.....");
  // Runs: 0-2 (3 frames), 4-10 (7), 13 (1), 15-18 (4), 20-24 (5).
  const FreeRunIndex::Summary all = x.summarize(0, 25);
  EXPECT_EQ(all.count, 3u + 7 + 1 + 4 + 5);
  EXPECT_EQ(all.prefix, 3u);
  EXPECT_EQ(all.suffix, 5u);
  EXPECT_EQ(all.best, 7u);
  // Pieces: popcount of 3, 7, 1, 4, 5 = 2 + 3 + 1 + 1 + 2.
  EXPECT_EQ(all.pieces(), 9u);
  // A window cuts runs: [5, 16) holds 6 of the 7-run, frame 13, and frame 15.
  const FreeRunIndex::Summary w = x.summarize(5, 16);
  EXPECT_EQ(w.count, 8u);
  EXPECT_EQ(w.best, 6u);
  EXPECT_EQ(w.prefix, 6u);
  EXPECT_EQ(w.suffix, 1u);
  EXPECT_EQ(w.pieces(), 2u + 1 + 1);
  // Histogram (§8.2): 3 = 2+1, 7 = 4+2+1, 1, 4, 5 = 4+1.
  const auto& orders = x.order_counts();
  EXPECT_EQ(orders[0], 4u);
  EXPECT_EQ(orders[1], 2u);
  EXPECT_EQ(orders[2], 3u);
  EXPECT_EQ(orders[3], 0u);
}

TEST(FreeRunIndex, ExtentsAroundAFrame) {
  const FreeRunIndex x = from_picture("...#.......##.#....#.....");
  EXPECT_EQ(x.free_before(3), 3u);
  EXPECT_EQ(x.free_before(0), 0u);
  EXPECT_EQ(x.free_from(4), 7u);
  EXPECT_EQ(x.free_from(11), 0u);
  EXPECT_EQ(x.free_from(20), 5u) << "stops at the end of the frames";
  EXPECT_EQ(x.next_used(4, 25), 11u);
  EXPECT_EQ(x.next_free(11, 25), 13u);
  EXPECT_EQ(x.next_free(11, 13), 13u) << "none below the end: the end";
  EXPECT_EQ(x.next_used(20, 25), 25u);
}

// Runs longer than a word and extents that cross many words go through the tree.
TEST(FreeRunIndex, RunsAcrossWordsAndTreeLevels) {
  FreeRunIndex x(1000);
  x.set_range_free(10, 900);
  x.set_used(500);
  x.check_invariants();
  EXPECT_EQ(x.free_before(500), 490u);
  EXPECT_EQ(x.free_from(501), 409u);
  EXPECT_EQ(x.summarize(0, 1000).best, 490u);
  EXPECT_EQ(x.find(0, 1000, 400, 0, true), 10u);
  EXPECT_EQ(x.find(0, 1000, 400, 0, false), 510u) << "the highest start: 910 - 400";
  EXPECT_EQ(x.find(0, 1000, 491, 0, true), std::nullopt);
  // 490 = 256+128+64+32+8+2 and 409 = 256+128+16+8+1.
  const auto& o = x.order_counts();
  EXPECT_EQ((std::vector<std::uint64_t>{o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[7], o[8]}),
            (std::vector<std::uint64_t>{1, 1, 0, 2, 1, 1, 1, 2, 2}));
}

// §5.3 boundary: with boundary 8 a 4-frame run may not hold frames 7 and 8 together; a run may end
// exactly on a multiple (frames 4..7) or start on one (8..11).
TEST(FreeRunIndex, BoundaryAtExactMultiples) {
  const FreeRunIndex x = from_picture("######..........##");  // frames 6..15 free
  EXPECT_EQ(x.find(0, 18, 4, 8, true), 8u) << "6 or 7 would cross 8";
  EXPECT_EQ(x.find(0, 18, 2, 8, true), 6u) << "6..7 ends exactly at the multiple";
  EXPECT_EQ(x.find(0, 18, 4, 8, false), 12u) << "the highest start inside 8..15";
  EXPECT_EQ(x.find(0, 18, 8, 8, true), 8u) << "a whole boundary block";
  EXPECT_EQ(x.find(0, 18, 9, 8, true), std::nullopt) << "longer than the boundary block";
  EXPECT_EQ(x.find(0, 18, 9, 0, true), 6u) << "no boundary: the run may cross";
  // A window that ends mid-run.
  EXPECT_EQ(x.find(0, 11, 4, 0, false), 7u);
  EXPECT_EQ(x.find(9, 18, 4, 0, true), 9u);
}

// free_run_from: the next free run in one call; far answers (more than 8 words away) come from
// the tree, near ones from the words.
TEST(FreeRunIndex, NextFreeRunNearAndFar) {
  FreeRunIndex x(5000);
  x.set_range_free(10, 5);
  x.set_range_free(4000, 100);
  using Run = std::pair<std::uint64_t, std::uint64_t>;
  EXPECT_EQ(x.free_run_from(0, 5000), (Run{10, 15}));
  EXPECT_EQ(x.free_run_from(12, 5000), (Run{12, 15})) << "from inside a run: its rest";
  EXPECT_EQ(x.free_run_from(15, 5000), (Run{4000, 4100})) << "62 used words away";
  EXPECT_EQ(x.free_run_from(15, 4050), (Run{4000, 4050})) << "cut by the end";
  EXPECT_EQ(x.free_run_from(15, 3999), (Run{3999, 3999})) << "none: {end, end}";
  EXPECT_EQ(x.free_run_from(4100, 6000), (Run{5000, 5000})) << "end clipped to the frames";
  x.set_range_free(100, 3000);
  EXPECT_EQ(x.free_run_from(15, 5000), (Run{100, 3100})) << "a run 47 words long";
}

// Boundaries larger than a word and runs that straddle them, across tree nodes.
TEST(FreeRunIndex, BoundaryAboveTheWordSize) {
  FreeRunIndex x(4096);
  x.set_range_free(1000, 100);  // 1000..1099 straddles 1024
  x.set_range_free(2000, 60);   // 2000..2059 straddles 2048
  x.check_invariants();
  // 40 frames within one 1024-block: 1000..1023 holds only 24; 1024..1099 holds 76.
  EXPECT_EQ(x.find(0, 4096, 40, 1024, true), 1024u);
  EXPECT_EQ(x.find(0, 4096, 40, 1024, false), 2008u) << "2000..2047 lies in block 1024..2047";
  EXPECT_EQ(x.find(0, 2000, 40, 1024, false), 1060u);
  // With boundary 128: blocks 896..1023 (24 free), 1024..1151 (76 free), 1920..2047 (48 free),
  // 2048..2175 (12 free).
  EXPECT_EQ(x.find(0, 4096, 48, 128, false), 2000u);
  EXPECT_EQ(x.find(0, 4096, 77, 128, true), std::nullopt);
  EXPECT_EQ(x.find(1500, 4096, 40, 128, true), 2000u);
}

// Every answer of the index equals the one a frame-by-frame scan gives, on random sequences of
// frees and allocations of random runs, with random windows, sizes, boundaries and directions.
TEST(FreeRunIndex, AgreesWithAPlainScanOnRandomSequences) {
  std::mt19937_64 rng(20240611);
  for (int round = 0; round < 20; ++round) {
    const std::uint64_t frames = 1 + rng() % 2500;
    FreeRunIndex x(frames);
    std::vector<bool> bits(frames, false);
    auto scan_find = [&](std::uint64_t lo, std::uint64_t end, std::uint64_t n, std::uint64_t b,
                         bool up) -> std::optional<std::uint64_t> {
      std::optional<std::uint64_t> best;
      for (std::uint64_t s = lo; s + n <= end; ++s) {
        if (b != 0 && ((s ^ (s + n - 1)) & ~(b - 1)) != 0) continue;
        bool ok = true;
        for (std::uint64_t f = s; f < s + n && ok; ++f) ok = bits[f];
        if (!ok) continue;
        if (up) return s;
        best = s;
      }
      return best;
    };
    for (int step = 0; step < 80; ++step) {
      // A random range flipped to one state where it is entirely in the other.
      const std::uint64_t first = rng() % frames;
      const std::uint64_t len = 1 + rng() % std::min<std::uint64_t>(200, frames - first);
      const bool want_free = rng() % 3 != 0;
      bool uniform = true;
      for (std::uint64_t f = first; f < first + len; ++f) uniform &= bits[f] != want_free;
      if (uniform) {
        if (want_free) {
          len == 1 ? x.set_free(first) : x.set_range_free(first, len);
        } else {
          len == 1 ? x.set_used(first) : x.set_range_used(first, len);
        }
        for (std::uint64_t f = first; f < first + len; ++f) bits[f] = want_free;
      }
      for (int q = 0; q < 6; ++q) {
        const std::uint64_t lo = rng() % frames;
        const std::uint64_t end = lo + 1 + rng() % (frames - lo);
        const std::uint64_t n = 1 + rng() % 80;
        const std::uint64_t b = rng() % 3 == 0 ? 0 : std::uint64_t{1} << (rng() % 10);
        const bool up = rng() % 2 == 0;
        const auto want = (b != 0 && n > b) ? std::nullopt : scan_find(lo, end, n, b, up);
        ASSERT_EQ(x.find(lo, end, n, b, up), want)
            << "frames " << frames << " window [" << lo << ", " << end << ") n " << n << " b " << b
            << (up ? " up" : " down");
        std::uint64_t count = 0, best = 0, run = 0, pieces = 0;
        for (std::uint64_t f = lo; f <= end; ++f) {
          if (f < end && bits[f]) {
            ++count;
            best = std::max(best, ++run);
          } else {
            pieces += static_cast<std::uint64_t>(std::popcount(run));
            run = 0;
          }
        }
        const FreeRunIndex::Summary s = x.summarize(lo, end);
        ASSERT_EQ(s.count, count);
        ASSERT_EQ(s.best, best);
        ASSERT_EQ(s.pieces(), pieces);
        const std::uint64_t f = rng() % frames;
        std::uint64_t before = 0, from = 0;
        while (before < f && bits[f - 1 - before]) ++before;
        while (f + from < frames && bits[f + from]) ++from;
        ASSERT_EQ(x.free_before(f), before);
        ASSERT_EQ(x.free_from(f), from);
        std::uint64_t nf = f, nu = f;
        while (nf < end && !bits[nf]) ++nf;
        while (nu < end && bits[nu]) ++nu;
        if (f < end) {
          ASSERT_EQ(x.next_free(f, end), nf);
          ASSERT_EQ(x.next_used(f, end), nu);
          std::uint64_t stop = nf;
          while (stop < end && bits[stop]) ++stop;
          ASSERT_EQ(x.free_run_from(f, end), std::make_pair(nf, stop));
        }
      }
      x.check_invariants();
    }
    x.check_invariants();
  }
}

// Changes wait for the next query (free_run_index.hpp, "Lazy"): two frames taken out of one free
// run of 640 frames, in words 1 and 6 with four whole free words between them, are counted
// correctly once asked. Runs after: 0..99 (100 = 64+32+4), 101..399 (299 = 256+32+8+2+1) and
// 401..639 (239 = 128+64+32+8+4+2+1), the §8.2 histogram of their pieces.
TEST(FreeRunIndex, ChangesWaitForTheNextQuery) {
  FreeRunIndex x(640);
  x.set_range_free(0, 640);
  EXPECT_EQ(x.tree_pending_words(), 10u);
  const auto counts = [&x] {
    const auto& o = x.order_counts();
    return std::vector<std::uint64_t>(o.begin(), o.begin() + 10);
  };
  const auto first = counts();
  EXPECT_EQ(x.tree_pending_words(), 0u);
  EXPECT_EQ(first, (std::vector<std::uint64_t>{0, 0, 0, 0, 0, 0, 0, 1, 0, 1})) << "640 = 512 + 128";
  x.set_used(100);
  x.set_used(400);
  EXPECT_EQ(x.tree_pending_words(), 2u);
  x.check_invariants();
  EXPECT_EQ(x.tree_pending_words(), 2u) << "checking works on a copy: the changes stay pending";
  EXPECT_EQ(x.orders_pending_words(), 2u);
  EXPECT_EQ(x.free_count(), 638u);
  EXPECT_TRUE(x.is_free(99));
  EXPECT_FALSE(x.is_free(100));
  EXPECT_EQ(counts(), (std::vector<std::uint64_t>{2, 2, 2, 2, 0, 3, 2, 1, 1, 0}));
  EXPECT_EQ(x.tree_pending_words(), 0u);
  EXPECT_EQ(x.summarize(0, 640).best, 299u);
  x.set_free(400);
  x.set_free(100);
  EXPECT_EQ(x.free_before(640), 640u) << "the extents bring the tree up to date too";
  EXPECT_EQ(x.tree_pending_words(), 0u);
  EXPECT_EQ(x.orders_pending_words(), 2u) << "the histogram waits for order_counts()";
  EXPECT_EQ(counts(), (std::vector<std::uint64_t>{0, 0, 0, 0, 0, 0, 0, 1, 0, 1}));
  x.check_invariants();
}

// Many changes pile up between queries (words changed several times, neighbours, long gaps): the
// histogram and the tree then agree with a recount of a plain bit vector.
TEST(FreeRunIndex, PiledUpChangesAgreeWithARecount) {
  std::mt19937_64 rng(20261122);
  for (int round = 0; round < 30; ++round) {
    const std::uint64_t frames = 1 + rng() % 5000;
    FreeRunIndex x(frames);
    std::vector<bool> bits(frames, false);
    for (int batch = 0; batch < 12; ++batch) {
      const int changes = 1 + static_cast<int>(rng() % 60);
      for (int c = 0; c < changes; ++c) {
        const std::uint64_t first = rng() % frames;
        const std::uint64_t len =
            1 + rng() % std::min<std::uint64_t>(rng() % 4 == 0 ? 700 : 3, frames - first);
        const bool want_free = rng() % 3 != 0;
        bool uniform = true;
        for (std::uint64_t f = first; f < first + len; ++f) uniform &= bits[f] != want_free;
        if (!uniform) continue;
        want_free ? x.set_range_free(first, len) : x.set_range_used(first, len);
        for (std::uint64_t f = first; f < first + len; ++f) bits[f] = want_free;
      }
      x.check_invariants();
      std::array<std::uint64_t, FreeRunIndex::kMaxOrders> want{};
      std::uint64_t run = 0, best = 0;
      for (std::uint64_t f = 0; f <= frames; ++f) {
        if (f < frames && bits[f]) {
          best = std::max(best, ++run);
          continue;
        }
        for (std::uint64_t r = run; r != 0; r &= r - 1)
          ++want[static_cast<std::size_t>(std::countr_zero(r))];
        run = 0;
      }
      ASSERT_EQ(x.order_counts(), want) << "frames " << frames << " batch " << batch;
      ASSERT_EQ(x.summarize(0, frames).best, best);
      ASSERT_EQ(x.tree_pending_words(), 0u);
      ASSERT_EQ(x.orders_pending_words(), 0u);
    }
  }
}

}  // namespace
}  // namespace fragreplay::model
