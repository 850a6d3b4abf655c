// The buffers of an ETL file: one pass over their WMI_BUFFER_HEADERs (72 bytes read per buffer,
// the rest skipped) gives where each buffer is, which CPU filled it and whether it is compressed,
// so the reader can then walk each CPU's buffers in order and merge them by time. Loading a
// buffer reads it and, when compressed, decompresses it (docs/formats.md §4.1).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "trace/byte_source.hpp"
#include "trace/etl/etl_layout.hpp"

namespace fragreplay::trace::etl {

struct BufferInfo {
  std::uint64_t offset = 0;  // of the buffer header in the file
  std::uint32_t size = 0;    // bytes on disk, header included
  std::uint32_t filled = 0;  // end of the events in the (decompressed) buffer, header included
  std::uint16_t cpu = 0;
  std::uint16_t flags = 0;
  std::uint16_t type = 0;
  bool compressed() const { return (flags & kFlagCompressed) != 0; }
};

// A problem that ends the index: where, and what.
struct IndexProblem {
  std::uint64_t offset = 0;
  std::string message;
};

struct BufferIndex {
  std::vector<BufferInfo> buffers;  // in file order
  bool has_problem = false;         // the file is truncated or a header is corrupt after them
  IndexProblem problem;
};

// Reads the buffer headers of `source` (REQUIRES: seekable) from its start to its end (`size`
// bytes). Stops at the first header that is cut off, claims an impossible size or runs past the
// end of the file, and says so in the result; the buffers before it are usable.
BufferIndex index_buffers(ByteSource& source, std::uint64_t size);

// Bytes that are not zeroed when it grows (a buffer is always overwritten whole before use).
class ByteBuffer {
 public:
  std::uint8_t* resize(std::size_t n) {
    if (n > capacity_) {
      data_.reset(new std::uint8_t[n]);
      capacity_ = n;
    }
    size_ = n;
    return data_.get();
  }
  void release() {
    data_.reset();
    capacity_ = size_ = 0;
  }
  std::uint8_t* data() { return data_.get(); }
  std::size_t size() const { return size_; }
  std::size_t capacity() const { return capacity_; }
  ByteSpan span() const { return ByteSpan(data_.get(), size_); }

 private:
  std::unique_ptr<std::uint8_t[]> data_;
  std::size_t capacity_ = 0;
  std::size_t size_ = 0;
};

// Reads the events of buffer `b` (the bytes after its header up to `filled`) into `events`,
// decompressing them if the buffer is compressed (`raw` holds the compressed bytes meanwhile).
// Returns what is wrong, or null.
const char* load_buffer(ByteSource& source, const BufferInfo& b, ByteBuffer& raw,
                        ByteBuffer& events);

}  // namespace fragreplay::trace::etl
