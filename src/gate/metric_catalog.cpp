// The catalog of metric names and units (see metric_catalog.hpp).
#include "gate/metric_catalog.hpp"

#include <algorithm>
#include <array>

namespace fragreplay::gate {
namespace {

constexpr auto B = Unit::kBytes;
constexpr auto N = Unit::kCount;
constexpr auto T = Unit::kNanoseconds;
constexpr auto X = Unit::kNumber;

constexpr std::array kMetrics{
    MetricInfo{"totals.allocations", N},
    MetricInfo{"totals.failed_allocations", N},
    MetricInfo{"totals.frees", N},
    MetricInfo{"totals.init_allocations", N},
    MetricInfo{"totals.requested_bytes", B},
    MetricInfo{"totals.refused_bytes", B},
    MetricInfo{"totals.footprint_bytes", B},
    MetricInfo{"totals.waste_bytes.total", B},
    MetricInfo{"totals.waste_bytes.pool_header", B},
    MetricInfo{"totals.waste_bytes.granularity", B},
    MetricInfo{"totals.waste_bytes.sub_page_rounding", B},
    MetricInfo{"peak.live_requested_bytes", B},
    MetricInfo{"peak.live_footprint_bytes", B},
    MetricInfo{"peak.live_waste_bytes.total", B},
    MetricInfo{"peak.live_waste_bytes.pool_header", B},
    MetricInfo{"peak.live_waste_bytes.granularity", B},
    MetricInfo{"peak.live_waste_bytes.sub_page_rounding", B},
    MetricInfo{"end.live_allocations", N},
    MetricInfo{"end.live_requested_bytes", B},
    MetricInfo{"end.live_footprint_bytes", B},
    MetricInfo{"end.live_waste_bytes.total", B},
    MetricInfo{"end.live_waste_bytes.pool_header", B},
    MetricInfo{"end.live_waste_bytes.granularity", B},
    MetricInfo{"end.live_waste_bytes.sub_page_rounding", B},
    MetricInfo{"end.pool_page_bytes", B},
    MetricInfo{"end.pool_page_slack_bytes", B},
    MetricInfo{"end.page_granular_bytes", B},
    MetricInfo{"end.free_frames", N},
    MetricInfo{"end.total_frames", N},
    MetricInfo{"contiguous.requests", N},
    MetricInfo{"contiguous.failures", N},
    MetricInfo{"contiguous.failures_by_cause.exhaustion", N},
    MetricInfo{"contiguous.failures_by_cause.fragmentation", N},
    MetricInfo{"contiguous.failures_by_cause.constraint", N},
    MetricInfo{"contiguous.failures_by_cause.map_registers", N},
    MetricInfo{"contiguous.failures_by_cause.invalid", N},
    MetricInfo{"fragmentation.mean_over_time", X},
    MetricInfo{"fragmentation.at_peak_live", X},
    MetricInfo{"fragmentation.at_peak_used", X},
    MetricInfo{"fragmentation.peak_over_peak", X},
    MetricInfo{"fragmentation.peak_live_bytes", B},
    MetricInfo{"fragmentation.peak_used_bytes", B},
    MetricInfo{"dma.map_registers_peak", N},
    MetricInfo{"data_quality.bad_lines", N},
    MetricInfo{"data_quality.frees_of_refused_allocations", N},
    MetricInfo{"data_quality.unknown_frees", N},
    MetricInfo{"data_quality.double_frees", N},
    MetricInfo{"data_quality.live_address_reused", N},
    MetricInfo{"data_quality.time_went_backwards", N},
    MetricInfo{"data_quality.mismatched_frees", N},
    MetricInfo{"data_quality.unsupported_routines", N},
    MetricInfo{"data_quality.unknown_pool_flags", N},
    MetricInfo{"data_quality.mismatched_pool_type", N},
    MetricInfo{"data_quality.ignored_fields", N},
    MetricInfo{"data_quality.routine_not_in_version", N},
    MetricInfo{"data_quality.pool2_no_pool_flag", N},
    MetricInfo{"data_quality.pool2_several_pool_flags", N},
    MetricInfo{"data_quality.pool2_tag_zero", N},
    MetricInfo{"data_quality.ignored_records", N},
    MetricInfo{"model_agreement.compared", N},
    MetricInfo{"model_agreement.matching", N},
    MetricInfo{"trace.events", N},
    MetricInfo{"trace.alloc_events", N},
    MetricInfo{"trace.free_events", N},
    MetricInfo{"trace.phase_events", N},
    MetricInfo{"trace.duration_ns", T},
    // Present only when the trace has allocations that predate it (rundown snapshots).
    MetricInfo{"rundown.allocations", N},
    MetricInfo{"rundown.refused", N},
    MetricInfo{"rundown.duplicates", N},
    MetricInfo{"rundown.freed", N},
    MetricInfo{"rundown.requested_bytes", B},
    MetricInfo{"rundown.footprint_bytes", B},
    // Present only on a Linux profile (kfree(NULL) and the like).
    MetricInfo{"data_quality.null_frees", N},
};

// by_tag[], by_routine[] and by_process[] rows share their fields, but pinned frames, last, are
// counted per tag only.
constexpr std::array kTagFields{
    MetricInfo{"allocations", N},
    MetricInfo{"failures", N},
    MetricInfo{"frees", N},
    MetricInfo{"init_allocations", N},
    MetricInfo{"requested_bytes", B},
    MetricInfo{"refused_bytes", B},
    MetricInfo{"footprint_bytes", B},
    MetricInfo{"waste_bytes", B},
    MetricInfo{"waste.pool_header", B},
    MetricInfo{"waste.granularity", B},
    MetricInfo{"waste.sub_page_rounding", B},
    MetricInfo{"live_allocations", N},
    MetricInfo{"live_requested_bytes", B},
    MetricInfo{"live_footprint_bytes", B},
    MetricInfo{"live_waste_bytes", B},
    MetricInfo{"live_waste.pool_header", B},
    MetricInfo{"live_waste.granularity", B},
    MetricInfo{"live_waste.sub_page_rounding", B},
    MetricInfo{"at_peak.live_allocations", N},
    MetricInfo{"at_peak.live_requested_bytes", B},
    MetricInfo{"at_peak.live_footprint_bytes", B},
    MetricInfo{"at_peak.live_waste_bytes", B},
    MetricInfo{"at_peak.live_waste.pool_header", B},
    MetricInfo{"at_peak.live_waste.granularity", B},
    MetricInfo{"at_peak.live_waste.sub_page_rounding", B},
    MetricInfo{"pinned_frames", N},
};
static_assert(kTagFields.back().name == "pinned_frames", "kGroupFields drops the last field");
constexpr std::span<const MetricInfo> kGroupFields =
    std::span<const MetricInfo>(kTagFields).first(kTagFields.size() - 1);

constexpr std::array kAdapterFields{
    MetricInfo{"map_registers", N},
    MetricInfo{"peak", N},
    MetricInfo{"in_use_end", N},
    MetricInfo{"failures", N},
};

constexpr std::array kFindingFields{
    MetricInfo{"count", N},
    MetricInfo{"bytes", B},
};

// Singular and plural, in RowGroup order.
constexpr std::array<std::array<std::string_view, 2>, kRowGroupCount> kGroupNames{
    {{"tag", "tags"},
     {"routine", "routines"},
     {"process", "processes"},
     {"module", "modules"},
     {"adapter", "adapters"},
     {"finding", "findings"},
     {"call_site", "call sites"},
     {"pool_kind", "pool kinds"}}};

constexpr std::array<std::string_view, 5> kCauses{"exhaustion", "fragmentation", "constraint",
                                                  "map_registers", "invalid"};

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string_view unit_name(Unit unit) {
  switch (unit) {
    case Unit::kBytes:
      return "bytes";
    case Unit::kCount:
      return "count";
    case Unit::kNanoseconds:
      return "ns";
    case Unit::kNumber:
      return "number";
  }
  return "number";
}

std::string_view row_group_name(RowGroup group) {
  return kGroupNames[static_cast<std::size_t>(group)][0];
}

std::string_view row_group_plural(RowGroup group) {
  return kGroupNames[static_cast<std::size_t>(group)][1];
}

std::span<const MetricInfo> known_metrics() { return kMetrics; }

std::span<const MetricInfo> known_row_fields(RowGroup group) {
  switch (group) {
    case RowGroup::kTag:
      return kTagFields;
    case RowGroup::kRoutine:
    case RowGroup::kProcess:
    case RowGroup::kModule:
    case RowGroup::kCallSite:
    case RowGroup::kPoolKind:
      return kGroupFields;
    case RowGroup::kAdapter:
      return kAdapterFields;
    case RowGroup::kFinding:
      return kFindingFields;
  }
  return {};
}

const MetricInfo* find_known_metric(std::string_view name) {
  for (const MetricInfo& m : kMetrics) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

const MetricInfo* find_known_row_field(RowGroup group, std::string_view name) {
  for (const MetricInfo& m : known_row_fields(group)) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

Unit guess_unit(std::string_view path, bool integral) {
  if (ends_with(path, "_bytes") || path.find("_bytes.") != std::string_view::npos ||
      path.starts_with("waste.") || path.find(".waste.") != std::string_view::npos) {
    return Unit::kBytes;
  }
  if (ends_with(path, "_ns")) return Unit::kNanoseconds;
  return integral ? Unit::kCount : Unit::kNumber;
}

std::span<const std::string_view> contiguous_causes() { return kCauses; }

std::string closest_name(std::string_view name, const std::vector<std::string_view>& known) {
  std::string_view best;
  std::size_t best_distance = 0;
  for (const std::string_view k : known) {
    // One name extending the other ("maximum" for "max") counts as close.
    const std::string_view shorter = name.size() < k.size() ? name : k;
    const std::string_view longer = name.size() < k.size() ? k : name;
    if (shorter.size() >= 3 && longer.starts_with(shorter)) return std::string(k);
    const std::size_t d = edit_distance(name, k);
    if (best.empty() || d < best_distance) {
      best = k;
      best_distance = d;
    }
  }
  // Close means: at most a third of the name differs (typos, a missing 's' or '_bytes').
  if (best.empty() || best_distance * 3 > std::max(name.size(), best.size())) return {};
  return std::string(best);
}

}  // namespace fragreplay::gate
