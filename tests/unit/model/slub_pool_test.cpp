// Linux SLUB kmalloc (the linux-slub profile): size classes, slabs and their freelists, partial
// slabs and discards, kmalloc_large, worked out from mm/slub.c's rules as slub_pool.hpp states
// them.
#include "model/pool/slub_pool.hpp"

#include <gtest/gtest.h>

#include "model/physical/physical_memory.hpp"
#include "model/pool/pool_pages.hpp"

namespace fragreplay::model {
namespace {

using Slab = SlubPool::SlabView;

class Slub {
 public:
  explicit Slub(Profile profile, std::vector<RamRange> ram = {RamRange{Pfn{0x100}, PageCount{256}}})
      : p_(std::move(profile)),
        memory_(std::move(ram), p_.page_size, 0),
        pages_(memory_, p_.page_size),
        pool_(p_, pages_, memory_) {}

  AllocOutcome alloc(std::uint64_t bytes) {
    const AllocOutcome o = pool_.allocate(PoolRequest{0, Bytes{bytes}, Tag::from_chars(""), false});
    EXPECT_TRUE(o.ok) << bytes;
    EXPECT_EQ(o.footprint, Bytes{bytes} + o.waste.total());
    check();
    return o;
  }
  void free(std::uint64_t handle) {
    ASSERT_TRUE(pool_.free(handle));
    check();
  }
  void check() const {
    pool_.check_invariants();
    memory_.check_invariants();
    EXPECT_EQ(memory_.total_frames() - memory_.free_frames(),
              pages_.pages_held() + PageCount{other_frames_});
  }

