// The stack table (see stack_table.hpp).
#include "trace/stack_table.hpp"

#include <algorithm>

namespace fragreplay::trace {

std::uint64_t StackTable::hash(std::span<const std::uint64_t> frames) {
  // FNV-1a over the frames, then a final mix (splitmix64's) so nearby addresses spread.
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const std::uint64_t f : frames) h = (h ^ f) * 0x100000001b3ULL;
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  return h ^ (h >> 31);
}

StackId StackTable::intern(std::span<const std::uint64_t> frames) {
  if (frames.empty()) return 0;
  const std::uint64_t h = hash(frames);
  const auto [first, last] = by_hash_.equal_range(h);
  for (auto it = first; it != last; ++it) {
    const auto known = this->frames(it->second);
    if (std::equal(known.begin(), known.end(), frames.begin(), frames.end())) return it->second;
  }
  const auto id = static_cast<StackId>(size());
  frames_.insert(frames_.end(), frames.begin(), frames.end());
  starts_.push_back(frames_.size());
  by_hash_.emplace(h, id);
  return id;
}

}  // namespace fragreplay::trace
