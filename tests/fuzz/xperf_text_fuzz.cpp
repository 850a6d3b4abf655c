// Fuzz target: the xperf dumper text reader, given any bytes.
#include "fuzz_common.hpp"
#include "trace/text/xperf_text_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fragreplay::fuzz::read_everything(data, size, fragreplay::trace::make_xperf_text_reader);
  return 0;
}
