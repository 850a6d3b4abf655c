// Physical memory: hand-built frame maps with holes, the contiguous search of
// docs/model.md §5.3 (WRK MiFindContiguousPages: lowest conforming start, boundary checked
// where a run begins, runs never across holes), its direction, and the failure causes.
#include "model/physical/physical_memory.hpp"

#include <gtest/gtest.h>

#include <string>

namespace fragreplay::model {
namespace {

constexpr PageSize k4K{12};

// 32 frames: RAM [0, 16) and [20, 32) (a 4-frame hole at 16..19). Owner id 1 is registered.
PhysicalMemory two_ranges(std::uint64_t reserve = 0) {
  PhysicalMemory m({RamRange{Pfn{0}, PageCount{16}}, RamRange{Pfn{20}, PageCount{12}}}, k4K,
                   reserve);
  EXPECT_EQ(m.intern_owner({OwnerClass::kBackground, Tag::from_chars("Test")}), 1u);
  return m;
}

// Marks frames used from a picture: '#' used, '.' free, ' ' hole (must match the RAM map).
void occupy(PhysicalMemory& m, const std::string& picture, OwnerId owner) {
  for (std::size_t f = 0; f < picture.size(); ++f) {
    if (picture[f] == '#') {
      ContiguousRequest r{PageCount{1},
                          Pfn{f},
                          Pfn{f},
                          PageCount{0},
                          CachingType::kMmCached,
                          ScanDirection::kAscending};
      ASSERT_TRUE(m.take_contiguous(r, owner).first) << "frame " << f;
    }
  }
  m.check_invariants();
}

ContiguousRequest request(std::uint64_t pages, std::uint64_t lo, std::uint64_t hi,
                          std::uint64_t boundary = 0, ScanDirection d = ScanDirection::kAscending) {
  return ContiguousRequest{PageCount{pages},       Pfn{lo}, Pfn{hi}, PageCount{boundary},
                           CachingType::kMmCached, d};
}

TEST(PhysicalMemory, CountsFramesAndHoles) {
  PhysicalMemory m = two_ranges();
  EXPECT_EQ(m.total_frames(), PageCount{28});
  EXPECT_EQ(m.free_frames(), PageCount{28});
  EXPECT_FALSE(m.is_ram(Pfn{17}));
  EXPECT_TRUE(m.is_ram(Pfn{20}));
  EXPECT_EQ(m.largest_free_run_in(Pfn{0}, Pfn{31}), PageCount{16}) << "runs stop at the hole";
  m.check_invariants();
}

// Ordinary pages come from the head of the free list and go back to its tail (§5.2: freed pages
// are appended at the tail).
TEST(PhysicalMemory, OrdinaryPagesAreFirstInFirstOut) {
  PhysicalMemory m = two_ranges();
  const OwnerId o = m.intern_owner({OwnerClass::kNonCached, Tag::from_chars("Nc")});
  EXPECT_EQ(m.take_page(o, CachingType::kMmNonCached), Pfn{0});
  EXPECT_EQ(m.take_page(o, CachingType::kMmNonCached), Pfn{1});
  m.release_page(Pfn{0});
  for (std::uint64_t f = 2; f < 16; ++f)
    EXPECT_EQ(m.take_page(o, CachingType::kMmNonCached), Pfn{f});
  for (std::uint64_t f = 20; f < 32; ++f)
    EXPECT_EQ(m.take_page(o, CachingType::kMmNonCached), Pfn{f});
  EXPECT_EQ(m.take_page(o, CachingType::kMmNonCached), Pfn{0}) << "the freed frame comes last";
  EXPECT_EQ(m.take_page(o, CachingType::kMmNonCached), std::nullopt);
  m.check_invariants();
}

TEST(PhysicalMemory, ChainsHoldScatteredFramesOfOneAllocation) {
  PhysicalMemory m = two_ranges();
  const OwnerId o = m.intern_owner({OwnerClass::kNonCached, Tag::from_chars("Nc")});
  const auto first = m.take_pages(PageCount{3}, o, CachingType::kMmNonCached);
  ASSERT_TRUE(first);
  EXPECT_EQ(*first, Pfn{0});
  EXPECT_EQ(m.next_in_chain(Pfn{0}), Pfn{1});
  EXPECT_EQ(m.next_in_chain(Pfn{2}), std::nullopt);
  EXPECT_EQ(m.take_pages(PageCount{26}, o, CachingType::kMmNonCached), std::nullopt)
      << "25 free: nothing is taken";
  EXPECT_EQ(m.free_frames(), PageCount{25});
  m.release_chain(*first);
  EXPECT_EQ(m.free_frames(), PageCount{28});
  m.check_invariants();
}

// Ascending: the lowest start whose whole run is free. Descending (Windows 10, §5.3): the highest.
TEST(PhysicalMemory, ContiguousSearchDirection) {
  {
    PhysicalMemory m = two_ranges();
    occupy(m, "##..#.....######    ..#.........", 1);
    const auto r =
        m.take_contiguous(request(4, 0, 31), m.intern_owner({OwnerClass::kContiguous, {}}));
    EXPECT_EQ(r.first, Pfn{5});
  }
  {
    PhysicalMemory m = two_ranges();
    occupy(m, "##..#.....######    ..#.........", 1);
    const auto r = m.take_contiguous(request(4, 0, 31, 0, ScanDirection::kDescending),
                                     m.intern_owner({OwnerClass::kContiguous, {}}));
    EXPECT_EQ(r.first, Pfn{28}) << "highest run: frames 28..31";
  }
}

// Runs never span a hole even when both sides are free: frames 12..15 and 20..23 are free, but a
// 6-frame request does not fit across 16..19.
TEST(PhysicalMemory, RunsDoNotCrossHoles) {
  PhysicalMemory m = two_ranges();
  occupy(m, "############....    ....########", 1);
  const auto r = m.take_contiguous(request(6, 0, 31), 1);
  EXPECT_FALSE(r.first);
  EXPECT_EQ(r.failure, ContiguousFailure::kFragmentation);
  EXPECT_EQ(r.free_in_window, PageCount{8});
  EXPECT_EQ(r.largest_free_run_in_window, PageCount{4});
}

// Boundary (WRK: checked where a run begins): 4 frames that must not cross a multiple of 8. Frames
// 6..13 are free; a run starting at 6 or 7 would cross frame 8, so the first conforming start is 8.
TEST(PhysicalMemory, BoundaryIsCheckedWhereARunBegins) {
  PhysicalMemory m = two_ranges();
  occupy(m, "######........##    ############", 1);
  EXPECT_EQ(m.take_contiguous(request(4, 0, 31, 8), 1).first, Pfn{8});
  // A run may end exactly on a multiple: 2 frames at 6..7 fit below 8.
  PhysicalMemory m2 = two_ranges();
  occupy(m2, "######........##    ############", 1);
  EXPECT_EQ(m2.take_contiguous(request(2, 0, 31, 8), 1).first, Pfn{6});
}

// Constraint: the request cannot be met even on an empty machine. Size larger than the window, a
// boundary smaller than the size, lowest above highest, or a window that lies in a hole.
TEST(PhysicalMemory, ConstraintFailures) {
  PhysicalMemory m = two_ranges();
  EXPECT_EQ(m.take_contiguous(request(9, 0, 7), 1).failure, ContiguousFailure::kConstraint);
  EXPECT_EQ(m.take_contiguous(request(8, 0, 31, 4), 1).failure, ContiguousFailure::kConstraint);
  EXPECT_EQ(m.take_contiguous(request(1, 10, 9), 1).failure, ContiguousFailure::kConstraint);
  EXPECT_EQ(m.take_contiguous(request(1, 16, 19), 1).failure, ContiguousFailure::kConstraint);
  // Window [12, 23] holds 4 + 4 frames around the hole: 5 can never fit.
  EXPECT_EQ(m.take_contiguous(request(5, 12, 23), 1).failure, ContiguousFailure::kConstraint);
  // With boundary 8 the window [4, 11] can hold 4 frames only at 4..7 or 8..11.
  EXPECT_EQ(m.take_contiguous(request(4, 5, 11, 8), 1).first, Pfn{8});
  EXPECT_EQ(m.free_frames(), PageCount{24});
}

// Exhaustion: fewer free frames in the window than requested. Next to it, a fragmentation failure
// where the window holds enough free frames but no run.
TEST(PhysicalMemory, ExhaustionBesideFragmentation) {
  PhysicalMemory m = two_ranges();
  occupy(m, "#.#.#.#.########    #.#.#.#.#.#.", 1);
  const auto frag = m.take_contiguous(request(2, 0, 31), 1);
  EXPECT_EQ(frag.failure, ContiguousFailure::kFragmentation);
  EXPECT_EQ(frag.free_in_window, PageCount{10});
  EXPECT_EQ(frag.largest_free_run_in_window, PageCount{1});
  const auto exhausted = m.take_contiguous(request(5, 0, 7), 1);
  EXPECT_EQ(exhausted.failure, ContiguousFailure::kExhaustion);
  EXPECT_EQ(exhausted.free_in_window, PageCount{4});
  const auto ok = m.take_contiguous(request(1, 0, 31), 1);
  EXPECT_EQ(ok.first, Pfn{1});
  m.check_invariants();
}

// §5.2 availability floor (WRK MM_HIGH_LIMIT): a contiguous request may not leave fewer than the
// reserve free; failing that is exhaustion.
TEST(PhysicalMemory, ReserveFloorMakesLargeRequestsFailAsExhaustion) {
  PhysicalMemory m = two_ranges(/*reserve=*/20);
  EXPECT_EQ(m.take_contiguous(request(9, 0, 31), 1).failure, ContiguousFailure::kExhaustion);
  EXPECT_EQ(m.take_contiguous(request(8, 0, 31), 1).first, Pfn{0});
}

TEST(PhysicalMemory, ReleasedRunsAreFreeAgainAndCounted) {
  PhysicalMemory m = two_ranges();
  const auto r = m.take_contiguous(
      request(10, 0, 31), m.intern_owner({OwnerClass::kContiguous, Tag::from_chars("Cont")}));
  ASSERT_EQ(r.first, Pfn{0});
  EXPECT_EQ(m.owner(m.owner_of(Pfn{3})).tag, Tag::from_chars("Cont"));
  EXPECT_EQ(m.free_frames(), PageCount{18});
  m.release_run(Pfn{0}, PageCount{10});
  EXPECT_EQ(m.free_frames(), PageCount{28});
  m.check_invariants();
}

}  // namespace
}  // namespace fragreplay::model
