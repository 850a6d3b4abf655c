// ETL buffer index and buffer loading (see buffer_index.hpp).
#include "trace/etl/buffer_index.hpp"

#include <array>

#include "trace/etl/lzxpress.hpp"

namespace fragreplay::trace::etl {
namespace {

std::string mib(std::uint64_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

}  // namespace

BufferIndex index_buffers(ByteSource& source, std::uint64_t size) {
  BufferIndex index;
  std::array<std::uint8_t, kBufferHeaderSize> h{};
  std::uint64_t off = 0;
  auto stop = [&](std::string message) {
    index.has_problem = true;
    index.problem = IndexProblem{off, std::move(message)};
  };
  while (off < size) {
    const std::size_t got = source.read_at(off, reinterpret_cast<char*>(h.data()), h.size());
    if (got < h.size()) {
      stop("truncated ETL file: a buffer header starts here but the file ends after " +
           std::to_string(got) + " of its 72 bytes");
      break;
    }
    BufferInfo b;
    b.offset = off;
    b.size = le32(h.data() + kBufSize);
    b.filled = le32(h.data() + kBufFilled);
    b.cpu = le16(h.data() + kBufProcessor);
    b.flags = le16(h.data() + kBufFlags);
    b.type = le16(h.data() + kBufType);
    if (b.size < kBufferHeaderSize || b.size > kMaxBufferSize) {
      stop("corrupt ETL buffer header: it claims a size of " + std::to_string(b.size) +
           " bytes; buffers hold 72 bytes to " + mib(kMaxBufferSize));
      break;
    }
    if (b.size > size - off) {
      stop("truncated ETL file: the buffer here needs " + std::to_string(b.size) +
           " bytes but the file ends after " + std::to_string(size - off));
      break;
    }
    if (b.compressed()) {
      if (b.filled < kBufferHeaderSize || b.filled > kMaxBufferSize) {
        stop("corrupt ETL buffer header: a compressed buffer that claims " +
             std::to_string(b.filled) + " bytes of events once decompressed");
        break;
      }
    } else if (b.filled != 0 && (b.filled < kBufferHeaderSize || b.filled > b.size)) {
      stop("corrupt ETL buffer header: its events end at byte " + std::to_string(b.filled) +
           ", outside the buffer of " + std::to_string(b.size) + " bytes");
      break;
    }
    index.buffers.push_back(b);
    off += b.size;
  }
  return index;
}

const char* load_buffer(ByteSource& source, const BufferInfo& b, ByteBuffer& raw,
                        ByteBuffer& events) {
  if (!b.compressed()) {
    const std::size_t n = b.filled <= kBufferHeaderSize ? 0 : b.filled - kBufferHeaderSize;
    char* to = reinterpret_cast<char*>(events.resize(n));
    if (n != 0 && source.read_at(b.offset + kBufferHeaderSize, to, n) != n) {
      return "the file ended while reading this buffer (did it shrink?)";
    }
    return nullptr;
  }
  const std::size_t n = b.size - kBufferHeaderSize;
  char* from = reinterpret_cast<char*>(raw.resize(n));
  if (source.read_at(b.offset + kBufferHeaderSize, from, n) != n) {
    return "the file ended while reading this buffer (did it shrink?)";
  }
  const std::size_t expected = b.filled - kBufferHeaderSize;
  const LzxpressResult r = lzxpress_plain_decompress(
      raw.span(), std::span<std::uint8_t>(events.resize(expected), expected));
  if (r.error != nullptr) return r.error;
  if (r.size != expected)
    return "compressed buffer decompresses to fewer bytes than its header says";
  return nullptr;
}

}  // namespace fragreplay::trace::etl
