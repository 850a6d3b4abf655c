// Where trace bytes come from: a file, standard input ("-"), memory, or a decompressor wrapped
// around one of them (compressed_source.hpp). Sources are read in large chunks; readers never
// touch iostreams per line. Regular files and memory also allow random access, which the ETL
// reader needs to merge its per-CPU buffers by time, and lend their bytes where they lie (a
// regular file is mapped read-only), which saves the line readers a copy of every byte.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace fragreplay::trace {

class ByteSource {
 public:
  virtual ~ByteSource() = default;

  // Reads up to `n` bytes into `buf`; returns the count, 0 only at the end. Throws Error on an
  // I/O failure.
  virtual std::size_t read(char* buf, std::size_t n) = 0;
  // The name used in messages (the path, or "<stdin>").
  virtual const std::string& name() const = 0;
  // Bytes of the underlying file consumed so far and its total size (0 if unknown, e.g. a pipe);
  // for progress display. A decompressor reports its compressed input here.
  virtual std::uint64_t consumed() const = 0;
  virtual std::uint64_t total() const = 0;

  // True if read_at() may be called: regular files and memory. Pipes and decompressors cannot.
  virtual bool seekable() const { return false; }
  // Reads up to `n` bytes starting `offset` bytes from the start of the input and returns the
  // count (less than `n` only at the end). Leaves the position of read() alone. REQUIRES:
  // seekable(). Throws Error on an I/O failure.
  virtual std::size_t read_at(std::uint64_t offset, char* buf, std::size_t n);

  // True if lend() may be called: the bytes are already in memory (a regular file mapped
  // read-only, a memory source), so they can be read where they lie instead of copied.
  virtual bool lends() const { return false; }
  // Like read(), but returns a view of the next bytes, up to `n`, where they lie; empty only at
  // the end. A view stays valid as long as the source; a short one is not the end, exactly as
  // a short read() is not (the prefix of prefixed_source() is lent on its own). A regular file
  // is lent as it was when opened, and no further than its current size if it shrank since.
  // REQUIRES: lends(). Throws Error on an I/O failure.
  virtual std::string_view lend(std::size_t n);
};

// Opens a file, or standard input when path is "-". Throws Error if it cannot be opened.
std::unique_ptr<ByteSource> open_file_source(const std::string& path);

// A source over bytes held in memory (tests, fuzzers).
std::unique_ptr<ByteSource> memory_source(std::string bytes, std::string name = "<memory>");

// A source that first returns `prefix` (bytes already read for format detection), then the rest of
// `inner`. REQUIRES: `prefix` holds the first bytes of `inner` (it is seekable if `inner` is).
std::unique_ptr<ByteSource> prefixed_source(std::string prefix, std::unique_ptr<ByteSource> inner);

// Copies what is left of `source` into an unlinked temporary file (in $TMPDIR, else /tmp) and
// returns a seekable source over it, with the same name. For inputs that must be read out of
// order but arrive through a pipe or a decompressor. Throws Error if the copy fails (disk full).
std::unique_ptr<ByteSource> spill_to_temporary_file(std::unique_ptr<ByteSource> source);

}  // namespace fragreplay::trace
