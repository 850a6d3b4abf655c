// A side file read whole (a kernel symbol table, a pool-tag list): plain, gzip or zstd, found by
// content as traces are (compressed_source.hpp). Such files are a few MB at most; traces, which
// can be many GB, are streamed instead.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace fragreplay::trace {

// The lines of a side file's text, one at a time, without their '\n' or a '\r' before it.
class TextLines {
 public:
  explicit TextLines(std::string_view text) : rest_(text) {}
  // The next line into `line`; false at the end of the text.
  bool next(std::string_view& line) {
    if (rest_.empty()) return false;
    const std::size_t nl = rest_.find('\n');
    line = rest_.substr(0, nl);
    rest_.remove_prefix(nl == std::string_view::npos ? rest_.size() : nl + 1);
    ++number_;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return true;
  }
  std::uint64_t number() const { return number_; }  // of the line next() gave, from 1

 private:
  std::string_view rest_;
  std::uint64_t number_ = 0;
};

// The decompressed bytes of the file at `path`. Throws Error naming the file when it cannot be
// opened or its compressed stream is corrupt.
std::string read_side_file(const std::string& path);

}  // namespace fragreplay::trace
