// Function names from MSVC linker maps, for the frames of Windows stacks (`--symbols FILE`;
// docs/attribution.md §3). The linker writes a map with `link /MAP` (Microsoft's documentation of
// the /MAP option, cited in docs/attribution.md §3); a driver build leaves it as `driver.map`.
// What is read of it:
//   - the first non-blank line: the module's name (the output file's name without extension);
//   - "Preferred load address is 0000000140000000" (hex, 8 or 16 digits);
//   - after the header line with "Publics by Value" and "Rva+Base", and after "Static symbols",
//     one symbol a line:
//       " 0001:00000a10       DriverEntry                0000000140001a10 f   driver.obj"
//     section:offset, the name (decorated or not), Rva+Base in hex, "f" for a function, "i" for
//     an inline one, then the library and object;
//   - the tables end with the file, or at "Exports", "FIXUPS:" or "Line numbers for" (the other
//     /MAPINFO parts, not read).
// A symbol's RVA is its Rva+Base less the preferred load address. Only functions ("f") are kept:
// a frame is a return address, in code, and a data symbol between two functions would name it
// wrongly. Absolute symbols (section 0000, object "<absolute>") are skipped. Lines before the
// publics header that are none of the above (timestamp, section table) are ignored.
//
// A frame is named by the nearest function at or below its RVA (of several at one RVA, as
// identical-code folding leaves them, the first listed). A map gives no function sizes, so an
// address past a function's end keeps that function's name. Names stay as the map writes them:
// C++ names decorated ("?Fn@@YAXXZ"), 32-bit C names with their underscore and "@N".
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace fragreplay::trace {

class ModuleSymbols {
 public:
  // True when `text` is a linker map: it has a "Preferred load address is" line before the
  // publics header (a Linux symbol table, the other kind of --symbols file, never has one).
  static bool is_linker_map(std::string_view text);

  // Reads the map at `path` (plain, gzip or zstd) and adds its module, as add() does.
  void load(const std::string& path);
  // Adds the module of the map `text`; `name` is used in messages. Throws Error (with `name`, and
  // the line where one is at fault) for: no preferred load address or publics table; a malformed
  // symbol line (too few fields, an address that is not hex or is below the preferred load
  // address); no function symbol at all; a module already added (the same name in any case).
  void add(std::string_view text, const std::string& name);

  // "mydriver.sys!DriverEntry+0x10": `image_name` as the trace spells it, '!', the function
  // nearest at or below `rva`, and its offset (nothing for 0: "mydriver.sys!DriverEntry"). ""
  // when no map names the image's module, or no function lies at or below `rva`. The module is
  // matched case-insensitively on the image's file name without its extension ("MyDriver.sys",
  // "\SystemRoot\...\mydriver.sys" and a map's "mydriver" are one module).
  std::string describe(std::string_view image_name, std::uint64_t rva) const;

  std::size_t modules() const { return modules_.size(); }

 private:
  struct Function {
    std::uint64_t rva = 0;
    std::string name;
  };
  struct Module {
    std::string file;                 // the map it came from, for messages
    std::vector<Function> functions;  // by RVA, the first listed first among equals
  };
  std::map<std::string, Module, std::less<>> modules_;  // by lower-case module name
};

}  // namespace fragreplay::trace
