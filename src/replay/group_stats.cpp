// Adding and taking away GroupStats (results.hpp): every field is a sum over allocations, so rows
// add up to their group's totals and a part can be taken from its whole.
#include "replay/results.hpp"

namespace fragreplay::replay {
namespace {

// Applies `op(mine, theirs)` to each field of `a` and `b` in turn.
template <typename Op>
void each_field(GroupStats& a, const GroupStats& b, Op op) {
  op(a.allocations, b.allocations);
  op(a.failures, b.failures);
  op(a.frees, b.frees);
  op(a.init_allocations, b.init_allocations);
  op(a.requested, b.requested);
  op(a.refused, b.refused);
  op(a.footprint, b.footprint);
  op(a.waste, b.waste);
  op(a.live_allocations, b.live_allocations);
  op(a.live_requested, b.live_requested);
  op(a.live_footprint, b.live_footprint);
  op(a.live_waste, b.live_waste);
  op(a.at_peak.allocations, b.at_peak.allocations);
  op(a.at_peak.requested, b.at_peak.requested);
  op(a.at_peak.footprint, b.at_peak.footprint);
  op(a.at_peak.waste, b.at_peak.waste);
}

}  // namespace

GroupStats& GroupStats::operator+=(const GroupStats& o) {
  each_field(*this, o, [](auto& mine, const auto& theirs) { mine += theirs; });
  return *this;
}

GroupStats& GroupStats::operator-=(const GroupStats& o) {
  each_field(*this, o, [](auto& mine, const auto& theirs) { mine -= theirs; });
  return *this;
}

}  // namespace fragreplay::replay
