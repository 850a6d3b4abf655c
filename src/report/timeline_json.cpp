// JSON for the fragmentation timeline and the Johnstone-Wilson measures (see timeline_json.hpp).
#include "report/timeline_json.hpp"

#include <cmath>

namespace fragreplay::report {

using nlohmann::ordered_json;

char frame_map_letter(std::uint8_t bucket) {
  if (bucket == replay::TimelineSample::kFreeBucket) return '.';
  switch (static_cast<model::OwnerClass>(bucket)) {
    case model::OwnerClass::kPool:
      return 'p';
    case model::OwnerClass::kNonCached:
      return 'n';
    case model::OwnerClass::kContiguous:
      return 'c';
    case model::OwnerClass::kCommonBuffer:
      return 'b';
    case model::OwnerClass::kBackground:
      return 'g';
    case model::OwnerClass::kPoolFree:
      return 'f';
    case model::OwnerClass::kPages:
      return 'l';
    case model::OwnerClass::kMdlPages:
      return 'm';
    case model::OwnerClass::kCount:
      break;
  }
  return '?';
}

std::string frame_map_text(const std::vector<std::uint8_t>& buckets) {
  std::string out;
  out.reserve(buckets.size());
  for (const std::uint8_t b : buckets) out.push_back(frame_map_letter(b));
  return out;
}

namespace {

ordered_json by_cause(const std::array<std::uint64_t, model::kFailCauseCount>& counts) {
  ordered_json j;
  for (unsigned k = 1; k < model::kFailCauseCount; ++k) {
    j[model::fail_cause_name(static_cast<model::FailCause>(k))] = counts[k];
  }
  return j;
}

// Ratios to four decimals: enough to read, stable to print.
double rounded(double v) { return std::round(v * 1e4) / 1e4; }

}  // namespace

ordered_json timeline_json(const replay::Results& r) {
  ordered_json out = ordered_json::array();
  for (const auto& s : r.timeline) {
    ordered_json j;
    j["time_ns"] = s.time_ns;
    j["events"] = s.events;
    j["live_requested_bytes"] = s.live_requested.value;
    j["live_footprint_bytes"] = s.live_footprint.value;
    j["live_waste_bytes"] = {{"pool_header", s.live_waste.pool_header.value},
                             {"granularity", s.live_waste.granularity.value},
                             {"sub_page_rounding", s.live_waste.sub_page.value},
                             {"total", s.live_waste.total().value}};
    j["pool_page_bytes"] = s.pool_page_bytes.value;
    j["free_frames"] = s.free_frames.value;
    j["largest_free_run_frames"] = s.largest_free_run.value;
    j["largest_free_run_below_16m_frames"] = s.largest_free_run_below_16m.value;
    j["largest_free_run_below_4g_frames"] = s.largest_free_run_below_4g.value;
    j["free_runs_by_order"] = s.free_runs_by_order;
    j["unusable_index"] = s.unusable_index;
    j["fragmentation_index"] = s.fragmentation_index;
    j["contiguous_requests"] = s.contiguous_requests;
    j["contiguous_failures"] = s.contiguous_failures;
    j["contiguous_failures_by_cause"] = by_cause(s.contiguous_failures_by_cause);
    j["frame_map"] = frame_map_text(s.frame_map);
    out.push_back(std::move(j));
  }
  return out;
}

ordered_json timeline_sampling_json(const replay::Results& r) {
  return ordered_json{{"every", r.timeline_every},
                      {"unit", r.timeline_by_time ? "ns" : "events"},
                      {"samples", r.timeline.size()}};
}

ordered_json fragmentation_json(const replay::FragmentationMeasures& m) {
  return ordered_json{
      {"mean_over_time", rounded(m.mean_over_time)}, {"at_peak_live", rounded(m.at_peak_live)},
      {"at_peak_used", rounded(m.at_peak_used)},     {"peak_over_peak", rounded(m.peak_over_peak)},
      {"peak_live_bytes", m.peak_live.value},        {"peak_used_bytes", m.peak_used.value}};
}

}  // namespace fragreplay::report
