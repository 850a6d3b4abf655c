// The rows by driver module (replay/module_rows.hpp): each module's row is the sum of the rows of
// the tags its owner entry names, the unowned tags share module "", and the rows add up to the
// tag rows (the invariant of results.hpp).
#include <gtest/gtest.h>

#include "replay/module_rows.hpp"

namespace fragreplay::replay {
namespace {

GroupStats stats(std::uint64_t allocations, std::uint64_t requested, std::uint64_t footprint) {
  GroupStats g;
  g.allocations = allocations;
  g.requested = Bytes{requested};
  g.footprint = Bytes{footprint};
  g.waste.granularity = Bytes{footprint - requested};
  return g;
}

TEST(ModuleRows, SumTheirTagsInTheOrderOfTheFirstTag) {
  Results r;
  r.tags = {Tag::from_chars("Zzzz"), Tag::from_chars("AfdB"), Tag::from_chars("Ps"),
            Tag::from_chars("AfdC")};
  r.by_tag = {stats(1, 64, 80), stats(2, 200, 224), stats(3, 40, 64), stats(4, 100, 128)};
  attribute_modules(r, {TagOwnerInfo{}, TagOwnerInfo{"afd.sys", "data buffer", "afd.sys"},
                        TagOwnerInfo{"nt!ps", "general ps", "nt"},
                        TagOwnerInfo{"afd.sys", "connection", "afd.sys"}});
  ASSERT_EQ(r.modules, (std::vector<std::string>{"", "afd.sys", "nt"}));
  EXPECT_EQ(r.by_module[0], stats(1, 64, 80)) << "Zzzz alone, unowned";
  EXPECT_EQ(r.by_module[1].allocations, 6u) << "AfdB 2 + AfdC 4";
  EXPECT_EQ(r.by_module[1].requested, Bytes{300});
  EXPECT_EQ(r.by_module[1].footprint, Bytes{352});
  EXPECT_EQ(r.by_module[1].waste.granularity, Bytes{52});
  EXPECT_EQ(r.by_module[2], stats(3, 40, 64));
  GroupStats sum;
  for (const GroupStats& g : r.by_module) sum += g;
  GroupStats tags;
  for (const GroupStats& g : r.by_tag) tags += g;
  EXPECT_EQ(sum, tags) << "Σ by_module = Σ by_tag";
  EXPECT_TRUE(has_tag_owners(r));
}

TEST(ModuleRows, RefuseOwnersThatDoNotMatchTheTagRows) {
  Results r;
  r.tags = {Tag::from_chars("AfdB")};
  r.by_tag = {stats(1, 1, 16)};
  EXPECT_THROW(attribute_modules(r, {}), std::logic_error);
}

}  // namespace
}  // namespace fragreplay::replay
