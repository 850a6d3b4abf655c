// Fuzz target: format detection and gzip/zstd decompression in front of every reader.
#include "fuzz_common.hpp"

namespace {

std::unique_ptr<fragreplay::trace::TraceReader> open_any(
    std::unique_ptr<fragreplay::trace::ByteSource> source,
    const fragreplay::trace::ReadOptions& options) {
  return fragreplay::trace::open_trace(std::move(source), options);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fragreplay::fuzz::read_everything(data, size, open_any);
  return 0;
}
