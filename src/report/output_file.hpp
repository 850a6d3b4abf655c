// Writing report files so that they never harm what they are written over. A regular file (or a
// missing one) is replaced atomically: the content goes to a temporary file created with O_EXCL
// under an unpredictable name in the target's directory, with the target's permissions, and is
// renamed over it only when complete, so a reader (a CI job) never sees half a report and a
// planted link is never followed. A symlink is kept: its target is what is replaced. Anything
// else (a character device, a FIFO, a socket, `/dev/fd/N` of a process substitution) is written
// through, as a user expects of `--json /dev/stdout` or `--markdown >(wc -c)`. Every write is
// checked. Temporary files still open when SIGINT, SIGTERM or SIGHUP arrives are removed
// (signal_cleanup.hpp).
#pragma once

#include <cstdio>
#include <string>

namespace fragreplay::report {

// Writes `content` to `path` as above ("-" writes to standard output). Throws Error on failure.
void write_file_atomically(const std::string& path, const std::string& content);

// A file being written in pieces (streams such as --events-out), put into place by commit().
// If commit() is never called the temporary file is removed (a written-through target keeps what
// was written).
class AtomicFile {
 public:
  explicit AtomicFile(std::string path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::FILE* get() { return file_; }
  void commit();
  // True when the target is not a regular file and is written in place.
  bool writes_through() const { return mode_ == Mode::kThrough; }

 private:
  enum class Mode { kStdout, kThrough, kAtomic };
  void open_through();
  void open_temporary();

  std::string path_;    // as given, for messages
  std::string target_;  // the file replaced: path_ with its symlinks followed
  std::string tmp_;
  std::FILE* file_ = nullptr;
  Mode mode_ = Mode::kAtomic;
  int slot_ = -1;  // in the signal-cleanup registry
};

}  // namespace fragreplay::report
