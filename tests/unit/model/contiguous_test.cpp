// The contiguous search on the free-run index against the frame-by-frame reference of
// docs/model.md §5.3 (naive_contiguous.hpp) on random machines and operation sequences,
// cache-type conflicts, and the explanation of failures (§8.2 fragmentation index, the closest
// placement and its blockers, frames that pin free runs), with values worked out by hand.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>

#include "model/physical/physical_memory.hpp"
#include "naive_contiguous.hpp"
#include "naive_pinned.hpp"

namespace fragreplay::model {
namespace {

constexpr PageSize k4K{12};

ContiguousRequest request(std::uint64_t pages, std::uint64_t lo, std::uint64_t hi,
                          std::uint64_t boundary = 0, ScanDirection d = ScanDirection::kAscending,
                          std::uint8_t cache = 1) {
  return ContiguousRequest{
      PageCount{pages}, Pfn{lo}, Pfn{hi}, PageCount{boundary}, static_cast<CachingType>(cache), d};
}

// Random RAM maps with holes, colours and must-be-cached ranges; random contiguous, MDL and single
// page allocations and frees; after every step the index answers every random request exactly as
// the reference scan does, and every invariant holds.
TEST(Contiguous, IndexAgreesWithTheReferenceScan) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 12; ++round) {
    std::vector<RamRange> ram;
    std::uint64_t at = rng() % 3;
    for (int r = 0; r < 1 + static_cast<int>(rng() % 4); ++r) {
      const std::uint64_t len = 1 + rng() % 700;
      ram.push_back({Pfn{at}, PageCount{len}});
      at += len + 1 + rng() % 40;
    }
    PhysicalMemory m(
        ram, k4K,
        PagePolicy{1u << (rng() % 4), rng() % 2 ? 8u : 0u, static_cast<std::uint64_t>(rng() % 20)});
    if (rng() % 2) {
      const std::uint64_t first = rng() % at;
      m.add_cached_range(Pfn{first}, Pfn{std::min(at - 1, first + rng() % 100)});
    }
    const OwnerId owner = m.intern_owner({OwnerClass::kContiguous, Tag::from_chars("Prop")});
    std::vector<std::pair<Pfn, PageCount>> runs;
    std::vector<Pfn> chains;
    const std::uint64_t end = m.end_frame().value;
    auto random_request = [&] {
      const std::uint64_t lo = rng() % end;
      const std::uint64_t hi = rng() % 8 == 0 ? lo / 2 : lo + rng() % (end - lo);
      const std::uint64_t b = rng() % 3 == 0 ? 0 : std::uint64_t{1} << (rng() % 9);
      return request(1 + rng() % 90, lo, hi, b,
                     rng() % 2 ? ScanDirection::kAscending : ScanDirection::kDescending,
                     static_cast<std::uint8_t>(rng() % 3));
    };
    for (int step = 0; step < 150; ++step) {
      const auto op = static_cast<unsigned>(rng() % 6);
      if (op <= 1) {
        const ContiguousRequest r = random_request();
        const auto want = naive_find_contiguous(m, r);
        const ContiguousResult got = m.take_contiguous(r, owner);
        const bool floor = m.free_frames().value < m.reserve_pages() ||
                           r.pages.value > m.free_frames().value - m.reserve_pages();
        if (!floor) {
          ASSERT_EQ(got.first, want) << "step " << step;
        }
        if (got.first) {
          runs.emplace_back(*got.first, r.pages);
        } else {
          // A failure's closest placement lies in the window, and its blockers are exactly the
          // frames of it that are not free.
          const ContiguousDiagnosis& d = m.diagnose(r);
          if (d.candidate) {
            ASSERT_GE(*d.candidate, r.lowest);
            ASSERT_LE(d.candidate->value + r.pages.value - 1, r.highest.value);
            std::uint64_t blocked = 0;
            for (const auto& [o, n] : d.blockers) blocked += n;
            ASSERT_EQ(blocked + d.candidate_free.value, r.pages.value);
          }
        }
      } else if (op == 2 && !runs.empty()) {
        const std::size_t k = rng() % runs.size();
        m.release_run(runs[k].first, runs[k].second);
        runs.erase(runs.begin() + static_cast<std::ptrdiff_t>(k));
      } else if (op == 3) {
        if (const auto c = m.take_pages(PageCount{1 + rng() % 6}, owner, CachingType::kMmNonCached))
          chains.push_back(*c);
      } else if (op == 4 && !chains.empty()) {
        const std::size_t k = rng() % chains.size();
        m.release_chain(chains[k]);
        chains.erase(chains.begin() + static_cast<std::ptrdiff_t>(k));
      } else {
        m.run_zero_page_thread();
      }
      for (int q = 0; q < 8; ++q) {
        const ContiguousRequest r = random_request();
        ASSERT_EQ(m.find_contiguous(r), naive_find_contiguous(m, r)) << "step " << step;
        const NaiveWindow w = naive_window(m, r.lowest, r.highest);
        ASSERT_EQ(m.free_in(r.lowest, r.highest), PageCount{w.free});
        ASSERT_EQ(m.largest_free_run_in(r.lowest, r.highest), PageCount{w.longest});
      }
      m.check_invariants();
    }
    m.check_invariants();
  }
}

