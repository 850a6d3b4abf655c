// The kernel symbol table behind --symbols (see kernel_symbols.hpp).
#include "trace/linux/kernel_symbols.hpp"

#include <algorithm>
#include <cstdio>
#include <iterator>

#include "base/error.hpp"
#include "trace/linux/kmem_text.hpp"
#include "trace/side_file.hpp"

namespace fragreplay::trace {
namespace {

bool is_code(std::string_view type) {
  return type == "t" || type == "T" || type == "w" || type == "W";
}

// The next space- or tab-separated word of `rest`, removed from it.
std::string_view next_word(std::string_view& rest) {
  std::size_t b = 0;
  while (b < rest.size() && (rest[b] == ' ' || rest[b] == '\t')) ++b;
  std::size_t e = b;
  while (e < rest.size() && rest[e] != ' ' && rest[e] != '\t') ++e;
  const std::string_view word = rest.substr(b, e - b);
  rest.remove_prefix(e);
  return word;
}

}  // namespace

KernelSymbols KernelSymbols::parse(std::string_view text, const std::string& name) {
  KernelSymbols table;
  TextLines lines(text);
  std::string_view line;
  bool any_nonzero = false;
  std::size_t code_lines = 0;
  while (lines.next(line)) {
    if (kmem::trim(line).empty()) continue;
    std::string_view rest = line;
    const auto address = kmem::parse_hex(next_word(rest));
    const std::string_view type = next_word(rest);
    const std::string_view symbol = next_word(rest);
    const std::string_view module = kmem::trim(rest);
    if (!address || type.size() != 1 || symbol.empty()) {
      throw Error(Position::at_line(name, lines.number()),
                  "expected a symbol line \"address type name [module]\" (System.map or "
                  "/proc/kallsyms), got " +
                      kmem::quoted(line));
    }
    if (!is_code(type)) continue;
    ++code_lines;
    any_nonzero = any_nonzero || *address != 0;
    std::string full(symbol);
    if (!module.empty()) full.append(1, ' ').append(module);  // (GCC 12 -O3 -Wrestrict on +)
    table.symbols_.push_back({*address, std::move(full)});
  }
  if (code_lines != 0 && !any_nonzero) {
    throw Error(Position{name, 0, 0, false},
                "every code symbol has address 0: this /proc/kallsyms was read without the "
                "right to see addresses (read it as root, or use System.map)");
  }
  std::stable_sort(table.symbols_.begin(), table.symbols_.end(),
                   [](const Symbol& a, const Symbol& b) { return a.address < b.address; });
  return table;
}

KernelSymbols KernelSymbols::load(const std::string& path) {
  return parse(read_side_file(path), path);
}

std::string KernelSymbols::describe(std::uint64_t address) const {
  // The last symbol at or below the address (the first of equal addresses, as sorted).
  auto it = std::upper_bound(symbols_.begin(), symbols_.end(), address,
                             [](std::uint64_t a, const Symbol& s) { return a < s.address; });
  if (it == symbols_.begin()) return {};
  --it;
  const std::uint64_t first = it->address;
  while (it != symbols_.begin() && std::prev(it)->address == first) --it;
  const std::size_t space = it->name.find(' ');
  char offset[24];
  std::snprintf(offset, sizeof offset, "+0x%llx",
                static_cast<unsigned long long>(address - it->address));
  if (space == std::string::npos) return it->name + offset;
  return it->name.substr(0, space) + offset + it->name.substr(space);
}

}  // namespace fragreplay::trace
