// A Linux kernel symbol table, for naming the call sites of kmem records (`--symbols FILE`):
// System.map or a copy of /proc/kallsyms, lines "address type name [module]" (the format nm
// prints, which both use). Only code symbols are kept (types t, T, w, W: text, and weak symbols,
// which in the kernel are functions): a call site is an address in code, and a data symbol
// between two functions would name it wrongly. An address is named by the nearest code symbol at
// or below it, as the kernel's %pS does: "function+0xoff", with " [module]" for a module's.
// Files read whole (a System.map is a few MB); gzip and zstd copies are read like traces.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fragreplay::trace {

class KernelSymbols {
 public:
  // Reads `path`. Throws Error (with the file and line) for a line that is not "address type
  // name [module]", and for a table whose code symbols all have address 0 (/proc/kallsyms read
  // without the right to see addresses: kptr_restrict).
  static KernelSymbols load(const std::string& path);
  // The same over text already in memory; `name` is used in messages.
  static KernelSymbols parse(std::string_view text, const std::string& name);

  // "function+0xoff" (" [module]" appended for a module's symbol), or "" when no code symbol lies
  // at or below `address`.
  std::string describe(std::uint64_t address) const;
  std::size_t size() const { return symbols_.size(); }

 private:
  struct Symbol {
    std::uint64_t address = 0;
    std::string name;  // with " [module]" when the line named one
  };
  std::vector<Symbol> symbols_;  // by address
};

}  // namespace fragreplay::trace
