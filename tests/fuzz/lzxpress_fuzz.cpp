// Fuzz target: LZXPRESS plain decompression of any bytes (never out of bounds, whatever the
// claimed lengths and offsets), and the round trip through the tests' compressor.
#include <cstdlib>
#include <string>
#include <vector>

#include "lzxpress_compress.hpp"
#include "trace/etl/lzxpress.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using fragreplay::trace::etl::lzxpress_plain_decompress;
  std::vector<std::uint8_t> out(1 << 16);
  lzxpress_plain_decompress(std::span<const std::uint8_t>(data, size), out);

  const std::string in(reinterpret_cast<const char*>(data), size);
  const std::string packed = fragreplay::testing::lzxpress_plain_compress(in);
  std::vector<std::uint8_t> back(in.size());
  const auto r = lzxpress_plain_decompress(
      std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(packed.data()),
                                    packed.size()),
      back);
  if (r.error != nullptr || r.size != in.size() || std::string(back.begin(), back.end()) != in) {
    std::abort();  // the compressor and the decompressor disagree
  }
  return 0;
}
