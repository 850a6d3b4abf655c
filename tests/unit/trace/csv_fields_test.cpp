// The hand-written number parser and the one-pass field splitter: exactly what std::from_chars
// and the quoted-field path accepted before them, at every edge.
#include <gtest/gtest.h>

#include "trace/csv_fields.hpp"

namespace fragreplay::trace {
namespace {

TEST(ParseU64, DecimalAndHexToTheLastBit) {
  EXPECT_EQ(parse_u64("0"), 0u);
  EXPECT_EQ(parse_u64("007"), 7u);
  EXPECT_EQ(parse_u64("18446744073709551615"), ~std::uint64_t{0});
  EXPECT_EQ(parse_u64("18446744073709551616"), std::nullopt);  // 2^64
  EXPECT_EQ(parse_u64("99999999999999999999"), std::nullopt);
  EXPECT_EQ(parse_u64("0x0"), 0u);
  EXPECT_EQ(parse_u64("0XfFfF"), 0xFFFFu);
  EXPECT_EQ(parse_u64("0xffffffffffffffff"), ~std::uint64_t{0});
  EXPECT_EQ(parse_u64("0x000000000000000000ffa8"), 0xFFA8u);  // leading zeros do not overflow
  EXPECT_EQ(parse_u64("0x10000000000000000"), std::nullopt);  // 17 significant digits
  EXPECT_EQ(parse_u64("0xFFFFA80000100040"), 0xFFFFA80000100040u);
}

TEST(ParseU64, RefusesAnythingElse) {
  for (const char* bad :
       {"", "0x", "x1", "-1", "+1", " 1", "1 ", "12a", "0xg", "0x1g", "1.5", "0x-1", "１"}) {
    EXPECT_EQ(parse_u64(bad), std::nullopt) << bad;
  }
}

TEST(SplitCsv, FastAndQuotedPathsAgree) {
  std::array<std::string_view, 4> f{};
  std::string scratch;
  std::string_view error;
  EXPECT_EQ(split_csv("", f, scratch, error), 1u);
  EXPECT_EQ(f[0], "");
  EXPECT_EQ(split_csv("a,,b,", f, scratch, error), 4u);
  EXPECT_EQ(f[0], "a");
  EXPECT_EQ(f[1], "");
  EXPECT_EQ(f[2], "b");
  EXPECT_EQ(f[3], "");
  EXPECT_EQ(split_csv("a,b,c,d,e", f, scratch, error), 5u);  // N + 1: too many
  EXPECT_EQ(split_csv("a,b,c,d,", f, scratch, error), 5u);
  // A quote after some fields: the slow path starts again from the first field.
  EXPECT_EQ(split_csv("1,x,\"p,q\"\"r\",z", f, scratch, error), 4u);
  EXPECT_EQ(f[0], "1");
  EXPECT_EQ(f[1], "x");
  EXPECT_EQ(f[2], "p,q\"r");
  EXPECT_EQ(f[3], "z");
  // Longer than the 16 bytes compared at once: commas in and across blocks, a quote late.
  EXPECT_EQ(split_csv("0123456789abcdef,0123456789abcde,x,y", f, scratch, error), 4u);
  EXPECT_EQ(f[0], "0123456789abcdef");
  EXPECT_EQ(f[1], "0123456789abcde");
  EXPECT_EQ(f[3], "y");
  EXPECT_EQ(split_csv("0123456789abcdef,0123456789abcdef,\"x,y\",z", f, scratch, error), 4u);
  EXPECT_EQ(f[1], "0123456789abcdef");
  EXPECT_EQ(f[2], "x,y");
  EXPECT_EQ(f[3], "z");
  EXPECT_EQ(split_csv("a,b,c,d,0123456789abcdef0123456789", f, scratch, error), 5u);
  EXPECT_EQ(split_csv("1,\"open", f, scratch, error), 0u);
  EXPECT_EQ(error, "unterminated double quote");
}

}  // namespace
}  // namespace fragreplay::trace
