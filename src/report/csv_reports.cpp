// CSV tables of a replay (see csv_reports.hpp).
#include "report/csv_reports.hpp"

#include "report/timeline_csv.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "base/error.hpp"
#include "base/format.hpp"
#include "report/call_sites.hpp"
#include "report/csv_row.hpp"
#include "report/failure_explanation.hpp"
#include "report/findings.hpp"
#include "report/kind_split_rows.hpp"
#include "report/output_file.hpp"
#include "report/pool_kinds.hpp"
#include "report/row_order.hpp"

namespace fragreplay::report {

using replay::GroupStats;
using replay::Results;

namespace {

constexpr const char* kGroupHeader =
    "allocations,failures,frees,init_allocations,requested_bytes,refused_bytes,footprint_bytes,"
    "waste_pool_header,waste_granularity,waste_sub_page_rounding,waste_total,live_allocations,"
    "live_requested_bytes,live_footprint_bytes,live_waste_pool_header,live_waste_granularity,"
    "live_waste_sub_page_rounding,live_waste_total,peak_live_allocations,peak_live_requested_bytes,"
    "peak_live_footprint_bytes,peak_live_waste_pool_header,peak_live_waste_granularity,"
    "peak_live_waste_sub_page_rounding,peak_live_waste_total\n";

void group_row(Row& row, const GroupStats& g) {
  row.num(g.allocations)
      .num(g.failures)
      .num(g.frees)
      .num(g.init_allocations)
      .num(g.requested.value)
      .num(g.refused.value)
      .num(g.footprint.value)
      .num(g.waste.pool_header.value)
      .num(g.waste.granularity.value)
      .num(g.waste.sub_page.value)
      .num(g.waste.total().value)
      .num(g.live_allocations)
      .num(g.live_requested.value)
      .num(g.live_footprint.value)
      .num(g.live_waste.pool_header.value)
      .num(g.live_waste.granularity.value)
      .num(g.live_waste.sub_page.value)
      .num(g.live_waste.total().value)
      .num(g.at_peak.allocations)
      .num(g.at_peak.requested.value)
      .num(g.at_peak.footprint.value)
      .num(g.at_peak.waste.pool_header.value)
      .num(g.at_peak.waste.granularity.value)
      .num(g.at_peak.waste.sub_page.value)
      .num(g.at_peak.waste.total().value);
}

// A table of groups: `rows` in order, `name(i)` and `stats(i)` for each.
template <typename Name, typename Stats>
std::string group_csv(const char* name_column, const std::vector<std::size_t>& rows, Name name,
                      Stats stats) {
  std::string out = std::string(name_column) + "," + kGroupHeader;
  for (const std::size_t i : rows) {
    Row row(out);
    row.text(name(i));
    group_row(row, stats(i));
  }
  return out;
}

std::string by_tag_csv(const Results& r) {
  if (replay::has_tag_owners(r)) {
    // With a pool-tag list (--pooltag): the owner it names and the module, beside the tag.
    std::string out = "tag,owner,module," + std::string(kGroupHeader);
    for (const std::size_t i : tags_by_waste(r)) {
      Row row(out);
      row.text(r.tags[i].to_string()).text(r.tag_owners[i].binary).text(r.tag_owners[i].module);
      group_row(row, r.by_tag[i]);
    }
    return out;
  }
  return group_csv(
      "tag", tags_by_waste(r), [&](std::size_t i) { return r.tags[i].to_string(); },
      [&](std::size_t i) -> const GroupStats& { return r.by_tag[i]; });
}

std::string by_routine_csv(const Results& r) {
  return group_csv(
      "routine", routines_by_waste(r),
      [](std::size_t i) {
        return std::string(trace::routine_name(static_cast<trace::Routine>(i)));
      },
      [&](std::size_t i) -> const GroupStats& { return r.by_routine[i]; });
}

std::string by_process_csv(const Results& r) {
  return group_csv(
      "process", processes_by_waste(r), [&](std::size_t i) { return r.processes[i]; },
      [&](std::size_t i) -> const GroupStats& { return r.by_process[i]; });
}

std::string by_call_site_csv(const Results& r) {
  std::string out = "call_site,address," + std::string(kGroupHeader);
  for (const std::size_t i : call_sites_by_waste(r)) {
    Row row(out);
    row.text(call_site_label(r.call_sites[i])).text(call_site_address(r.call_sites[i]));
    group_row(row, r.by_call_site[i]);
  }
  return out;
}

std::string by_module_csv(const Results& r) {
  return group_csv(
      "module", modules_by_waste(r), [&](std::size_t i) { return module_label(r.modules[i]); },
      [&](std::size_t i) -> const GroupStats& { return r.by_module[i]; });
}

// Every row of every group by pool kind: a row of one kind once, a row of several once per kind.
std::string by_pool_kind_rows_csv(const Results& r) {
  std::string out = "group,key,pool_kind," + std::string(kGroupHeader);
  for (const KindSplitRow& split : kind_split_rows(r)) {
    for (const auto& [kind, part] : row_parts(split)) {
      Row row(out);
      row.text(split.group).text(split.key).text(replay::kPoolKindKeys[kind]);
      group_row(row, part);
    }
  }
  return out;
}

// mm/vmstat.c's index in thousandths as a decimal ("0.949"); "-1" when a run of the order exists.
std::string fragmentation_index_text(std::int32_t thousandths) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.3f", thousandths / 1000.0);
  return buf;
}

std::string failures_csv(const Results& r) {
  std::string out =
      "time_ns,line,routine,tag,bytes,lowest,highest,boundary,cause,free_bytes_in_window,"
      "largest_free_run_bytes_in_window,order,fragmentation_index,closest_phys,"
      "closest_free_bytes,blockers,pinned_frames\n";
  for (const auto& f : r.contiguous.failure_log) {
    Row row(out);
    row.num(f.time_ns)
        .num(f.line)
        .text(trace::routine_name(f.routine))
        .text(f.tag.to_string())
        .num(f.bytes)
        .text(hex(f.lowest))
        .text(hex(f.highest))
        .text(hex(f.boundary))
        .text(model::fail_cause_name(f.cause))
        .num(f.free_in_window.value)
        .num(f.largest_free_run_in_window.value)
        .num(f.order)
        .text(fragmentation_index_text(f.fragmentation_index))
        .text(f.has_candidate ? hex(f.candidate_phys) : std::string())
        .text(f.has_candidate ? std::to_string(f.candidate_free.value) : std::string())
        .text(blockers_text(f))
        .num(f.pinned_frames);
  }
  return out;
}

std::string findings_csv(const Results& r) {
  std::string out = "rule,severity,tag,routine,count,bytes,first_line,rationale\n";
  for (const Finding& f : findings(r)) {
    Row row(out);
    row.text(f.rule)
        .text(severity_name(f.severity))
        .text(f.tag)
        .text(f.routine)
        .num(f.count)
        .num(f.bytes)
        .num(f.first_line)
        .text(f.rationale);
  }
  return out;
}

}  // namespace

