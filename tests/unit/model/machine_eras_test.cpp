// The machine under every era: the page-granular rows of docs/model.md §7, the
// segment-heap machine's routines, ExAllocatePool2 flags on it (§4.3), Windows 10's top-down
// contiguous scan (§5.3) and the Linux routines of the linux-slub profile.
#include <gtest/gtest.h>

#include "model/machine.hpp"
#include "model/segment_heap/segment_heap.hpp"

namespace fragreplay::model {
namespace {

constexpr CachingType kMmNonCached = CachingType::kMmNonCached;
const Tag kTag = Tag::from_chars("Era ");

MachineConfig small_ram(const Profile& p) {
  return MachineConfig{pc_ram_map(Bytes{64 << 20}, p.page_size)};
}

// §7: MmAllocateNonCachedMemory, AllocateCommonBuffer and (from the PFN scan) the contiguous
// routines give 100 bytes a whole page in every era; IA64's page is 8 KiB.
TEST(MachineEras, PageGranularRoutinesTakeAWholePage) {
  for (const char* name :
       {"nt5-x86", "nt5-x64", "win7-x64", "win8-x64", "win10-19h1-x64", "ia64"}) {
    SCOPED_TRACE(name);
    const Profile& p = builtin_profile(name);
    Machine m(p, small_ram(p));
    const std::uint64_t page = p.page_size.bytes();
    const AllocOutcome nc = m.allocate_noncached(Bytes{100}, kTag);
    EXPECT_EQ(nc.footprint, Bytes{page});
    EXPECT_EQ(nc.waste.sub_page, Bytes{page - 100});
    const AllocOutcome cb = m.allocate_common_buffer(Machine::kDefaultAdapter, Bytes{100}, kTag);
    EXPECT_EQ(cb.footprint, Bytes{page});
    EXPECT_EQ(cb.map_registers, 1u);
    const AllocOutcome ct = m.allocate_contiguous(
        Bytes{100}, {PhysAddr{0}, PhysAddr{0xFFFFFFFF}, Bytes{0}}, kMmNonCached, kTag);
    EXPECT_EQ(ct.footprint, Bytes{page});
    m.check_invariants();
  }
}

// §5.3 (DEC-10 MiFindContiguousPages): Windows 10 moves the candidate window top-down, so 8 MB
// below 16 MB not crossing 16 MB lands at the top of the window; NT 5.x at the bottom (above the
// first MiB, where RAM resumes after the legacy hole).
TEST(MachineEras, ContiguousScanDirectionByEra) {
  Machine nt5(builtin_profile("nt5-x64"), {});
  EXPECT_EQ(
      nt5.allocate_contiguous(Bytes{8 << 20}, {PhysAddr{0}, PhysAddr{0xFFFFFF}, Bytes{0x1000000}},
                              kMmNonCached, kTag)
          .phys_first,
      PhysAddr{0x100000});
  Machine win10(builtin_profile("win10-19h1-x64"), small_ram(builtin_profile("win10-19h1-x64")));
  const AllocOutcome o = win10.allocate_contiguous(
      Bytes{8 << 20}, {PhysAddr{0}, PhysAddr{0xFFFFFF}, Bytes{0x1000000}}, kMmNonCached, kTag);
  EXPECT_EQ(o.phys_first, PhysAddr{0x800000});
  EXPECT_EQ(o.phys_last, PhysAddr{0xFFFFFF});
  win10.check_invariants();
}

// §4.3 on the segment heap: POOL_FLAG_NON_PAGED is NX nonpaged pool, NON_PAGED_EXECUTE the
// executable one, PAGED paged pool; CACHE_ALIGNED aligns (§4.1); an unknown required flag or tag
// 0 fails, an unknown optional flag is ignored.
TEST(MachineEras, Pool2FlagsOnTheSegmentHeap) {
  const Profile& p = builtin_profile("win10-19h1-x64");
  Machine m(p, small_ram(p));
  auto& heap = dynamic_cast<SegmentHeapPool&>(m.pool());
  EXPECT_EQ(heap.placement(m.allocate_pool2(0x40, Bytes{100}, kTag).handle)->heap,
            SegmentHeapPool::kNonPagedNx);
  EXPECT_EQ(heap.placement(m.allocate_pool2(0x80, Bytes{100}, kTag).handle)->heap,
            SegmentHeapPool::kNonPaged);
  EXPECT_EQ(heap.placement(m.allocate_pool2(0x100, Bytes{100}, kTag).handle)->heap,
            SegmentHeapPool::kPaged);
  EXPECT_EQ(m.allocate_pool2(0x40 | 0x8, Bytes{100}, kTag).handle % 64, 0u);
  EXPECT_TRUE(m.allocate_pool2(0x40 | (std::uint64_t{1} << 33), Bytes{100}, kTag).ok);
  EXPECT_EQ(m.allocate_pool2(0x40 | 0x200, Bytes{100}, kTag).cause, FailCause::kInvalid);
  EXPECT_EQ(m.allocate_pool2(0x40, Bytes{100}, Tag{0}).cause, FailCause::kInvalid);
  m.check_invariants();
}

// Linux: kmalloc through SLUB; the page allocator's blocks are 2^order naturally aligned frames.
TEST(MachineEras, LinuxRoutines) {
  const Profile& p = builtin_profile("linux-slub");
  Machine m(p, small_ram(p));
  EXPECT_TRUE(m.is_linux());
  const AllocOutcome k = m.kmalloc(Bytes{552}, kTag);
  EXPECT_EQ(k.footprint, Bytes{1024});
  const AllocOutcome pages = m.alloc_pages(Bytes{16384}, kTag);  // order 2
  ASSERT_TRUE(pages.ok);
  EXPECT_EQ(pages.footprint, Bytes{16384});
  EXPECT_EQ(pages.phys_first.value % 16384, 0u);
  const AllocOutcome odd = m.alloc_pages(Bytes{12288}, kTag);  // three pages: an order-2 block
  EXPECT_EQ(odd.footprint, Bytes{16384});
  EXPECT_EQ(odd.waste.sub_page, Bytes{4096});
  m.check_invariants();
  EXPECT_TRUE(m.free_page_block(pages.handle));
  EXPECT_FALSE(m.free_page_block(pages.handle));
  EXPECT_TRUE(m.kfree(k.handle));
  m.check_invariants();
}

}  // namespace
}  // namespace fragreplay::model
