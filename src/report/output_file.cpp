// Report files that never harm their target (see output_file.hpp).
#include "report/output_file.hpp"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

#include "base/error.hpp"
#include "report/signal_cleanup.hpp"

namespace fragreplay::report {
namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what, int err) {
  throw Error(Position{path, 0, 0, false}, what + ": " + std::strerror(err));
}

std::string directory_of(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// `path` with its symlinks followed, also when the last one dangles (the file it names is then
// created), so that a link to a report stays a link to the new report.
std::string follow_links(const std::string& path) {
  std::string p = path;
  for (int hops = 0; hops < 40; ++hops) {
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return p;
    std::string link(static_cast<std::size_t>(st.st_size > 0 ? st.st_size : 4096), '\0');
    const ssize_t n = ::readlink(p.c_str(), link.data(), link.size());
    if (n < 0) return p;
    link.resize(static_cast<std::size_t>(n));
    p = link.starts_with('/') ? link : directory_of(p) + "/" + link;
  }
  fail(path, "cannot follow its links", ELOOP);
}

// Twelve random hex digits for a temporary name nobody can predict.
std::string random_suffix() {
  unsigned char bytes[6] = {};
  if (::getrandom(bytes, sizeof bytes, 0) != static_cast<ssize_t>(sizeof bytes)) {
    const auto fallback =
        static_cast<unsigned long>(::getpid()) ^ reinterpret_cast<std::uintptr_t>(&bytes);
    std::memcpy(bytes, &fallback, sizeof bytes);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const unsigned char b : bytes) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

}  // namespace

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
  if (path_ == "-") {
    file_ = stdout;
    mode_ = Mode::kStdout;
    return;
  }
  struct stat st {};
  if (::stat(path_.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    if (S_ISDIR(st.st_mode)) fail(path_, "cannot write a report over a directory", EISDIR);
    open_through();
  } else {
    open_temporary();
  }
}

// A device, a FIFO or a pipe: opened as it is, never replaced.
void AtomicFile::open_through() {
  mode_ = Mode::kThrough;
  const int fd = ::open(path_.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) fail(path_, "cannot open", errno);
  file_ = ::fdopen(fd, "wb");
  if (file_ == nullptr) {
    const int err = errno;
    ::close(fd);
    fail(path_, "cannot open", err);
  }
}

// A new file beside the one replaced, created by us alone (O_EXCL: a link planted under its name
// is never followed), with the replaced file's permissions or, for a new one, 0666 less umask.
void AtomicFile::open_temporary() {
  mode_ = Mode::kAtomic;
  target_ = follow_links(path_);
  struct stat old {};
  const bool replacing = ::stat(target_.c_str(), &old) == 0;
  const std::string dir = directory_of(target_);
  const std::string base = target_.substr(target_.rfind('/') + 1);
  int fd = -1;
  for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
    tmp_ = dir + "/." + base + ".tmp-" + random_suffix();
    fd = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST) fail(path_, "cannot create a file in " + dir, errno);
  }
  if (fd < 0) fail(path_, "cannot create a temporary file in " + dir, EEXIST);
  slot_ = register_temporary(tmp_);
  if (replacing) (void)::fchmod(fd, old.st_mode & 07777);
  file_ = ::fdopen(fd, "wb");
  if (file_ == nullptr) {
    const int err = errno;
    ::close(fd);
    ::unlink(tmp_.c_str());
    unregister_temporary(slot_);
    fail(path_, "cannot create", err);
  }
}

AtomicFile::~AtomicFile() {
  if (mode_ == Mode::kStdout || file_ == nullptr) return;
  std::fclose(file_);
  if (mode_ == Mode::kAtomic) {
    ::unlink(tmp_.c_str());
    unregister_temporary(slot_);
  }
}

void AtomicFile::commit() {
  if (mode_ == Mode::kStdout) {
    if (std::fflush(stdout) != 0 || std::ferror(stdout)) fail(path_, "cannot write", errno);
    return;
  }
  bool write_ok = std::fflush(file_) == 0 && !std::ferror(file_);
  int err = write_ok ? 0 : errno;
  if (write_ok && mode_ == Mode::kAtomic && ::fsync(::fileno(file_)) != 0) {
    write_ok = false;
    err = errno;
  }
  const bool close_ok = std::fclose(file_) == 0;
  if (write_ok && !close_ok) err = errno;
  file_ = nullptr;
  if (mode_ == Mode::kThrough) {
    if (!write_ok || !close_ok) fail(path_, "cannot write", err);
    return;
  }
  if (!write_ok || !close_ok || std::rename(tmp_.c_str(), target_.c_str()) != 0) {
    if (write_ok && close_ok) err = errno;
    ::unlink(tmp_.c_str());
    unregister_temporary(slot_);
    fail(path_, write_ok && close_ok ? "cannot rename into place" : "cannot write", err);
  }
  unregister_temporary(slot_);
}

void write_file_atomically(const std::string& path, const std::string& content) {
  AtomicFile f(path);
  if (!content.empty() &&
      std::fwrite(content.data(), 1, content.size(), f.get()) != content.size()) {
    fail(path, "cannot write", errno);
  }
  f.commit();
}

}  // namespace fragreplay::report
