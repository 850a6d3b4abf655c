// JSON rendering of Results (see json_report.hpp): one function per object of the report;
// to_json places them in the published key order.
#include "report/json_report.hpp"
#include "report/kind_split_rows.hpp"
#include "report/pool_kinds.hpp"
#include "report/row_order.hpp"

#include <algorithm>
#include <numeric>
#include <string_view>

#include "base/format.hpp"
#include "json/json_text.hpp"
#include "report/call_sites.hpp"
#include "report/findings.hpp"
#include "report/timeline_json.hpp"
#include "version.hpp"

namespace fragreplay::report {

using nlohmann::ordered_json;
using replay::GroupStats;
using replay::Results;

namespace {

ordered_json waste_json(const model::Waste& w) {
  return ordered_json{{"pool_header", w.pool_header.value},
                      {"granularity", w.granularity.value},
                      {"sub_page_rounding", w.sub_page.value},
                      {"total", w.total().value}};
}

void group_fields(ordered_json& j, const GroupStats& g) {
  j["allocations"] = g.allocations;
  j["failures"] = g.failures;
  j["frees"] = g.frees;
  j["init_allocations"] = g.init_allocations;
  j["requested_bytes"] = g.requested.value;
  j["refused_bytes"] = g.refused.value;
  j["footprint_bytes"] = g.footprint.value;
  j["waste_bytes"] = g.waste.total().value;
  j["waste"] = waste_json(g.waste);
  j["live_allocations"] = g.live_allocations;
  j["live_requested_bytes"] = g.live_requested.value;
  j["live_footprint_bytes"] = g.live_footprint.value;
  j["live_waste_bytes"] = g.live_waste.total().value;
  j["live_waste"] = waste_json(g.live_waste);
  // What the row had live at the live peak of the whole replay (peak.time_ns).
  j["at_peak"] = {{"live_allocations", g.at_peak.allocations},
                  {"live_requested_bytes", g.at_peak.requested.value},
                  {"live_footprint_bytes", g.at_peak.footprint.value},
                  {"live_waste_bytes", g.at_peak.waste.total().value},
                  {"live_waste", waste_json(g.at_peak.waste)}};
}

// The pool kind row `i` of a group lives in ("mixed" for several, with its parts), for traces of
// pool allocations (report/kind_split_rows.hpp; docs/schema.md).
void kind_fields(ordered_json& j, const Results& r, std::span<const replay::KindParts> kinds,
                 std::size_t i, const GroupStats& g) {
  const replay::KindParts* k = replay::kinds_of(kinds, i);
  if (k == nullptr || !has_pool_kinds(r)) return;
  if (k->kind == replay::KindParts::kUnseen) {
    j["pool_kind"] = nullptr;
  } else if (!k->mixed()) {
    j["pool_kind"] = replay::kPoolKindKeys[k->kind];
  } else {
    j["pool_kind"] = "mixed";
    ordered_json parts = ordered_json::array();
    for (const auto& [kind, part] : row_parts(KindSplitRow{"", "", &g, k})) {
      ordered_json p;
      p["pool_kind"] = replay::kPoolKindKeys[kind];
      group_fields(p, part);
      parts.push_back(std::move(p));
    }
    j["by_pool_kind"] = std::move(parts);
  }
}

ordered_json findings_json(const Results& r) {
  ordered_json list = ordered_json::array();
  for (const Finding& f : findings(r)) {
    list.push_back({{"rule", f.rule},
                    {"severity", severity_name(f.severity)},
                    {"tag", f.tag},
                    {"routine", f.routine},
                    {"count", f.count},
                    {"bytes", f.bytes},
                    {"first_line", f.first_line},
                    {"rationale", f.rationale}});
  }
  return list;
}

ordered_json by_process_json(const Results& r) {
  ordered_json by_process = ordered_json::array();
  for (const std::size_t i : processes_by_waste(r)) {
    ordered_json row;
    row["process"] = r.processes[i];
    group_fields(row, r.by_process[i]);
    kind_fields(row, r, r.process_kinds, i, r.by_process[i]);
    by_process.push_back(std::move(row));
  }
  return by_process;
}

ordered_json by_call_site_json(const Results& r) {
  ordered_json by_call_site = ordered_json::array();
  for (const std::size_t i : call_sites_by_waste(r)) {
    ordered_json row;
    row["call_site"] = call_site_label(r.call_sites[i]);
    const std::string address = call_site_address(r.call_sites[i]);
    row["address"] = address.empty() ? ordered_json(nullptr) : ordered_json(address);
    if (!r.stacks.empty()) {  // an ETW capture's callers: the module, and all-kernel stacks
      const replay::CallSite& c = r.call_sites[i];
      row["module"] = c.module.empty() ? ordered_json(nullptr) : ordered_json(c.module);
      row["kernel_only"] = c.kernel_only;
    }
    group_fields(row, r.by_call_site[i]);
    kind_fields(row, r, r.call_site_kinds, i, r.by_call_site[i]);
    by_call_site.push_back(std::move(row));
  }
  return by_call_site;
}

ordered_json by_module_json(const Results& r) {
  ordered_json by_module = ordered_json::array();
  for (const std::size_t i : modules_by_waste(r)) {
    ordered_json row;
    row["module"] = r.modules[i];  // "": the tags the list names no module for
    group_fields(row, r.by_module[i]);
    kind_fields(row, r, r.module_kinds, i, r.by_module[i]);
    by_module.push_back(std::move(row));
  }
  return by_module;
}

ordered_json window_json(const replay::WindowInfo& w) {
  return {{"from_ns", w.from_ns},
          {"to_ns",
           w.to_ns == replay::WindowInfo::kOpenEnd ? ordered_json(nullptr) : ordered_json(w.to_ns)},
          {"events_before", w.events_before},
          {"first_time_ns", w.first_time_ns},
          {"last_time_ns", w.last_time_ns}};
}

// Fields added after schema_version 1 was first published (docs/schema.md §1): the
// findings, the by-process table, the by-call-site and by-module tables and the time window.
void add_report_extras(ordered_json& j, const Results& r) {
  j["findings"] = findings_json(r);
  j["by_process"] = by_process_json(r);
  // By call site: only for traces that record one (Linux kmem captures).
  if (replay::has_call_sites(r)) j["by_call_site"] = by_call_site_json(r);
  // By driver module: only with stacks or a pool-tag list (--pooltag).
  if (replay::has_modules(r)) j["by_module"] = by_module_json(r);
  // By pool kind: the kinds used, in a fixed order, for traces of pool allocations.
  if (has_pool_kinds(r)) {
    ordered_json kinds = ordered_json::array();
    for (const std::size_t i : pool_kinds_used(r)) {
      ordered_json row;
      row["pool_kind"] = replay::kPoolKindKeys[i];
      group_fields(row, r.by_pool_kind[i]);
      kinds.push_back(std::move(row));
    }
    j["by_pool_kind"] = std::move(kinds);
  }
  if (r.window.active) j["window"] = window_json(r.window);
}

// Why a contiguous request failed and who is in the way (added to each failure_log entry).
void failure_explanation(ordered_json& j, const replay::ContiguousFailureRecord& f) {
  j["order"] = f.order;
  j["fragmentation_index"] = f.fragmentation_index / 1000.0;
  if (f.has_candidate) {
    j["closest_placement"] = {{"phys", hex(f.candidate_phys)},
                              {"free_bytes", f.candidate_free.value}};
  } else {
    j["closest_placement"] = nullptr;
  }
  ordered_json blockers = ordered_json::array();
  for (const auto& b : f.blockers) {
    blockers.push_back({{"class", model::owner_class_name(b.cls)},
                        {"tag", b.tag.to_string()},
                        {"frames", b.frames}});
  }
  j["blockers"] = std::move(blockers);
  j["pinned_frames"] = f.pinned_frames;
  j["pinned_truncated"] = f.pinned_truncated;
}

// The trace read and the events it held.
ordered_json trace_json(const Results& r) {
  return {{"name", r.trace_name},
          {"format", r.trace_format},
          {"events", r.events},
          {"alloc_events", r.alloc_events},
          {"free_events", r.free_events},
          {"phase_events", r.phase_events},
          {"first_time_ns", r.first_time_ns},
          {"last_time_ns", r.last_time_ns},
          {"duration_ns", r.last_time_ns - r.first_time_ns}};
}

ordered_json profile_json(const Results& r) {
  return {{"name", r.profile.name},
          {"description", r.profile.description},
          {"backend", r.profile.backend},
          {"page_size", r.profile.page_size},
          {"pool_header", r.profile.pool_header},
          {"granularity", r.profile.granularity},
          {"small_max", r.profile.small_max},
          {"big_tail", r.profile.big_tail},
          {"list_search", r.profile.list_search},
          {"contiguous_scan", r.profile.contiguous_scan},
          {"ram_bytes", r.ram.value}};
}

ordered_json totals_json(const GroupStats& t) {
  return {{"allocations", t.allocations},
          {"failed_allocations", t.failures},
          {"frees", t.frees},
          {"init_allocations", t.init_allocations},
          {"requested_bytes", t.requested.value},
          {"refused_bytes", t.refused.value},
          {"footprint_bytes", t.footprint.value},
          {"waste_bytes", waste_json(t.waste)}};
}

ordered_json peak_json(const replay::Peak& p) {
  return {{"time_ns", p.time_ns},
          {"line", p.line},
          {"live_requested_bytes", p.live_requested.value},
          {"live_footprint_bytes", p.live_footprint.value},
          {"live_waste_bytes", waste_json(p.live_waste)}};
}

ordered_json end_json(const replay::EndState& e) {
  return {{"live_allocations", e.live_allocations},
          {"live_requested_bytes", e.live_requested.value},
          {"live_footprint_bytes", e.live_footprint.value},
          {"live_waste_bytes", waste_json(e.live_waste)},
          {"pool_page_bytes", e.pool_page_bytes.value},
          {"pool_page_slack_bytes", e.pool_page_slack.value},
          {"page_granular_bytes", e.page_granular.value},
          {"free_frames", e.free_frames.value},
          {"total_frames", e.total_frames.value}};
}

ordered_json by_tag_json(const Results& r) {
  ordered_json by_tag = ordered_json::array();
  for (const std::size_t i : tags_by_waste(r)) {
    ordered_json row;
    row["tag"] = r.tags[i].to_string();
    group_fields(row, r.by_tag[i]);
    row["pinned_frames"] = i < r.pinned_frames.size() ? r.pinned_frames[i] : 0;
    if (replay::has_tag_owners(r)) {
      // The pool-tag list's entry (--pooltag), null where it names none.
      const replay::TagOwnerInfo& o = r.tag_owners[i];
      const bool named = !o.binary.empty();
      row["owner"] = named ? ordered_json(o.binary) : ordered_json(nullptr);
      row["owner_description"] = named ? ordered_json(o.description) : ordered_json(nullptr);
      row["module"] = o.module;  // the key of its by_module row; "" for the unowned
    }
    kind_fields(row, r, r.tag_kinds, i, r.by_tag[i]);
    by_tag.push_back(std::move(row));
  }
  return by_tag;
}

ordered_json by_routine_json(const Results& r) {
  ordered_json by_routine = ordered_json::array();
  for (const std::size_t i : routines_by_waste(r)) {
    ordered_json row;
    row["routine"] = trace::routine_name(static_cast<trace::Routine>(i));
    group_fields(row, r.by_routine[i]);
    kind_fields(row, r, r.routine_kinds, i, r.by_routine[i]);
    by_routine.push_back(std::move(row));
  }
  return by_routine;
}

ordered_json dma_json(const Results& r) {
  ordered_json adapters = ordered_json::array();
  for (const auto& a : r.adapters) {
    adapters.push_back({{"name", a.name},
                        {"map_registers", a.map_registers},
                        {"peak", a.peak},
                        {"in_use_end", a.in_use_end},
                        {"failures", a.failures}});
  }
  return {{"map_registers_peak", r.map_registers_peak}, {"adapters", std::move(adapters)}};
}

ordered_json failure_log_json(const replay::ContiguousStats& c) {
  ordered_json log = ordered_json::array();
  for (const auto& f : c.failure_log) {
    log.push_back({{"time_ns", f.time_ns},
                   {"line", f.line},
                   {"routine", trace::routine_name(f.routine)},
                   {"tag", f.tag.to_string()},
                   {"bytes", f.bytes},
                   {"lowest", hex(f.lowest)},
                   {"highest", hex(f.highest)},
                   {"boundary", hex(f.boundary)},
                   {"cause", model::fail_cause_name(f.cause)},
                   {"free_bytes_in_window", f.free_in_window.value},
                   {"largest_free_run_bytes_in_window", f.largest_free_run_in_window.value}});
    failure_explanation(log.back(), f);
  }
  return log;
}

ordered_json contiguous_json(const Results& r) {
  const replay::ContiguousStats& c = r.contiguous;
  ordered_json by_cause;
  for (unsigned k = 1; k < model::kFailCauseCount; ++k) {
    by_cause[model::fail_cause_name(static_cast<model::FailCause>(k))] = c.failures_by_cause[k];
  }
  ordered_json pinned_other = ordered_json::array();
  for (const auto& p : r.pinned_other) {
    pinned_other.push_back({{"class", model::owner_class_name(p.cls)},
                            {"tag", p.tag.to_string()},
                            {"pinned_frames", p.frames}});
  }
  return {{"requests", c.requests},
          {"failures", c.failures},
          {"failures_by_cause", std::move(by_cause)},
          {"failure_log", failure_log_json(c)},
          {"failure_log_truncated", c.failures - c.failure_log.size()},
          {"pinned_other", std::move(pinned_other)}};
}

// data_quality.details: the first lines of each problem, and what was not replayed.
ordered_json data_quality_details_json(const replay::DataQuality& q) {
  ordered_json details;
  ordered_json bad = ordered_json::array();
  for (const auto& b : q.first_bad_lines) bad.push_back({{"line", b.line}, {"message", b.message}});
  details["bad_lines"] = std::move(bad);
  for (unsigned k = 0; k < replay::kAnomalyCount; ++k) {
    const auto a = static_cast<replay::Anomaly>(k);
    details[replay::anomaly_name(a)] = {{"first_lines", q.anomalies[k].first_lines},
                                        {"repair", replay::anomaly_repair(a)}};
  }
  ordered_json not_in_version = ordered_json::object();
  for (unsigned k = 0; k < trace::kRoutineCount; ++k) {
    if (q.not_in_version[k] == 0) continue;
    not_in_version[trace::routine_name(static_cast<trace::Routine>(k))] = q.not_in_version[k];
  }
  details[replay::anomaly_name(replay::Anomaly::kRoutineNotInVersion)]["routines"] =
      std::move(not_in_version);
  ordered_json ignored = ordered_json::array();
  for (const auto& k : q.ignored_by_kind) ignored.push_back({{"kind", k.kind}, {"count", k.count}});
  details["ignored_records"] = std::move(ignored);
  ordered_json fields = ordered_json::array();
  for (const auto& f : q.ignored_fields_by_column) {
    fields.push_back({{"column", f.column},
                      {"routine", f.routine},
                      {"count", f.count},
                      {"first_line", f.first_line}});
  }
  details["ignored_fields"] = std::move(fields);
  return details;
}

ordered_json data_quality_json(const Results& r) {
  const replay::DataQuality& q = r.data_quality;
  ordered_json dq;
  dq["bad_lines"] = q.bad_lines;
  dq["frees_of_refused_allocations"] = q.frees_of_refused;
  dq["ignored_records"] = q.ignored_records;
  dq["ignored_fields"] = q.ignored_fields;
  // kfree(NULL) and the like exist only on Linux: the key is there on a Linux profile.
  if (r.profile.backend == "slub" || q.null_frees != 0) dq["null_frees"] = q.null_frees;
  for (unsigned k = 0; k < replay::kAnomalyCount; ++k) {
    dq[replay::anomaly_name(static_cast<replay::Anomaly>(k))] = q.anomalies[k].count;
  }
  dq["details"] = data_quality_details_json(q);
  return dq;
}

ordered_json model_agreement_json(const replay::ModelAgreement& a) {
  ordered_json disagreements = ordered_json::array();
  for (const auto& d : a.first_disagreements) {
    disagreements.push_back({{"line", d.line},
                             {"routine", trace::routine_name(d.routine)},
                             {"requested_bytes", d.requested},
                             {"charged_bytes", d.charged},
                             {"model_bytes", d.model}});
  }
  return {{"compared", a.compared},
          {"matching", a.matching},
          {"first_disagreements", std::move(disagreements)}};
}

// Allocations that predate the trace (rundown snapshots).
ordered_json rundown_json(const replay::RundownStats& rd) {
  return {{"allocations", rd.allocations},         {"refused", rd.refused},
          {"duplicates", rd.duplicates},           {"freed", rd.freed},
          {"requested_bytes", rd.requested.value}, {"footprint_bytes", rd.footprint.value}};
}

// The report; its timeline left empty unless `with_timeline` (to_json_text writes it as text).
ordered_json report_json(const Results& r, bool with_timeline) {
  ordered_json j;
  j["schema_version"] = kSchemaVersion;
  j["tool"] = {{"name", "fragreplay"}, {"version", kVersion}};
  j["trace"] = trace_json(r);
  j["profile"] = profile_json(r);
  j["totals"] = totals_json(r.totals);
  j["peak"] = peak_json(r.peak);
  j["end"] = end_json(r.end);
  j["by_tag"] = by_tag_json(r);
  j["by_routine"] = by_routine_json(r);
  j["dma"] = dma_json(r);
  j["contiguous"] = contiguous_json(r);
  j["fragmentation"] = fragmentation_json(r.fragmentation);
  j["data_quality"] = data_quality_json(r);
  j["model_agreement"] = model_agreement_json(r.model_agreement);
  j["timeline_sampling"] = timeline_sampling_json(r);
  if (!r.device_windows.empty()) j["device_windows"] = device_windows_json(r);
  j["timeline"] = with_timeline ? timeline_json(r) : ordered_json::array();
  add_report_extras(j, r);
  // Present only when a trace has allocations that predate it.
  if (const replay::RundownStats& rd = r.rundown;
      rd.allocations + rd.refused + rd.duplicates != 0) {
    j["rundown"] = rundown_json(rd);
  }
  // Names that are not UTF-8 are written with U+FFFD (json_text.hpp); the report says how many.
  if (const std::size_t n = count_non_utf8_strings(j); n != 0) {
    j["data_quality"]["names_not_utf8"] = n;
  }
  return j;
}

}  // namespace

ordered_json to_json(const Results& r) { return report_json(r, true); }

// The document without its timeline, with the timeline's text put in place of the empty array:
// the same bytes as json_text(to_json(r)) (the timeline holds no strings that need repair).
// Strings escape their line breaks, so a line break and two spaces start only top-level keys.
std::string to_json_text(const Results& r) {
  std::string text = json_text(report_json(r, r.timeline.empty()));
  if (!r.timeline.empty()) {
    constexpr std::string_view kEmpty = "\n  \"timeline\": []";
    const std::size_t at = text.find(kEmpty) + kEmpty.size() - 2;
    std::string out;
    out.reserve(text.size() + r.timeline.size() * 2048);
    out.append(text, 0, at);
    append_timeline_json_text(out, r, 1);
    out.append(text, at + 2);
    text = std::move(out);
  }
  text.push_back('\n');
  return text;
}

}  // namespace fragreplay::report
