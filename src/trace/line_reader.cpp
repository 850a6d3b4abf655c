// Chunked line splitting (see line_reader.hpp). A lending source's windows are the exact byte
// ranges read() would have filled the buffer with, so where a line is refused as too long does
// not depend on whether the source lends.
#include "trace/line_reader.hpp"

#include <algorithm>
#include <cstring>

#include "base/error.hpp"

namespace fragreplay::trace {
namespace {

// A line of `pending` bytes still without its newline when more bytes are needed.
void check_length(const ByteSource& source, std::uint64_t line, std::size_t pending) {
  if (pending >= LineReader::kMaxLine) {
    throw Error(Position::at_line(source.name(), line), "line longer than " +
                                                            std::to_string(LineReader::kMaxLine) +
                                                            " bytes; is this a text trace?");
  }
}

}  // namespace

LineReader::LineReader(std::unique_ptr<ByteSource> source)
    : source_(std::move(source)), lending_(source_->lends()), request_(kFirstChunk) {
  if (!lending_) buf_.resize(kFirstChunk);
  data_ = lending_ ? "" : buf_.data();
}

bool LineReader::refill() {
  if (eof_) return false;
  // Move the partial line to the front, then read behind it.
  const std::size_t pending = end_ - begin_;
  if (begin_ != 0 && pending != 0) std::memmove(buf_.data(), buf_.data() + begin_, pending);
  begin_ = 0;
  end_ = pending;
  check_length(*source_, line_number_ + 1, pending);
  // The buffer starts small (a short input costs little) and doubles when a line fills it or
  // the input proves long, up to kChunk + kMaxLine.
  if ((end_ == buf_.size() || ++refills_ > 2) && buf_.size() < kChunk + kMaxLine) {
    buf_.resize(std::min(buf_.size() * 2, kChunk + kMaxLine));
    data_ = buf_.data();
  }
  const std::size_t got = source_->read(buf_.data() + end_, buf_.size() - end_);
  if (got == 0) {
    eof_ = true;
    return false;
  }
  end_ += got;
  return true;
}

// As refill(), with the partial line carried in carry_ and the bytes read() would have put
// behind it lent instead.
bool LineReader::lend_more() {
  if (eof_) return false;
  carry_.append(data_ + begin_, end_ - begin_);
  begin_ = end_;
  const std::size_t pending = carry_.size();
  check_length(*source_, line_number_ + 1, pending);
  if ((pending == request_ || ++refills_ > 2) && request_ < kChunk + kMaxLine) {
    request_ = std::min(request_ * 2, kChunk + kMaxLine);
  }
  const std::string_view got = source_->lend(request_ - pending);
  if (got.empty()) {
    eof_ = true;
    return false;
  }
  data_ = got.data();
  begin_ = 0;
  end_ = got.size();
  return true;
}

std::string_view LineReader::take_line(std::size_t len) {
  const char* start = data_ + begin_;
  begin_ += len + 1;
  std::string_view line(start, len);
  if (!carry_.empty()) {
    carry_.append(start, len);
    carry_returned_ = true;
    line = carry_;
  }
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  ++line_number_;
  return line;
}

bool LineReader::last_line(std::string_view& line) {
  if (lending_) {
    if (carry_.empty()) return false;
    carry_returned_ = true;
    line = carry_;
  } else {
    if (begin_ == end_) return false;
    line = std::string_view(data_ + begin_, end_ - begin_);
    begin_ = end_;
  }
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  ++line_number_;
  return true;
}

bool LineReader::next(std::string_view& line) {
  release_carry();
  while (true) {
    const char* start = data_ + begin_;
    const auto* nl = static_cast<const char*>(std::memchr(start, '\n', end_ - begin_));
    if (nl != nullptr) {
      line = take_line(static_cast<std::size_t>(nl - start));
      return true;
    }
    if (!more()) return last_line(line);
  }
}

bool LineReader::next_split(std::string_view& line, std::string_view* fields, std::size_t capacity,
                            LineScan& scan) {
  release_carry();
  scan = scan_line(data_ + begin_, end_ - begin_, fields, capacity);
  if (scan.newline) {
    line = take_line(scan.length);
    return true;
  }
  // The line goes on in the next window, or is the last without a newline: rare, split apart.
  scan.status = ScanStatus::kNotSplit;
  return next(line);
}

}  // namespace fragreplay::trace
