// The pool's page allocator, page by page (docs/model.md §3.8; WRK MiAllocatePoolPages /
// MiFreePoolPages), and the NT 5.x helpers of §5.3 (MiCheckForContiguousMemory,
// MiFindContiguousMemoryInPool). One page colour and no zero-page thread, so frames from the page
// lists come in ascending order.
#include "model/pool/pool_pages.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace fragreplay::model {
namespace {

constexpr PageSize k4K{12};
using Runs = std::vector<std::pair<std::uint64_t, std::uint64_t>>;

class PagesFixture {
 public:
  // 64 frames; an initial pool of `initial` frames at 32 (claimed as the machine does).
  explicit PagesFixture(std::uint64_t initial, unsigned slist = 2, bool large = false)
      : memory_({RamRange{Pfn{0}, PageCount{64}}}, k4K, 0), pages_(make(initial, slist, large)) {
    owner_ = memory_.intern_owner({OwnerClass::kPool, Tag::from_chars("Test")});
  }
  PoolPages make(std::uint64_t initial, unsigned slist, bool large) {
    PoolPagesConfig c;
    if (initial != 0) {
      memory_.claim_run(Pfn{32}, PageCount{initial},
                        memory_.intern_owner({OwnerClass::kPoolFree, Tag{}}));
      c.initial_first = Pfn{32};
      c.initial_pages = PageCount{initial};
      c.initial_large_pages = large;
    }
    c.slist_depth = slist;
    return PoolPages(memory_, k4K, c);
  }
  std::uint64_t alloc(std::uint64_t n) {
    const auto vpn = pages_.allocate(true, PageCount{n}, owner_);
    EXPECT_TRUE(vpn);
    check();
    return vpn.value_or(0);
  }
  void free(std::uint64_t vpn, std::uint64_t n) {
    pages_.free(vpn, PageCount{n});
    check();
  }
  void check() const {
    pages_.check_invariants();
    memory_.check_invariants();
  }
  std::uint64_t frame(std::uint64_t vpn) const { return pages_.frame_of(vpn)->value; }

