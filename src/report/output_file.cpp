// Atomic report files (see output_file.hpp).
#include "report/output_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/error.hpp"

namespace fragreplay::report {
namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw Error(Position{path, 0, 0, false}, what + ": " + std::strerror(errno));
}

}  // namespace

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
  if (path_ == "-") {
    file_ = stdout;
    to_stdout_ = true;
    return;
  }
  tmp_ = path_ + ".tmp." + std::to_string(::getpid());
  file_ = std::fopen(tmp_.c_str(), "wb");
  if (file_ == nullptr) fail(path_, "cannot create");
}

AtomicFile::~AtomicFile() {
  if (to_stdout_ || file_ == nullptr) return;
  std::fclose(file_);
  std::remove(tmp_.c_str());
}

void AtomicFile::commit() {
  if (to_stdout_) {
    if (std::fflush(stdout) != 0) fail(path_, "cannot write");
    return;
  }
  const bool write_ok = std::fflush(file_) == 0 && ::fsync(::fileno(file_)) == 0;
  const bool close_ok = std::fclose(file_) == 0;
  file_ = nullptr;
  if (!write_ok || !close_ok) {
    std::remove(tmp_.c_str());
    fail(path_, "cannot write");
  }
  if (std::rename(tmp_.c_str(), path_.c_str()) != 0) {
    std::remove(tmp_.c_str());
    fail(path_, "cannot rename into place");
  }
}

void write_file_atomically(const std::string& path, const std::string& content) {
  AtomicFile f(path);
  if (!content.empty() &&
      std::fwrite(content.data(), 1, content.size(), f.get()) != content.size()) {
    fail(path, "cannot write");
  }
  f.commit();
}

}  // namespace fragreplay::report
