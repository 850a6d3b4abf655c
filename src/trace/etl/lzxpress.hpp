// LZXPRESS "plain LZ77" decompression (MS-XCA §2.3-2.4: LZ77 with DIRECT2 length encoding, no
// Huffman stage), the format of ETW's compressed buffers (docs/formats.md §4.1). Written
// from the published algorithm: 32-bit flag words whose bits, highest first, say literal (0) or
// match (1); a match is a 16-bit word (offset - 1) << 3 | (length - 3), longer lengths continuing
// in a shared half byte, a byte, a 16-bit and a 32-bit word.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace fragreplay::trace::etl {

struct LzxpressResult {
  std::size_t size = 0;         // bytes written to the output
  const char* error = nullptr;  // null on success, else what was wrong
  std::size_t error_at = 0;     // input offset of the problem
};

// Decompresses `in` into `out`. Fails (never reads or writes out of bounds) if the input is
// truncated, a match reaches before the start of the output, or the output would not fit.
LzxpressResult lzxpress_plain_decompress(std::span<const std::uint8_t> in,
                                         std::span<std::uint8_t> out);

}  // namespace fragreplay::trace::etl
