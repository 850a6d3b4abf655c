// The four Johnstone-Wilson measures (see johnstone_wilson.hpp). Maxima count from their first
// occurrence.
#include "replay/johnstone_wilson.hpp"

namespace fragreplay::replay {

FragmentationMeasures JohnstoneWilson::result() const {
  FragmentationMeasures m;
  m.mean_over_time = counted_ == 0 ? 0.0 : sum_ / static_cast<double>(counted_);
  m.at_peak_live = ratio(used_at_max_live_, max_live_);
  m.at_peak_used = ratio(max_used_, live_at_max_used_);
  m.peak_over_peak = ratio(max_used_, max_live_);
  m.peak_live = max_live_;
  m.peak_used = max_used_;
  return m;
}

}  // namespace fragreplay::replay
