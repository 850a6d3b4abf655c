// Telling an empty replay apart (see nothing_replayed.hpp).
#include "cli/nothing_replayed.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "base/format.hpp"

namespace fragreplay::cli {
namespace {

// The input's records by kind as `info` counts them (ETL kernel events, providers, text exports'
// event names), the three largest first.
std::string record_kinds(const trace::InputFacts& f) {
  std::vector<std::pair<std::uint64_t, std::string>> kinds;
  for (const auto& [name, n] : f.by_group_type) kinds.emplace_back(n, "kernel " + name);
  for (const auto& [name, n] : f.by_provider) kinds.emplace_back(n, "provider " + name);
  for (const auto& [name, n] : f.by_classic_provider) kinds.emplace_back(n, "provider " + name);
  for (const auto& [name, n] : f.by_event_name) kinds.emplace_back(n, name);
  std::stable_sort(kinds.begin(), kinds.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::string out = fragreplay::thousands(f.records) + (f.records == 1 ? " record" : " records");
  for (std::size_t k = 0; k < kinds.size() && k < 3; ++k) {
    out += (k == 0 ? " (" : ", ") + kinds[k].second + " " + fragreplay::thousands(kinds[k].first);
  }
  if (!kinds.empty()) out += kinds.size() > 3 ? ", ...)" : ")";
  return out;
}

// What the input held instead: its events, its records that were no events, by kind.
std::string holdings(const replay::Results& r, const trace::InputFacts* facts) {
  const replay::DataQuality& q = r.data_quality;
  std::string out = r.trace_format + ", " + fragreplay::thousands(r.events) +
                    (r.events == 1 ? " event" : " events");
  if (r.events != 0) {
    out += " (" + fragreplay::thousands(r.alloc_events) + " alloc, " +
           fragreplay::thousands(r.free_events) + " free, " +
           fragreplay::thousands(r.phase_events) + " phase)";
  }
  if (facts != nullptr && facts->records != 0) out += ", " + record_kinds(*facts);
  if (q.ignored_records != 0) {
    out += ", " + fragreplay::thousands(q.ignored_records) + " other records";
    std::size_t shown = 0;
    for (const auto& k : q.ignored_by_kind) {
      out += (shown == 0 ? " (" : ", ") + fragreplay::thousands(k.count) + " " + k.kind;
      if (++shown == 3) break;
    }
    if (shown != 0) out += q.ignored_by_kind.size() > shown ? ", ...)" : ")";
  }
  return out;
}

}  // namespace

std::optional<std::string> nothing_replayed(const replay::Results& r,
                                            const trace::InputFacts* facts) {
  const std::uint64_t replayed =
      r.totals.allocations + r.totals.failures + r.rundown.allocations + r.rundown.refused;
  if (replayed != 0) return std::nullopt;
  const std::string& file = r.trace_name;
  const std::uint64_t unsupported = r.data_quality[replay::Anomaly::kUnsupportedRoutine].count;
  if (unsupported != 0) {
    return file + " holds " + fragreplay::thousands(unsupported) +
           (unsupported == 1 ? " event" : " events") + " of routines the " + r.profile.name +
           " profile does not have (unsupported_routines; --profile names another)";
  }
  if (r.window.active && r.window.events_before + r.events != 0) {
    const std::string window = r.window.to_ns == ~std::uint64_t{0}
                                   ? "after " + fragreplay::trace_time(r.window.from_ns)
                                   : "between " + fragreplay::trace_time(r.window.from_ns) +
                                         " and " + fragreplay::trace_time(r.window.to_ns);
    return file + " holds no allocation " + window + " (--from, --to; " + holdings(r, facts) +
           " in the window)";
  }
  return file + " holds no pool events (" + holdings(r, facts) + "; 'fragreplay info " + file +
         "' shows what it holds)";
}

std::optional<std::string> nothing_replayed(const gate::ReportMetrics& m) {
  std::uint64_t replayed = 0;
  bool known = false;
  for (const char* name : {"totals.allocations", "totals.failed_allocations", "rundown.allocations",
                           "rundown.refused"}) {
    if (const gate::Metric* metric = m.metric(name)) {
      known = true;
      replayed += static_cast<std::uint64_t>(metric->value);
    }
  }
  if (!known || replayed != 0) return std::nullopt;
  return m.file + " is the report of a replay that held no allocation (trace " + m.trace_name + ")";
}

}  // namespace fragreplay::cli
