// LZXPRESS plain LZ77 decompression (see lzxpress.hpp).
#include "trace/etl/lzxpress.hpp"

#include <cstring>

namespace fragreplay::trace::etl {

LzxpressResult lzxpress_plain_decompress(std::span<const std::uint8_t> in,
                                         std::span<std::uint8_t> out) {
  const std::uint8_t* src = in.data();
  const std::size_t in_len = in.size();
  std::uint8_t* dst = out.data();
  const std::size_t out_len = out.size();
  std::size_t ip = 0;
  std::size_t op = 0;
  std::uint32_t flags = 0;
  unsigned flag_count = 0;
  std::size_t half_byte = 0;  // input offset of the shared length half byte; 0 = none pending
  bool half_pending = false;
  auto fail = [&](const char* why) { return LzxpressResult{op, why, ip}; };

  while (true) {
    if (flag_count == 0) {
      if (ip == in_len) break;  // the input ends on a flag-word boundary
      if (in_len - ip < 4) return fail("truncated flag word");
      flags = static_cast<std::uint32_t>(src[ip]) | (static_cast<std::uint32_t>(src[ip + 1]) << 8) |
              (static_cast<std::uint32_t>(src[ip + 2]) << 16) |
              (static_cast<std::uint32_t>(src[ip + 3]) << 24);
      ip += 4;
      flag_count = 32;
    }
    --flag_count;
    if (((flags >> flag_count) & 1u) == 0) {
      if (ip == in_len) break;
      if (op == out_len) return fail("output larger than expected");
      dst[op++] = src[ip++];
      continue;
    }
    // A match; the end of the input here is the end of the stream (the remaining flag bits are
    // the compressor's padding).
    if (ip == in_len) break;
    if (in_len - ip < 2) return fail("truncated match");
    const std::uint32_t word =
        static_cast<std::uint32_t>(src[ip]) | (static_cast<std::uint32_t>(src[ip + 1]) << 8);
    ip += 2;
    std::size_t length = word & 7u;
    const std::size_t offset = (word >> 3) + 1;
    if (length == 7) {
      if (!half_pending) {
        if (ip == in_len) return fail("truncated match length");
        length = src[ip] & 0x0Fu;
        half_byte = ip;
        half_pending = true;
        ++ip;
      } else {
        length = src[half_byte] >> 4;
        half_pending = false;
      }
      if (length == 15) {
        if (ip == in_len) return fail("truncated match length");
        length = src[ip++];
        if (length == 255) {
          if (in_len - ip < 2) return fail("truncated match length");
          length = static_cast<std::size_t>(src[ip] | (src[ip + 1] << 8));
          ip += 2;
          if (length == 0) {
            if (in_len - ip < 4) return fail("truncated match length");
            length = static_cast<std::size_t>(src[ip]) |
                     (static_cast<std::size_t>(src[ip + 1]) << 8) |
                     (static_cast<std::size_t>(src[ip + 2]) << 16) |
                     (static_cast<std::size_t>(src[ip + 3]) << 24);
            ip += 4;
          }
          if (length < 15 + 7) return fail("match length below its minimum");
          length -= 15 + 7;
        }
        length += 15;
      }
      length += 7;
    }
    length += 3;
    if (offset > op) return fail("match reaches before the start of the output");
    if (length > out_len - op) return fail("output larger than expected");
    const std::uint8_t* from = dst + op - offset;
    if (offset >= length) {
      std::memcpy(dst + op, from, length);
    } else {
      for (std::size_t i = 0; i < length; ++i) dst[op + i] = from[i];  // overlapping: repeats
    }
    op += length;
  }
  return LzxpressResult{op, nullptr, ip};
}

}  // namespace fragreplay::trace::etl
