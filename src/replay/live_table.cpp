// The live table's invariant check (see live_table.hpp).
#include "replay/live_table.hpp"

#include <stdexcept>

namespace fragreplay::replay {

void LiveTable::check_invariants() const {
  map_.check_invariants();
  wide_.check_invariants();
  std::size_t wide = 0;
  map_.for_each([&](std::uint64_t address, const Packed& p) {
    if ((p.flags & kWide) != 0) {
      ++wide;
      if (wide_.find(address) == nullptr)
        throw std::logic_error("LiveTable: a wide record has no sizes");
      if (p.requested != 0 || p.pool_header != 0 || p.granularity != 0 || p.sub_page != 0)
        throw std::logic_error("LiveTable: a wide record keeps narrow sizes");
    } else if (wide_.find(address) != nullptr) {
      throw std::logic_error("LiveTable: sizes kept for a packed record");
    }
    if ((p.flags & ~(kRundown | kWide)) != 0) throw std::logic_error("LiveTable: unknown flags");
  });
  if (wide != wide_.size()) throw std::logic_error("LiveTable: sizes kept for no record");
}

}  // namespace fragreplay::replay
