// The one-pass line scanner (line_scan.hpp) and the line reader around it: every field and line
// end found exactly where it is, whether it falls inside a 64-byte block, on its edge or in the
// byte loop of a range's last bytes; lines across the windows of a lending source and the
// buffer refills of a reading one; quotes, "\r\n" and a last line without a newline.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <memory>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "trace/byte_source.hpp"
#include "trace/line_reader.hpp"
#include "trace/line_scan.hpp"

namespace fragreplay::trace {
namespace {

// A line of exactly `length` bytes of fields 0 to 6 bytes long, cycled (empty ones too), so
// commas fall at every offset; `fields` receives what the line must split into.
std::string line_of(std::size_t length, std::vector<std::string>& fields) {
  fields.clear();
  std::string line;
  for (std::size_t k = 0;; ++k) {
    const std::size_t room = length - line.size();
    const std::size_t want = k % 7;
    const char c = static_cast<char>('a' + k % 26);
    if (want + 1 >= room) {  // the last field fills the rest
      fields.emplace_back(room, c);
      return line + fields.back();
    }
    fields.emplace_back(want, c);
    line += fields.back() + ",";
  }
}

std::vector<std::string> scanned(const LineScan& s, const std::string_view* out) {
  return std::vector<std::string>(out, out + s.fields);
}

TEST(ScanLine, FieldsAndEndsAtEveryLengthAroundTheBlocks) {
  std::array<std::string_view, 128> out{};
  std::vector<std::string> fields;
  for (std::size_t length = 0; length <= 130; ++length) {
    const std::string line = line_of(length, fields);
    ASSERT_EQ(line.size(), length);
    for (const char* ending : {"\n", "\r\n", ""}) {
      // Something after the newline that must not be taken: a comma, a quote.
      const std::string bytes = line + ending + (*ending != '\0' ? "x,\"y\n" : "");
      const LineScan s = scan_line(bytes.data(), bytes.size(), out.data(), out.size());
      EXPECT_EQ(s.length, length + (ending[0] == '\r' ? 1 : 0)) << length << ending;
      EXPECT_EQ(s.newline, *ending != '\0');
      ASSERT_EQ(s.status, ScanStatus::kSplit) << length;
      EXPECT_EQ(scanned(s, out.data()), fields) << "length " << length << " " << bytes;
    }
  }
}

TEST(ScanLine, ExactFieldsInsideAndAcrossBlocks) {
  std::array<std::string_view, 8> out{};
  // A comma as the 64th byte, then as the 65th: the block edge on either side.
  const std::string a(63, 'a');
  std::string bytes = a + ",b\n";
  LineScan s = scan_line(bytes.data(), bytes.size(), out.data(), out.size());
  ASSERT_EQ(s.fields, 2u);
  EXPECT_EQ(out[0], a);
  EXPECT_EQ(out[1], "b");
  EXPECT_EQ(s.length, 65u);
  bytes = a + "a,\r\n";
  s = scan_line(bytes.data(), bytes.size(), out.data(), out.size());
  ASSERT_EQ(s.fields, 2u);
  EXPECT_EQ(out[0], a + "a");
  EXPECT_EQ(out[1], "");
  EXPECT_EQ(s.length, 66u);
  // The newline as byte 64 (first of the second block) and as byte 63 (last of the first).
  bytes = std::string(64, ',') + "\nq";
  s = scan_line(bytes.data(), bytes.size(), out.data(), out.size());
  EXPECT_EQ(s.length, 64u);
  EXPECT_EQ(s.status, ScanStatus::kTooManyFields);
  bytes = std::string(63, 'x') + "\n,,";
  s = scan_line(bytes.data(), bytes.size(), out.data(), out.size());
  EXPECT_EQ(s.length, 63u);
  ASSERT_EQ(s.fields, 1u);
  EXPECT_EQ(out[0], std::string(63, 'x'));
}

TEST(ScanLine, QuotesAnywhereLeaveTheLineUnsplit) {
  std::array<std::string_view, 64> out{};
  for (std::size_t at : {0u, 15u, 16u, 31u, 32u, 63u, 64u, 65u, 100u, 127u, 128u, 129u}) {
    std::string bytes(130, 'v');
    for (std::size_t i = 5; i < bytes.size(); i += 9) bytes[i] = ',';
    bytes[at] = '"';
    bytes += "\n";
    const LineScan s = scan_line(bytes.data(), bytes.size(), out.data(), out.size());
    EXPECT_EQ(s.status, ScanStatus::kNotSplit) << at;
    EXPECT_EQ(s.length, 130u) << at;
    EXPECT_TRUE(s.newline);
    // A quote after the newline is not the line's.
    bytes.insert(at, "\n");
    const LineScan t = scan_line(bytes.data(), bytes.size(), out.data(), out.size());
    EXPECT_EQ(t.status, ScanStatus::kSplit) << at;
    EXPECT_EQ(t.length, at);
  }
}

TEST(ScanLine, TooManyFieldsUnlessAQuoteComesFirst) {
  std::array<std::string_view, 3> out{};
  std::string bytes = "1,2,3\n";
  EXPECT_EQ(scan_line(bytes.data(), bytes.size(), out.data(), out.size()).status,
            ScanStatus::kSplit);
  bytes = "1,2,3,\n";
  EXPECT_EQ(scan_line(bytes.data(), bytes.size(), out.data(), out.size()).status,
            ScanStatus::kTooManyFields);
  bytes = "1,2,3,4,\"5\"\n";
  EXPECT_EQ(scan_line(bytes.data(), bytes.size(), out.data(), out.size()).status,
            ScanStatus::kTooManyFields);
  bytes = "1,\"2\",3,4\n";
  EXPECT_EQ(scan_line(bytes.data(), bytes.size(), out.data(), out.size()).status,
            ScanStatus::kNotSplit);
  // An empty range, and one without a newline: the whole range is the line.
  const LineScan empty = scan_line(bytes.data(), 0, out.data(), out.size());
  EXPECT_EQ(empty.length, 0u);
  EXPECT_FALSE(empty.newline);
  ASSERT_EQ(empty.fields, 1u);
  EXPECT_EQ(out[0], "");
}

// A source that only reads (a pipe, a decompressor), `step` bytes at most per read().
class ReadingSource final : public ByteSource {
 public:
  ReadingSource(std::string bytes, std::size_t step) : bytes_(std::move(bytes)), step_(step) {}
  std::size_t read(char* buf, std::size_t n) override {
    const std::size_t k = std::min({n, step_, bytes_.size() - pos_});
    std::copy_n(bytes_.data() + pos_, k, buf);
    pos_ += k;
    return k;
  }
  const std::string& name() const override { return name_; }
  std::uint64_t consumed() const override { return pos_; }
  std::uint64_t total() const override { return 0; }

