// Where a physically contiguous request may land: the LowestAcceptableAddress,
// HighestAcceptableAddress and BoundaryAddressMultiple of MmAllocateContiguousMemorySpecifyCache
// (docs/model.md §5.3). One value, so a call cannot swap the three; in base because the trace's
// Event carries it and the model's Machine takes it.
#pragma once

#include "base/units.hpp"

namespace fragreplay {

struct ContiguousWindow {
  PhysAddr lowest;   // first acceptable byte address (0 = not given)
  PhysAddr highest;  // last acceptable byte address, inclusive (0 = not given)
  Bytes boundary;    // the run must not cross a multiple of this (0 = no boundary)

  friend constexpr bool operator==(const ContiguousWindow&, const ContiguousWindow&) = default;
};

}  // namespace fragreplay
