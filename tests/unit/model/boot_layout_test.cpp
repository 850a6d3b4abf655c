// The machine at the start of a trace: the NT 5.x initial nonpaged pool's size and place
// (docs/model.md §5.1), the page allocator's RAM-dependent limits (§3.8) and the
// --background pattern, with the figures worked out by hand.
#include "model/physical/boot_layout.hpp"

#include <gtest/gtest.h>

#include "model/machine.hpp"

namespace fragreplay::model {
namespace {

constexpr PageSize k4K{12};

// nt5-x86 with 1 GiB on the PC map: RAM frames 1..159 and 256..262143, 262047 frames, above
// 255 MiB so large pages (4 MiB = 1024 frames) are used. 256 KiB + 32 KiB x ((262047 - 1024) /
// 256 = 1019 MiB) = 33,652,736 bytes = 8216 pages. The largest range 256..262143 does not start on
// a large-page boundary but ends on one: the pool is its top 8216 frames, 253928..262143.
TEST(BootLayout, Nt5InitialPoolOnOneGigabyte) {
  const Profile& p = builtin_profile("nt5-x86");
  const auto ram = pc_ram_map(Bytes{1ull << 30}, k4K);
  const auto pool = place_initial_pool(p, ram);
  ASSERT_TRUE(pool);
  EXPECT_EQ(pool->pages, PageCount{8216});
  EXPECT_EQ(pool->first, Pfn{253928});
  EXPECT_TRUE(pool->large_pages);
  // 262047 frames is just under 1 GiB: the SList stays 4 deep; above 1000 MB, 300 free pages.
  const PoolPagesConfig c = pool_pages_config(p, PageCount{262047}, pool);
  EXPECT_EQ(c.slist_depth, 4u);
  EXPECT_EQ(c.freed_expansion_max, 300u);
}

// 128 MiB is too small for large pages: init386.c starts from 2 MiB (512 pages), which is below
// 7/8 of RAM and above the minimum, so it stays; placed at the bottom of 256..32767.
TEST(BootLayout, Nt5InitialPoolWithoutLargePages) {
  const auto pool =
      place_initial_pool(builtin_profile("nt5-x86"), pc_ram_map(Bytes{128ull << 20}, k4K));
  ASSERT_TRUE(pool);
  EXPECT_EQ(pool->first, Pfn{256});
  EXPECT_EQ(pool->pages, PageCount{512});
  EXPECT_FALSE(pool->large_pages);
}

// 2 MiB: 415 frames; 2 MiB is more than 7/8 of that, so the formula applies with no RAM above
// 4 MiB: 256 KiB = 64 pages, at the bottom of the largest range 256..511.
TEST(BootLayout, Nt5InitialPoolOnATinyMachine) {
  const auto pool =
      place_initial_pool(builtin_profile("nt5-x86"), pc_ram_map(Bytes{2ull << 20}, k4K));
  ASSERT_TRUE(pool);
  EXPECT_EQ(pool->first, Pfn{256});
  EXPECT_EQ(pool->pages, PageCount{64});
}

TEST(BootLayout, Win7HasNoContiguousInitialPool) {
  const Profile& p = builtin_profile("win7-x64");
  EXPECT_FALSE(place_initial_pool(p, pc_ram_map(Bytes{4ull << 30}, k4K)));
  const PoolPagesConfig c = pool_pages_config(p, PageCount{1u << 20}, std::nullopt);
  EXPECT_EQ(c.slist_depth, 32u) << "x8 at 2 GiB and more";
}

// The machine claims the initial pool at boot: its frames belong to the pool (free in it), are
// must-be-cached, and the pool hands out its last pages first.
TEST(BootLayout, MachineStartsWithTheInitialPoolClaimed) {
  Machine m(builtin_profile("nt5-x86"), {});
  const PhysicalMemory& mem = m.memory();
  EXPECT_EQ(mem.free_frames(), PageCount{262047 - 8216});
  EXPECT_EQ(mem.owner(mem.owner_of(Pfn{253928})).cls, OwnerClass::kPoolFree);
  EXPECT_TRUE(mem.must_be_cached(Pfn{262143}));
  EXPECT_FALSE(mem.must_be_cached(Pfn{253927}));
  EXPECT_EQ(m.pool_pages().free_run_pages(), PageCount{8216});
  m.check_invariants();
}

// --background holds exactly the share asked for, the same frames for the same seed, other
// frames for another seed.
TEST(BootLayout, BackgroundIsExactAndSeeded) {
  auto make = [](unsigned percent, std::uint64_t seed) {
    PhysicalMemory m({RamRange{Pfn{1}, PageCount{5000}}}, k4K, 0);
    const OwnerId o = m.intern_owner({OwnerClass::kBackground, Tag{}});
    EXPECT_EQ(occupy_background(m, percent, seed, o), 5000u * percent / 100);
    m.check_invariants();
    std::vector<bool> used;
    for (std::uint64_t f = 1; f <= 5000; ++f) used.push_back(!m.is_free(Pfn{f}));
    return used;
  };
  const auto a = make(30, 1);
  EXPECT_EQ(a, make(30, 1));
  EXPECT_NE(a, make(30, 2));
  // Scattered: many separate pieces, not one block.
  std::size_t pieces = 0;
  for (std::size_t i = 0; i < a.size(); ++i) pieces += (a[i] && (i == 0 || !a[i - 1])) ? 1 : 0;
  EXPECT_GT(pieces, 100u);
  const auto all = make(100, 1);
  EXPECT_EQ(std::count(all.begin(), all.end(), true), 5000);
  const auto none = make(0, 1);
  EXPECT_EQ(std::count(none.begin(), none.end(), true), 0);
}

}  // namespace
}  // namespace fragreplay::model
