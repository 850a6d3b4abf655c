// MmAllocatePagesForMdl[Ex] / MmFreePagesFromMdl, AllocateCommonBufferEx's MaximumAddress and the
// argument checks of the contiguous routines, on a fresh win7-x64 or win10 machine (PC RAM map:
// frame 0 and the 640 KiB - 1 MiB hole, frames 160-255, are not RAM). Values worked by hand.
#include <gtest/gtest.h>

#include "model/machine.hpp"

namespace fragreplay::model {
namespace {

constexpr CachingType kMmCached = CachingType::kMmCached;
const Tag kTag = Tag::from_chars("Mdl ");
constexpr std::uint64_t kAll = ~std::uint64_t{0};

// MS docs nf-wdm-mmallocatepagesformdl: whole pages, "typically not contiguous"; 5000 bytes are
// two pages (8192), 3192 of them beyond the request. MmFreePagesFromMdl gives both frames back.
TEST(MdlPages, WholePagesFromAllOfRam) {
  Machine m(builtin_profile("win7-x64"), {});
  const PageCount free_before = m.memory().free_frames();
  const AllocOutcome o =
      m.allocate_pages_for_mdl(Bytes{5000}, PhysAddr{0}, PhysAddr{kAll}, Bytes{0}, kMmCached, kTag);
  m.check_invariants();
  ASSERT_TRUE(o.ok);
  EXPECT_EQ(o.footprint, Bytes{8192});
  EXPECT_EQ(o.waste.sub_page, Bytes{3192});
  EXPECT_FALSE(o.has_phys);  // an MDL of scattered frames, no physical range
  EXPECT_EQ(m.memory().free_frames(), free_before - PageCount{2});
  EXPECT_EQ(m.usage().page_granular, Bytes{8192});
  EXPECT_TRUE(m.free_pages_from_mdl(o.handle));
  m.check_invariants();
  EXPECT_FALSE(m.free_pages_from_mdl(o.handle));
  EXPECT_FALSE(m.free_noncached(o.handle + 1));
  EXPECT_EQ(m.memory().free_frames(), free_before);
}

// WRK mm/iosup.c MiAllocatePagesForMdl scans the PFN database over [Low, High] when that is not
// all of RAM: [16 MiB, 32 MiB) starts at frame 0x1000, so two pages are frames 0x1000, 0x1001.
TEST(MdlPages, AWindowIsScannedUpwardsFromLowAddress) {
  Machine m(builtin_profile("win7-x64"), {});
  const AllocOutcome o = m.allocate_pages_for_mdl(Bytes{8192}, PhysAddr{0x1000000},
                                                  PhysAddr{0x1FFFFFF}, Bytes{0}, kMmCached, kTag);
  m.check_invariants();
  ASSERT_TRUE(o.ok);
  EXPECT_FALSE(m.memory().is_free(Pfn{0x1000}));
  EXPECT_FALSE(m.memory().is_free(Pfn{0x1001}));
  EXPECT_TRUE(m.memory().is_free(Pfn{0xFFF}));
  EXPECT_TRUE(m.memory().is_free(Pfn{0x1002}));
  EXPECT_EQ(m.memory().owner(m.memory().owner_of(Pfn{0x1000})).cls, OwnerClass::kMdlPages);
}

// MS docs: when the first range cannot fill the request, the next range starts SkipBytes further
// on. [0, 0x1FFF] holds frames 0 (not RAM) and 1; with SkipBytes 1 MiB the next range is frames
// 256-257 (256 = 1 MiB, the first frame after the legacy hole): frames 1 and 256.
TEST(MdlPages, SkipBytesMovesTheWindowUp) {
  Machine m(builtin_profile("win7-x64"), {});
  const AllocOutcome o = m.allocate_pages_for_mdl(Bytes{8192}, PhysAddr{0}, PhysAddr{0x1FFF},
                                                  Bytes{0x100000}, kMmCached, kTag);
  m.check_invariants();
  ASSERT_TRUE(o.ok);
  EXPECT_FALSE(m.memory().is_free(Pfn{1}));
  EXPECT_FALSE(m.memory().is_free(Pfn{256}));
  EXPECT_TRUE(m.memory().is_free(Pfn{257}));
}

// A window that cannot fill the request: the docs allow a shorter MDL, the model refuses the
// whole request (the trace records only what was asked) and takes nothing. SkipBytes must be a
// page multiple (MS docs), and an empty window is an argument error.
TEST(MdlPages, AllOrNothingAndArgumentChecks) {
  Machine m(builtin_profile("win7-x64"), {});
  const AllocOutcome short_window = m.allocate_pages_for_mdl(
      Bytes{8192}, PhysAddr{0}, PhysAddr{0x1FFF}, Bytes{0}, kMmCached, kTag);
  m.check_invariants();
  EXPECT_FALSE(short_window.ok);
  EXPECT_EQ(short_window.cause, FailCause::kExhaustion);
  EXPECT_TRUE(m.memory().is_free(Pfn{1}));
  EXPECT_EQ(m.allocate_pages_for_mdl(Bytes{4096}, PhysAddr{0}, PhysAddr{kAll}, Bytes{0x800},
                                     kMmCached, kTag)
                .cause,
            FailCause::kInvalid);
  EXPECT_EQ(m.allocate_pages_for_mdl(Bytes{4096}, PhysAddr{0x2000000}, PhysAddr{0x1000000},
                                     Bytes{0}, kMmCached, kTag)
                .cause,
            FailCause::kInvalid);
  EXPECT_EQ(
      m.allocate_pages_for_mdl(Bytes{0}, PhysAddr{0}, PhysAddr{kAll}, Bytes{0}, kMmCached, kTag)
          .cause,
      FailCause::kInvalid);
  m.check_invariants();
}

// WRK MmAllocateContiguousMemorySpecifyCache returns NULL when LowestPfn > HighestPfn before it
// searches anything: with Lowest above Highest the caller's arguments are wrong (kInvalid). A
// window that empties only because the machine has no RAM up there is a constraint of this
// machine: win7-x64's 4 GiB PC map ends at 5 GiB, so [16 GiB, all) holds nothing.
TEST(ContiguousArguments, LowestAboveHighestIsInvalidNotConstraint) {
  Machine m(builtin_profile("win7-x64"), {});
  const AllocOutcome reversed = m.allocate_contiguous(
      Bytes{4096}, {PhysAddr{0x2000000}, PhysAddr{0x1000000}, Bytes{0}}, kMmCached, kTag);
  m.check_invariants();
  EXPECT_EQ(reversed.cause, FailCause::kInvalid);
  EXPECT_EQ(m.last_contiguous_diagnosis(), nullptr);
  const AllocOutcome above_ram = m.allocate_contiguous(
      Bytes{4096}, {PhysAddr{16ull << 30}, PhysAddr{kAll}, Bytes{0}}, kMmCached, kTag);
  EXPECT_EQ(above_ram.cause, FailCause::kConstraint);
  m.check_invariants();
}

// AllocateCommonBufferEx's MaximumAddress narrows the adapter's window (MS docs
// nc-wdm-pallocate_common_buffer_ex). win10-19h1-x64 scans top-down (§5.3 DEC-10), so a
// one-page buffer lands on the highest frame of its window: below 16 MiB with MaximumAddress
// 0xFFFFFF, below the 32-bit adapter's 4 GiB otherwise, where the 8 GiB PC map's RAM ends at
// 3 GiB (0xBFFFF000).
TEST(CommonBufferEx, MaximumAddressNarrowsTheAdapterWindow) {
  Machine m(builtin_profile("win10-19h1-x64"), {});
  const AllocOutcome low =
      m.allocate_common_buffer(Machine::kDefaultAdapter, Bytes{100}, kTag, 0xFFFFFF, kMmCached);
  m.check_invariants();
  ASSERT_TRUE(low.ok);
  EXPECT_EQ(low.phys_first, PhysAddr{0xFFF000});
  EXPECT_EQ(low.phys_last, PhysAddr{0xFFFFFF});
  EXPECT_EQ(low.map_registers, 1u);
  const AllocOutcome plain = m.allocate_common_buffer(Machine::kDefaultAdapter, Bytes{100}, kTag);
  m.check_invariants();
  ASSERT_TRUE(plain.ok);
  EXPECT_EQ(plain.phys_first, PhysAddr{0xBFFFF000});
  m.check_invariants();
}

}  // namespace
}  // namespace fragreplay::model
