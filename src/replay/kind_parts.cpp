// A row's split by pool kind (see KindParts in results.hpp).
#include <cstddef>

#include "replay/results.hpp"

namespace fragreplay::replay {

GroupStats KindParts::part(const GroupStats& row, std::size_t k) const {
  if (mixed()) return parts[k];
  return kind == k ? row : GroupStats{};
}

void KindParts::split(const GroupStats& row) {
  if (mixed()) return;
  parts.assign(kPoolKindCount, GroupStats{});
  if (kind != kUnseen) parts[kind] = row;
  kind = kMixed;
}

void KindParts::add(const GroupStats& row, const KindParts& o, const GroupStats& o_row) {
  if (o.kind == kUnseen) return;
  if (kind == kUnseen) {
    kind = o.kind;
    parts = o.parts;
    return;
  }
  if (!mixed() && !o.mixed() && kind == o.kind) return;
  split(row);
  for (std::size_t k = 0; k < kPoolKindCount; ++k) parts[k] += o.part(o_row, k);
}

void KindParts::subtract(const KindParts& o, const GroupStats& o_row) {
  if (!mixed() || o.kind == kUnseen) return;  // a part of a row of one kind is of that kind
  std::size_t kept = kPoolKindCount;
  std::size_t non_empty = 0;
  for (std::size_t k = 0; k < kPoolKindCount; ++k) {
    parts[k] -= o.part(o_row, k);
    if (parts[k] != GroupStats{}) {
      kept = k;
      ++non_empty;
    }
  }
  if (non_empty <= 1) {
    kind = non_empty == 1 ? static_cast<std::uint8_t>(kept) : kUnseen;
    parts.clear();
  }
}

}  // namespace fragreplay::replay
