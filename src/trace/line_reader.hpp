// Splits a ByteSource into lines without copying: each line is a view into a large buffer (or
// into the source's own bytes, when it lends them: a mapped file, memory) that stays valid until
// the next call. Line endings "\n" and "\r\n" are accepted; a last line without a newline is
// still a line. Lines longer than kMaxLine are an error, so a binary file fed to a text reader
// fails fast instead of growing the buffer without bound.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "trace/byte_source.hpp"
#include "trace/line_scan.hpp"

namespace fragreplay::trace {

class LineReader {
 public:
  static constexpr std::size_t kFirstChunk = 1 << 16;
  static constexpr std::size_t kChunk = 1 << 20;
  static constexpr std::size_t kMaxLine = 1 << 20;

  explicit LineReader(std::unique_ptr<ByteSource> source);

  // Sets `line` to the next line and returns true, or returns false at the end of input.
  bool next(std::string_view& line);
  // Like next(), and splits the line at its commas into `fields` (room for `capacity`) in the
  // same pass over its bytes (scan_line()): `scan.status` and `scan.fields` say what was found;
  // kNotSplit leaves the splitting to the caller.
  bool next_split(std::string_view& line, std::string_view* fields, std::size_t capacity,
                  LineScan& scan);
  // 1-based number of the line last returned.
  std::uint64_t line_number() const { return line_number_; }
  const ByteSource& source() const { return *source_; }

 private:
  // Makes more bytes unread (false at the end of the input): by read() into buf_, or by lend().
  bool more() { return lending_ ? lend_more() : refill(); }
  bool refill();
  bool lend_more();
  // Consumes the `len` bytes at the window's start and the newline after them (a line).
  std::string_view take_line(std::size_t len);
  // At the end of the input: the last line if it has no newline.
  bool last_line(std::string_view& line);
  // Where the line last returned lies, if in carry_: emptied first on each call.
  void release_carry() {
    if (carry_returned_) {
      carry_.clear();
      carry_returned_ = false;
    }
  }

  std::unique_ptr<ByteSource> source_;
  bool lending_;
  std::vector<char> buf_;  // what read() fills (not lending)
  const char* data_;       // the window: buf_ or the lent view
  std::size_t begin_ = 0;  // start of unread bytes
  std::size_t end_ = 0;    // end of valid bytes
  std::size_t request_;    // lending: how many bytes the next lend() asks for (as read() would)
  std::string carry_;      // lending: the start of a line the last window did not end
  bool carry_returned_ = false;  // carry_ holds the line last returned (cleared on the next call)
  bool eof_ = false;
  unsigned refills_ = 0;
  std::uint64_t line_number_ = 0;
};

}  // namespace fragreplay::trace
