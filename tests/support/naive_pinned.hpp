// The reference for the frames that pin free runs (ContiguousDiagnosis::pinned,
// docs/model.md §8.2): frame by frame from the definition, with no index. The property tests
// compare PhysicalMemory::diagnose with it (tests/unit/model/contiguous_test.cpp,
// pinned_oracle_test.cpp). O(frames in the window × RAM ranges) per call.
#pragma once

#include <cstdint>
#include <map>

#include "model/physical/physical_memory.hpp"

namespace fragreplay::model {

struct NaivePinned {
  std::map<OwnerId, std::uint64_t> pinned;  // owner -> frames
  bool truncated = false;
};

// In each window piece the request may use (all of it for MmCached, else the pieces between
// must-be-cached frames), consecutive free runs L and R (clipped to the piece) with the used
// stretch S between them count S's frames when |S| < n <= |L| + |S| + |R|, S starts on RAM and S
// ends in the RAM range it starts in; runs are counted over all pieces, and meeting run limit + 1
// sets `truncated` and ends the walk (the pair of run limit and run limit + 1 still counts).
// Nothing is counted for a request that could not fit the window even on an empty machine.
NaivePinned naive_pinned(const PhysicalMemory& m, const ContiguousRequest& r, std::uint64_t limit);

}  // namespace fragreplay::model