  Profile p_;
  std::uint64_t other_frames_ = 0;  // frames the test takes for something else
  PhysicalMemory memory_;
  PoolPages pages_;
  SlubPool pool_;
};

Profile slub() { return builtin_profile("linux-slub"); }

// kmalloc's size classes: the smallest of 8, 16, 32, 64, 96, 128, 192, 256, 512, 1K, 2K, 4K, 8K
// that holds n; above 8 KiB, 4 KiB << get_order(n) from the page allocator.
TEST(Slub, ChargedBytesFollowTheSizeClasses) {
  Slub s(slub());
  struct Case {
    std::uint64_t n, charged;
  };
  for (const Case c :
       {Case{0, 0}, Case{1, 8}, Case{8, 8}, Case{9, 16}, Case{33, 64}, Case{65, 96}, Case{96, 96},
        Case{97, 128}, Case{129, 192}, Case{193, 256}, Case{257, 512}, Case{552, 1024},
        Case{1025, 2048}, Case{4097, 8192}, Case{4816, 8192}, Case{8192, 8192}, Case{8193, 16384},
        Case{16384, 16384}, Case{16385, 32768}}) {
    EXPECT_EQ(s.pool_.charged_bytes(c.n), c.charged) << c.n;
  }
}

// A new slab of kmalloc-128 (order 0: 4096 / 128 = 32 objects) hands out objects in address
// order; a freed object is the next one handed out (LIFO freelist).
TEST(Slub, SlabObjectsInOrderThenLifo) {
  Slub s(slub());
  const AllocOutcome a = s.alloc(100);
  EXPECT_EQ(a.footprint, Bytes{128});
  EXPECT_EQ(a.waste.granularity, Bytes{28});
  const std::uint64_t b = s.alloc(120).handle;
  const std::uint64_t c = s.alloc(128).handle;
  EXPECT_EQ(b, a.handle + 128);
  EXPECT_EQ(c, a.handle + 256);
  EXPECT_EQ(s.pool_.slabs(128), (std::vector<Slab>{{a.handle, 0, 32, {0, 1, 2}}}));
  s.free(b);
  EXPECT_EQ(s.pool_.slabs(128), (std::vector<Slab>{{a.handle, 0, 32, {0, 2}}}));
  EXPECT_EQ(s.alloc(100).handle, b);
  EXPECT_EQ(s.pool_.usage().pages, PageCount{1});
  EXPECT_EQ(s.pool_.usage().free, Bytes{4096 - 3 * 128});
}

// When the cpu slab is full the next allocation opens a new slab; a free into the full slab puts
// it on the partial list (at its tail), and it is taken when the cpu slab fills up again.
TEST(Slub, FullSlabsJoinThePartialListWhenAnObjectIsFreed) {
  Slub s(slub());
  std::vector<std::uint64_t> h;
  for (int i = 0; i < 33; ++i) h.push_back(s.alloc(128).handle);
  const std::uint64_t first = h[0];
  const std::uint64_t second = h[32];
  EXPECT_EQ(s.pool_.cpu_slab(128), second);
  s.free(h[5]);
  EXPECT_EQ(s.pool_.partial_slabs(128), std::vector<std::uint64_t>{first});
  for (int i = 0; i < 31; ++i) s.alloc(128);  // fills the second slab
  EXPECT_EQ(s.alloc(128).handle, h[5]) << "the partial slab's free object";
  EXPECT_EQ(s.pool_.cpu_slab(128), first);
  EXPECT_TRUE(s.pool_.partial_slabs(128).empty());
}

// An empty slab is discarded once the cache keeps min_partial partial slabs
// (ilog2(size) / 2 within [5, 10]: 6 for kmalloc-4k); with a floor and ceiling of 0 at once.
TEST(Slub, EmptySlabsBeyondMinPartialAreDiscarded) {
  for (const unsigned min_partial : {0u, 6u}) {
    Profile p = slub();
    p.slub.classes = {{4096, 0}};  // one object per slab
    if (min_partial == 0) p.slub.min_partial_floor = p.slub.min_partial_ceiling = 0;
    Slub s(p);
    const std::uint64_t a = s.alloc(4096).handle;
    s.alloc(4096);
    s.free(a);  // a's slab was full (off every list) and is now empty
    EXPECT_EQ(s.pool_.usage().pages, PageCount{min_partial == 0 ? 1u : 2u}) << min_partial;
    EXPECT_EQ(s.pool_.partial_slabs(4096).size(), min_partial == 0 ? 0u : 1u);
  }
}

// Slabs are 2^order physically contiguous frames aligned to their size (kmalloc-1k: order 3, 8
// frames, 32 objects); when no such block is free SLUB falls back to the smallest order holding
// one object (order 0: four 1 KiB objects).
TEST(Slub, SlabsAreAlignedBlocksWithAnOrderFallback) {
  Slub s(slub(), {RamRange{Pfn{0x100}, PageCount{8}}});
  const std::uint64_t a = s.alloc(1000).handle;
  EXPECT_EQ(s.pool_.slabs(1024), (std::vector<Slab>{{a, 3, 32, {0}}}));
  EXPECT_EQ(s.pages_.frame_of(s.pages_.vpn_of(a)), Pfn{0x100});
  s.free(a);
  Slub t(slub(), {RamRange{Pfn{0x100}, PageCount{8}}});
  t.memory_.take_page(t.memory_.intern_owner({OwnerClass::kBackground, Tag{}}),
                      CachingType::kMmCached);
  t.other_frames_ = 1;
  const std::uint64_t b = t.alloc(1000).handle;
  EXPECT_EQ(t.pool_.slabs(1024), (std::vector<Slab>{{b, 0, 4, {0}}}));
}

// kmalloc_large: above 8 KiB, 2^get_order(n) pages: 10000 bytes -> order 2, 16384 bytes, the
// unused 6384 bytes counted as sub-page rounding; kmalloc(0) is ZERO_SIZE_PTR and takes nothing.
TEST(Slub, LargeRequestsAndZero) {
  Slub s(slub());
  const AllocOutcome big = s.alloc(10000);
  EXPECT_EQ(big.footprint, Bytes{16384});
  EXPECT_EQ(big.waste.sub_page, Bytes{6384});
  EXPECT_EQ(s.pool_.usage().pages, PageCount{4});
  EXPECT_EQ(s.pages_.frame_of(s.pages_.vpn_of(big.handle))->value % 4, 0u);
  s.free(big.handle);
  const AllocOutcome zero = s.alloc(0);
  EXPECT_EQ(zero.handle, SlubPool::kZeroSizePtr);
  EXPECT_EQ(zero.footprint, Bytes{0});
  s.free(zero.handle);
  EXPECT_EQ(s.pool_.usage().pages, PageCount{0});
}

}  // namespace
}  // namespace fragreplay::model
