// Standard output through write(2) (see stdout_buffer.hpp).
#include "cli/stdout_buffer.hpp"

#include <unistd.h>

#include <cerrno>

namespace fragreplay::cli {

StdoutBuffer::StdoutBuffer(int fd) : fd_(fd) {
  setp(buffer_.data(), buffer_.data() + buffer_.size());
}

StdoutBuffer::~StdoutBuffer() { drain(); }

bool StdoutBuffer::drain() {
  const char* p = pbase();
  std::size_t left = static_cast<std::size_t>(pptr() - pbase());
  setp(buffer_.data(), buffer_.data() + buffer_.size());
  if (error_ != 0) return false;  // the output is already lost; drop the rest
  while (left != 0) {
    const ssize_t n = ::write(fd_, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error_ = n < 0 ? errno : EIO;
      return false;
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  return true;
}

StdoutBuffer::int_type StdoutBuffer::overflow(int_type c) {
  if (!drain()) return traits_type::eof();
  if (!traits_type::eq_int_type(c, traits_type::eof())) {
    *pptr() = traits_type::to_char_type(c);
    pbump(1);
  }
  return traits_type::not_eof(c);
}

int StdoutBuffer::sync() { return drain() ? 0 : -1; }

}  // namespace fragreplay::cli
