// The occupancy map's shares (model/physical/occupancy_map.hpp): per bucket of RAM, the share of
// its frames each owner class holds, in 255ths rounded up, so that one page in a bucket of free
// frames still shows. 1,024 frames make 128 buckets of 8 frames.
#include <gtest/gtest.h>

#include "model/physical/occupancy_map.hpp"

namespace fragreplay::model {
namespace {

constexpr unsigned kPool = static_cast<unsigned>(OwnerClass::kPool);
constexpr unsigned kContiguous = static_cast<unsigned>(OwnerClass::kContiguous);

TEST(OccupancyMap, SharesRoundUpSoOnePageShows) {
  OccupancyMap map({RamRange{Pfn{0}, PageCount{1024}}});
  ASSERT_EQ(map.buckets(), 128u);
  ASSERT_EQ(map.bucket_frames(), 8u);
  map.move(3, OccupancyMap::kFreeSlot, kPool);                // bucket 0: 1 of 8
  map.move_run(16, 8, OccupancyMap::kFreeSlot, kContiguous);  // bucket 2: all 8
  map.move_run(30, 4, OccupancyMap::kFreeSlot, kContiguous);  // bucket 3: 2, bucket 4: 2
  std::vector<std::uint8_t> shares;
  map.shares(shares);
  ASSERT_EQ(shares.size(), 128u * kOwnerClassCount);
  auto share = [&](unsigned bucket, unsigned cls) {
    return shares[bucket * kOwnerClassCount + cls];
  };
  EXPECT_EQ(share(0, kPool), 32u);  // 255 / 8 = 31.875, rounded up
  EXPECT_EQ(share(0, kContiguous), 0u);
  EXPECT_EQ(share(1, kPool), 0u);
  EXPECT_EQ(share(2, kContiguous), 255u);
  EXPECT_EQ(share(3, kContiguous), 64u);  // 2 of 8: 63.75 -> 64
  EXPECT_EQ(share(4, kContiguous), 64u);
  std::vector<std::uint8_t> majority;
  map.draw(majority);
  EXPECT_EQ(majority[0], OccupancyMap::kFreeBucket) << "the majority map hides the page";
  EXPECT_EQ(majority[2], kContiguous);
}

}  // namespace
}  // namespace fragreplay::model
