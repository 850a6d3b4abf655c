// Fuzz target: the compact binary native format reader (.frb, uncompressed), given any bytes.
#include "fuzz_common.hpp"
#include "trace/frb_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fragreplay::fuzz::read_everything(data, size, fragreplay::trace::make_frb_reader);
  return 0;
}
