// Where trace bytes come from: a file, standard input ("-"), or (later) a decompressor wrapped
// around either. Sources are read in large chunks; readers never touch iostreams per line.
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
};

// Opens a file, or standard input when path is "-". Throws Error if it cannot be opened.
std::unique_ptr<ByteSource> open_file_source(const std::string& path);

// A source over bytes held in memory (tests, fuzzers).
std::unique_ptr<ByteSource> memory_source(std::string bytes, std::string name = "<memory>");

// A source that first returns `prefix` (bytes already read for format detection), then the rest of
// `inner`.
std::unique_ptr<ByteSource> prefixed_source(std::string prefix, std::unique_ptr<ByteSource> inner);

}  // namespace fragreplay::trace