  PhysicalMemory memory_;
  PoolPages pages_;
  OwnerId owner_ = 0;
};

// Pages come from the end of the first run that is large enough; single pages go to the SList and
// come back from it; a freed run merges into the run before it.
TEST(PoolPages, RunsAreCarvedFromTheirEndAndFreedPagesMerge) {
  PagesFixture f(16);
  const std::uint64_t init = f.pages_.initial_vpn();
  const std::uint64_t a = f.alloc(1);
  EXPECT_EQ(a, init + 15);
  EXPECT_EQ(f.frame(a), 47u) << "initial pool page i is frame 32 + i";
  const std::uint64_t b = f.alloc(3);
  EXPECT_EQ(b, init + 12);
  EXPECT_EQ(f.pages_.free_runs(3), (Runs{{init, 12}}));
  f.free(a, 1);
  EXPECT_EQ(f.pages_.slist_depth(), 1u) << "a single page hangs off the SList";
  f.free(b, 3);
  EXPECT_EQ(f.pages_.free_runs(3), (Runs{{init, 15}})) << "merged into the run before it";
  EXPECT_EQ(f.alloc(1), init + 15) << "the SList first";
  EXPECT_EQ(f.memory_.owner(f.memory_.owner_of(Pfn{47})).cls, OwnerClass::kPool);
  EXPECT_EQ(f.memory_.owner(f.memory_.owner_of(Pfn{44})).cls, OwnerClass::kPoolFree);
}

// Without an initial pool, pages come from the page lists (expansion). A freed expansion run of
// more than 3 pages goes back to the page lists; a run of 1-3 pages stays in the pool.
TEST(PoolPages, ExpansionPagesAndWhenTheyGoBack) {
  PagesFixture f(0);
  const std::uint64_t a = f.alloc(5);
  EXPECT_EQ(f.frame(a), 0u);
  EXPECT_EQ(f.frame(a + 4), 4u);
  f.free(a, 5);
  EXPECT_EQ(f.memory_.free_frames(), PageCount{64});
  EXPECT_EQ(f.pages_.frames_held(), PageCount{0});
  const std::uint64_t b = f.alloc(2);
  EXPECT_EQ(f.frame(b), 5u) << "frames 0..4 went to the tail of the free list";
  f.free(b, 2);
  EXPECT_EQ(f.memory_.free_frames(), PageCount{62}) << "kept as a 2-page run";
  EXPECT_EQ(f.pages_.free_runs(1), (Runs{{b, 2}}));
  EXPECT_EQ(f.alloc(1), b + 1) << "from the run's end; the SList is empty";
  EXPECT_EQ(f.pages_.free_runs(0), (Runs{{b, 1}}));
}

// WRK keeps a run that grows from 3 pages on the 3-page list (only runs below
// MI_MAX_FREE_LIST_HEADS - 1 pages move), so a 4-page request, which searches the ">= 4" list
// only, does not see it and expands the pool.
TEST(PoolPages, ARunGrownFromThreePagesStaysOnItsList) {
  PagesFixture f(8, /*slist=*/0);
  const std::uint64_t init = f.pages_.initial_vpn();
  const std::uint64_t a = f.alloc(2);  // init+6..7
  const std::uint64_t b = f.alloc(2);  // init+4..5
  const std::uint64_t c = f.alloc(1);  // init+3, leaving init..init+2 on the 3-page list
  EXPECT_EQ(f.pages_.free_runs(2), (Runs{{init, 3}}));
  f.free(b, 2);
  f.free(c, 1);  // joins b's run, then the 3-page run before it: 6 pages, still on list 2
  EXPECT_EQ(f.pages_.free_runs(2), (Runs{{init, 6}}));
  EXPECT_TRUE(f.pages_.free_runs(3).empty());
  const std::uint64_t d = f.alloc(4);
  EXPECT_EQ(f.frame(d), 0u) << "expansion: frames from the page lists";
  (void)a;
}

// MiCheckForContiguousMemory on a large-page initial pool (physical addresses): clamp to the
// window; the end chunk when the window does not cut the range, else its lowest start; with a
// boundary the lowest conforming start.
TEST(PoolPages, ContiguousPartOfALargePagePool) {
  PagesFixture f(16, 2, /*large=*/true);
  const std::uint64_t init = f.pages_.initial_vpn();
  auto part = [&](std::uint64_t lo, std::uint64_t hi, std::uint64_t b) {
    return f.pages_.contiguous_part(init, PageCount{16}, PageCount{4}, Pfn{lo}, Pfn{hi},
                                    PageCount{b});
  };
  EXPECT_EQ(part(40, 63, 0), init + 12);
  EXPECT_EQ(part(40, 45, 0), init + 8);
  EXPECT_EQ(part(33, 63, 4), init + 4) << "frames 33..36 cross 36; 36..39 do not";
  EXPECT_EQ(part(46, 63, 0), std::nullopt);
}

// Through the page tables: the first run of consecutive frames whose first frame conforms.
TEST(PoolPages, ContiguousPartThroughThePageTables) {
  PagesFixture f(0);
  const OwnerId other = f.memory_.intern_owner({OwnerClass::kNonCached, Tag::from_chars("X")});
  ASSERT_EQ(f.memory_.take_page(other, CachingType::kMmCached), Pfn{0});
  ASSERT_EQ(f.memory_.take_page(other, CachingType::kMmCached), Pfn{1});
  f.memory_.release_page(Pfn{0});      // free list: 2, 3, ..., 63, 0
  const std::uint64_t a = f.alloc(3);  // frames 2, 3, 4
  EXPECT_EQ(f.pages_.contiguous_part(a, PageCount{3}, PageCount{2}, Pfn{0}, Pfn{63}, PageCount{0}),
            a);
  EXPECT_EQ(f.pages_.contiguous_part(a, PageCount{3}, PageCount{2}, Pfn{3}, Pfn{63}, PageCount{0}),
            a + 1);
  EXPECT_EQ(f.pages_.contiguous_part(a, PageCount{3}, PageCount{2}, Pfn{0}, Pfn{63}, PageCount{4}),
            a)
      << "2..3 stay below 4";
  EXPECT_EQ(f.pages_.contiguous_part(a, PageCount{3}, PageCount{3}, Pfn{0}, Pfn{63}, PageCount{4}),
            std::nullopt)
      << "2..4 cross 4";
}

// MiFindContiguousMemoryInPool takes the conforming pages out of a free run and frees the pieces
// before and after them again (the front first).
TEST(PoolPages, ContiguousPagesCarvedFromAFreeRun) {
  PagesFixture f(16, 2, /*large=*/true);
  const std::uint64_t init = f.pages_.initial_vpn();
  const OwnerId cont = f.memory_.intern_owner({OwnerClass::kContiguous, Tag::from_chars("Cont")});
  const auto a = f.pages_.take_contiguous(PageCount{4}, Pfn{40}, Pfn{63}, PageCount{0}, cont);
  EXPECT_EQ(a, init + 12) << "frames 44..47, the end chunk";
  EXPECT_EQ(f.pages_.free_runs(3), (Runs{{init, 12}}));
  const auto b = f.pages_.take_contiguous(PageCount{2}, Pfn{36}, Pfn{37}, PageCount{0}, cont);
  EXPECT_EQ(b, init + 4);
  EXPECT_EQ(f.pages_.free_runs(3), (Runs{{init, 4}, {init + 6, 6}}));
  EXPECT_EQ(f.memory_.owner(f.memory_.owner_of(Pfn{36})).tag, Tag::from_chars("Cont"));
  f.check();
  f.pages_.free_contiguous(*b, PageCount{2});
  EXPECT_EQ(f.pages_.free_runs(3), (Runs{{init, 12}})) << "the three pieces merge again";
  f.check();
}

// MiCheckForContiguousMemory through the page tables (§5.3) against its plain definition: the
// first page s of [vpn, vpn + pages - n] whose frame f lies in [lowest, highest - n + 1], whose
// frames f..f+n-1 cross no multiple of the boundary, and whose next n - 1 pages are on frames
// f+1..f+n-1. Expansion pages on a shuffled free list, so their frames come in short streaks.
TEST(PoolPages, ContiguousPartAgreesWithThePlainScan) {
  std::mt19937_64 rng(5);
  for (int round = 0; round < 20; ++round) {
    PagesFixture f(0, /*slist=*/0);
    const OwnerId other = f.memory_.intern_owner({OwnerClass::kNonCached, Tag::from_chars("X")});
    std::vector<Pfn> taken;
    for (int i = 0; i < 64; ++i)
      taken.push_back(*f.memory_.take_page(other, CachingType::kMmCached));
    // Back in an order that keeps some neighbours together: shuffle blocks of 1-4 frames.
    std::vector<std::vector<Pfn>> pieces;
    for (std::size_t i = 0; i < taken.size();) {
      const std::size_t k = std::min<std::size_t>(1 + rng() % 4, taken.size() - i);
      pieces.emplace_back(taken.begin() + static_cast<std::ptrdiff_t>(i),
                          taken.begin() + static_cast<std::ptrdiff_t>(i + k));
      i += k;
    }
    std::shuffle(pieces.begin(), pieces.end(), rng);
    for (const auto& piece : pieces) {
      for (const Pfn p : piece) f.memory_.release_page(p);
    }
    std::vector<std::pair<std::uint64_t, std::uint64_t>> held;
    std::uint64_t left = 60;
    while (left > 0) {
      const std::uint64_t n = std::min<std::uint64_t>(1 + rng() % 24, left);
      held.emplace_back(f.alloc(n), n);
      left -= n;
    }
    for (const auto& run : held) {
      const std::uint64_t vpn = run.first;
      const std::uint64_t pages = run.second;
      auto plain = [&](std::uint64_t n, std::uint64_t lo, std::uint64_t hi,
                       std::uint64_t b) -> std::optional<std::uint64_t> {
        if (lo > hi || pages < n || lo + n - 1 > hi) return std::nullopt;
        for (std::uint64_t s = 0; s + n <= pages; ++s) {
          const std::uint64_t first = f.frame(vpn + s);
          if (first < lo || first + n - 1 > hi) continue;
          if (b != 0 && first / b != (first + n - 1) / b) continue;
          bool consecutive = true;
          for (std::uint64_t j = 1; j < n && consecutive; ++j) {
            consecutive = f.frame(vpn + s + j) == first + j;
          }
          if (consecutive) return vpn + s;
        }
        return std::nullopt;
      };
      for (int q = 0; q < 40; ++q) {
        const std::uint64_t n = 1 + rng() % std::min<std::uint64_t>(pages, 6);
        const std::uint64_t lo = rng() % 64;
        const std::uint64_t hi = rng() % 3 == 0 ? 63 : rng() % 64;
        const std::uint64_t b = rng() % 3 == 0 ? 0 : std::uint64_t{1} << (1 + rng() % 4);
        ASSERT_EQ(f.pages_.contiguous_part(vpn, PageCount{pages}, PageCount{n}, Pfn{lo}, Pfn{hi},
                                           PageCount{b}),
                  plain(n, lo, hi, b))
            << "round " << round << " n " << n << " window " << lo << ".." << hi << " b " << b;
      }
    }
    // Every page held has its own frame, held for the pool's owner.
    std::vector<std::uint64_t> frames;
    for (const auto& [vpn, pages] : held) {
      for (std::uint64_t i = 0; i < pages; ++i) {
        frames.push_back(f.frame(vpn + i));
        EXPECT_EQ(f.memory_.owner_of(Pfn{frames.back()}), f.owner_);
      }
    }
    std::sort(frames.begin(), frames.end());
    EXPECT_EQ(std::adjacent_find(frames.begin(), frames.end()), frames.end());
    for (const auto& [vpn, pages] : held) f.free(vpn, pages);
    EXPECT_EQ(f.pages_.frames_held().value + f.memory_.free_frames().value, 64u)
        << "runs of 4 or more pages went back to the page lists, the rest stay in the pool";
  }
}

}  // namespace
}  // namespace fragreplay::model
