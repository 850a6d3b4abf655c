// Writing report files safely: the content goes to a temporary file beside the target, which is
// renamed over it only when complete, so a reader (a CI job) never sees half a report.
#pragma once

#include <cstdio>
#include <string>

namespace fragreplay::report {

// Writes `content` to `path` atomically ("-" writes to standard output). Throws Error on failure.
void write_file_atomically(const std::string& path, const std::string& content);

// A file being written in pieces (streams such as --events-out), renamed into place by commit().
// If commit() is never called the temporary file is removed.
class AtomicFile {
 public:
  explicit AtomicFile(std::string path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::FILE* get() { return file_; }
  void commit();

 private:
  std::string path_;
  std::string tmp_;
  std::FILE* file_ = nullptr;
  bool to_stdout_ = false;
};

}  // namespace fragreplay::report
