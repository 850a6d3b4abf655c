// The machine's kernel routines, with the golden cases of the end-to-end issue worked out by hand
// from docs/model.md.
#include "model/machine.hpp"

#include <gtest/gtest.h>

namespace fragreplay::model {
namespace {

constexpr std::uint64_t kNonPagedPool = 0;
constexpr CachingType kMmNonCached = CachingType::kMmNonCached;
constexpr CachingType kMmCached = CachingType::kMmCached;
const Tag kTag = Tag::from_chars("Test");

// §1.2 + §3.7 (the documentation's 5 KB example): NT 5.x takes two pages and loses 3072 bytes;
// Windows 7 reuses the tail, so no sub-page rounding is lost.
TEST(Machine, FiveKilobyteExampleByEra) {
  Machine nt5(builtin_profile("nt5-x86"), {});
  const AllocOutcome a = nt5.allocate_pool(kNonPagedPool, Bytes{5120}, kTag, false);
  EXPECT_EQ(a.footprint, Bytes{8192});
  EXPECT_EQ(a.waste.sub_page, Bytes{3072});
  Machine win7(builtin_profile("win7-x64"), {});
  const AllocOutcome b = win7.allocate_pool(kNonPagedPool, Bytes{5120}, kTag, false);
  EXPECT_LT(b.waste.sub_page, Bytes{3072});
  EXPECT_EQ(b.footprint, Bytes{5152});
  nt5.check_invariants();
  win7.check_invariants();
}

// §1.2: 100 bytes = 128 on x64 (16 header + 12 rounding), 112 on x86 (8 header + 4 rounding).
TEST(Machine, HundredBytesByArchitecture) {
  Machine win7(builtin_profile("win7-x64"), {});
  const AllocOutcome x64 = win7.allocate_pool(kNonPagedPool, Bytes{100}, kTag, false);
  EXPECT_EQ(x64.footprint, Bytes{128});
  EXPECT_EQ(x64.waste.pool_header, Bytes{16});
  EXPECT_EQ(x64.waste.granularity, Bytes{12});
  Machine nt5(builtin_profile("nt5-x86"), {});
  const AllocOutcome x86 = nt5.allocate_pool(kNonPagedPool, Bytes{100}, kTag, false);
  EXPECT_EQ(x86.footprint, Bytes{112});
  EXPECT_EQ(x86.waste.pool_header, Bytes{8});
  EXPECT_EQ(x86.waste.granularity, Bytes{4});
}

// §5.4: whole pages, so 100 bytes cost 4096 and 3996 are lost; the frames need not be contiguous.
TEST(Machine, NonCachedMemoryIsWholePages) {
  Machine m(builtin_profile("win7-x64"), {});
  const AllocOutcome o = m.allocate_noncached(Bytes{100}, kTag);
  ASSERT_TRUE(o.ok);
  EXPECT_EQ(o.footprint, Bytes{4096});
  EXPECT_EQ(o.waste.sub_page, Bytes{3996});
  EXPECT_FALSE(o.has_phys);
  EXPECT_EQ(m.allocate_noncached(Bytes{0}, kTag).cause, FailCause::kInvalid);
  EXPECT_TRUE(m.free_noncached(o.handle));
  EXPECT_FALSE(m.free_noncached(o.handle));
  m.check_invariants();
}

// used_bytes(), read by the engine after every event, is usage()'s pool pages in bytes plus its
// page-granular bytes, under each pool family; §5.4: 100 noncached bytes add a whole page.
TEST(Machine, UsedBytesIsPoolPagesPlusPageGranular) {
  for (const char* name : {"nt5-x86", "win7-x64", "win10-19h1-x64", "linux-slub"}) {
    Machine m(builtin_profile(name), {});
    const auto expected = [&] {
      const MachineUsage u = m.usage();
      return m.profile().page_size.bytes_of(u.pool.pages) + u.page_granular;
    };
    EXPECT_EQ(m.used_bytes(), expected()) << name;
    const Bytes before = m.used_bytes();
    const AllocOutcome nc = m.allocate_noncached(Bytes{100}, kTag);
    ASSERT_TRUE(nc.ok) << name;
    EXPECT_EQ(m.used_bytes(), before + Bytes{4096}) << name;
    // Enough pool to take fresh pool pages whatever the initial pool holds.
    for (int i = 0; i < 64; ++i) m.allocate_pool(kNonPagedPool, Bytes{3000}, kTag, false);
    EXPECT_GT(m.used_bytes(), before + Bytes{4096}) << name;
    EXPECT_EQ(m.used_bytes(), expected()) << name;
    m.check_invariants();
  }
}

// §5.5: at least one page; one map register per page spanned.
TEST(Machine, CommonBufferOfOneByteIsOnePageAndOneMapRegister) {
  Machine m(builtin_profile("win7-x64"), {});
  const AllocOutcome o = m.allocate_common_buffer(Machine::kDefaultAdapter, Bytes{1}, kTag);
  ASSERT_TRUE(o.ok);
  EXPECT_EQ(o.footprint, Bytes{4096});
  EXPECT_EQ(o.waste.sub_page, Bytes{4095});
  EXPECT_EQ(o.map_registers, 1u);
  EXPECT_TRUE(o.has_phys);
  EXPECT_EQ(o.phys_last.value - o.phys_first.value, 4095u);
  EXPECT_EQ(m.usage().map_registers, 1u);
  EXPECT_TRUE(m.free_common_buffer(o.handle));
  EXPECT_EQ(m.usage().map_registers, 0u);
  m.check_invariants();
}

// §5.5: the adapter's budget of map registers bounds what common buffers may hold.
TEST(Machine, CommonBuffersFailWhenMapRegistersRunOut) {
  Machine m(builtin_profile("win7-x64"), {});
  const AdapterId nic = m.add_adapter(AdapterConfig{"nic", 0xFFFFFFFF, 0x100000000, 4});
  EXPECT_TRUE(m.allocate_common_buffer(nic, Bytes{3 * 4096}, kTag).ok);
  const AllocOutcome o = m.allocate_common_buffer(nic, Bytes{4097}, kTag);
  EXPECT_EQ(o.cause, FailCause::kMapRegisters);
  EXPECT_TRUE(m.allocate_common_buffer(nic, Bytes{4096}, kTag).ok);
  EXPECT_EQ(m.adapters()[nic].peak, 4u);
  m.check_invariants();
}

// §5.3 with the default PC map (RAM from 1 MiB; first 640 KiB minus page 0 below it): 8 MB below
// 16 MB not crossing a 16 MB multiple starts at the first frame above 1 MiB (ascending scan).
TEST(Machine, ContiguousBelowSixteenMegabytes) {
  Machine m(builtin_profile("nt5-x86"), {});
  const AllocOutcome o = m.allocate_contiguous(
      Bytes{8 << 20}, {PhysAddr{0}, PhysAddr{0xFFFFFF}, Bytes{0x1000000}}, kMmNonCached, kTag);
  ASSERT_TRUE(o.ok);
  EXPECT_EQ(o.phys_first, PhysAddr{0x100000});
  EXPECT_EQ(o.phys_last, PhysAddr{0x8FFFFF});
  EXPECT_EQ(o.waste.sub_page, Bytes{0});
  m.check_invariants();
}

TEST(Machine, ContiguousLargerThanItsWindowIsAConstraintFailure) {
  Machine m(builtin_profile("nt5-x86"), {});
  const AllocOutcome o = m.allocate_contiguous(
      Bytes{32 << 20}, {PhysAddr{0}, PhysAddr{0xFFFFFF}, Bytes{0x1000000}}, kMmNonCached, kTag);
  EXPECT_FALSE(o.ok);
  EXPECT_EQ(o.cause, FailCause::kConstraint);
  // Frames 1..0x9F below 640 KiB and 1 MiB..16 MiB are all free.
  EXPECT_EQ(o.free_in_window, Bytes{(0xA0000 - 0x1000) + (0x1000000 - 0x100000)});
}

TEST(Machine, ContiguousHonoursLowestAcceptableAddress) {
  Machine m(builtin_profile("win7-x64"), {});
  const AllocOutcome o = m.allocate_contiguous(
      Bytes{8 << 20}, {PhysAddr{0x800000}, PhysAddr{0xFFFFFF}, Bytes{0x1000000}}, kMmCached, kTag);
  ASSERT_TRUE(o.ok);
  EXPECT_EQ(o.phys_first, PhysAddr{0x800000});
  // Lowest not page aligned rounds up (WRK MmAllocateContiguousMemorySpecifyCache).
  const AllocOutcome p = m.allocate_contiguous(
      Bytes{4096}, {PhysAddr{0x1000001}, PhysAddr{0x2FFFFFF}, Bytes{0}}, kMmCached, kTag);
  EXPECT_EQ(p.phys_first, PhysAddr{0x1001000});
}

TEST(Machine, ContiguousArgumentChecks) {
  Machine m(builtin_profile("win7-x64"), {});
  // BoundaryAddressMultiple must be a page multiple (and a power of two): else NULL.
  EXPECT_EQ(m.allocate_contiguous(Bytes{4096}, {PhysAddr{0}, PhysAddr{0xFFFFFFFF}, Bytes{0x1800}},
                                  kMmCached, kTag)
                .cause,
            FailCause::kInvalid);
  EXPECT_EQ(m.allocate_contiguous(Bytes{4096}, {PhysAddr{0}, PhysAddr{0xFFFFFFFF}, Bytes{0x3000}},
                                  kMmCached, kTag)
                .cause,
            FailCause::kInvalid);
  // Lowest above highest: WRK MmAllocateContiguousMemorySpecifyCache returns NULL before any
  // search (LowestPfn > HighestPfn), an argument error.
  EXPECT_EQ(m.allocate_contiguous(Bytes{4096}, {PhysAddr{0x2000000}, PhysAddr{0x1FFFFFF}, Bytes{0}},
                                  kMmCached, kTag)
                .cause,
            FailCause::kInvalid);
  // An absurd size is refused, not computed.
  EXPECT_EQ(
      m.allocate_contiguous(Bytes{std::uint64_t{1} << 63},
                            {PhysAddr{0}, PhysAddr{~std::uint64_t{0}}, Bytes{0}}, kMmCached, kTag)
          .cause,
      FailCause::kConstraint);
  EXPECT_EQ(m.allocate_pool(kNonPagedPool, Bytes{std::uint64_t{1} << 63}, kTag, false).cause,
            FailCause::kExhaustion);
}

// §4.3: POOL_FLAG_NON_PAGED means NonPagedPoolNx; unknown required flags, no or two pool kinds,
// and tag 0 fail; unknown optional (high) flags are ignored.
TEST(Machine, ExAllocatePool2Flags) {
  Machine m(builtin_profile("win7-x64"), {});
  EXPECT_TRUE(m.allocate_pool2(0x40, Bytes{100}, kTag).ok);
  EXPECT_TRUE(m.allocate_pool2(0x100, Bytes{100}, kTag).ok);
  EXPECT_TRUE(m.allocate_pool2(0x40 | (std::uint64_t{1} << 40), Bytes{100}, kTag).ok);
  EXPECT_EQ(m.allocate_pool2(0x40 | 0x10, Bytes{100}, kTag).cause, FailCause::kInvalid);
  EXPECT_EQ(m.allocate_pool2(0x2, Bytes{100}, kTag).cause, FailCause::kInvalid);
  EXPECT_EQ(m.allocate_pool2(0x40 | 0x100, Bytes{100}, kTag).cause, FailCause::kInvalid);
  EXPECT_EQ(m.allocate_pool2(0x40, Bytes{100}, Tag{0}).cause, FailCause::kInvalid);
  m.check_invariants();
}

// A fragmented machine: every other frame of a small RAM held by noncached pages. Two free frames
// exist but no run of two (fragmentation); more than the free frames is exhaustion.
TEST(Machine, FragmentationAndExhaustionCauses) {
  Profile p = builtin_profile("win7-x64");
  p.contiguous_reserve_pages = 0;
  Machine m(p, MachineConfig{{RamRange{Pfn{0x100}, PageCount{8}}}});
  std::vector<std::uint64_t> h;
  for (int i = 0; i < 8; ++i) h.push_back(m.allocate_noncached(Bytes{4096}, kTag).handle);
  m.free_noncached(h[1]);
  m.free_noncached(h[4]);
  const AllocOutcome frag = m.allocate_contiguous(
      Bytes{8192}, {PhysAddr{0}, PhysAddr{~std::uint64_t{0}}, Bytes{0}}, kMmCached, kTag);
  EXPECT_EQ(frag.cause, FailCause::kFragmentation);
  EXPECT_EQ(frag.free_in_window, Bytes{8192});
  EXPECT_EQ(frag.largest_free_run_in_window, Bytes{4096});
  const AllocOutcome none = m.allocate_contiguous(
      Bytes{3 * 4096}, {PhysAddr{0}, PhysAddr{~std::uint64_t{0}}, Bytes{0}}, kMmCached, kTag);
  EXPECT_EQ(none.cause, FailCause::kExhaustion);
  m.check_invariants();
}

}  // namespace
}  // namespace fragreplay::model

