// Fuzz target: the Linux bpftrace kmem reader, given any bytes.
#include "fuzz_common.hpp"
#include "trace/linux/bpftrace_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fragreplay::fuzz::read_everything(data, size, fragreplay::trace::make_bpftrace_reader);
  return 0;
}
