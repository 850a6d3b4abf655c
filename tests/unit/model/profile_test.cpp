// Built-in profiles carry the constants of docs/model.md §1.2, and contradictions are
// refused. The PC RAM map has the holes a real PC has.
#include <gtest/gtest.h>

#include "base/error.hpp"
#include "model/profile.hpp"

namespace fragreplay::model {
namespace {

TEST(Profile, BuiltinsCarryTheirEraConstants) {
  const Profile& nt5 = builtin_profile("nt5-x86");
  EXPECT_EQ(nt5.pool_header, 8u);
  EXPECT_EQ(nt5.granularity, 8u);
  EXPECT_EQ(nt5.small_max, 0xFF0u);  // POOL_BUDDY_MAX = 4096 - (8 + 8)
  EXPECT_EQ(nt5.search_start, ListSearchStart::kNextLarger);
  EXPECT_EQ(nt5.big_tail, BigTailPolicy::kWasted);
  const Profile& win7 = builtin_profile("win7-x64");
  EXPECT_EQ(win7.pool_header, 16u);
  EXPECT_EQ(win7.small_max, 0xFE0u);  // 4096 - (16 + 16)
  EXPECT_EQ(win7.search_start, ListSearchStart::kExactFit);
  EXPECT_EQ(win7.big_tail, BigTailPolicy::kReuse);
  EXPECT_EQ(win7.tail_max_remainder, 0xFC0u);
  EXPECT_EQ(win7.tail_max_size, 0x10000u);
}

TEST(Profile, UnknownNameListsTheKnownOnes) {
  try {
    builtin_profile("win95");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "unknown profile 'win95' (known: nt5-x86, nt5-x64, win7-x64, win8-x64, "
              "win10-19h1-x64, win10-2004-x64, ia64, linux-slub)");
  }
}

// Each built-in knows the Windows build it models, which decides which routines exist: XP 2600,
// Server 2003 SP1 3790 (the WRK's kernel), 7 SP1 7601, 8 9200, 10 1903 18362, 10 2004 19041 (the
// first with ExAllocatePool2, MS docs nf-wdm-exallocatepool2); Linux none. win10-2004-x64 is the
// 19H1 pool model with the later build; the default profile stays win7-x64.
TEST(Profile, BuiltinsKnowTheirWindowsBuild) {
  EXPECT_EQ(builtin_profile("nt5-x86").windows_build, 2600u);
  EXPECT_EQ(builtin_profile("nt5-x64").windows_build, 3790u);
  EXPECT_EQ(builtin_profile("ia64").windows_build, 3790u);
  EXPECT_EQ(builtin_profile("win7-x64").windows_build, 7601u);
  EXPECT_EQ(builtin_profile("win8-x64").windows_build, 9200u);
  EXPECT_EQ(builtin_profile("win10-19h1-x64").windows_build, 18362u);
  EXPECT_EQ(builtin_profile("win10-2004-x64").windows_build, 19041u);
  EXPECT_EQ(builtin_profile("linux-slub").windows_build, 0u);
  EXPECT_STREQ(kDefaultProfile, "win7-x64");
  Profile p = builtin_profile("win10-2004-x64");
  p.name = "win10-19h1-x64";
  p.description = builtin_profile("win10-19h1-x64").description;
  p.windows_build = 18362;
  EXPECT_EQ(p, builtin_profile("win10-19h1-x64"));
}

// windows_build agrees with the backend: 0 exactly for Linux; the segment heap from 18362 (it
// shipped with Windows 10 1903, SCOOP SSTIC 2020), the legacy pool before.
TEST(Profile, WindowsBuildMustAgreeWithTheBackend) {
  Profile p = builtin_profile("win7-x64");
  p.windows_build = 0;
  EXPECT_THROW(p.validate(), Error);
  p.windows_build = 18362;
  EXPECT_THROW(p.validate(), Error);
  p = builtin_profile("win10-19h1-x64");
  p.windows_build = 17763;
  EXPECT_THROW(p.validate(), Error);
  p = builtin_profile("linux-slub");
  p.windows_build = 7601;
  EXPECT_THROW(p.validate(), Error);
  p = builtin_profile("win10-19h1-x64");
  p.windows_build = 22000;  // Windows 11 21H2
  EXPECT_NO_THROW(p.validate());
}

TEST(Profile, ContradictionsAreRefused) {
  Profile p = builtin_profile("win7-x64");
  p.small_max = 4090;
  EXPECT_THROW(p.validate(), Error);
  p = builtin_profile("win7-x64");
  p.pool_header = 24;  // not a multiple of 16
  EXPECT_THROW(p.validate(), Error);
  p = builtin_profile("win7-x64");
  p.granularity = 12;
  EXPECT_THROW(p.validate(), Error);
  p = builtin_profile("win7-x64");
  p.default_adapter.map_registers = 0;
  EXPECT_THROW(p.validate(), Error);
}

TEST(Profile, PcRamMapHasTheLegacyHoleAndThePciHole) {
  const PageSize ps{12};
  const auto small = pc_ram_map(Bytes{16 << 20}, ps);
  ASSERT_EQ(small.size(), 2u);
  EXPECT_EQ(small[0], (RamRange{Pfn{1}, PageCount{0x9F}}));       // 4 KiB .. 640 KiB
  EXPECT_EQ(small[1], (RamRange{Pfn{0x100}, PageCount{0xF00}}));  // 1 MiB .. 16 MiB
  const auto big = pc_ram_map(Bytes{8ull << 30}, ps);
  ASSERT_EQ(big.size(), 3u);
  EXPECT_EQ(big[1], (RamRange{Pfn{0x100}, PageCount{0xC0000 - 0x100}}));  // up to 3 GiB
  EXPECT_EQ(big[2], (RamRange{Pfn{0x100000}, PageCount{0x140000}}));      // 4 GiB .. 9 GiB
}

}  // namespace
}  // namespace fragreplay::model
