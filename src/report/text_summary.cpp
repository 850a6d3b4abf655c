// The 80-column terminal summary (see text_summary.hpp), one renderer per section in the order
// they are printed.
#include "report/text_summary.hpp"

#include <sstream>

#include "base/format.hpp"
#include "json/json_text.hpp"
#include "report/call_sites.hpp"
#include "report/findings.hpp"
#include "report/findings_text.hpp"
#include "report/fragmentation_summary.hpp"
#include "report/kind_split_rows.hpp"
#include "report/modules.hpp"
#include "report/pool_kinds.hpp"
#include "report/row_order.hpp"
#include "version.hpp"

namespace fragreplay::report {

using replay::Anomaly;
using replay::Results;

namespace {

// Findings listed one per line under the Findings line; the rest are counted.
constexpr std::size_t kFindingLines = 10;

std::string waste_parts(const model::Waste& w) {
  return "pool header " + human_bytes(w.pool_header.value) + ", granularity " +
         human_bytes(w.granularity.value) + ", sub-page rounding " + human_bytes(w.sub_page.value);
}

// The trace, the profile and the machine.
void identity_lines(std::ostringstream& os, const Results& r) {
  os << "fragreplay " << kVersion << ": " << r.trace_name << " (" << r.trace_format << ")\n";
  os << "profile     " << r.profile.name << ", RAM " << human_bytes(r.ram.value) << " ("
     << thousands(r.end.total_frames.value) << " frames of " << human_bytes(r.profile.page_size)
     << ")\n";
  if (r.profile.chosen_by_content) {
    os << "Profile " << r.profile.name << " (chosen for a Linux capture; --profile to change)\n";
  }
  os << "\n";
}

// Events, the time window, allocations and those that predate the trace.
void event_lines(std::ostringstream& os, const Results& r) {
  const replay::GroupStats& t = r.totals;
  const std::uint64_t span = r.window.active ? r.window.last_time_ns - r.window.first_time_ns
                                             : r.last_time_ns - r.first_time_ns;
  os << "Events      " << thousands(r.events) << " over " << trace_time(span) << " ("
     << thousands(r.alloc_events) << " alloc, " << thousands(r.free_events) << " free, "
     << thousands(r.phase_events) << " phase)\n";
  if (r.window.active) {
    os << "Window      " << trace_time(r.window.from_ns) << " to "
       << (r.window.to_ns == ~std::uint64_t{0} ? std::string("the end")
                                               : trace_time(r.window.to_ns))
       << "; " << thousands(r.window.events_before) << " earlier events not counted\n";
  }
  os << "Allocations " << thousands(t.allocations) << " ok, " << thousands(t.failures)
     << " failed; " << thousands(t.frees) << " freed, " << thousands(r.end.live_allocations)
     << " live at the end\n";
  if (const replay::RundownStats& rd = r.rundown; rd.allocations + rd.refused + rd.duplicates) {
    // Counted apart from the trace's own allocations (README, "Allocations that predate ...").
    os << "Rundown     " << thousands(rd.allocations) << " allocations predate the trace ("
       << human_bytes(rd.requested.value) << ", footprint " << human_bytes(rd.footprint.value)
       << "), " << thousands(rd.freed) << " freed\n";
    if (rd.refused + rd.duplicates != 0) {
      os << "            " << thousands(rd.refused) << " refused by the model, "
         << thousands(rd.duplicates) << " already live\n";
    }
  }
}

// What is resident first, at the peak and at the end (the waste live then, by part), then the
// turnover over the whole trace: bytes requested, footprint and waste.
void memory_lines(std::ostringstream& os, const Results& r) {
  const replay::GroupStats& t = r.totals;
  const model::Waste& pw = r.peak.live_waste;
  os << "Peak        " << human_bytes(r.peak.live_footprint.value) << " live footprint ("
     << human_bytes(r.peak.live_requested.value) << " requested) at "
     << trace_time(r.peak.time_ns - r.first_time_ns) << ", line " << r.peak.line << "\n";
  os << "            resident waste " << human_bytes(pw.total().value) << " ("
     << percent(pw.total().value, r.peak.live_footprint.value) << " of it)\n";
  os << "              " << waste_parts(pw) << "\n";
  os << "End         " << human_bytes(r.end.live_footprint.value) << " live footprint ("
     << human_bytes(r.end.live_requested.value) << " requested); resident waste "
     << human_bytes(r.end.live_waste.total().value) << "\n";
  os << "            pool pages " << human_bytes(r.end.pool_page_bytes.value) << ", slack "
     << human_bytes(r.end.pool_page_slack.value) << " ("
     << (r.end.pool_page_bytes.value == 0
             ? std::string("no pool pages")
             : percent(r.end.pool_page_slack.value, r.end.pool_page_bytes.value) + " of pool pages")
     << ")\n";
  os << "Requested   " << human_bytes(t.requested.value) << " granted, "
     << human_bytes(t.refused.value) << " refused over the trace\n";
  os << "Footprint   " << human_bytes(t.footprint.value) << "; waste "
     << human_bytes(t.waste.total().value) << " ("
     << percent(t.waste.total().value, t.footprint.value) << " of footprint) over the trace\n";
  os << "  " << waste_parts(t.waste) << "\n";
}

// Contiguous requests and failures by cause, fragmentation, DMA and the findings count.
void physical_lines(std::ostringstream& os, const Results& r) {
  const auto& c = r.contiguous;
  os << "Contiguous  " << thousands(c.requests) << " requests, " << thousands(c.failures)
     << " failed";
  if (c.failures != 0) {
    os << ":";
    bool first = true;
    for (unsigned k = 1; k < model::kFailCauseCount; ++k) {
      if (c.failures_by_cause[k] == 0) continue;
      os << (first ? " " : ", ") << thousands(c.failures_by_cause[k]) << " "
         << model::fail_cause_name(static_cast<model::FailCause>(k));
      first = false;
    }
  }
  os << "\n";
  fragmentation_lines(os, r);
  os << "DMA         map registers peak " << r.map_registers_peak;
  for (const auto& a : r.adapters) {
    if (a.peak != 0 || a.failures != 0 || r.adapters.size() == 1) {
      os << "; " << a.name << " " << a.peak << " of " << a.map_registers;
    }
  }
  os << "\n";
  const std::vector<Finding> found = findings(r);
  os << "Findings    " << severity_counts(found)
     << (found.empty() ? "\n" : " (details: --html, --markdown, --json)\n")
     << findings_lines(found, kFindingLines);
}

// The tag rows. With a pool-tag list (--pooltag) the last column names each tag's owner instead
// of the waste's share (the module rows below give shares), cut to keep the line within 80
// columns ("-" where the list names none; JSON and CSV hold the full names).
void tags_table(std::ostringstream& os, const Results& r, const TextOptions& options) {
  const auto tags = tags_by_waste(r);
  if (tags.empty()) return;
  constexpr std::size_t kOwnerWidth = 14;
  const bool owners = replay::has_tag_owners(r);
  os << "\n"
     << pad_right("Tags by waste", 18) << pad_left("allocs", 10) << pad_left("requested", 12)
     << pad_left("footprint", 12) << pad_left("waste", 12)
     << (owners ? "  owner" : pad_left("% of footprint", 16)) << "\n";
  for (std::size_t k = 0; k < tags.size() && k < options.top_tags; ++k) {
    const auto& g = r.by_tag[tags[k]];
    os << "  " << pad_right(tag_label(r.tags[tags[k]]), 16)
       << pad_left(thousands(g.allocations), 10) << pad_left(human_bytes(g.requested.value), 12)
       << pad_left(human_bytes(g.footprint.value), 12)
       << pad_left(human_bytes(g.waste.total().value), 12);
    if (owners) {
      std::string owner = tag_owner(r, tags[k]);
      if (owner.empty()) owner = "-";
      if (owner.size() > kOwnerWidth) owner = owner.substr(0, kOwnerWidth - 3) + "...";
      os << "  " << owner;
    } else {
      os << pad_left(percent(g.waste.total().value, g.footprint.value), 16);
    }
    os << "\n";
  }
  if (tags.size() > options.top_tags) {
    os << "  ... and " << tags.size() - options.top_tags << " more tags (see --json)\n";
  }
}

void routines_table(std::ostringstream& os, const Results& r) {
  const auto routines = routines_by_waste(r);
  if (routines.empty()) return;
  os << "\n"
     << pad_right("Routines by waste", 40) << pad_left("allocs", 7) << pad_left("failed", 7)
     << pad_left("waste", 10) << pad_left("% of footprint", 15) << "\n";
  for (const std::size_t i : routines) {
    const auto& g = r.by_routine[i];
    os << "  " << pad_right(std::string(trace::routine_name(static_cast<trace::Routine>(i))), 38)
       << pad_left(thousands(g.allocations), 7) << pad_left(thousands(g.failures), 7)
       << pad_left(human_bytes(g.waste.total().value), 10)
       << pad_left(percent(g.waste.total().value, g.footprint.value), 15) << "\n";
  }
}

// The first contiguous failures, each with why it failed, and what pins the frames in the way.
void failures_table(std::ostringstream& os, const Results& r, const TextOptions& options) {
  const auto& c = r.contiguous;
  if (c.failure_log.empty()) return;
  os << "\nContiguous failures (first " << std::min(options.failures_shown, c.failure_log.size())
     << " of " << thousands(c.failures) << ")\n";
  os << "  " << pad_left("line", 7) << "  " << pad_right("tag", 6) << pad_left("bytes", 11) << "  "
     << pad_right("cause", 14) << pad_left("free in window", 15) << pad_left("largest run", 13)
     << "\n";
  for (std::size_t k = 0; k < c.failure_log.size() && k < options.failures_shown; ++k) {
    const auto& f = c.failure_log[k];
    os << "  " << pad_left(std::to_string(f.line), 7) << "  " << pad_right(tag_label(f.tag), 6)
       << pad_left(human_bytes(f.bytes), 11) << "  "
       << pad_right(model::fail_cause_name(f.cause), 14)
       << pad_left(human_bytes(f.free_in_window.value), 15)
       << pad_left(human_bytes(f.largest_free_run_in_window.value), 13) << "\n";
    if (f.cause != model::FailCause::kMapRegisters && f.cause != model::FailCause::kInvalid &&
        f.cause != model::FailCause::kConstraint) {
      os << failure_detail(f) << "\n";
    }
  }
  pinned_lines(os, r);
}

// How often the model charged what the trace recorded (traces that record it).
void model_agreement_lines(std::ostringstream& os, const Results& r) {
  const auto& a = r.model_agreement;
  if (a.compared == 0) return;
  os << "\nModel agreement: " << thousands(a.matching) << " of " << thousands(a.compared)
     << " allocations charged what the trace recorded (" << percent(a.matching, a.compared)
     << ")\n";
  for (std::size_t k = 0; k < a.first_disagreements.size() && k < 5; ++k) {
    const auto& d = a.first_disagreements[k];
    os << "  line " << d.line << ": " << trace::routine_name(d.routine) << " "
       << thousands(d.requested) << " B, trace charged " << thousands(d.charged) << " B, model "
       << thousands(d.model) << " B\n";
  }
}

// Bad lines and anomalies, each with its first lines and its repair; empty if there are none.
std::string data_quality_problems(const replay::DataQuality& q) {
  std::ostringstream dq;
  if (q.bad_lines != 0) {
    dq << "  " << thousands(q.bad_lines) << (q.bad_lines == 1 ? " bad line" : " bad lines")
       << " skipped";
    if (!q.first_bad_lines.empty()) {
      dq << " (first: line " << q.first_bad_lines.front().line << ": "
         << q.first_bad_lines.front().message << ")";
    }
    dq << "\n";
  }
  for (unsigned k = 0; k < replay::kAnomalyCount; ++k) {
    const auto& a = q.anomalies[k];
    if (a.count == 0) continue;
    dq << "  " << thousands(a.count) << " " << replay::anomaly_name(static_cast<Anomaly>(k))
       << " (line";
    dq << (a.first_lines.size() > 1 ? "s " : " ");
    for (std::size_t i = 0; i < a.first_lines.size() && i < 3; ++i)
      dq << (i ? ", " : "") << a.first_lines[i];
    if (a.count > 3) dq << ", ...";
    dq << ")\n      " << replay::anomaly_repair(static_cast<Anomaly>(k)) << "\n";
    if (static_cast<Anomaly>(k) == Anomaly::kRoutineNotInVersion)
      dq << "      routines: " << replay::routines_not_in_version(q) << "\n";
  }
  return dq.str();
}

// What was read but not replayed, and why that is not a problem.
void data_quality_notes(std::ostringstream& os, const replay::DataQuality& q) {
  if (q.ignored_records != 0) {
    os << "Note: " << thousands(q.ignored_records) << " input records hold nothing to replay (";
    for (std::size_t k = 0; k < q.ignored_by_kind.size(); ++k) {
      os << (k ? ", " : "") << thousands(q.ignored_by_kind[k].count) << " "
         << q.ignored_by_kind[k].kind;
    }
    os << ").\n";
  }
  if (q.ignored_fields != 0) {
    os << "Note: " << thousands(q.ignored_fields)
       << (q.ignored_fields == 1 ? " field was" : " fields were")
       << " ignored, their routines take no such argument (";
    for (std::size_t k = 0; k < q.ignored_fields_by_column.size(); ++k) {
      const auto& f = q.ignored_fields_by_column[k];
      os << (k ? "; " : "") << f.column << " on " << thousands(f.count) << " " << f.routine
         << (f.count == 1 ? " row, line " : " rows from line ") << f.first_line;
    }
    os << ").\n";
  }
  if (q.null_frees != 0) {
    os << "Note: " << thousands(q.null_frees) << (q.null_frees == 1 ? " free" : " frees")
       << " of NULL or ZERO_SIZE_PTR (null_frees): legal no-ops, not replayed.\n";
  }
  if (q.frees_of_refused != 0) {
    os << "Note: " << thousands(q.frees_of_refused)
       << (q.frees_of_refused == 1 ? " free was of an allocation" : " frees were of allocations")
       << " the model refused (the traced machine\n"
          "      granted "
       << (q.frees_of_refused == 1 ? "it); it is" : "them); they are") << " not replayed.\n";
  }
}

}  // namespace

// Names from the trace that are not UTF-8 (an export from a German or French Windows writes
// Latin-1: "Prozeß.exe"): the reports write them with U+FFFD in place of each bad byte.
void names_not_utf8_note(std::ostringstream& os, const Results& r) {
  std::size_t n = 0;
  for (const std::string& p : r.processes) n += is_utf8(p) ? 0 : 1;
  for (const auto& a : r.adapters) n += is_utf8(a.name) ? 0 : 1;
  for (const auto& c : r.call_sites) n += is_utf8(c.name) ? 0 : 1;
  for (const Tag t : r.tags) n += is_utf8(t.to_string()) ? 0 : 1;
  if (n == 0) return;
  os << "Note: " << thousands(n) << (n == 1 ? " name" : " names")
     << " in the trace (process, tag, adapter or call site) " << (n == 1 ? "is" : "are")
     << " not UTF-8; the reports show each bad byte as U+FFFD (JSON data_quality.names_not_utf8 "
        "counts the strings changed).\n";
}

std::string text_summary(const Results& r, const TextOptions& options) {
  std::ostringstream os;
  identity_lines(os, r);
  event_lines(os, r);
  memory_lines(os, r);
  physical_lines(os, r);
  tags_table(os, r, options);
  os << modules_text(r, options.top_tags);
  os << pool_kinds_text(r) << mixed_kinds_text(r);
  os << call_sites_text(r, options.top_tags);
  routines_table(os, r);
  failures_table(os, r, options);
  model_agreement_lines(os, r);
  const std::string problems = data_quality_problems(r.data_quality);
  os << "\nData quality:" << (problems.empty() ? " no problems found\n" : "\n" + problems);
  data_quality_notes(os, r.data_quality);
  names_not_utf8_note(os, r);
  return os.str();
}

}  // namespace fragreplay::report
