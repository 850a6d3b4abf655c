// The timeline as CSV (see timeline_csv.hpp).
#include "report/timeline_csv.hpp"

#include <cstdio>

#include "report/timeline_json.hpp"

namespace fragreplay::report {

namespace {

void add(std::string& out, std::uint64_t v) {
  out += std::to_string(v);
  out += ',';
}

// Thousandths as vmstat prints them: -1.000, 0.661.
void add_index(std::string& out, double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f,", v);
  out += buf;
}

}  // namespace

std::string timeline_csv(const replay::Results& r) {
  std::size_t orders = 0;
  for (const auto& s : r.timeline) orders = std::max(orders, s.free_runs_by_order.size());
  std::string out =
      "time_ns,events,live_requested,live_footprint,waste_pool_header,waste_granularity,"
      "waste_sub_page_rounding,pool_page_bytes,free_frames,largest_free_run,"
      "largest_free_run_below_16m,largest_free_run_below_4g,contiguous_requests,"
      "contiguous_failures";
  for (unsigned k = 1; k < model::kFailCauseCount; ++k) {
    out += ',';
    out += model::fail_cause_name(static_cast<model::FailCause>(k));
  }
  for (const char* prefix : {"free_runs_o", "unusable_o", "fragmentation_o"}) {
    for (std::size_t k = 0; k < orders; ++k) {
      out += ',';
      out += prefix;
      out += std::to_string(k);
    }
  }
  out += ",frame_map\n";
  for (const auto& s : r.timeline) {
    add(out, s.time_ns);
    add(out, s.events);
    add(out, s.live_requested.value);
    add(out, s.live_footprint.value);
    add(out, s.live_waste.pool_header.value);
    add(out, s.live_waste.granularity.value);
    add(out, s.live_waste.sub_page.value);
    add(out, s.pool_page_bytes.value);
    add(out, s.free_frames.value);
    add(out, s.largest_free_run.value);
    add(out, s.largest_free_run_below_16m.value);
    add(out, s.largest_free_run_below_4g.value);
    add(out, s.contiguous_requests);
    add(out, s.contiguous_failures);
    for (unsigned k = 1; k < model::kFailCauseCount; ++k)
      add(out, s.contiguous_failures_by_cause[k]);
    for (std::size_t k = 0; k < orders; ++k) {
      add(out, k < s.free_runs_by_order.size() ? s.free_runs_by_order[k] : 0);
    }
    for (std::size_t k = 0; k < orders; ++k) {
      add_index(out, k < s.unusable_index.size() ? s.unusable_index[k] : 1.0);
    }
    for (std::size_t k = 0; k < orders; ++k) {
      add_index(out, k < s.fragmentation_index.size() ? s.fragmentation_index[k] : 0.0);
    }
    out += frame_map_text(s.frame_map);
    out += '\n';
  }
  return out;
}

}  // namespace fragreplay::report
