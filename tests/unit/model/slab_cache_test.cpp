// Slab caches of their own (kmem_cache_alloc): the slab order Linux mm/slub.c calculate_order()
// gives an object size, worked out by hand, and objects placed on slabs of their cache apart
// from the kmalloc caches (slub_pool.hpp, slab_order.hpp).
#include <gtest/gtest.h>

#include "model/physical/physical_memory.hpp"
#include "model/pool/pool_pages.hpp"
#include "model/pool/slab_order.hpp"
#include "model/pool/slub_pool.hpp"

namespace fragreplay::model {
namespace {

// calculate_order with min_objects 20 (8 CPUs), slub_max_order 3, 4 KiB pages:
//  - 280 B: get_order(20 * 280 = 5600) = 1; 8192 mod 280 = 72 <= 8192/16: order 1.
//  - 4096 B: at most 32768 / 4096 = 8 objects on an order-3 slab, so min_objects = 8;
//    get_order(8 * 4096) = 3, leftover 0: order 3.
//  - 1312 B: min(20, 32768 / 1312 = 24) = 20; get_order(26240) = 3; 32768 mod 1312 = 1280 <= 2048:
//    order 3.
//  - 24 B: get_order(480) = 0; 4096 mod 24 = 16 <= 256: order 0.
//  - 3000 B: min_objects = 32768 / 3000 = 10; get_order(30000) = 3, leftover 32768 - 30000 = 2768
//    is over 1/16 of the slab (2048) but within 1/8 (4096): order 3.
//  - 20000 B: one object per order-3 slab (min_objects 1): calc_slab_order(.., 1, 3, 1) gives
//    get_order(20000) = 3.
//  - 40000 B: no room within slub_max_order: get_order(40000) = 4, up to the largest order.
TEST(SlabOrder, FollowsCalculateOrder) {
  EXPECT_EQ(slab_order(280, 4096), 1u);
  EXPECT_EQ(slab_order(4096, 4096), 3u);
  EXPECT_EQ(slab_order(1312, 4096), 3u);
  EXPECT_EQ(slab_order(24, 4096), 0u);
  EXPECT_EQ(slab_order(3000, 4096), 3u);
  EXPECT_EQ(slab_order(20000, 4096), 3u);
  EXPECT_EQ(slab_order(40000, 4096), 4u);
  EXPECT_EQ(slab_order(0, 4096), std::nullopt);
  EXPECT_EQ(slab_order(4096ull << 11, 4096), std::nullopt) << "beyond an order-10 block";
}

TEST(SlabOrder, GivesTheBuiltInKmallocClassesTheirOrders) {
  for (const SlabClass& c : builtin_profile("linux-slub").slub.classes) {
    EXPECT_EQ(slab_order(c.size, 4096), c.order) << "kmalloc-" << c.size;
  }
}

TEST(SlabCache, ObjectsGoOnSlabsOfTheirOwnCache) {
  const Profile p = builtin_profile("linux-slub");
  PhysicalMemory memory({RamRange{Pfn{0x100}, PageCount{256}}}, p.page_size, 0);
  PoolPages pages(memory, p.page_size);
  SlubPool pool(p, pages, memory);
  const Tag tag = Tag::from_chars("");
  // A 280-byte cache: order 1, 8192 / 280 = 29 objects per slab.
  const AllocOutcome a = pool.allocate_object(280, PoolRequest{0, Bytes{264}, tag, false});
  ASSERT_TRUE(a.ok);
  EXPECT_EQ(a.footprint, Bytes{280}) << "charged the object size the trace recorded";
  EXPECT_EQ(a.waste.granularity, Bytes{16});
  const AllocOutcome b = pool.allocate_object(280, PoolRequest{0, Bytes{264}, tag, false});
  EXPECT_EQ(b.handle, a.handle + 280) << "the next object of the same slab";
  // A 64-byte slab-cache object does not share the kmalloc-64 cache's slab.
  const AllocOutcome c = pool.allocate_object(64, PoolRequest{0, Bytes{64}, tag, false});
  const AllocOutcome k = pool.allocate(PoolRequest{0, Bytes{64}, tag, false});
  ASSERT_TRUE(c.ok && k.ok);
  EXPECT_NE(c.handle / 4096, k.handle / 4096);
  const auto slabs = pool.slabs(280, /*slab_cache=*/true);
  ASSERT_EQ(slabs.size(), 1u);
  EXPECT_EQ(slabs[0].order, 1u);
  EXPECT_EQ(slabs[0].objects, 29u);
  EXPECT_EQ(slabs[0].used, (std::vector<unsigned>{0, 1}));
  EXPECT_EQ(pool.slabs(64, true).size(), 1u);
  EXPECT_EQ(pool.slabs(64).size(), 1u) << "and kmalloc-64 has its own";
  EXPECT_EQ(pages.pages_held(), PageCount{2 + 1 + 1});
  pool.check_invariants();
  // kfree frees an object of any cache (kmem_cache_free and kfree share SlubPool::free).
  EXPECT_TRUE(pool.free(a.handle));
  EXPECT_TRUE(pool.free(c.handle));
  pool.check_invariants();
  // An object larger than its cache's size is a contradiction: refused, not placed.
  EXPECT_FALSE(pool.allocate_object(32, PoolRequest{0, Bytes{40}, tag, false}).ok);
  EXPECT_FALSE(pool.allocate_object(0, PoolRequest{0, Bytes{0}, tag, false}).ok);
}

}  // namespace
}  // namespace fragreplay::model
