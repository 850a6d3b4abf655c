// Linker maps behind --symbols (see module_symbols.hpp; docs/attribution.md §3).
#include "trace/module_symbols.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <iterator>
#include <optional>
#include <utility>

#include "base/error.hpp"
#include "trace/side_file.hpp"

namespace fragreplay::trace {
namespace {

constexpr std::string_view kPreferred = "Preferred load address is";
constexpr std::string_view kSymbolShape = "\"section:offset name Rva+Base [f] [i] lib:object\"";

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string quoted(std::string_view s) {
  std::string out = "\"";
  out.append(s.substr(0, 60));
  if (s.size() > 60) out += "...";
  return out + "\"";
}

bool is_publics_header(std::string_view line) {
  return line.find("Publics by Value") != std::string_view::npos &&
         line.find("Rva+Base") != std::string_view::npos;
}

// The other parts /MAPINFO can add after the symbol tables; none of them is read.
bool ends_tables(std::string_view line) {
  return line == "Exports" || line.starts_with("FIXUPS:") || line.starts_with("Line numbers for");
}

// Hexadecimal digits only, at most 16 of them.
std::optional<std::uint64_t> parse_hex(std::string_view s) {
  if (s.empty() || s.size() > 16) return std::nullopt;
  std::uint64_t v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v, 16);
  if (ec != std::errc{} || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

// The key a module is matched by: the file name without directories or extension, lower case.
std::string module_key(std::string_view name, bool strip_extension) {
  const std::size_t slash = name.find_last_of("\\/");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  if (strip_extension) {
    const std::size_t dot = name.rfind('.');
    if (dot != std::string_view::npos && dot != 0) name = name.substr(0, dot);
  }
  std::string key(name);
  for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return key;
}

// The space- or tab-separated words of `line`; only the first `max` are of interest.
std::vector<std::string_view> words(std::string_view line, std::size_t max) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (out.size() < max) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i == line.size()) break;
    std::size_t e = i;
    while (e < line.size() && line[e] != ' ' && line[e] != '\t') ++e;
    out.push_back(line.substr(i, e - i));
    i = e;
  }
  return out;
}

// What one line of a symbol table says: a function to keep, or nothing (data, absolute).
// Throws Error at `where` for a line that is not a symbol line.
std::optional<std::pair<std::uint64_t, std::string>> symbol_line(std::string_view line,
                                                                 std::uint64_t base,
                                                                 const Position& where) {
  // section:offset, name, Rva+Base, up to two flags, the object (which may hold spaces).
  const std::vector<std::string_view> w = words(line, 6);
  std::size_t object = 3;
  bool function = false;
  while (object < w.size() && (w[object] == "f" || w[object] == "i")) {
    function = function || w[object] == "f";
    ++object;
  }
  if (object >= w.size()) {
    throw Error(where, "expected a symbol line " + std::string(kSymbolShape) + ", got " +
                           quoted(trim(line)));
  }
  const std::size_t colon = w[0].find(':');
  const auto section = parse_hex(w[0].substr(0, colon));
  if (colon == std::string_view::npos || !section || !parse_hex(w[0].substr(colon + 1))) {
    throw Error(where, "expected section:offset in hex, got " + quoted(w[0]));
  }
  const auto address = parse_hex(w[2]);
  if (!address) throw Error(where, "expected the Rva+Base address in hex, got " + quoted(w[2]));
  if (*section == 0 || w[object] == "<absolute>") return std::nullopt;
  if (*address < base) {
    char text[96];
    std::snprintf(text, sizeof text, "address 0x%llx is below the preferred load address 0x%llx",
                  static_cast<unsigned long long>(*address), static_cast<unsigned long long>(base));
    throw Error(where, text);
  }
  if (!function) return std::nullopt;  // data: it would name return addresses wrongly
  return std::pair{*address - base, std::string(w[1])};
}

}  // namespace

bool ModuleSymbols::is_linker_map(std::string_view text) {
  TextLines lines(text);
  std::string_view line;
  while (lines.next(line)) {
    const std::string_view t = trim(line);
    if (t.starts_with(kPreferred)) return true;
    if (is_publics_header(t)) return false;
  }
  return false;
}

void ModuleSymbols::load(const std::string& path) { add(read_side_file(path), path); }

void ModuleSymbols::add(std::string_view text, const std::string& name) {
  TextLines lines(text);
  std::string_view line;
  std::string module;
  std::uint64_t module_line = 0;
  std::optional<std::uint64_t> base;
  bool in_tables = false;
  Module m{name, {}};
  while (lines.next(line)) {
    const std::string_view t = trim(line);
    if (t.empty()) continue;
    const Position where = Position::at_line(name, lines.number());
    if (module_line == 0) {  // the first non-blank line: the module's name
      module_line = lines.number();
      if (!t.starts_with(kPreferred) && !is_publics_header(t)) {
        module = t;
        continue;
      }
    }
    if (!in_tables) {
      if (t.starts_with(kPreferred)) {
        base = parse_hex(trim(t.substr(kPreferred.size())));
        if (!base) throw Error(where, "expected a hex preferred load address, got " + quoted(t));
      } else if (is_publics_header(t)) {
        if (!base) throw Error(where, "no \"Preferred load address is\" line before the publics");
        in_tables = true;
      }
      continue;
    }
    if (ends_tables(t)) break;
    if (t.starts_with("entry point at") || t == "Static symbols") continue;
    if (auto f = symbol_line(t, *base, where)) {
      m.functions.push_back(Function{f->first, std::move(f->second)});
    }
  }
  if (!in_tables) {
    throw Error(Position{name, 0, 0, false},
                "not a linker map: no \"Publics by Value\" table (link /MAP writes one)");
  }
  if (module.empty()) {
    throw Error(Position::at_line(name, module_line),
                "expected the module's name on the first line, before the preferred load address");
  }
  if (m.functions.empty()) {
    throw Error(Position{name, 0, 0, false},
                "no function symbols (no line flagged 'f' in the publics or static symbols)");
  }
  std::stable_sort(m.functions.begin(), m.functions.end(),
                   [](const Function& a, const Function& b) { return a.rva < b.rva; });
  std::string key = module_key(module, false);
  if (const auto it = modules_.find(key); it != modules_.end()) {
    throw Error(Position::at_line(name, module_line),
                "module " + quoted(module) + " already has a map: " + it->second.file);
  }
  modules_.emplace(std::move(key), std::move(m));
}

std::string ModuleSymbols::describe(std::string_view image_name, std::uint64_t rva) const {
  const auto m = modules_.find(module_key(image_name, true));
  if (m == modules_.end()) return {};
  const std::vector<Function>& fns = m->second.functions;
  // The last function at or below the RVA (the first listed of equal RVAs, as sorted).
  auto it = std::upper_bound(fns.begin(), fns.end(), rva,
                             [](std::uint64_t a, const Function& f) { return a < f.rva; });
  if (it == fns.begin()) return {};
  --it;
  while (it != fns.begin() && std::prev(it)->rva == it->rva) --it;
  std::string out(image_name);
  out.append(1, '!').append(it->name);
  if (rva != it->rva) {
    char offset[24];
    std::snprintf(offset, sizeof offset, "+0x%llx", static_cast<unsigned long long>(rva - it->rva));
    out += offset;
  }
  return out;
}

}  // namespace fragreplay::trace
