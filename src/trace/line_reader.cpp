// Chunked line splitting (see line_reader.hpp).
#include "trace/line_reader.hpp"

#include <algorithm>
#include <cstring>

#include "base/error.hpp"

namespace fragreplay::trace {

LineReader::LineReader(std::unique_ptr<ByteSource> source)
    : source_(std::move(source)), buf_(kFirstChunk) {}

bool LineReader::refill() {
  if (eof_) return false;
  // Move the partial line to the front, then read behind it.
  const std::size_t pending = end_ - begin_;
  if (begin_ != 0 && pending != 0) std::memmove(buf_.data(), buf_.data() + begin_, pending);
  begin_ = 0;
  end_ = pending;
  if (pending >= kMaxLine) {
    throw Error(Position::at_line(source_->name(), line_number_ + 1),
                "line longer than " + std::to_string(kMaxLine) + " bytes; is this a text trace?");
  }
  // The buffer starts small (a short input costs little) and doubles when a line fills it or
  // the input proves long, up to kChunk + kMaxLine.
  if ((end_ == buf_.size() || ++refills_ > 2) && buf_.size() < kChunk + kMaxLine) {
    buf_.resize(std::min(buf_.size() * 2, kChunk + kMaxLine));
  }
  const std::size_t got = source_->read(buf_.data() + end_, buf_.size() - end_);
  if (got == 0) {
    eof_ = true;
    return false;
  }
  end_ += got;
  return true;
}

bool LineReader::next(std::string_view& line) {
  while (true) {
    const char* start = buf_.data() + begin_;
    const auto* nl = static_cast<const char*>(std::memchr(start, '\n', end_ - begin_));
    if (nl != nullptr) {
      std::size_t len = static_cast<std::size_t>(nl - start);
      begin_ += len + 1;
      if (len != 0 && start[len - 1] == '\r') --len;
      line = std::string_view(start, len);
      ++line_number_;
      return true;
    }
    if (!refill()) {
      if (begin_ == end_) return false;
      // Last line without a newline.
      std::size_t len = end_ - begin_;
      const char* s = buf_.data() + begin_;
      begin_ = end_;
      if (len != 0 && s[len - 1] == '\r') --len;
      line = std::string_view(s, len);
      ++line_number_;
      return true;
    }
  }
}

}  // namespace fragreplay::trace
