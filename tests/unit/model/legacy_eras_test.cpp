// The legacy pool era by era: the worked footprints of docs/model.md §7 for NT 5.x,
// Windows 7 and Windows 8 - 10 1809 (x64), the same split/coalesce sequence under each era with
// the exact page layout after every step (§3.2, §3.3), and what Windows 8 added: NonPagedPoolNx
// descriptors of its own (§6) and the cache-aligned rule (§3.5). IA64's 8 KiB pages close it.
#include <gtest/gtest.h>

#include "legacy_pool_fixture.hpp"

namespace fragreplay::model {
namespace {

using State = LegacyPool::BlockState;
using View = LegacyPool::BlockView;
using testing::kNonPagedPool;
constexpr std::uint64_t kNonPagedPoolCacheAligned = 0x4;
constexpr std::uint64_t kNonPagedPoolNx = 0x200;

using testing::plain;
using testing::PoolFixture;

struct Footprint {
  std::uint64_t n;
  std::uint64_t footprint;
  std::uint64_t free_left;  // free bytes in pool pages after the allocation
};

void expect_footprints(const std::string& profile, const std::vector<Footprint>& rows) {
  for (const Footprint& row : rows) {
    PoolFixture f(plain(profile));
    const AllocOutcome o = f.alloc_ok(row.n);
    EXPECT_EQ(o.footprint, Bytes{row.footprint}) << profile << " n=" << row.n;
    EXPECT_EQ(f.pool_.usage().free, Bytes{row.free_left}) << profile << " n=" << row.n;
  }
}

// §7, "NT 5.x footprint" column (x64: 16-byte header and blocks): a big request takes whole pages
// and the last page's tail is lost (§3.7). 4000 leaves an 80-byte free fragment; 4064 (0xFE0) a
// 16-byte header-only stub; 5000 wastes 3192 bytes of its second page.
TEST(LegacyEras, Nt5WorkedFootprints) {
  expect_footprints("nt5-x64", {{1, 32, 4064},
                                {100, 128, 3968},
                                {1000, 1024, 3072},
                                {4000, 4016, 80},
                                {4064, 4080, 16},
                                {4065, 4096, 0},
                                {5000, 8192, 0},
                                {70000, 18 * 4096, 0}});
  PoolFixture f(plain("nt5-x64"));
  EXPECT_EQ(f.alloc_ok(5000).waste.sub_page, Bytes{3192});
}

// §7, "Win7-10 1809" column, for both Windows 7 and Windows 8 - 10 1809: 4065 bytes are one page
// (4065 mod 4096 > 0xFC0); 5000 bytes are 5008 + a 32-byte 'Frag' block = 5040 and the rest of the
// second page, 3152 bytes, is a free block (§3.7); 70000 bytes are 18 pages (>= 64 KiB).
TEST(LegacyEras, Windows7To1809WorkedFootprints) {
  for (const char* profile : {"win7-x64", "win8-x64"}) {
    expect_footprints(profile, {{1, 32, 4064},
                                {100, 128, 3968},
                                {1000, 1024, 3072},
                                {4000, 4016, 80},
                                {4064, 4080, 16},
                                {4065, 4096, 0},
                                {5000, 5040, 3152},
                                {70000, 18 * 4096, 0}});
  }
}

// §3.7 at its edges (Windows 8 - 10 1809, DEC-8): the tail is reused when n mod 4096 is in
// [1, 0xFC0] and the 16-byte rounded size is under 64 KiB.
TEST(LegacyEras, Windows8TailRuleEdges) {
  struct Case {
    std::uint64_t n, footprint;
  };
  // 4096 + 0xFC0 = 8128: tail kept, 8128 + 32 = 8160 and a 32-byte free block.
  // 8129: remainder 0xFC1 > 0xFC0, two whole pages. 8192: a page multiple, whole pages.
  // 65520 = 15 pages + 4080: remainder 0xFF0 > 0xFC0. 61441 = 15 pages + 1: round16 = 61456 <
  // 64 KiB, kept: 61456 + 32. 65537 = 16 pages + 1: remainder 1, but round16 = 65552 >= 64 KiB,
  // so 17 whole pages.
  for (const Case c : {Case{8128, 8160}, Case{8129, 8192}, Case{8192, 8192}, Case{65520, 16 * 4096},
                       Case{61441, 61456 + 32}, Case{65537, 17 * 4096}}) {
    PoolFixture f(plain("win8-x64"));
    EXPECT_EQ(f.alloc_ok(c.n).footprint, Bytes{c.footprint}) << c.n;
  }
}

// One split/coalesce sequence under every x64 legacy era, with the page layout after each step.
// Blocks of 100 bytes are (100 + 16 + 15) >> 4 = 8 units; a page is 256 units (§1.2).
// NT 5.x searches from ListHeads[N] and so passes over an exact fit (§3.2); Windows 7 and
// Windows 8 - 10 1809 search from ListHeads[N-1] and take it.
TEST(LegacyEras, SplitAndCoalesceSequencePerEra) {
  for (const char* profile : {"nt5-x64", "win7-x64", "win8-x64"}) {
    SCOPED_TRACE(profile);
    const bool nt5 = std::string(profile) == "nt5-x64";
    PoolFixture f(plain(profile));
    const std::uint64_t a = f.alloc_ok(100).handle;  // a new page: A from its front (§3.2)
    EXPECT_EQ(f.layout(a), (std::vector<View>{{0, 8, State::kAllocated}, {8, 248, State::kFree}}));
    const std::uint64_t b = f.alloc_ok(100).handle;  // the free block is not at the page start: end
    EXPECT_EQ(f.layout(a),
              (std::vector<View>{
                  {0, 8, State::kAllocated}, {8, 240, State::kFree}, {248, 8, State::kAllocated}}));
    const std::uint64_t c = f.alloc_ok(100).handle;
    EXPECT_EQ(c + 8 * 16, b);
    f.free(b);  // B: the page end after it, C before it allocated: a lone free block of 8 units
    EXPECT_EQ(f.layout(a), (std::vector<View>{{0, 8, State::kAllocated},
                                              {8, 232, State::kFree},
                                              {240, 8, State::kAllocated},
                                              {248, 8, State::kFree}}));
    const std::uint64_t d = f.alloc_ok(100).handle;
    if (nt5) {
      // ListHeads[8] upward: the 232-unit block, split from its end.
      EXPECT_EQ(f.layout(a), (std::vector<View>{{0, 8, State::kAllocated},
                                                {8, 224, State::kFree},
                                                {232, 8, State::kAllocated},
                                                {240, 8, State::kAllocated},
                                                {248, 8, State::kFree}}));
    } else {
      // ListHeads[7] holds B's block: an exact fit, taken whole.
      EXPECT_EQ(d, b);
      EXPECT_EQ(f.layout(a), (std::vector<View>{{0, 8, State::kAllocated},
                                                {8, 232, State::kFree},
                                                {240, 8, State::kAllocated},
                                                {248, 8, State::kAllocated}}));
    }
    f.free(c);  // §3.3: merge with a free next block, then a free previous one
    if (nt5) {
      EXPECT_EQ(f.layout(a), (std::vector<View>{{0, 8, State::kAllocated},
                                                {8, 224, State::kFree},
                                                {232, 8, State::kAllocated},
                                                {240, 16, State::kFree}}));
    } else {
      EXPECT_EQ(f.layout(a), (std::vector<View>{{0, 8, State::kAllocated},
                                                {8, 240, State::kFree},
                                                {248, 8, State::kAllocated}}));
    }
    f.free(a);
    if (nt5) {
      EXPECT_EQ(f.layout(d),
                (std::vector<View>{
                    {0, 232, State::kFree}, {232, 8, State::kAllocated}, {240, 16, State::kFree}}));
    } else {
      EXPECT_EQ(f.layout(d),
                (std::vector<View>{{0, 248, State::kFree}, {248, 8, State::kAllocated}}));
    }
    f.free(d);  // the page is wholly free: released (§3.3 step 4)
    EXPECT_EQ(f.pool_.usage().pages, PageCount{0});
  }
}

// §6: Windows 8 keeps NonPagedPoolNx apart from executable NonPagedPool; Windows 7 mixes them in
// one descriptor, so the second allocation shares the first one's page.
TEST(LegacyEras, Windows8SeparatesNxFromExecutableNonPagedPool) {
  {
    PoolFixture f(plain("win7-x64"));
    const std::uint64_t x = f.alloc_ok(100, kNonPagedPool).handle;
    const std::uint64_t nx = f.alloc_ok(100, kNonPagedPoolNx).handle;
    EXPECT_EQ(x / 4096, nx / 4096);
    EXPECT_EQ(f.pool_.usage().pages, PageCount{1});
  }
  {
    PoolFixture f(plain("win8-x64"));
    const std::uint64_t x = f.alloc_ok(100, kNonPagedPool).handle;
    const std::uint64_t nx = f.alloc_ok(100, kNonPagedPoolNx).handle;
    EXPECT_NE(x / 4096, nx / 4096);
    EXPECT_EQ(f.pool_.usage().pages, PageCount{2});
    EXPECT_EQ(f.layout(nx), (std::vector<View>{{0, 8, State::kAllocated}, {8, 248, State::kFree}}));
  }
}

// §3.5 (Windows 8+): a CacheAligned request of 100 bytes grows to round_up(100, 64) + 64 = 192,
// so the block is (192 + 16 + 15) >> 4 = 13 units = 208 bytes. On a new page the block's data
// would start at +16; the caller gets +64, the next cache line, with a second POOL_HEADER at +48:
// 32 bytes of headers, 208 - 100 - 32 = 76 bytes of rounding.
TEST(LegacyEras, Windows8CacheAlignedRequestGetsACacheLine) {
  PoolFixture f(plain("win8-x64"));
  const AllocOutcome o = f.alloc_ok(100, kNonPagedPoolCacheAligned);
  EXPECT_EQ(o.footprint, Bytes{208});
  EXPECT_EQ(o.handle % 64, 0u);
  EXPECT_EQ(o.handle % 4096, 64u);
  EXPECT_EQ(o.waste.pool_header, Bytes{32});
  EXPECT_EQ(o.waste.granularity, Bytes{76});
  EXPECT_EQ(f.layout(o.handle),
            (std::vector<View>{{0, 13, State::kAllocated}, {13, 243, State::kFree}}));
  f.free(o.handle);  // freed through the aligned pointer
  EXPECT_EQ(f.pool_.usage().pages, PageCount{0});
}

// When the block's data is already on a cache line there is no second header: a 32-byte block at
// the page start (3 units), then the CacheAligned block from the end of the free rest: 13 units at
// unit 243, data at 243 * 16 + 16 = 3904 = 61 * 64.
TEST(LegacyEras, Windows8CacheAlignedBlockAlreadyOnALine) {
  PoolFixture f(plain("win8-x64"));
  f.alloc_ok(32);
  const AllocOutcome o = f.alloc_ok(100, kNonPagedPoolCacheAligned);
  EXPECT_EQ(o.handle % 4096, 3904u);
  EXPECT_EQ(o.waste.pool_header, Bytes{16});
  EXPECT_EQ(o.waste.granularity, Bytes{208 - 100 - 16});
  f.free(o.handle);
}

// §3.5: if the grown request no longer fits the small-block path the CacheAligned bit is dropped:
// 4000 -> 4032 + 64 = 4096 > 0xFE0, so 4000 bytes are served as usual (4016). Windows 7 has no
// rule at all: a CacheAligned 100 bytes is 128.
TEST(LegacyEras, CacheAlignedRuleByEra) {
  {
    PoolFixture f(plain("win8-x64"));
    EXPECT_EQ(f.alloc_ok(4000, kNonPagedPoolCacheAligned).footprint, Bytes{4016});
  }
  {
    PoolFixture f(plain("win7-x64"));
    const AllocOutcome o = f.alloc_ok(100, kNonPagedPoolCacheAligned);
    EXPECT_EQ(o.footprint, Bytes{128});
    EXPECT_EQ(o.handle % 4096, 16u);
  }
}

// IA64 (§1.1, §1.2): 8 KiB pages of 512 units of 16 bytes; the largest small request is
// 8192 - 32 = 8160; a bigger request takes whole 8 KiB pages (NT 5.x tail wasted).
TEST(LegacyEras, Ia64EightKilobytePages) {
  PoolFixture f(plain("ia64"));
  const AllocOutcome small = f.alloc_ok(8160);
  EXPECT_EQ(small.footprint, Bytes{8176});
  EXPECT_EQ(f.layout(small.handle),
            (std::vector<View>{{0, 511, State::kAllocated}, {511, 1, State::kFree}}));
  const AllocOutcome big = f.alloc_ok(8161);  // one whole 8 KiB page
  EXPECT_EQ(big.footprint, Bytes{8192});
  EXPECT_EQ(big.waste.sub_page, Bytes{31});
  EXPECT_EQ(big.handle % 8192, 0u);
  const AllocOutcome two = f.alloc_ok(9000);  // two pages, 16384 - 9000 lost
  EXPECT_EQ(two.footprint, Bytes{16384});
  EXPECT_EQ(two.waste.sub_page, Bytes{16384 - 9000});
  const AllocOutcome hundred = f.alloc_ok(100);
  EXPECT_EQ(hundred.footprint, Bytes{128});
}

}  // namespace
}  // namespace fragreplay::model