// Frames under a cached large page (MiAddCachedRange) only serve MmCached requests (WRK
// MiFindContiguousPages: CacheAttribute == MiCached || MustBeCached == 0).
TEST(Contiguous, CacheTypeConflicts) {
  PhysicalMemory m({RamRange{Pfn{0}, PageCount{16}}}, k4K, 0);
  m.add_cached_range(Pfn{4}, Pfn{9});
  EXPECT_EQ(m.find_contiguous(request(6, 0, 15)), Pfn{0}) << "MmCached may use frames 4..9";
  EXPECT_EQ(m.find_contiguous(request(6, 0, 15, 0, ScanDirection::kAscending, 0)), Pfn{10});
  EXPECT_EQ(m.find_contiguous(request(3, 0, 15, 0, ScanDirection::kDescending, 2)), Pfn{13});
  EXPECT_EQ(m.find_contiguous(request(4, 0, 15, 0, ScanDirection::kAscending, 0)), Pfn{0});
  // Uncached, the machine holds runs of 4 and 6 frames only: 7 can never fit.
  const OwnerId o = m.intern_owner({OwnerClass::kContiguous, Tag::from_chars("Nc")});
  EXPECT_EQ(m.take_contiguous(request(7, 0, 15, 0, ScanDirection::kAscending, 0), o).failure,
            ContiguousFailure::kConstraint);
  EXPECT_TRUE(m.take_contiguous(request(7, 0, 15), o).first) << "cached, it fits";
  m.check_invariants();
}

TEST(Contiguous, HighestBelowLowestAndWindowsThatNeverFit) {
  PhysicalMemory m({RamRange{Pfn{1}, PageCount{40}}}, k4K, 0);
  const OwnerId o = m.intern_owner({OwnerClass::kContiguous, Tag::from_chars("C")});
  EXPECT_EQ(m.take_contiguous(request(1, 20, 19), o).failure, ContiguousFailure::kConstraint);
  EXPECT_EQ(m.take_contiguous(request(12, 30, 40), o).failure, ContiguousFailure::kConstraint);
  EXPECT_EQ(m.take_contiguous(request(11, 30, 1000), o).first, Pfn{30}) << "highest clipped";
  // Boundary 8 inside [5, 14]: blocks 5..7, 8..14: 8 frames never fit, 7 do at 8.
  EXPECT_EQ(m.take_contiguous(request(8, 5, 14, 8), o).failure, ContiguousFailure::kConstraint);
  EXPECT_EQ(m.take_contiguous(request(7, 5, 14, 8), o).first, Pfn{8});
  m.check_invariants();
}

