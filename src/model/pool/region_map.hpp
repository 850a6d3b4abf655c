// Ordered maps from a region's base address to the region (segments, subsegments, slabs): finding
// the region that holds an address is a lookup of the last base at or below it, then a bounds
// check against that region's size.
#pragma once

#include <cstdint>
#include <iterator>
#include <stdexcept>
#include <string>

namespace fragreplay::model {

// The entry of `map` (base address -> region) whose region [base, base + bytes(region)) holds
// `address`, or map.end() if none does.
template <typename Map, typename Bytes>
auto region_holding(Map& map, std::uint64_t address, Bytes bytes) -> decltype(map.begin()) {
  auto it = map.upper_bound(address);
  if (it == map.begin()) return map.end();
  it = std::prev(it);
  return address < it->first + bytes(it->second) ? it : map.end();
}

// The same, for an address that must lie in a region: throws std::logic_error naming `owner`
// (a broken invariant) when it does not.
template <typename Map, typename Bytes>
auto region_of(Map& map, std::uint64_t address, Bytes bytes, const char* owner)
    -> decltype(map.begin()) {
  const auto it = region_holding(map, address, bytes);
  if (it == map.end()) throw std::logic_error(std::string(owner) + ": address in no region");
  return it;
}

}  // namespace fragreplay::model
