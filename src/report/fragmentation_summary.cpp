// Fragmentation lines of the terminal summary (see fragmentation_summary.hpp).
#include "report/fragmentation_summary.hpp"

#include <algorithm>
#include <cstdio>
#include <numeric>
#include <vector>

#include "base/format.hpp"
#include "report/failure_explanation.hpp"
#include "report/row_order.hpp"

namespace fragreplay::report {

namespace {

std::string ratio(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

}  // namespace

void fragmentation_lines(std::ostringstream& os, const replay::Results& r) {
  if (!r.timeline.empty()) {
    const replay::TimelineSample& s = r.timeline.back();
    const std::uint64_t page = r.profile.page_size;
    os << "Free RAM    " << human_bytes(s.free_frames.value * page) << " at the end; largest run "
       << human_bytes(s.largest_free_run.value * page) << " (below 16 MiB "
       << human_bytes(s.largest_free_run_below_16m.value * page) << ")\n";
  }
  const replay::FragmentationMeasures& m = r.fragmentation;
  // Johnstone-Wilson: memory the allocators hold over live requested bytes.
  os << "Used/live   " << ratio(m.mean_over_time) << " mean, " << ratio(m.at_peak_live)
     << " at live peak, " << ratio(m.at_peak_used) << " at used peak, " << ratio(m.peak_over_peak)
     << " peaks\n";
}

void pinned_lines(std::ostringstream& os, const replay::Results& r) {
  const std::vector<PinningRow> rows = pinning_rows(r);
  if (rows.empty()) return;
  std::string line = "Pinning     ";
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const std::string item = rows[k].label + " " + thousands(rows[k].frames) +
                             (rows[k].frames == 1 ? " frame" : " frames");
    if (line.size() + item.size() + 2 > 72) {
      line += ", ...";
      break;
    }
    line += (k == 0 ? "" : ", ") + item;
  }
  os << line << "\n            (frames splitting free runs that would hold a failed request)\n";
}

std::string failure_detail(const replay::ContiguousFailureRecord& f) {
  std::string line = "           ";
  if (f.fragmentation_index == -1000) {
    line += "order " + std::to_string(f.order) + " run exists";
  } else {
    char buf[48];
    std::snprintf(buf, sizeof buf, "frag index %.3f", f.fragmentation_index / 1000.0);
    line += buf;
  }
  if (f.has_candidate) {
    line += "; closest " + hex(f.candidate_phys) + " (" + human_bytes(f.candidate_free.value) +
            " free)";
    for (std::size_t k = 0; k < f.blockers.size(); ++k) {
      const std::string item =
          owner_label(f.blockers[k].cls, f.blockers[k].tag) + " " + thousands(f.blockers[k].frames);
      if (line.size() + item.size() + 4 > 80) break;
      line += (k == 0 ? " blocked by " : ", ") + item;
    }
  }
  return line;
}

}  // namespace fragreplay::report
