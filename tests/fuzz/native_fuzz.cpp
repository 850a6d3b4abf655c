// Fuzz target: the native trace reader, given any bytes.
#include "fuzz_common.hpp"
#include "trace/native_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fragreplay::fuzz::read_everything(data, size, fragreplay::trace::make_native_reader);
  return 0;
}
