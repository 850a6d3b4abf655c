// Images by address (see code_map.hpp).
#include "trace/code_map.hpp"

#include <algorithm>

namespace fragreplay::trace {

bool ModuleMap::add(std::uint64_t base, std::uint64_t size, std::string_view name) {
  if (size == 0 || base + size < base) {
    ++overlapping_;
    return false;
  }
  auto at = std::lower_bound(images_.begin(), images_.end(), base,
                             [](const ImageRange& m, std::uint64_t b) { return m.base < b; });
  if (at != images_.end() && at->base == base && at->size == size) return true;  // named again
  const bool hits_next = at != images_.end() && at->base < base + size;
  const bool hits_previous =
      at != images_.begin() && std::prev(at)->base + std::prev(at)->size > base;
  if (hits_next || hits_previous) {
    ++overlapping_;
    return false;
  }
  images_.insert(at, ImageRange{base, size, std::string(name)});
  return true;
}

const ImageRange* ModuleMap::find(std::uint64_t address) const {
  auto after = std::upper_bound(images_.begin(), images_.end(), address,
                                [](std::uint64_t a, const ImageRange& m) { return a < m.base; });
  if (after == images_.begin()) return nullptr;
  const ImageRange& m = *std::prev(after);
  return address - m.base < m.size ? &m : nullptr;
}

std::string_view image_file_name(std::string_view path) {
  const std::size_t slash = path.find_last_of("\\/");
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace fragreplay::trace
