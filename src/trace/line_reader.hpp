// Splits a ByteSource into lines without copying: each line is a view into a large buffer that
// stays valid until the next call. Line endings "\n" and "\r\n" are accepted; a last line
// without a newline is still a line. Lines longer than kMaxLine are an error, so a binary file
// fed to a text reader fails fast instead of growing the buffer without bound.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "trace/byte_source.hpp"

namespace fragreplay::trace {

class LineReader {
 public:
  static constexpr std::size_t kFirstChunk = 1 << 16;
  static constexpr std::size_t kChunk = 1 << 20;
  static constexpr std::size_t kMaxLine = 1 << 20;

  explicit LineReader(std::unique_ptr<ByteSource> source);

  // Sets `line` to the next line and returns true, or returns false at the end of input.
  bool next(std::string_view& line);
  // 1-based number of the line last returned.
  std::uint64_t line_number() const { return line_number_; }
  const ByteSource& source() const { return *source_; }

 private:
  bool refill();

  std::unique_ptr<ByteSource> source_;
  std::vector<char> buf_;
  std::size_t begin_ = 0;  // start of unread bytes
  std::size_t end_ = 0;    // end of valid bytes
  bool eof_ = false;
  unsigned refills_ = 0;
  std::uint64_t line_number_ = 0;
};

}  // namespace fragreplay::trace
