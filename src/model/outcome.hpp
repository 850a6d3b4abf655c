// What every model routine returns: success or the cause of failure, the handle the kernel
// would return, the footprint, and the waste split into its named parts (docs/design.md "What is
// measured"). Invariant: footprint = requested + pool_header + granularity + sub_page.
#pragma once

#include <cstdint>

#include "base/units.hpp"

namespace fragreplay::model {

enum class FailCause : std::uint8_t {
  kNone,
  kExhaustion,     // not enough free memory (frames, or frames in the window)
  kFragmentation,  // enough free frames in the window, no contiguous run that fits
  kConstraint,     // the window or boundary cannot hold the size at all
  kMapRegisters,   // the DMA adapter's map-register budget is used up
  kInvalid         // arguments the kernel rejects (tag 0 for ExAllocatePool2, unknown flags, ...)
};
inline constexpr unsigned kFailCauseCount = 6;
const char* fail_cause_name(FailCause c);

struct Waste {
  Bytes pool_header;  // headers and bookkeeping blocks ('Frag'), quota pointers
  Bytes granularity;  // rounding to the block unit
  Bytes sub_page;     // unusable tail of the last whole page

  Bytes total() const { return pool_header + granularity + sub_page; }
  Waste& operator+=(const Waste& o) {
    pool_header += o.pool_header;
    granularity += o.granularity;
    sub_page += o.sub_page;
    return *this;
  }
  Waste& operator-=(const Waste& o) {
    pool_header -= o.pool_header;
    granularity -= o.granularity;
    sub_page -= o.sub_page;
    return *this;
  }
  friend bool operator==(const Waste&, const Waste&) = default;
};

struct AllocOutcome {
  bool ok = false;
  FailCause cause = FailCause::kNone;
  std::uint64_t handle = 0;  // the address the kernel would return
  Bytes footprint;
  Waste waste;
  // Physically contiguous routines: the physical range obtained (first and last byte).
  bool has_phys = false;
  PhysAddr phys_first;
  PhysAddr phys_last;
  // AllocateCommonBuffer: map registers charged.
  std::uint64_t map_registers = 0;
  // Failed contiguous requests: what their window held.
  Bytes free_in_window;
  Bytes largest_free_run_in_window;
};

// A failed outcome of the given cause.
inline AllocOutcome failure(FailCause cause) {
  AllocOutcome o;
  o.cause = cause;
  return o;
}

// Larger requests cannot be satisfied on any modelled machine; the routines refuse them before
// any page arithmetic, which keeps it far from overflow.
inline constexpr std::uint64_t kMaxRequest = std::uint64_t{1} << 48;

}  // namespace fragreplay::model
