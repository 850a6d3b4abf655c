// Fuzz target: the Linux ftrace kmem reader, given any bytes.
#include "fuzz_common.hpp"
#include "trace/linux/ftrace_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fragreplay::fuzz::read_everything(data, size, fragreplay::trace::make_ftrace_reader);
  return 0;
}