namespace fragreplay::model {
namespace {

// §5.3 NT 5.x with MmCached: nonpaged pool first. nt5-x86 with 1 GiB keeps its initial pool in
// frames 253928..262143 (§5.1; see boot_layout_test.cpp), and pool pages come from the end of its
// free run (§3.8).
TEST(Machine, Nt5CachedContiguousComesFromPoolFirst) {
  Machine m(builtin_profile("nt5-x86"), {});
  // 100 bytes: an 'MmCm' block of 112 bytes (§1.2 x86) in a new pool page, frame 262143, after
  // its 8-byte header. One page is always physically contiguous.
  const AllocOutcome small = m.allocate_contiguous(
      Bytes{100}, {PhysAddr{0}, PhysAddr{0xFFFFFFFF}, Bytes{0}}, kMmCached, kTag);
  ASSERT_TRUE(small.ok);
  EXPECT_EQ(small.footprint, Bytes{112});
  EXPECT_EQ(small.phys_first, PhysAddr{0x3FFFF008});
  // Three pages: a big pool allocation, the next pages down the initial pool (frames 262140..2).
  const AllocOutcome big = m.allocate_contiguous(
      Bytes{3 * 4096}, {PhysAddr{0}, PhysAddr{0xFFFFFFFF}, Bytes{0}}, kMmCached, kTag);
  EXPECT_EQ(big.footprint, Bytes{12288});
  EXPECT_EQ(big.phys_first, PhysAddr{0x3FFFC000});
  // A window inside the initial pool but below its end: the 'MmCm' block (frames 262136..9) misses
  // it and is freed; MiFindContiguousMemoryInPool clamps the free run to the window and, the run's
  // end being cut off, takes its lowest conforming start, frame 0x3E000.
  const AllocOutcome mid = m.allocate_contiguous(
      Bytes{4 * 4096}, {PhysAddr{0x3E000000}, PhysAddr{0x3E0FFFFF}, Bytes{0}}, kMmCached, kTag);
  EXPECT_EQ(mid.phys_first, PhysAddr{0x3E000000});
  EXPECT_EQ(mid.footprint, Bytes{16384});
  m.check_invariants();
  // MmNonCached never uses pool: the PFN scan, lowest start (frame 1).
  const AllocOutcome nc = m.allocate_contiguous(
      Bytes{4 * 4096}, {PhysAddr{0}, PhysAddr{0xFFFFFFFF}, Bytes{0}}, kMmNonCached, kTag);
  EXPECT_EQ(nc.phys_first, PhysAddr{0x1000});
  for (const auto& o : {small, big, mid, nc}) EXPECT_TRUE(m.free_contiguous(o.handle));
  // Everything is back in the initial pool's run, but for the page of the 'MmCm' block: its
  // 14-unit block went to a lookaside list (§3.3 step 2), so the page stays with the pool.
  EXPECT_EQ(m.pool_pages().free_run_pages(), PageCount{8215});
  EXPECT_EQ(m.pool_pages().pages_held(), PageCount{1});
  m.check_invariants();
}

// A failed request's explanation names who holds the frames: 'Hold' noncached pages (one page in
// every two, from MiAllocatePagesForMdl) split the 8-frame machine.
TEST(Machine, FailedContiguousRequestIsExplained) {
  Profile p = builtin_profile("win7-x64");
  p.contiguous_reserve_pages = 0;
  p.page_colors = 1;
  Machine m(p, MachineConfig{{RamRange{Pfn{0x100}, PageCount{8}}}});
  std::vector<std::uint64_t> h;
  for (int i = 0; i < 8; ++i) {
    h.push_back(m.allocate_noncached(Bytes{4096}, Tag::from_chars("Hold")).handle);
  }
  for (int i = 0; i < 8; i += 2) m.free_noncached(h[static_cast<std::size_t>(i)]);
  const AllocOutcome o = m.allocate_contiguous(
      Bytes{2 * 4096}, {PhysAddr{0}, PhysAddr{~std::uint64_t{0}}, Bytes{0}}, kMmCached, kTag);
  EXPECT_EQ(o.cause, FailCause::kFragmentation);
  const ContiguousDiagnosis* d = m.last_contiguous_diagnosis();
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->order, 1u);
  // 4 free frames in 4 runs of 1: 1000 - (1000 + 4000/2) / 4 = 250.
  EXPECT_EQ(d->fragmentation_index, 250);
  ASSERT_EQ(d->blockers.size(), 1u);
  EXPECT_EQ(m.memory().owner(d->blockers[0].first).tag, Tag::from_chars("Hold"));
  EXPECT_EQ(m.memory().owner(d->pinned[0].first).tag, Tag::from_chars("Hold"));
  EXPECT_EQ(d->pinned[0].second, 3u) << "frames 0x101, 0x103, 0x105 each split two free frames";
  EXPECT_TRUE(m.allocate_contiguous(Bytes{4096},
                                    {PhysAddr{0}, PhysAddr{~std::uint64_t{0}}, Bytes{0}}, kMmCached,
                                    kTag)
                  .ok);
  EXPECT_EQ(m.last_contiguous_diagnosis(), nullptr);
}

}  // namespace
}  // namespace fragreplay::model