 private:
  std::string bytes_;
  std::size_t step_;
  std::size_t pos_ = 0;
  std::string name_ = "pipe";
};

// Every line of `text` by next_split(), each checked against its fields by split at commas.
std::vector<std::string> lines_of(std::unique_ptr<ByteSource> source) {
  LineReader reader(std::move(source));
  std::vector<std::string> lines;
  std::array<std::string_view, 256> fields{};
  std::string_view line;
  LineScan scan;
  while (reader.next_split(line, fields.data(), fields.size(), scan)) {
    lines.emplace_back(line);
    if (scan.status != ScanStatus::kSplit) continue;
    std::string joined;
    for (std::size_t i = 0; i < scan.fields; ++i) joined += (i ? "," : "") + std::string(fields[i]);
    EXPECT_EQ(joined, line) << "line " << reader.line_number();
  }
  return lines;
}

TEST(LineReader, LinesAcrossWindowsAndRefillsAreWhole) {
  // Lines of 1..130 bytes, cycled, past the first 64 KiB window and the second, some "\r\n",
  // a last one without a newline.
  std::string text;
  std::vector<std::string> expected;
  std::vector<std::string> fields;
  for (std::size_t k = 0; text.size() < 300000; ++k) {
    expected.push_back(line_of(1 + k % 130, fields));
    text += expected.back() + (k % 5 == 0 ? "\r\n" : "\n");
  }
  expected.push_back("last,line");
  text += "last,line";
  EXPECT_EQ(lines_of(memory_source(text)), expected);
  EXPECT_EQ(lines_of(std::make_unique<ReadingSource>(text, 1 << 20)), expected);
  EXPECT_EQ(lines_of(std::make_unique<ReadingSource>(text, 4093)), expected);
  // The first window of a native input is the 4 KiB head the format detection read.
  EXPECT_EQ(lines_of(prefixed_source(text.substr(0, 4096), memory_source(text.substr(4096)))),
            expected);
  // A line ending exactly at the first window's end, "\r" and "\n" on either side of it.
  for (const std::size_t cut : {LineReader::kFirstChunk - 1, LineReader::kFirstChunk}) {
    std::string edge(cut - 2, 'e');
    edge += "\r\nnext\r\n";
    EXPECT_EQ(lines_of(memory_source(edge)),
              (std::vector<std::string>{std::string(cut - 2, 'e'), "next"}));
  }
}

TEST(LineReader, TooLongALineIsRefusedTheSameWhetherLentOrRead) {
  const std::string text = "ok\n" + std::string(LineReader::kMaxLine + 5, 'x') + "\nafter\n";
  for (int lend = 0; lend < 2; ++lend) {
    std::unique_ptr<ByteSource> source =
        lend ? memory_source(text, "pipe")
             : std::unique_ptr<ByteSource>(std::make_unique<ReadingSource>(text, 1 << 22));
    try {
      lines_of(std::move(source));
      ADD_FAILURE() << "no error";
    } catch (const Error& e) {
      EXPECT_STREQ(e.what(), "pipe:2: line longer than 1048576 bytes; is this a text trace?");
    }
  }
}

}  // namespace
}  // namespace fragreplay::trace
