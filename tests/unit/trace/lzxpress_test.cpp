// LZXPRESS plain LZ77 decompression (MS-XCA): the specification's own examples, round trips
// through the tests' compressor that reach every length encoding, and corrupt streams refused
// without reading or writing out of bounds.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "lzxpress_compress.hpp"
#include "trace/etl/lzxpress.hpp"

namespace fragreplay::trace::etl {
namespace {

std::vector<std::uint8_t> bytes_of(std::string_view s) {
  return std::vector<std::uint8_t>(s.begin(), s.end());
}

LzxpressResult decompress(const std::vector<std::uint8_t>& in, std::vector<std::uint8_t>& out) {
  return lzxpress_plain_decompress(in, out);
}

// MS-XCA §3.1 "Plain LZ77 Compression Examples", first example: 26 literals, then the flag
// word's six padding bits set (0x0000003f).
TEST(Lzxpress, SpecificationExampleOfLiterals) {
  std::vector<std::uint8_t> in{0x3f, 0x00, 0x00, 0x00};
  const std::string text = "abcdefghijklmnopqrstuvwxyz";
  in.insert(in.end(), text.begin(), text.end());
  std::vector<std::uint8_t> out(26);
  const LzxpressResult r = decompress(in, out);
  ASSERT_EQ(r.error, nullptr);
  EXPECT_EQ(r.size, 26u);
  EXPECT_EQ(std::string(out.begin(), out.end()), text);
}

// Second example: "abc" repeated 100 times = 3 literals and one match of 297 bytes at offset 3:
// 0x0017 (length 7: continue), half byte 15 (continue), byte 255 (continue), 16-bit 0x0126 = 294:
// 294 - 22 + 15 + 7 + 3 = 297.
TEST(Lzxpress, SpecificationExampleOfALongMatch) {
  const std::vector<std::uint8_t> in{0xff, 0xff, 0xff, 0x1f, 0x61, 0x62, 0x63,
                                     0x17, 0x00, 0x0f, 0xff, 0x26, 0x01};
  std::vector<std::uint8_t> out(300);
  const LzxpressResult r = decompress(in, out);
  ASSERT_EQ(r.error, nullptr);
  std::string want;
  for (int i = 0; i < 100; ++i) want += "abc";
  EXPECT_EQ(std::string(out.begin(), out.begin() + static_cast<long>(r.size)), want);
}

// Round trips: random bytes (literals), short repeats (3-bit lengths), medium runs (the shared half
// byte and the byte), 70,000 equal bytes (the 16-bit length) and 300,000 (the 32-bit length).
TEST(Lzxpress, RoundTripsEveryLengthEncoding) {
  std::mt19937 rng(5);
  std::string random(5000, '\0');
  for (char& c : random) c = static_cast<char>(rng() & 0xFF);
  std::string mixed;
  for (int i = 0; i < 400; ++i)
    mixed += "pool" + std::to_string(i % 37) + std::string(static_cast<std::size_t>(i % 40), 'x');
  for (const std::string& s : {std::string(), std::string("a"), random, mixed,
                               std::string(70'000, 'z'), std::string(300'000, '\0')}) {
    const std::string packed = testing::lzxpress_plain_compress(s);
    std::vector<std::uint8_t> out(s.size());
    const LzxpressResult r = decompress(bytes_of(packed), out);
    ASSERT_EQ(r.error, nullptr) << s.size();
    EXPECT_EQ(r.size, s.size());
    EXPECT_EQ(std::string(out.begin(), out.end()), s);
  }
}

TEST(Lzxpress, RefusesCorruptStreams) {
  std::vector<std::uint8_t> out(64);
  // A match first: nothing to copy from.
  EXPECT_STREQ(decompress({0x00, 0x00, 0x00, 0x80, 0x08, 0x00}, out).error,
               "match reaches before the start of the output");
  // A flag word cut short.
  EXPECT_STREQ(decompress({0x00, 0x00}, out).error, "truncated flag word");
  // A match word cut short, and a length escape without its byte.
  EXPECT_STREQ(decompress({0x00, 0x00, 0x00, 0x40, 0x61, 0x00}, out).error, "truncated match");
  EXPECT_STREQ(decompress({0x00, 0x00, 0x00, 0x40, 0x61, 0x07, 0x00}, out).error,
               "truncated match length");
  // More output than the room given.
  std::vector<std::uint8_t> small(2);
  EXPECT_STREQ(decompress({0x00, 0x00, 0x00, 0x00, 0x61, 0x62, 0x63}, small).error,
               "output larger than expected");
}

}  // namespace
}  // namespace fragreplay::trace::etl
