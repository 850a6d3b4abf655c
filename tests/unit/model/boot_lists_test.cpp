// The boot lists laid directly zeroed (PagePolicy::boot_zeroed) are the lists the zero-page thread
// leaves after zeroing the ascending boot free lists (docs/model.md §5.2: a freed page goes to the
// tail of its colour's free list; the zero-page thread moves free pages, oldest first, each to the
// front of its colour's zeroed list, so every zeroed list ends up highest frame first). Worked by
// hand on a machine of 4 colours (colour = frame mod 4) with RAM [0, 6) and [9, 14), a hole at
// frames 6..8.
#include <gtest/gtest.h>

#include <random>

#include "model/physical/physical_memory.hpp"
#include "test_support.hpp"

namespace fragreplay::model {
namespace {

constexpr PageSize k4K{12};

std::vector<RamRange> holed_ram() {
  return {RamRange{Pfn{0}, PageCount{6}}, RamRange{Pfn{9}, PageCount{5}}};
}

PhysicalMemory machine(bool boot_zeroed, std::vector<RamRange> ram = holed_ram(),
                       unsigned colors = 4) {
  PhysicalMemory m(std::move(ram), k4K, PagePolicy{colors, 8, 0, boot_zeroed});
  m.intern_owner({OwnerClass::kBackground, Tag::from_chars("Test")});
  return m;
}
constexpr OwnerId kOwner = 1;

using testing::pfns;

void expect_same_lists(const PhysicalMemory& a, const PhysicalMemory& b) {
  ASSERT_EQ(a.colors(), b.colors());
  for (const PageList l : {PageList::kZeroed, PageList::kFree}) {
    EXPECT_EQ(a.list_count(l), b.list_count(l));
    for (unsigned c = 0; c < a.colors(); ++c) {
      EXPECT_EQ(a.list_frames(l, c), b.list_frames(l, c)) << "colour " << c;
    }
  }
}

// Ascending free lists per colour: c0 0 4 12, c1 1 5 9 13, c2 2 10, c3 3 11 (the hole skipped);
// reversed onto the zeroed lists: c0 12 4 0, c1 13 9 5 1, c2 10 2, c3 11 3.
TEST(BootLists, ZeroedBootListsAreDescendingPerColourAcrossAHole) {
  PhysicalMemory free_boot = machine(false);
  EXPECT_EQ(free_boot.list_frames(PageList::kFree, 1), pfns({1, 5, 9, 13}));
  PhysicalMemory m = machine(true);
  EXPECT_EQ(m.list_count(PageList::kFree), PageCount{0});
  EXPECT_EQ(m.list_count(PageList::kZeroed), PageCount{11});
  EXPECT_EQ(m.list_frames(PageList::kZeroed, 0), pfns({12, 4, 0}));
  EXPECT_EQ(m.list_frames(PageList::kZeroed, 1), pfns({13, 9, 5, 1}));
  EXPECT_EQ(m.list_frames(PageList::kZeroed, 2), pfns({10, 2}));
  EXPECT_EQ(m.list_frames(PageList::kZeroed, 3), pfns({11, 3}));
  for (unsigned c = 0; c < 4; ++c) EXPECT_TRUE(m.list_frames(PageList::kFree, c).empty());
  m.check_invariants();
  free_boot.zero_all_free_pages();
  expect_same_lists(m, free_boot);
}

// Boot-time claims (the initial pool, --background) and zeroing commute: frames 4, 5 and 10, 11
// claimed from the zeroed boot lists leave c0 12 0, c1 13 9 1, c2 2, c3 3, as claiming them from
// the free lists and zeroing afterwards does. MiRemoveAnyPage(++PageColor) then takes the zeroed
// heads of colours 1, 2, 3, 0: 13, 2, 3, 12.
TEST(BootLists, ClaimsCommuteWithZeroing) {
  PhysicalMemory m = machine(true);
  m.claim_run(Pfn{4}, PageCount{2}, kOwner);
  m.claim_run(Pfn{10}, PageCount{2}, kOwner);
  EXPECT_EQ(m.list_frames(PageList::kZeroed, 0), pfns({12, 0}));
  EXPECT_EQ(m.list_frames(PageList::kZeroed, 1), pfns({13, 9, 1}));
  EXPECT_EQ(m.list_frames(PageList::kZeroed, 2), pfns({2}));
  EXPECT_EQ(m.list_frames(PageList::kZeroed, 3), pfns({3}));
  m.check_invariants();
  PhysicalMemory later = machine(false);
  later.claim_run(Pfn{4}, PageCount{2}, kOwner);
  later.claim_run(Pfn{10}, PageCount{2}, kOwner);
  later.zero_all_free_pages();
  expect_same_lists(m, later);
  for (const std::uint64_t f : {13u, 2u, 3u, 12u}) {
    EXPECT_EQ(m.take_page(kOwner, CachingType::kMmCached), Pfn{f});
    EXPECT_EQ(later.take_page(kOwner, CachingType::kMmCached), Pfn{f});
  }
  m.check_invariants();
}

// One colour: a single list, highest frame first, the range above the hole ahead of the one below.
TEST(BootLists, OneColourIsOneDescendingList) {
  PhysicalMemory m = machine(true, holed_ram(), 1);
  EXPECT_EQ(m.list_frames(PageList::kZeroed, 0), pfns({13, 12, 11, 10, 9, 5, 4, 3, 2, 1, 0}));
  m.check_invariants();
}

// Random layouts (holes, colours, claims) give the same lists either way.
TEST(BootLists, RandomLayoutsMatchZeroingTheFreeLists) {
  std::mt19937_64 rng(11);
  for (int round = 0; round < 200; ++round) {
    std::vector<RamRange> ram;
    std::uint64_t at = rng() % 5;
    const int ranges = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < ranges; ++k) {
      const std::uint64_t n = 1 + rng() % 40;
      ram.push_back(RamRange{Pfn{at}, PageCount{n}});
      at += n + rng() % 9;
    }
    const unsigned colors = 1u << (rng() % 5);
    PhysicalMemory direct = machine(true, ram, colors);
    PhysicalMemory zeroed = machine(false, ram, colors);
    for (int k = 0; k < 3; ++k) {
      const RamRange& r = ram[rng() % ram.size()];
      const std::uint64_t first = r.first.value + rng() % r.count.value;
      const std::uint64_t n = 1 + rng() % (r.first.value + r.count.value - first);
      if (direct.free_in(Pfn{first}, Pfn{first + n - 1}) != PageCount{n}) continue;
      direct.claim_run(Pfn{first}, PageCount{n}, kOwner);
      zeroed.claim_run(Pfn{first}, PageCount{n}, kOwner);
    }
    zeroed.zero_all_free_pages();
    expect_same_lists(direct, zeroed);
    direct.check_invariants();
  }
}

}  // namespace
}  // namespace fragreplay::model
