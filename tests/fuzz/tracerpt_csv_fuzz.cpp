// Fuzz target: the tracerpt CSV reader, given any bytes.
#include "fuzz_common.hpp"
#include "trace/text/tracerpt_csv_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fragreplay::fuzz::read_everything(data, size, fragreplay::trace::make_tracerpt_csv_reader);
  return 0;
}
