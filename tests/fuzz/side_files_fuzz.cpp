// Fuzz target: the side files read whole beside a trace, a pool-tag list (--pooltag), a kernel
// symbol table and an MSVC linker map (--symbols), from any bytes. fragreplay::Error is the
// expected answer to a file that is none of them; a list that parses must answer every lookup
// with an entry whose tag matches; a map that parses must answer every lookup.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "base/error.hpp"
#include "trace/linux/kernel_symbols.hpp"
#include "trace/module_symbols.hpp"
#include "trace/pooltag_list.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace fragreplay;
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const trace::PoolTagList list = trace::PoolTagList::parse(text, "fuzz");
    if (list.entries() == 0) std::abort();  // parse() refuses a list without entries
    // The tags of the input's first bytes, and a few fixed ones.
    for (std::size_t i = 0; i + 4 <= size && i < 256; i += 4) {
      (void)list.find(Tag::from_chars(std::string_view(text).substr(i, 4)));
    }
    for (const char* t : {"Nic?", "Ps", "    ", "AfdB"}) (void)list.find(Tag::from_chars(t));
  } catch (const Error&) {
  }
  try {
    const trace::KernelSymbols symbols = trace::KernelSymbols::parse(text, "fuzz");
    for (std::uint64_t a : {0ull, 0xc104de4full, ~0ull}) (void)symbols.describe(a);
  } catch (const Error&) {
  }
  try {
    trace::ModuleSymbols maps;
    maps.add(text, "fuzz");
    if (maps.modules() != 1) std::abort();  // add() adds one module or throws
    for (const char* image : {"mydriver.sys", "MYDRIVER", "x.sys", ""})
      for (std::uint64_t rva : {0ull, 0x1a10ull, 0x7fffffffull, ~0ull})
        (void)maps.describe(image, rva);
  } catch (const Error&) {
  }
  return 0;
}
