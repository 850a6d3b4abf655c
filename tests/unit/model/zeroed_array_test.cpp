// Memory follows the RAM present, not the highest address (issue 16, item 6): the frame
// database and the free-run index are indexed by frame number, and their frames over holes must
// cost address space only (model/physical/zeroed_array.hpp).
#include "model/physical/zeroed_array.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>

#include "model/physical/physical_memory.hpp"

namespace fragreplay::model {
namespace {

TEST(ZeroedArray, StartsZeroAndCopiesWhatWasWritten) {
  ZeroedArray<std::uint64_t> a(100000);
  EXPECT_EQ(a.size(), 100000u);
  EXPECT_EQ(a[0], 0u);
  EXPECT_EQ(a[99999], 0u);
  a[7] = 42;
  a[99999] = 9;
  const ZeroedArray<std::uint64_t> b(a);  // copies the two pages that hold something
  EXPECT_EQ(b[7], 42u);
  EXPECT_EQ(b[99999], 9u);
  EXPECT_EQ(b[50000], 0u);
  a[7] = 1;
  EXPECT_EQ(b[7], 42u) << "a copy, not a view";
  ZeroedArray<std::uint64_t> c(std::move(a));
  EXPECT_EQ(c[7], 1u);
  EXPECT_EQ(a.size(), 0u);
  EXPECT_EQ(ZeroedArray<std::uint8_t>(0).data(), nullptr);
}

// Resident bytes of this process now (/proc/self/statm, second field, in pages).
std::uint64_t resident_bytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  unsigned long long size = 0, resident = 0;
  const int n = std::fscanf(f, "%llu %llu", &size, &resident);
  std::fclose(f);
  return n == 2 ? resident * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE)) : 0;
}

// 2 MiB of RAM at 1 TiB spans 2^28 + 512 frame numbers. Indexed densely that was 9 bytes per frame
// number (2.4 GB) plus the index; now the holes are untouched pages. The machine still works
// there: the lowest conforming run of 16 frames starts at the first frame of the RAM (§5.3).
TEST(ZeroedArray, MemoryFollowsTheRamPresent) {
  const std::uint64_t before = resident_bytes();
  ASSERT_NE(before, 0u) << "no /proc/self/statm";
  constexpr std::uint64_t kOneTiB = std::uint64_t{1} << 28;  // in 4 KiB frames
  PhysicalMemory m({RamRange{Pfn{kOneTiB}, PageCount{512}}}, PageSize{12}, 0);
  const OwnerId owner = m.intern_owner({OwnerClass::kBackground, Tag::from_chars("Test")});
  const ContiguousRequest r{PageCount{16},
                            Pfn{0},
                            Pfn{~std::uint64_t{0} >> 12},
                            PageCount{0},
                            CachingType::kMmCached,
                            ScanDirection::kAscending};
  EXPECT_EQ(m.take_contiguous(r, owner).first, Pfn{kOneTiB});
  EXPECT_EQ(m.free_frames(), PageCount{496});
  const std::uint64_t grown = resident_bytes() - before;
  EXPECT_LT(grown, std::uint64_t{64} << 20) << "resident memory grew by " << grown << " bytes";
}

}  // namespace
}  // namespace fragreplay::model