namespace fragreplay::model {
namespace {

// The model keeps one paged-pool descriptor where WRK (ex/pool.c InitializePool) builds several
// and deals paged requests to them round-robin (ExpNumberOfPagedPools; Windows Internals: "four
// paged pools"). What that simplification can change, worked by hand for 300 live 100-byte
// PagedPool blocks on win7-x64: a block is 8 units (round16(116) = 128), a page holds exactly 32
// (256 units / 8, the last one an exact fit), so one descriptor needs ceil(300 / 32) = 10 pages;
// four descriptors dealt 75 each would need 4 * ceil(75 / 32) = 12. Paged pool pages take no
// frame (§3.8), so physical memory - free frames, runs, contiguous failures - is the same either
// way; only pool-page bytes and slack (here 2 pages, 8 KiB) are understated.
TEST(Machine, OnePagedDescriptorChangesPoolPagesNotFrames) {
  Machine m(builtin_profile("win7-x64"), {});
  const PageCount free_before = m.memory().free_frames();
  for (int i = 0; i < 300; ++i) {
    ASSERT_TRUE(m.allocate_pool(/*PagedPool*/ 1, Bytes{100}, kTag, false).ok);
  }
  m.check_invariants();
  EXPECT_EQ(m.usage().pool.pages, PageCount{10});
  EXPECT_EQ(m.memory().free_frames(), free_before);
}

}  // namespace
}  // namespace fragreplay::model
