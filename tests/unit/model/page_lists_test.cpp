// The page lists of docs/model.md §5.2, frame by frame on a 32-frame machine with 8
// colours: colour = frame mod 8; freed pages go to the tail of their colour's free list; the
// zero-page thread moves free pages in clusters of one per colour to the front of the zeroed
// lists; MiRemoveAnyPage takes free before zeroed; MiAllocatePagesForMdl takes zeroed before free,
// one page per colour from a rotating start colour, and skips must-be-cached frames.
#include <gtest/gtest.h>

#include "model/physical/physical_memory.hpp"
#include "test_support.hpp"

namespace fragreplay::model {
namespace {

constexpr PageSize k4K{12};

PhysicalMemory machine(unsigned threshold, std::uint64_t reserve = 0) {
  PhysicalMemory m({RamRange{Pfn{0}, PageCount{32}}}, k4K, PagePolicy{8, threshold, reserve});
  m.intern_owner({OwnerClass::kNonCached, Tag::from_chars("Test")});
  return m;
}
constexpr OwnerId kOwner = 1;

using testing::pfns;

std::vector<Pfn> chain(const PhysicalMemory& m, Pfn first) {
  std::vector<Pfn> out{first};
  for (auto f = m.next_in_chain(first); f; f = m.next_in_chain(*f)) out.push_back(*f);
  return out;
}

TEST(PageLists, BootListsAreAscendingPerColour) {
  PhysicalMemory m = machine(0);
  EXPECT_EQ(m.list_frames(PageList::kFree, 3), pfns({3, 11, 19, 27}));
  EXPECT_EQ(m.list_count(PageList::kFree), PageCount{32});
  EXPECT_EQ(m.list_count(PageList::kZeroed), PageCount{0});
  m.check_invariants();
}

// MiRemoveAnyPage(++PageColor): colours 1, 2, 3 ...; a freed page goes to the tail (FIFO).
TEST(PageLists, SystemPagesRotateColoursAndFreedPagesGoToTheTail) {
  PhysicalMemory m = machine(0);
  EXPECT_EQ(m.take_page(kOwner, CachingType::kMmCached), Pfn{1});
  EXPECT_EQ(m.take_page(kOwner, CachingType::kMmCached), Pfn{2});
  EXPECT_EQ(m.take_page(kOwner, CachingType::kMmCached), Pfn{3});
  m.release_page(Pfn{1});
  EXPECT_EQ(m.list_frames(PageList::kFree, 1), pfns({9, 17, 25, 1}));
  m.check_invariants();
}

// MiRemoveAnyPage with both lists of its colour empty takes from the next colours in turn.
TEST(PageLists, EmptyColourFallsToTheNextColour) {
  PhysicalMemory m = machine(0);
  for (const std::uint64_t f : {1ULL, 9ULL, 17ULL, 25ULL})
    EXPECT_EQ(m.remove_any_page(1, kOwner, CachingType::kMmCached), Pfn{f});
  EXPECT_EQ(m.remove_any_page(1, kOwner, CachingType::kMmCached), Pfn{2});
  EXPECT_EQ(m.remove_any_page(7, kOwner, CachingType::kMmCached), Pfn{7});
  m.check_invariants();
}

// The zero-page thread takes the head of each colour's free list in turn (colours 0..7 per
// cluster) and the cluster lands at the front of the zeroed lists: after zeroing the whole
// boot list, each colour's zeroed list is descending.
TEST(PageLists, ZeroPageThreadPutsClustersAtTheFront) {
  PhysicalMemory m = machine(8);
  m.zero_all_free_pages();
  EXPECT_EQ(m.list_count(PageList::kFree), PageCount{0});
  EXPECT_EQ(m.list_frames(PageList::kZeroed, 0), pfns({24, 16, 8, 0}));
  EXPECT_EQ(m.list_frames(PageList::kZeroed, 5), pfns({29, 21, 13, 5}));
  // Allocations now come from the top: free lists are empty, zeroed heads are the highest.
  EXPECT_EQ(m.take_page(kOwner, CachingType::kMmCached), Pfn{25});
  EXPECT_EQ(m.take_page(kOwner, CachingType::kMmCached), Pfn{26});
  m.check_invariants();
}

// Fewer than MmMinimumFreePagesToZero (8) free-list pages do not wake the thread, and
// MiRemoveAnyPage prefers them to zeroed pages. The 8th wakes it: all 8 are zeroed, each back to
// the front of its colour's zeroed list.
TEST(PageLists, ThresholdWakesTheZeroPageThread) {
  PhysicalMemory m = machine(8);
  m.zero_all_free_pages();
  std::vector<Pfn> taken;
  for (int i = 0; i < 9; ++i) taken.push_back(*m.take_page(kOwner, CachingType::kMmCached));
  // Colours 1..7, 0, 1: zeroed heads 25..31, 24, then 17.
  EXPECT_EQ(taken, pfns({25, 26, 27, 28, 29, 30, 31, 24, 17}));
  m.release_page(Pfn{25});
  m.run_zero_page_thread();
  EXPECT_EQ(m.list_of(Pfn{25}), PageList::kFree) << "one page does not wake the thread";
  EXPECT_EQ(m.remove_any_page(1, kOwner, CachingType::kMmCached), Pfn{25}) << "free before zeroed";
  for (const std::uint64_t f : {25ULL, 26ULL, 27ULL, 28ULL, 29ULL, 30ULL, 31ULL, 24ULL})
    m.release_page(Pfn{f});
  m.run_zero_page_thread();
  EXPECT_EQ(m.list_count(PageList::kFree), PageCount{0});
  EXPECT_EQ(m.list_frames(PageList::kZeroed, 1), pfns({25, 9, 1}));
  EXPECT_EQ(m.list_frames(PageList::kZeroed, 0), pfns({24, 16, 8, 0}));
  m.check_invariants();
}

// MiAllocatePagesForMdl: StartColor = PageColor++ (0 first), zeroed lists first, one page per
// colour, frames chained in the order taken.
TEST(PageLists, MdlPagesRoundRobinTheColoursFromARotatingStart) {
  PhysicalMemory m = machine(8);
  m.zero_all_free_pages();
  const auto a = m.take_pages(PageCount{3}, kOwner, CachingType::kMmNonCached);
  ASSERT_TRUE(a);
  EXPECT_EQ(chain(m, *a), pfns({24, 25, 26}));
  const auto b = m.take_pages(PageCount{2}, kOwner, CachingType::kMmNonCached);
  EXPECT_EQ(chain(m, *b), pfns({17, 18})) << "start colour 1 this time";
  m.release_chain(*a);
  EXPECT_EQ(m.list_frames(PageList::kFree, 0), pfns({24}));
  m.check_invariants();
}

// A request that may not use must-be-cached frames moves them to the end of their colour list
// and takes the next; more pages than free - reserve are taken, then all given back.
TEST(PageLists, MdlSkipsMustBeCachedFramesAndGivesBackAShortAllocation) {
  PhysicalMemory m = machine(8, /*reserve=*/20);
  m.zero_all_free_pages();
  m.add_cached_range(Pfn{24}, Pfn{31});
  const auto a = m.take_pages(PageCount{2}, kOwner, CachingType::kMmNonCached);
  ASSERT_TRUE(a);
  EXPECT_EQ(chain(m, *a), pfns({16, 17}));
  EXPECT_EQ(m.list_frames(PageList::kZeroed, 0), pfns({8, 0, 24}));
  // 30 free, reserve 20: at most 10 of 11 pages. The 10 go back to the free lists' tails.
  EXPECT_EQ(m.take_pages(PageCount{11}, kOwner, CachingType::kMmNonCached), std::nullopt);
  EXPECT_EQ(m.free_frames(), PageCount{30});
  EXPECT_EQ(m.list_count(PageList::kFree), PageCount{10});
  m.check_invariants();
}

}  // namespace
}  // namespace fragreplay::model
