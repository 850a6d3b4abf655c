// The hand-written number parser and the one quote-aware field splitter (split_quoted) in both
// its forms: the native reader's fixed N fields with blanks kept (split_csv) and the text exports'
// variable width with blanks trimmed (text::split_fields); exactly what std::from_chars and the
// quoted-field paths accepted before them, at every edge.
#include <gtest/gtest.h>

#include <vector>

#include "trace/csv_fields.hpp"
#include "trace/text/text_fields.hpp"

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

TEST(SplitCsv, QuotesEscapesAndErrors) {
  std::array<std::string_view, 4> f{};
  std::string scratch;
  std::string_view error;
  // "" inside quotes is one quote; an empty quoted field is empty.
  EXPECT_EQ(split_csv("\"a\"\"b\",\"\",c", f, scratch, error), 3u);
  EXPECT_EQ(f[0], "a\"b");
  EXPECT_EQ(f[1], "");
  EXPECT_EQ(f[2], "c");
  // A quote inside an unquoted field is text; blanks are kept.
  EXPECT_EQ(split_csv(" a ,x\"y,\"z\"", f, scratch, error), 3u);
  EXPECT_EQ(f[0], " a ");
  EXPECT_EQ(f[1], "x\"y");
  EXPECT_EQ(f[2], "z");
  EXPECT_EQ(split_csv("\"a\"b,c", f, scratch, error), 0u);
  EXPECT_EQ(error, "text after a closing double quote");
  EXPECT_EQ(split_csv("\"a\" ,c", f, scratch, error), 0u) << "no blank after a quote natively";
  EXPECT_EQ(error, "text after a closing double quote");
  // Too many fields is reported before a broken quote in the field after the last.
  EXPECT_EQ(split_csv("a,b,c,\"d\",\"open", f, scratch, error), 5u);
}

TEST(SplitFields, TrimsAndGrowsOnTheSameSplitter) {
  std::vector<std::string_view> f;
  std::string scratch;
  ASSERT_TRUE(text::split_fields("  a , b\t,,c ", f, scratch));
  EXPECT_EQ(f, (std::vector<std::string_view>{"a", "b", "", "c"}));
  // Blanks around a quoted field go; those inside stay.
  ASSERT_TRUE(text::split_fields(" \" p, q \" , \"x\"\"y\"", f, scratch));
  EXPECT_EQ(f, (std::vector<std::string_view>{" p, q ", "x\"y"}));
  // No limit on the number of fields, on the fast path (longer than 16 bytes) and the quoted one.
  ASSERT_TRUE(text::split_fields("1,2,3,4,5,6,7,8,9,10,11,12", f, scratch));
  EXPECT_EQ(f.size(), 12u);
  EXPECT_EQ(f[11], "12");
  ASSERT_TRUE(text::split_fields("0123456789abcdef , 1,2,3,4,\"5\"", f, scratch));
  EXPECT_EQ(f.size(), 6u);
  EXPECT_EQ(f[0], "0123456789abcdef");
  EXPECT_EQ(f[5], "5");
  EXPECT_FALSE(text::split_fields("a,\"open", f, scratch));
  EXPECT_FALSE(text::split_fields("\"a\" b", f, scratch));
}

TEST(SplitQuoted, ReportsWhyItStopped) {
  std::array<std::string_view, 2> a{};
  std::string scratch;
  FieldArray<2> fixed{a};
  EXPECT_EQ(split_quoted<Blanks::kKeep>("x,y", fixed, scratch), SplitStatus::kOk);
  EXPECT_EQ(fixed.count, 2u);
  EXPECT_EQ(split_quoted<Blanks::kKeep>("x,y,z", fixed, scratch), SplitStatus::kTooManyFields);
  EXPECT_EQ(split_quoted<Blanks::kKeep>("\"x", fixed, scratch), SplitStatus::kUnterminatedQuote);
  EXPECT_EQ(split_quoted<Blanks::kKeep>("\"x\"y", fixed, scratch), SplitStatus::kTextAfterQuote);
  std::vector<std::string_view> v;
  FieldVector grow{v};
  EXPECT_EQ(split_quoted<Blanks::kTrim>(" x , \"y\" ,z", grow, scratch), SplitStatus::kOk);
  EXPECT_EQ(v, (std::vector<std::string_view>{"x", "y", "z"}));
}

}  // namespace
}  // namespace fragreplay::trace