// A hand-built map of 16 frames (owners a and b):
//   frame  0123456789012345
//          ...a..bb...a.b..
// Free runs 3, 2, 3, 1, 2: F = 11 free frames, B = 2+1+2+1+1 = 7 power-of-two pieces.
class Diagnosis : public ::testing::Test {
 protected:
  Diagnosis() : m_({RamRange{Pfn{0}, PageCount{16}}}, k4K, 0) {
    a_ = m_.intern_owner({OwnerClass::kPool, Tag::from_chars("Aaaa")});
    b_ = m_.intern_owner({OwnerClass::kNonCached, Tag::from_chars("Bbbb")});
    const std::string picture = "...a..bb...a.b..";
    for (std::size_t f = 0; f < picture.size(); ++f) {
      if (picture[f] == '.') continue;
      m_.claim_run(Pfn{f}, PageCount{1}, picture[f] == 'a' ? a_ : b_);
    }
    m_.check_invariants();
  }
  PhysicalMemory m_;
  OwnerId a_ = 0, b_ = 0;
};

// 5 frames (order 3): no run of 8, so 1000 - (1000 + 11·1000/8) / 7 = 1000 - 2375/7 = 661.
// The closest placement holds the longest run (0..2, the first): [0, 5) with 4 free frames,
// blocked by frame 3 (a). Pinned: a's 3 between runs 3 and 2 (3+1+2 >= 5), b's 6..7 between 2 and
// 3 (2+2+3), a's 11 between 3 and 1 (3+1+1); b's 13 between 1 and 2 does not reach 5.
TEST_F(Diagnosis, FragmentationIndexClosestPlacementAndPinnedFrames) {
  const ContiguousRequest r = request(5, 0, 15);
  EXPECT_EQ(m_.take_contiguous(r, a_).failure, ContiguousFailure::kFragmentation);
  const ContiguousDiagnosis& d = m_.diagnose(r);
  EXPECT_EQ(d.order, 3u);
  EXPECT_EQ(d.fragmentation_index, 661);
  EXPECT_EQ(d.candidate, Pfn{0});
  EXPECT_EQ(d.candidate_free, PageCount{4});
  EXPECT_EQ(d.blockers, (std::vector<std::pair<OwnerId, std::uint64_t>>{{a_, 1}}));
  EXPECT_EQ(d.pinned, (std::vector<std::pair<OwnerId, std::uint64_t>>{{a_, 2}, {b_, 2}}));
  EXPECT_FALSE(d.pinned_truncated);
}

