// File, stdin, memory, prefixed and spilled byte sources (see byte_source.hpp).
#include "trace/byte_source.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <vector>

#include "base/error.hpp"

namespace fragreplay::trace {
namespace {

// A file descriptor; a regular file read from its start may also be mapped, to be lent.
class FdSource final : public ByteSource {
 public:
  FdSource(int fd, std::string name, bool owned, bool map = false)
      : fd_(fd), name_(std::move(name)), owned_(owned) {
    struct stat st {};
    if (::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode)) {
      total_ = static_cast<std::uint64_t>(st.st_size);
      // Offsets of read_at() count from the start of the file; a regular file handed over part
      // read (standard input) is read in order only.
      seekable_ = ::lseek(fd_, 0, SEEK_CUR) == 0;
    }
    if (map && seekable_) map_whole_file();
  }
  ~FdSource() override {
    if (map_ != nullptr) ::munmap(const_cast<char*>(map_), map_size_);
    if (owned_) ::close(fd_);
  }
  FdSource(const FdSource&) = delete;
  FdSource& operator=(const FdSource&) = delete;

  std::size_t read(char* buf, std::size_t n) override {
    // A mapped file is read at the position lend() shares (the file offset does not follow).
    if (map_ != nullptr) {
      const std::size_t got = read_at(consumed_, buf, n);
      return got;
    }
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
  bool lends() const override { return map_ != nullptr; }
  std::string_view lend(std::size_t n) override {
    if (consumed_ >= map_size_) return {};
    std::size_t k = std::min<std::size_t>(n, map_size_ - consumed_);
    // A file that shrank since it was mapped: its pages past the new end must not be touched
    // (they would raise SIGBUS), so it ends where read() would now end it.
    struct stat st {};
    if (::fstat(fd_, &st) == 0 && static_cast<std::uint64_t>(st.st_size) < consumed_ + k) {
      const auto size = static_cast<std::uint64_t>(st.st_size);
      k = size > consumed_ ? static_cast<std::size_t>(size - consumed_) : 0;
    }
    const char* at = map_ + consumed_;
    consumed_ += k;
    release_behind();
    return {at, k};
  }

 private:
  // Mapped pages read stay resident and count towards the process's memory: hand back all but
  // the last kKeepMapped bytes behind the read position every kKeepMapped bytes, so a big trace
  // costs a few MiB of mapping, not its size. A private read-only mapping reads the file again if
  // a page handed back is touched, so a view still held stays valid.
  static constexpr std::uint64_t kKeepMapped = std::uint64_t{8} << 20;
  void release_behind() {
    if (consumed_ < released_ + 2 * kKeepMapped) return;
    const auto page = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
    const std::uint64_t upto = (consumed_ - kKeepMapped) / page * page;
    ::madvise(const_cast<char*>(map_) + released_, static_cast<std::size_t>(upto - released_),
              MADV_DONTNEED);
    released_ = upto;
  }

  // The whole file, read-only, as it is now; left unmapped (read() copies) if it is empty, too
  // large for the address space or cannot be mapped.
  void map_whole_file() {
    if (total_ == 0 || total_ > std::numeric_limits<std::size_t>::max() / 2) return;
    const auto size = static_cast<std::size_t>(total_);
    void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd_, 0);
    if (p == MAP_FAILED) return;
    ::madvise(p, size, MADV_SEQUENTIAL);
    map_ = static_cast<const char*>(p);
    map_size_ = size;
  }

  int fd_;
  std::string name_;
  bool owned_;
  bool seekable_ = false;
  std::uint64_t consumed_ = 0;
  std::uint64_t total_ = 0;
  const char* map_ = nullptr;
  std::size_t map_size_ = 0;
  std::uint64_t released_ = 0;  // mapped bytes before this were handed back (release_behind)
};

class MemorySource final : public ByteSource {
 public:
  MemorySource(std::string bytes, std::string name)
      : bytes_(std::move(bytes)), size_(bytes_.size()), name_(std::move(name)) {}
  std::size_t read(char* buf, std::size_t n) override {
    const std::string_view v = lend(n);
    if (!v.empty()) std::memcpy(buf, v.data(), v.size());
    return v.size();
  }
  bool lends() const override { return true; }
  std::string_view lend(std::size_t n) override {
    const std::size_t k = std::min(n, size_ - pos_);
    const char* at = bytes_.data() + pos_;
    pos_ += k;
    return {at, k};
  }
  const std::string& name() const override { return name_; }
  std::uint64_t consumed() const override { return pos_; }
  std::uint64_t total() const override { return size_; }
  bool seekable() const override { return true; }
  std::size_t read_at(std::uint64_t offset, char* buf, std::size_t n) override {
    if (offset >= size_) return 0;
    const std::size_t k = std::min<std::size_t>(n, size_ - offset);
    std::memcpy(buf, bytes_.data() + offset, k);
    return k;
  }

 private:
  std::string bytes_;
  std::size_t size_;
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
  bool lends() const override { return inner_->lends(); }
  std::string_view lend(std::size_t n) override {
    if (pos_ < prefix_.size()) {
      const std::size_t k = std::min(n, prefix_.size() - pos_);
      const std::string_view v(prefix_.data() + pos_, k);
      pos_ += k;
      return v;
    }
    return inner_->lend(n);
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

std::string_view ByteSource::lend(std::size_t) {
  throw std::logic_error("lend() on a source that does not hold its bytes: " + name());
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
  if (path == "-") return std::make_unique<FdSource>(0, "<stdin>", false, /*map=*/true);
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
  return std::make_unique<FdSource>(fd, path, true, /*map=*/true);
}

std::unique_ptr<ByteSource> memory_source(std::string bytes, std::string name) {
  return std::make_unique<MemorySource>(std::move(bytes), std::move(name));
}

std::unique_ptr<ByteSource> prefixed_source(std::string prefix, std::unique_ptr<ByteSource> inner) {
  return std::make_unique<PrefixedSource>(std::move(prefix), std::move(inner));
}

}  // namespace fragreplay::trace
