// --symbols with MSVC linker maps (docs/attribution.md §3): the maps of tests/data/symbols
// (written by hand in the documented format of link /MAP), an RVA named by the nearest function
// at or below it, data and absolute symbols left out, modules matched by file name without
// extension in any case, and the errors. The labels are worked out from the maps' lines:
// RVA = Rva+Base - preferred load address.
#include <gtest/gtest.h>

#include <string>

#include "base/error.hpp"
#include "trace/module_symbols.hpp"
#include "trace/side_file.hpp"

namespace fragreplay::trace {
namespace {

std::string data_file(const std::string& name) {
  return std::string(FRAGREPLAY_SOURCE_DIR) + "/tests/data/symbols/" + name;
}

ModuleSymbols maps(std::initializer_list<const char*> names) {
  ModuleSymbols s;
  for (const char* n : names) s.load(data_file(n));
  return s;
}

// The message of the Error `add` throws for `text`, or "" when it throws none.
std::string error_of(const std::string& text, ModuleSymbols s = {}) {
  try {
    s.add(text, "m.map");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

const std::string kHead =
    " mydriver\n"
    "\n"
    " Preferred load address is 0000000140000000\n"
    "\n"
    "  Address         Publics by Value              Rva+Base               Lib:Object\n"
    "\n";

// mydriver.map: DriverEntry at RVA 0x1a10, ?NicAllocateRx@@YAJPEAU_NIC@@@Z 0x1c40,
// NicInlineHelper 0x1d80 (f i), the static NicFreeRx 0x1e00, the data __imp_ExAllocatePool2
// 0x3000, NicPagedInit 0x4100.
TEST(ModuleSymbols, NamesAnRvaByTheNearestFunctionAtOrBelowIt) {
  const ModuleSymbols s = maps({"mydriver.map"});
  EXPECT_EQ(s.modules(), 1u);
  EXPECT_EQ(s.describe("mydriver.sys", 0x1a20), "mydriver.sys!DriverEntry+0x10");
  EXPECT_EQ(s.describe("mydriver.sys", 0x1a10), "mydriver.sys!DriverEntry") << "offset 0";
  EXPECT_EQ(s.describe("mydriver.sys", 0x1c48), "mydriver.sys!?NicAllocateRx@@YAJPEAU_NIC@@@Z+0x8")
      << "decorated names are kept";
  EXPECT_EQ(s.describe("mydriver.sys", 0x1d84), "mydriver.sys!NicInlineHelper+0x4") << "f i";
  EXPECT_EQ(s.describe("mydriver.sys", 0x1e30), "mydriver.sys!NicFreeRx+0x30") << "a static";
  EXPECT_EQ(s.describe("mydriver.sys", 0x4180), "mydriver.sys!NicPagedInit+0x80");
}

TEST(ModuleSymbols, ADataSymbolNamesNothing) {
  const ModuleSymbols s = maps({"mydriver.map"});
  // 0x3010 lies 0x10 past __imp_ExAllocatePool2 (no 'f'): the function before it names it.
  EXPECT_EQ(s.describe("mydriver.sys", 0x3010), "mydriver.sys!NicFreeRx+0x1210");
}

TEST(ModuleSymbols, NothingBeforeTheFirstFunctionOrForAnotherModule) {
  const ModuleSymbols s = maps({"mydriver.map"});
  EXPECT_EQ(s.describe("mydriver.sys", 0x1a0f), "");
  EXPECT_EQ(s.describe("mydriver.sys", 0), "") << "__guard_fids_count is absolute: skipped";
  EXPECT_EQ(s.describe("tcpip.sys", 0x1a20), "");
  EXPECT_EQ(s.describe("mydriver2.sys", 0x1a20), "");
}

TEST(ModuleSymbols, TheModuleIsTheFileNameWithoutExtensionInAnyCase) {
  const ModuleSymbols s = maps({"mydriver.map"});
  EXPECT_EQ(s.describe("MyDriver.SYS", 0x1a20), "MyDriver.SYS!DriverEntry+0x10")
      << "the image is spelled as the trace spells it";
  EXPECT_EQ(s.describe("MYDRIVER", 0x1a20), "MYDRIVER!DriverEntry+0x10");
  EXPECT_EQ(s.describe("\\SystemRoot\\System32\\drivers\\mydriver.sys", 0x1a20),
            "\\SystemRoot\\System32\\drivers\\mydriver.sys!DriverEntry+0x10");
}

// x86drv.map: preferred load address 00010000; _DriverEntry@8 at Rva+Base 00011400 (RVA 0x1400),
// _X86AllocBuffer@12 0x1480, the static _X86Recycle@4 0x1600, the data _g_BufferCount 0x2010.
TEST(ModuleSymbols, A32BitMapBesideA64BitOne) {
  const ModuleSymbols s = maps({"mydriver.map", "x86drv.map"});
  EXPECT_EQ(s.modules(), 2u);
  EXPECT_EQ(s.describe("x86drv.sys", 0x1410), "x86drv.sys!_DriverEntry@8+0x10");
  EXPECT_EQ(s.describe("x86drv.sys", 0x14a0), "x86drv.sys!_X86AllocBuffer@12+0x20");
  EXPECT_EQ(s.describe("x86drv.sys", 0x2018), "x86drv.sys!_X86Recycle@4+0xa18");
  EXPECT_EQ(s.describe("x86drv.sys", 0x13ff), "");
  EXPECT_EQ(s.describe("mydriver.sys", 0x1a20), "mydriver.sys!DriverEntry+0x10");
}

TEST(ModuleSymbols, TellsAMapFromALinuxTable) {
  EXPECT_TRUE(ModuleSymbols::is_linker_map(read_side_file(data_file("mydriver.map"))));
  EXPECT_TRUE(ModuleSymbols::is_linker_map(read_side_file(data_file("x86drv.map"))));
  EXPECT_FALSE(ModuleSymbols::is_linker_map("c1000000 T _text\nc104de00 T kmem_cache_alloc\n"));
  EXPECT_FALSE(ModuleSymbols::is_linker_map(
      " m\n  Address  Publics by Value  Rva+Base  Lib:Object\n Preferred load address is 0\n"))
      << "the load address must come before the publics";
}

TEST(ModuleSymbols, OfFunctionsAtOneRvaTheFirstListedAndTheOtherPartsAreNotRead) {
  ModuleSymbols s;
  s.add(kHead +
            " 0001:00000010       Folded                     0000000140001010 f   a.obj\n"
            " 0001:00000010       FoldedToo                  0000000140001010 f   b.obj\n"
            " entry point at        0001:00000010\n"
            " Exports\n"
            "\n"
            "  ordinal    name\n"
            "\n"
            "        1    Folded\n",
        "m.map");
  EXPECT_EQ(s.describe("mydriver.sys", 0x1018), "mydriver.sys!Folded+0x8");
}

TEST(ModuleSymbols, AMalformedSymbolLineIsAnErrorAtItsLine) {
  EXPECT_EQ(error_of(kHead + " 0001:00000a10       DriverEntry\n"),
            "m.map:7: expected a symbol line \"section:offset name Rva+Base [f] [i] lib:object\", "
            "got \"0001:00000a10       DriverEntry\"");
  EXPECT_EQ(error_of(kHead + " 0001:00000a10  DriverEntry  0000000140001a10 f\n"),
            "m.map:7: expected a symbol line \"section:offset name Rva+Base [f] [i] lib:object\", "
            "got \"0001:00000a10  DriverEntry  0000000140001a10 f\"")
      << "no object";
  EXPECT_EQ(error_of(kHead + " 0001:00000a10  DriverEntry  00000001400z1a10 f driver.obj\n"),
            "m.map:7: expected the Rva+Base address in hex, got \"00000001400z1a10\"");
  EXPECT_EQ(error_of(kHead + " 0001:000g0a10  DriverEntry  0000000140001a10 f driver.obj\n"),
            "m.map:7: expected section:offset in hex, got \"0001:000g0a10\"");
  EXPECT_EQ(error_of(kHead + " 0001:00000a10  DriverEntry  0000000140001a10 f driver.obj\n"
                             "\n"
                             " Static symbols\n"
                             "\n"
                             " 0001:00000b00  Helper  0000000000001b00 f driver.obj\n"),
            "m.map:11: address 0x1b00 is below the preferred load address 0x140000000");
}

TEST(ModuleSymbols, AMapWithoutItsPartsIsAnError) {
  EXPECT_EQ(error_of(kHead + " 0002:00000000  g_Data  0000000140003000  data.obj\n"),
            "m.map: no function symbols (no line flagged 'f' in the publics or static symbols)");
  EXPECT_EQ(error_of(" mydriver\n Preferred load address is 0000000140000000\n"),
            "m.map: not a linker map: no \"Publics by Value\" table (link /MAP writes one)");
  EXPECT_EQ(error_of(" mydriver\n  Address  Publics by Value  Rva+Base  Lib:Object\n"),
            "m.map:2: no \"Preferred load address is\" line before the publics");
  EXPECT_EQ(error_of(" mydriver\n Preferred load address is 01400zz000\n"),
            "m.map:2: expected a hex preferred load address, got \"Preferred load address is "
            "01400zz000\"");
}

TEST(ModuleSymbols, TheSameModuleTwiceIsAnError) {
  const ModuleSymbols s = maps({"mydriver.map"});
  std::string again = kHead + " 0001:00000a10  DriverEntry  0000000140001a10 f driver.obj\n";
  again.replace(1, 8, "MYDRIVER");
  EXPECT_EQ(error_of(again, s),
            "m.map:1: module \"MYDRIVER\" already has a map: " + data_file("mydriver.map"));
}

}  // namespace
}  // namespace fragreplay::trace