// Random RAM maps with holes and must-be-cached ranges, frames held by three owners at random
// densities, random windows: the diagnosis pins exactly the reference's frames. A machine of
// alternating frames has more free runs than the limit: the first kPinnedRunLimit runs count.
TEST(Contiguous, PinnedFramesAgreeWithTheReference) {
  std::mt19937_64 rng(11);
  for (int round = 0; round < 40; ++round) {
    std::vector<RamRange> ram;
    std::uint64_t at = rng() % 3;
    const bool many_runs = round % 8 == 7;
    for (int r = 0; r < 1 + static_cast<int>(rng() % 4); ++r) {
      const std::uint64_t len = many_runs ? 4000 + rng() % 2000 : 1 + rng() % 400;
      ram.push_back({Pfn{at}, PageCount{len}});
      at += len + 1 + rng() % 20;
    }
    PhysicalMemory m(ram, k4K, 0);
    if (rng() % 2) {
      const std::uint64_t first = rng() % at;
      m.add_cached_range(Pfn{first}, Pfn{std::min(at - 1, first + rng() % 60)});
    }
    const OwnerId owners[] = {m.intern_owner({OwnerClass::kPool, Tag::from_chars("Aaaa")}),
                              m.intern_owner({OwnerClass::kNonCached, Tag::from_chars("Bbbb")}),
                              m.intern_owner({OwnerClass::kBackground, Tag{}})};
    const unsigned density = 1 + static_cast<unsigned>(rng() % 7);  // in eighths
    for (const RamRange& g : ram) {
      for (std::uint64_t f = g.first.value; f < g.first.value + g.count.value; ++f) {
        const bool take = many_runs ? f % 2 == 1 : rng() % 8 < density;
        // Neighbours often share an owner, as pool pages and chains do.
        if (take) m.claim_run(Pfn{f}, PageCount{1}, owners[(f / 3 + rng() % 2) % 3]);
      }
    }
    m.check_invariants();
    const std::uint64_t end = m.end_frame().value;
    for (int q = 0; q < 40; ++q) {
      const std::uint64_t lo = rng() % 4 == 0 ? 0 : rng() % end;
      const std::uint64_t hi = rng() % 4 == 0 ? end + 5 : lo + rng() % (end - lo);
      const std::uint64_t b = rng() % 3 == 0 ? 0 : std::uint64_t{1} << (rng() % 7);
      // Alternating frames: 2 or 3 frames, which every used frame between two runs pins.
      const std::uint64_t n = many_runs ? 2 + rng() % 2 : 1 + rng() % 24;
      const ContiguousRequest r =
          request(n, lo, hi, b, ScanDirection::kAscending, static_cast<std::uint8_t>(rng() % 3));
      const ContiguousDiagnosis& d = m.diagnose(r);
      const NaivePinned want = naive_pinned(m, r, ContiguousDiagnosis::kPinnedRunLimit);
      const std::map<OwnerId, std::uint64_t> got(d.pinned.begin(), d.pinned.end());
      ASSERT_EQ(got, want.pinned) << "round " << round << " request " << q;
      ASSERT_EQ(d.pinned_truncated, want.truncated) << "round " << round << " request " << q;
      // Most frames first, then by owner.
      for (std::size_t i = 1; i < d.pinned.size(); ++i) {
        ASSERT_TRUE(d.pinned[i - 1].second > d.pinned[i].second ||
                    (d.pinned[i - 1].second == d.pinned[i].second &&
                     d.pinned[i - 1].first < d.pinned[i].first));
      }
    }
  }
}

// Scanning down, the longest run is the last one of 3 frames (8..10); placements [6, 11),
// [7, 12), [8, 13) hold 3, 3 and 4 free frames: [8, 13), blocked by frame 11 (a).
TEST_F(Diagnosis, ClosestPlacementScanningDown) {
  const ContiguousRequest r = request(5, 0, 15, 0, ScanDirection::kDescending);
  const ContiguousDiagnosis& d = m_.diagnose(r);
  EXPECT_EQ(d.candidate, Pfn{8});
  EXPECT_EQ(d.candidate_free, PageCount{4});
  EXPECT_EQ(d.blockers, (std::vector<std::pair<OwnerId, std::uint64_t>>{{a_, 1}}));
}

// 16 frames (order 4) with 11 free: exhaustion; 1000 - (1000 + 11000/16) / 7 = 1000 - 1687/7
// = 759. A request of 2 (order 1) when a run of 2 exists is -1000 (it "would succeed": here only
// the reserve floor stops it).
TEST_F(Diagnosis, IndexForExhaustionAndForARequestThatWouldFit) {
  const ContiguousRequest big = request(16, 0, 15);
  EXPECT_EQ(m_.take_contiguous(big, a_).failure, ContiguousFailure::kExhaustion);
  EXPECT_EQ(m_.diagnose(big).fragmentation_index, 759);
  EXPECT_EQ(m_.diagnose(request(2, 0, 15)).fragmentation_index, -1000);
  // Nothing free in [6, 7]: free_blocks_total 0 gives 0.
  EXPECT_EQ(m_.diagnose(request(1, 6, 7)).fragmentation_index, 0);
}

}  // namespace
}  // namespace fragreplay::model
