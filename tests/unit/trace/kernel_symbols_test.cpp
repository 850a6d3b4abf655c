// --symbols: System.map and /proc/kallsyms lines ("address type name [module]", as nm prints
// them), the nearest code symbol at or below an address named as %pS names it (function+0xoff),
// data symbols left out, and the errors.
#include <gtest/gtest.h>

#include <string>

#include "base/error.hpp"
#include "trace/linux/kernel_symbols.hpp"

namespace fragreplay::trace {
namespace {

const std::string kMap =
    "c1000000 T _text\n"
    "c104de00 T kmem_cache_alloc\n"
    "c104de80 d some_data\n"  // data between two functions: not a code symbol
    "c104e100 t __kmalloc_track_caller\n"
    "c104e100 W kmalloc_alias\n"
    "f8a01000 t e1000_probe\t[e1000]\n";

TEST(KernelSymbols, NamesAnAddressByTheNearestCodeSymbolAtOrBelowIt) {
  const KernelSymbols s = KernelSymbols::parse(kMap, "System.map");
  EXPECT_EQ(s.size(), 5u) << "the d symbol is dropped";
  EXPECT_EQ(s.describe(0xc104de4f), "kmem_cache_alloc+0x4f");
  EXPECT_EQ(s.describe(0xc104de90), "kmem_cache_alloc+0x90") << "not some_data+0x10";
  EXPECT_EQ(s.describe(0xc104de00), "kmem_cache_alloc+0x0");
  EXPECT_EQ(s.describe(0xc104e161), "__kmalloc_track_caller+0x61")
      << "of two symbols at one address, the first listed";
  EXPECT_EQ(s.describe(0xf8a01234), "e1000_probe+0x234 [e1000]");
  EXPECT_EQ(s.describe(0xbfffffff), "") << "below every symbol: no name";
}

TEST(KernelSymbols, RefusesWhatIsNotASymbolTable) {
  try {
    KernelSymbols::parse("c1000000 T _text\nnot a map line at all\n", "m");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "m:2: expected a symbol line \"address type name [module]\" (System.map or "
                 "/proc/kallsyms), got \"not a map line at all\"");
  }
  try {
    KernelSymbols::parse("0000000000000000 T _text\n0000000000000000 t foo\n", "kallsyms");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "kallsyms: every code symbol has address 0: this /proc/kallsyms was read "
                 "without the right to see addresses (read it as root, or use System.map)");
  }
}

}  // namespace
}  // namespace fragreplay::trace
