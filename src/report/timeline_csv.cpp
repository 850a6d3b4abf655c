// The fragmentation timeline as CSV (see timeline_csv.hpp).
#include "report/timeline_csv.hpp"

#include <algorithm>

#include "report/csv_row.hpp"
#include "report/timeline_json.hpp"

namespace fragreplay::report {

using replay::Results;

std::string timeline_csv(const Results& r) {
  std::size_t orders = 0;
  for (const auto& s : r.timeline) orders = std::max(orders, s.free_runs_by_order.size());
  std::string out =
      "time_ns,events,live_requested_bytes,live_footprint_bytes,waste_pool_header,"
      "waste_granularity,waste_sub_page_rounding,pool_page_bytes,free_frames,"
      "largest_free_run_bytes,largest_free_run_below_16m_bytes,largest_free_run_below_4g_bytes,"
      "contiguous_requests,contiguous_failures";
  for (unsigned k = 1; k < model::kFailCauseCount; ++k) {
    out += ",failures_";
    out += model::fail_cause_name(static_cast<model::FailCause>(k));
  }
  for (const char* prefix :
       {"free_runs_order_", "unusable_index_order_", "fragmentation_index_order_"}) {
    for (std::size_t k = 0; k < orders; ++k) {
      out += ',';
      out += prefix;
      out += std::to_string(k);
    }
  }
  out += ",frame_map\n";
  const std::uint64_t page = r.profile.page_size;
  for (const auto& s : r.timeline) {
    Row row(out);
    row.num(s.time_ns)
        .num(s.events)
        .num(s.live_requested.value)
        .num(s.live_footprint.value)
        .num(s.live_waste.pool_header.value)
        .num(s.live_waste.granularity.value)
        .num(s.live_waste.sub_page.value)
        .num(s.pool_page_bytes.value)
        .num(s.free_frames.value)
        .num(s.largest_free_run.value * page)
        .num(s.largest_free_run_below_16m.value * page)
        .num(s.largest_free_run_below_4g.value * page)
        .num(s.contiguous_requests)
        .num(s.contiguous_failures);
    for (unsigned k = 1; k < model::kFailCauseCount; ++k)
      row.num(s.contiguous_failures_by_cause[k]);
    for (std::size_t k = 0; k < orders; ++k) {
      if (k < s.free_runs_by_order.size()) {
        row.num(s.free_runs_by_order[k]);
      } else {
        row.empty();
      }
    }
    for (const auto* v : {&s.unusable_index, &s.fragmentation_index}) {
      for (std::size_t k = 0; k < orders; ++k) {
        if (k < v->size()) {
          row.index((*v)[k]);
        } else {
          row.empty();
        }
      }
    }
    row.text(frame_map_text(s.frame_map));
  }
  return out;
}

}  // namespace fragreplay::report
