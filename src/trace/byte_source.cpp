// File, stdin, memory, prefixed and spilled byte sources (see byte_source.hpp).
#include "trace/byte_source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "base/error.hpp"

namespace fragreplay::trace {
namespace {

class FdSource final : public ByteSource {
 public:
  FdSource(int fd, std::string name, bool owned) : fd_(fd), name_(std::move(name)), owned_(owned) {
    struct stat st {};
    if (::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode)) {
      total_ = static_cast<std::uint64_t>(st.st_size);
      // Offsets of read_at() count from the start of the file; a regular file handed over part
      // read (standard input) is read in order only.
      seekable_ = ::lseek(fd_, 0, SEEK_CUR) == 0;
    }
  }
  ~FdSource() override {
    if (owned_) ::close(fd_);
  }
  FdSource(const FdSource&) = delete;
  FdSource& operator=(const FdSource&) = delete;

  std::size_t read(char* buf, std::size_t n) override {
    while (true) {
      const ssize_t got = ::read(fd_, buf, n);
      if (got >= 0) {
        consumed_ += static_cast<std::uint64_t>(got);
        return static_cast<std::size_t>(got);
      }
      if (errno == EINTR) continue;
      throw Error(Position::at_offset(name_, consumed_),
                  std::string("read failed: ") + std::strerror(errno));
    }
  }
  const std::string& name() const override { return name_; }
  std::uint64_t consumed() const override { return consumed_; }
  std::uint64_t total() const override { return total_; }
  bool seekable() const override { return seekable_; }
  std::size_t read_at(std::uint64_t offset, char* buf, std::size_t n) override {
    std::size_t have = 0;
    while (have < n) {
      const ssize_t got = ::pread(fd_, buf + have, n - have, static_cast<off_t>(offset + have));
      if (got == 0) break;
      if (got < 0) {
        if (errno == EINTR) continue;
        throw Error(Position::at_offset(name_, offset + have),
                    std::string("read failed: ") + std::strerror(errno));
      }
      have += static_cast<std::size_t>(got);
    }
    // Progress of out-of-order readers: the furthest byte read.
    consumed_ = std::max<std::uint64_t>(consumed_, offset + have);
    return have;
  }

 private:
  int fd_;
  std::string name_;
  bool owned_;
  bool seekable_ = false;
  std::uint64_t consumed_ = 0;
  std::uint64_t total_ = 0;
};

class MemorySource final : public ByteSource {
 public:
  MemorySource(std::string bytes, std::string name)
      : bytes_(std::move(bytes)), name_(std::move(name)) {}
  std::size_t read(char* buf, std::size_t n) override {
    const std::size_t k = std::min(n, bytes_.size() - pos_);
    if (k != 0) std::memcpy(buf, bytes_.data() + pos_, k);
    pos_ += k;
    return k;
  }
  const std::string& name() const override { return name_; }
  std::uint64_t consumed() const override { return pos_; }
  std::uint64_t total() const override { return bytes_.size(); }
  bool seekable() const override { return true; }
  std::size_t read_at(std::uint64_t offset, char* buf, std::size_t n) override {
    if (offset >= bytes_.size()) return 0;
    const std::size_t k = std::min<std::size_t>(n, bytes_.size() - offset);
    std::memcpy(buf, bytes_.data() + offset, k);
    return k;
  }

 private:
  std::string bytes_;
  std::string name_;
  std::size_t pos_ = 0;
};

class PrefixedSource final : public ByteSource {
 public:
  PrefixedSource(std::string prefix, std::unique_ptr<ByteSource> inner)
      : prefix_(std::move(prefix)), inner_(std::move(inner)) {}
  std::size_t read(char* buf, std::size_t n) override {
    if (pos_ < prefix_.size()) {
      const std::size_t k = std::min(n, prefix_.size() - pos_);
      std::memcpy(buf, prefix_.data() + pos_, k);
      pos_ += k;
      return k;
    }
    return inner_->read(buf, n);
  }
  const std::string& name() const override { return inner_->name(); }
  std::uint64_t consumed() const override { return inner_->consumed(); }
  std::uint64_t total() const override { return inner_->total(); }
  bool seekable() const override { return inner_->seekable(); }
  std::size_t read_at(std::uint64_t offset, char* buf, std::size_t n) override {
    return inner_->read_at(offset, buf, n);
  }

 private:
  std::string prefix_;
  std::size_t pos_ = 0;
  std::unique_ptr<ByteSource> inner_;
};

}  // namespace

std::size_t ByteSource::read_at(std::uint64_t, char*, std::size_t) {
  throw std::logic_error("read_at() on a source that cannot seek: " + name());
}

std::unique_ptr<ByteSource> spill_to_temporary_file(std::unique_ptr<ByteSource> source) {
  const char* dir = std::getenv("TMPDIR");
  std::string path =
      std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") + "/fragreplay-spill-XXXXXX";
  const int fd = ::mkstemp(path.data());
  if (fd < 0) {
    throw Error(Position{source->name(), 0, 0, false},
                "cannot create a temporary file in " + path.substr(0, path.rfind('/')) + ": " +
                    std::strerror(errno) + " (set TMPDIR to a writable directory)");
  }
  ::unlink(path.c_str());
  std::vector<char> chunk(1 << 20);
  while (const std::size_t got = source->read(chunk.data(), chunk.size())) {
    std::size_t put = 0;
    while (put < got) {
      const ssize_t w = ::write(fd, chunk.data() + put, got - put);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) {
        const int saved = errno;
        ::close(fd);
        throw Error(Position{source->name(), 0, 0, false},
                    std::string("cannot copy the input to a temporary file: ") +
                        std::strerror(saved) + " (set TMPDIR to a directory with more room)");
      }
      put += static_cast<std::size_t>(w);
    }
  }
  ::lseek(fd, 0, SEEK_SET);
  auto spilled = std::make_unique<FdSource>(fd, source->name(), true);
  return spilled;
}

std::unique_ptr<ByteSource> open_file_source(const std::string& path) {
  if (path == "-") return std::make_unique<FdSource>(0, "<stdin>", false);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw Error(Position{path, 0, 0, false}, std::string("cannot open: ") + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    throw Error(Position{path, 0, 0, false}, "is a directory, expected a trace file");
  }
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  return std::make_unique<FdSource>(fd, path, true);
}

std::unique_ptr<ByteSource> memory_source(std::string bytes, std::string name) {
  return std::make_unique<MemorySource>(std::move(bytes), std::move(name));
}

std::unique_ptr<ByteSource> prefixed_source(std::string prefix, std::unique_ptr<ByteSource> inner) {
  return std::make_unique<PrefixedSource>(std::move(prefix), std::move(inner));
}

}  // namespace fragreplay::trace
