// Strong types: arithmetic follows the domain, conversions name the page size.
#include "base/units.hpp"

#include <gtest/gtest.h>

#include <type_traits>

#include "base/error.hpp"
#include "base/tag.hpp"

namespace fragreplay {
namespace {

using namespace literals;

TEST(Units, FrameArithmeticGivesPageCounts) {
  static_assert(std::is_same_v<decltype(Pfn{10} - Pfn{4}), PageCount>);
  static_assert(std::is_same_v<decltype(Pfn{10} + PageCount{4}), Pfn>);
  static_assert(!std::is_convertible_v<Bytes, PageCount>);
  static_assert(!std::is_convertible_v<std::uint64_t, Bytes>);
  EXPECT_EQ(Pfn{10} - Pfn{4}, PageCount{6});
  EXPECT_EQ(Pfn{10} + PageCount{4}, Pfn{14});
}

TEST(Units, PageSizeConversions) {
  const PageSize ps{12};
  EXPECT_EQ(ps.bytes(), 4096u);
  EXPECT_EQ(ps.pages_for(0_B), PageCount{0});
  EXPECT_EQ(ps.pages_for(1_B), PageCount{1});
  EXPECT_EQ(ps.pages_for(4096_B), PageCount{1});
  EXPECT_EQ(ps.pages_for(4097_B), PageCount{2});
  EXPECT_EQ(ps.bytes_of(PageCount{3}), 12_KiB);
  EXPECT_EQ(ps.frame_of(PhysAddr{0x1FFF}), Pfn{1});
  EXPECT_EQ(ps.frame_at_or_above(PhysAddr{0x1001}), Pfn{2});
  EXPECT_EQ(ps.frame_at_or_above(PhysAddr{0x1000}), Pfn{1});
  EXPECT_EQ(PageSize{13}.bytes(), 8192u);
}

TEST(Tag, PacksLikeTheKernelAndPrintsSafely) {
  EXPECT_EQ(Tag::from_chars("MmCm").value, 0x6D436D4Du);  // 'mCmM' in a C multi-char literal
  EXPECT_EQ(Tag::from_chars("Irp"), Tag::from_chars("Irp "));
  EXPECT_EQ(Tag::from_chars("Irp").to_string(), "Irp");
  EXPECT_EQ(Tag{0x00414141}.to_string(), "AAA\\x00");
  EXPECT_EQ(Tag{0x0a5c3c41}.to_string(), "A<\\x5c\\x0a");
  EXPECT_EQ(Tag::from_chars("").to_string(), "");
}

TEST(Error, CarriesItsPosition) {
  const Error e(Position::at_line("t.csv", 12), "column 'bytes': expected an unsigned integer");
  EXPECT_STREQ(e.what(), "t.csv:12: column 'bytes': expected an unsigned integer");
  EXPECT_EQ(Error(Position::at_offset("x.etl", 4096), "truncated buffer").what(),
            std::string("x.etl:byte 4096: truncated buffer"));
  EXPECT_STREQ(Error("plain").what(), "plain");
}

}  // namespace
}  // namespace fragreplay
