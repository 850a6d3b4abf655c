// Fuzz target: the ETL reader (buffers, headers, decompression, pool payloads, the per-CPU merge),
// given any bytes.
#include "fuzz_common.hpp"
#include "trace/etl/etl_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fragreplay::fuzz::read_everything(data, size, fragreplay::trace::make_etl_reader);
  return 0;
}