std::vector<CsvFile> csv_reports(const Results& r) {
  std::vector<CsvFile> files{
      {"timeline.csv", timeline_csv(r)},     {"by_tag.csv", by_tag_csv(r)},
      {"by_routine.csv", by_routine_csv(r)}, {"by_process.csv", by_process_csv(r)},
      {"failures.csv", failures_csv(r)},     {"findings.csv", findings_csv(r)}};
  // Beside by_tag.csv, for traces that record call sites (Linux kmem captures).
  if (replay::has_call_sites(r)) {
    files.insert(files.begin() + 2, CsvFile{"by_call_site.csv", by_call_site_csv(r)});
  }
  // The split by pool kind, for traces of pool allocations (keys: replay::kPoolKindKeys).
  if (has_pool_kinds(r)) {
    const std::vector<std::size_t> kinds = pool_kinds_used(r);
    files.insert(
        files.begin() + 2,
        CsvFile{"by_pool_kind.csv",
                group_csv(
                    "pool_kind", kinds,
                    [&](std::size_t i) { return std::string(replay::kPoolKindKeys[i]); },
                    [&](std::size_t i) -> const GroupStats& { return r.by_pool_kind[i]; })});
    files.insert(files.begin() + 3, CsvFile{"by_pool_kind_rows.csv", by_pool_kind_rows_csv(r)});
  }
  // After the tag rows it sums, with stacks or a pool-tag list (--pooltag).
  if (replay::has_modules(r)) {
    files.insert(files.begin() + 2, CsvFile{"by_module.csv", by_module_csv(r)});
  }
  return files;
}

void write_csv_reports(const std::string& dir, const Results& r) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir)) {
    throw Error(Position{dir, 0, 0, false},
                "cannot create the CSV directory" + (ec ? ": " + ec.message() : std::string()));
  }
  for (const CsvFile& f : csv_reports(r)) {
    write_file_atomically((std::filesystem::path(dir) / f.name).string(), f.content);
  }
}

}  // namespace fragreplay::report
