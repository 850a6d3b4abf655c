// The legacy pool's small-block allocator and big-page path, step by step, with exact layouts
// worked out by hand from docs/model.md §3. Lookasides and delayed frees are switched off
// unless a test is about them, so each step shows the list rules alone.
#include "model/pool/legacy_pool.hpp"

#include <gtest/gtest.h>

#include "legacy_pool_fixture.hpp"

namespace fragreplay::model {
namespace {

using testing::kNonPagedPool;
using testing::plain;
using testing::PoolFixture;

using State = LegacyPool::BlockState;
using View = LegacyPool::BlockView;
constexpr std::uint64_t kPagedPool = 1;

// §3.2: no free block fits, so a page is taken: the allocation is the front N units, the rest of
// the page one free block. x86: N = (100 + 8 + 7) >> 3 = 14 units of 8 bytes; page = 512 units.
TEST(LegacyPool, NewPageIsSplitFrontAllocationRestFree) {
  PoolFixture f(plain("nt5-x86"));
  const std::uint64_t a = f.alloc(100);
  EXPECT_EQ(f.layout(a), (std::vector<View>{{0, 14, State::kAllocated}, {14, 498, State::kFree}}));
  EXPECT_EQ(f.pages(), PageCount{1});
  EXPECT_EQ(f.pool_.usage().live, Bytes{112});
  EXPECT_EQ(f.pool_.usage().free, Bytes{498 * 8});
}

// §3.2 split rule: a free block at the start of a page gives its front; elsewhere its end.
// §3.3: frees coalesce with the next block, then the previous one; a wholly free page is released.
TEST(LegacyPool, Nt5SplitFrontOrBackAndCoalesceBackToAnEmptyPage) {
  PoolFixture f(plain("nt5-x86"));
  const std::uint64_t a = f.alloc(100);  // [A 0:14][F 14:498]
  const std::uint64_t b = f.alloc(100);  // F does not start the page: B from its end
  EXPECT_EQ(f.layout(a), (std::vector<View>{{0, 14, State::kAllocated},
                                            {14, 484, State::kFree},
                                            {498, 14, State::kAllocated}}));
  f.free(a);  // merges with the free block after it: one free block at the page start
  EXPECT_EQ(f.layout(b), (std::vector<View>{{0, 498, State::kFree}, {498, 14, State::kAllocated}}));
  const std::uint64_t c = f.alloc(100);  // the free block starts the page: C from its front
  EXPECT_EQ(f.layout(c), (std::vector<View>{{0, 14, State::kAllocated},
                                            {14, 484, State::kFree},
                                            {498, 14, State::kAllocated}}));
  f.free(b);  // merges with the free block before it
  EXPECT_EQ(f.layout(c), (std::vector<View>{{0, 14, State::kAllocated}, {14, 498, State::kFree}}));
  f.free(c);  // the page is wholly free and goes back to memory management
  EXPECT_EQ(f.pages(), PageCount{0});
  // §3.8 MiFreePoolPages: a single page hangs off the SList (depth 4), keeping its frame.
  EXPECT_EQ(f.pages_.slist_depth(), 1u);
  EXPECT_EQ(f.memory_.free_frames(), PageCount{255});
  f.pages_.check_invariants();
}

// §3.2 search start: NT 5.x looks from ListHeads[N] (blocks of N+1 units and up), so an exactly
// sized free block is passed over; Windows 7 looks from ListHeads[N-1] and takes it.
TEST(LegacyPool, Nt5SkipsAnExactFitThatWindows7Takes) {
  {
    PoolFixture f(plain("nt5-x86"));
    const std::uint64_t a = f.alloc(100);  // [A 0:14][F 14:498]
    f.alloc(100);                          // B at 498
    const std::uint64_t c = f.alloc(100);  // C at 484
    const std::uint64_t b = c + 14 * 8;    // B's handle: the block after C
    f.free(b);                             // B: alone between C and the page end
    EXPECT_EQ(f.layout(a), (std::vector<View>{{0, 14, State::kAllocated},
                                              {14, 470, State::kFree},
                                              {484, 14, State::kAllocated},
                                              {498, 14, State::kFree}}));
    f.alloc(100);  // D: 14 units; the 14-unit free block is not looked at
    EXPECT_EQ(f.layout(a), (std::vector<View>{{0, 14, State::kAllocated},
                                              {14, 456, State::kFree},
                                              {470, 14, State::kAllocated},
                                              {484, 14, State::kAllocated},
                                              {498, 14, State::kFree}}));
  }
  {
    // x64: N = (100 + 16 + 15) >> 4 = 8 units of 16 bytes; page = 256 units.
    PoolFixture f(plain("win7-x64"));
    const std::uint64_t a = f.alloc(100);  // [A 0:8][F 8:248]
    f.alloc(100);                          // B at 248
    const std::uint64_t c = f.alloc(100);  // C at 240
    f.free(c + 8 * 16);                    // B
    f.alloc(100);                          // D takes B's exact-size block
    EXPECT_EQ(f.layout(a), (std::vector<View>{{0, 8, State::kAllocated},
                                              {8, 232, State::kFree},
                                              {240, 8, State::kAllocated},
                                              {248, 8, State::kAllocated}}));
  }
}

// §3.2: a one-unit remainder is only a header (header size == block size on x64), so it stays in
// the page on no list; §3.3: it still coalesces with a neighbour that is freed.
TEST(LegacyPool, HeaderOnlyRemainderIsOnNoListButCoalesces) {
  PoolFixture f(plain("win7-x64"));
  const std::uint64_t a = f.alloc(100);  // [A 0:8][F 8:248]
  const std::uint64_t p = f.alloc(120);  // 9 units from F's end: P at 247
  const std::uint64_t b = f.alloc(100);  // B at 239
  f.free(p);                             // P alone: free block of 9 units at 247
  const std::uint64_t x = f.alloc(100);  // 8 units: ListHeads[7] empty, P (9) split from its end
  EXPECT_EQ(f.layout(a), (std::vector<View>{{0, 8, State::kAllocated},
                                            {8, 231, State::kFree},
                                            {239, 8, State::kAllocated},
                                            {247, 1, State::kFree},
                                            {248, 8, State::kAllocated}}));
  EXPECT_EQ(f.pool_.usage().free, Bytes{(231 + 1) * 16})
      << "the header-only fragment is free bytes";
  f.free(x);  // merges with the one-unit fragment before it
  EXPECT_EQ(f.layout(a), (std::vector<View>{{0, 8, State::kAllocated},
                                            {8, 231, State::kFree},
                                            {239, 8, State::kAllocated},
                                            {247, 9, State::kFree}}));
  f.free(b);  // merges both ways
  EXPECT_EQ(f.layout(a), (std::vector<View>{{0, 8, State::kAllocated}, {8, 248, State::kFree}}));
  f.free(a);
  EXPECT_EQ(f.pages(), PageCount{0});
}

// §7 worked footprints (x64, Windows 7): n = 1 -> 32, 100 -> 128, 1000 -> 1024, 4000 -> 4016
// (leaving an 80-byte free fragment), 4064 (0xFE0, the largest small request) -> 4080 (leaving a
// 16-byte header-only stub).
TEST(LegacyPool, Windows7WorkedFootprints) {
  struct Case {
    std::uint64_t n, footprint, header, granularity;
  };
  for (const Case c : {Case{1, 32, 16, 15}, Case{100, 128, 16, 12}, Case{1000, 1024, 16, 8},
                       Case{4000, 4016, 16, 0}, Case{4064, 4080, 16, 0}}) {
    PoolFixture f(plain("win7-x64"));
    const AllocOutcome o = f.alloc_outcome(c.n);
    ASSERT_TRUE(o.ok);
    EXPECT_EQ(o.footprint, Bytes{c.footprint}) << c.n;
    EXPECT_EQ(o.waste.pool_header, Bytes{c.header}) << c.n;
    EXPECT_EQ(o.waste.granularity, Bytes{c.granularity}) << c.n;
    EXPECT_EQ(o.waste.sub_page, Bytes{0}) << c.n;
    EXPECT_EQ(f.pool_.usage().free, Bytes{4096 - c.footprint}) << c.n;
  }
}

// §1.2 x86 NT 5.x: header 8, granularity 8; 100 bytes -> 14 units = 112 (8 header + 4 rounding).
// §1.2: a zero-byte request is treated as one byte.
TEST(LegacyPool, Nt5X86Footprints) {
  PoolFixture f(plain("nt5-x86"));
  AllocOutcome o = f.alloc_outcome(100);
  EXPECT_EQ(o.footprint, Bytes{112});
  EXPECT_EQ(o.waste.pool_header, Bytes{8});
  EXPECT_EQ(o.waste.granularity, Bytes{4});
  o = f.alloc_outcome(0);
  EXPECT_EQ(o.footprint, Bytes{16});
  EXPECT_EQ(o.waste.granularity, Bytes{8});
}

// §3.6: on x86 a quota allocation carries the EPROCESS pointer: 100 bytes become 104, still 14
// units; the 4 bytes count as header overhead.
TEST(LegacyPool, X86QuotaPointerCountsAsHeader) {
  PoolFixture f(plain("nt5-x86"));
  const AllocOutcome o =
      f.pool_.allocate(PoolRequest{kNonPagedPool, Bytes{100}, Tag::from_chars("Quot"), true});
  ASSERT_TRUE(o.ok);
  EXPECT_EQ(o.footprint, Bytes{112});
  EXPECT_EQ(o.waste.pool_header, Bytes{12});
  EXPECT_EQ(o.waste.granularity, Bytes{0});
}

// §3.7 NT 5.x: a big request takes whole pages and loses the rest of the last one. The
// documentation's 5 KB example: 5120 bytes -> two pages, 3072 bytes lost.
TEST(LegacyPool, Nt5BigAllocationWastesTheLastPageTail) {
  PoolFixture f(plain("nt5-x86"));
  const AllocOutcome o = f.alloc_outcome(5120);
  ASSERT_TRUE(o.ok);
  EXPECT_EQ(o.handle % 4096, 0u) << "big allocations are page aligned";
  EXPECT_EQ(o.footprint, Bytes{8192});
  EXPECT_EQ(o.waste.sub_page, Bytes{3072});
  EXPECT_EQ(f.pages(), PageCount{2});
  f.free(o.handle);
  EXPECT_EQ(f.pages(), PageCount{0});
}

// §3.7 Vista and later: 5120 mod 4096 = 1024 <= 0xFC0 and 5120 < 64 KiB, so the allocation keeps
// round16(5120) = 5120 bytes, a 32-byte 'Frag' block follows, and the rest of the last page
// (4096 - 1024 - 32 = 3040 bytes = 190 units) is a free block for small allocations.
TEST(LegacyPool, Windows7BigAllocationGivesItsTailToTheSmallBlockLists) {
  PoolFixture f(plain("win7-x64"));
  const AllocOutcome big = f.alloc_outcome(5120);
  ASSERT_TRUE(big.ok);
  EXPECT_EQ(big.footprint, Bytes{5152});
  EXPECT_EQ(big.waste.pool_header, Bytes{32});
  EXPECT_EQ(big.waste.granularity, Bytes{0});
  EXPECT_EQ(big.waste.sub_page, Bytes{0});
  const std::uint64_t last_page = big.handle + 4096;
  EXPECT_EQ(f.layout(last_page),
            (std::vector<View>{
                {0, 64, State::kBigTail}, {64, 2, State::kFrag}, {66, 190, State::kFree}}));
  // A small allocation is carved from that tail (from its end: it does not start the page).
  const std::uint64_t small = f.alloc(100);
  EXPECT_EQ(f.pages(), PageCount{2}) << "no new page for the small block";
  EXPECT_EQ(f.layout(last_page), (std::vector<View>{{0, 64, State::kBigTail},
                                                    {64, 2, State::kFrag},
                                                    {66, 182, State::kFree},
                                                    {248, 8, State::kAllocated}}));
  // Freeing the big allocation keeps the shared last page: its front becomes one free block.
  f.free(big.handle);
  EXPECT_EQ(f.pages(), PageCount{1});
  EXPECT_EQ(f.layout(last_page),
            (std::vector<View>{{0, 248, State::kFree}, {248, 8, State::kAllocated}}));
  f.free(small);
  EXPECT_EQ(f.pages(), PageCount{0});
}

// §7: 5000 bytes on Windows 7 -> 5008 + 32 'Frag' = 5040; the free tail is 3152 bytes.
// 4065 bytes: 4065 mod 4096 > 0xFC0 -> one whole page. 70000 bytes: 16-byte rounded size is at
// least 64 KiB -> 18 whole pages.
TEST(LegacyPool, Windows7TailRuleBoundaries) {
  {
    PoolFixture f(plain("win7-x64"));
    const AllocOutcome o = f.alloc_outcome(5000);
    EXPECT_EQ(o.footprint, Bytes{5040});
    EXPECT_EQ(o.waste.granularity, Bytes{8});
    EXPECT_EQ(f.pool_.usage().free, Bytes{3152});
  }
  {
    PoolFixture f(plain("win7-x64"));
    const AllocOutcome o = f.alloc_outcome(4065);
    EXPECT_EQ(o.footprint, Bytes{4096});
    EXPECT_EQ(o.waste.sub_page, Bytes{31});
    EXPECT_EQ(f.pool_.usage().free, Bytes{0});
  }
  {
    PoolFixture f(plain("win7-x64"));
    const AllocOutcome o = f.alloc_outcome(70000);
    EXPECT_EQ(o.footprint, Bytes{18 * 4096});
    EXPECT_EQ(o.waste.sub_page, Bytes{18 * 4096 - 70000});
  }
}

// A big allocation whose tail page holds nothing else when it is freed gives back every page.
TEST(LegacyPool, Windows7BigFreeWithUntouchedTailReleasesEveryPage) {
  PoolFixture f(plain("win7-x64"));
  const AllocOutcome o = f.alloc_outcome(9000);
  ASSERT_EQ(f.pages(), PageCount{3});
  f.free(o.handle);
  EXPECT_EQ(f.pages(), PageCount{0});
}

// Paged pool pages take no physical frame until touched (§3.8, last point).
TEST(LegacyPool, PagedPoolTakesNoFrames) {
  PoolFixture f(plain("win7-x64"));
  f.alloc(100, kPagedPool);
  EXPECT_EQ(f.pages(), PageCount{1});
  EXPECT_EQ(f.memory_.free_frames(), PageCount{256});
  f.alloc(100, kNonPagedPool);
  EXPECT_EQ(f.memory_.free_frames(), PageCount{255});
}

// §3.3 step 2 with the Windows 7 profile's lookasides (depth 2 at start, §1.2): freed small
// blocks are parked on the per-processor list, then the global list, and reused as they are.
TEST(LegacyPool, LookasideKeepsSmallFreedBlocksCarvedOut) {
  Profile p = builtin_profile("win7-x64");
  p.pending_frees = 0;
  PoolFixture f(p);
  std::vector<std::uint64_t> h;
  for (int i = 0; i < 5; ++i) h.push_back(f.alloc(100));
  for (int i = 0; i < 5; ++i) f.free(h[static_cast<std::size_t>(i)]);
  // Two on P, two on L, the fifth coalesced with the free remainder.
  EXPECT_EQ(f.pool_.usage().cached, Bytes{4 * 128});
  const auto l = f.layout(h[0]);
  int parked = 0;
  for (const auto& v : l) parked += v.state == State::kLookaside ? 1 : 0;
  EXPECT_EQ(parked, 4);
  // The next allocation of the same size pops the per-processor list (LIFO): the last block pushed.
  EXPECT_EQ(f.alloc(100), h[1]);
}

// §3.4 (WRK ExpComputeLookasideDepth, one processor): every 3 s the pool lookasides are tuned,
// alternating P and L lists. Fewer than 3 * 25 allocations in the period: depth - 10, at least 4
// (so 2 -> 4). 80 allocations all missing: ratio 1000, delta min(1000 * (256 - 2) / 2000 + 5, 30)
// = 30, so 2 -> 32.
TEST(LegacyPool, LookasideDepthTuningFollowsTheMissRate) {
  Profile p = builtin_profile("win7-x64");
  p.pending_frees = 0;
  PoolFixture f(p);
  f.pool_.advance_time(0);
  for (int i = 0; i < 80; ++i) f.alloc(100);  // 8 units: all miss the empty lookasides
  f.pool_.advance_time(3'000'000'000);        // ticks at 1 s, 2 s, 3 s: the 3rd tunes P
  EXPECT_EQ(f.pool_.lookaside_depth(0, 8, false), 32u);
  EXPECT_EQ(f.pool_.lookaside_depth(0, 7, false), 4u) << "an idle list goes to the minimum";
  EXPECT_EQ(f.pool_.lookaside_depth(0, 8, true), 2u) << "L is tuned on the next pool scan";
  f.pool_.advance_time(6'000'000'000);  // the next pool scan tunes L
  EXPECT_EQ(f.pool_.lookaside_depth(0, 8, true), 32u) << "L saw the same 80 misses";
}

// §3.3 step 3 (WRK ExFreePoolWithTag / ExDeferredFreePool): with delayed frees, blocks wait on a
// list; the 33rd free processes the 32 waiting ones first, and a page that becomes wholly free is
// released then.
TEST(LegacyPool, DelayedFreesAreProcessedInBatchesOf32) {
  Profile p = builtin_profile("win7-x64");
  p.lookaside_max_units = 0;
  PoolFixture f(p, /*delayed=*/true);
  std::vector<std::uint64_t> h;
  for (int i = 0; i < 33; ++i) h.push_back(f.alloc(100));  // 32 blocks of 8 units fill page 1
  ASSERT_EQ(f.pages(), PageCount{2});
  for (int i = 0; i < 32; ++i) f.free(h[static_cast<std::size_t>(i)]);
  EXPECT_EQ(f.pages(), PageCount{2}) << "32 frees wait";
  EXPECT_EQ(f.pool_.usage().cached, Bytes{32 * 128});
  f.free(h[32]);  // the 33rd processes the first 32: page 1 is wholly free and released
  EXPECT_EQ(f.pages(), PageCount{1});
  EXPECT_EQ(f.pool_.usage().cached, Bytes{128});
}

// Nonpaged pool cannot grow once physical memory is exhausted.
TEST(LegacyPool, NonPagedGrowthFailsWithExhaustionWhenFramesRunOut) {
  PoolFixture f(plain("win7-x64"), false, /*frames=*/2);
  const AllocOutcome big = f.alloc_outcome(9000);  // 3 pages
  EXPECT_FALSE(big.ok);
  EXPECT_EQ(big.cause, FailCause::kExhaustion);
  EXPECT_TRUE(f.alloc_outcome(100).ok);
}

}  // namespace
}  // namespace fragreplay::model
