// The text of `fragreplay info` (see info_report.hpp): labelled rows, one section per kind of
// fact — the input's header, its records by kind, the pool records, the events, data quality.
#include <algorithm>
#include <map>
#include <string_view>
#include <utility>
#include <vector>

#include "base/format.hpp"
#include "cli/info_report.hpp"

namespace fragreplay::cli {

namespace {

using fragreplay::human_bytes;
using fragreplay::thousands;
using fragreplay::trace_time;

// Writes a labelled row, wrapped after ", " to stay within 100 columns.
class Rows {
 public:
  explicit Rows(std::ostream& os) : os_(os) {}
  void operator()(const char* label, const std::string& text) {
    constexpr std::size_t kIndent = 14, kWidth = 100 - kIndent;
    std::string_view rest = text;
    os_ << fragreplay::pad_right(label, kIndent);
    while (rest.size() > kWidth) {
      const std::size_t cut = rest.substr(0, kWidth).rfind(", ");
      if (cut == std::string_view::npos) break;
      os_ << rest.substr(0, cut + 1) << "\n" << std::string(kIndent, ' ');
      rest.remove_prefix(cut + 2);
    }
    os_ << rest << "\n";
  }

 private:
  std::ostream& os_;
};

// Entries of a count map, largest first (ties by key), as "key count" joined by ", ".
std::string top_counts(const std::map<std::string, std::uint64_t>& m, std::size_t limit) {
  std::vector<std::pair<std::string, std::uint64_t>> v(m.begin(), m.end());
  std::stable_sort(v.begin(), v.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string out;
  for (std::size_t i = 0; i < v.size() && i < limit; ++i) {
    if (i != 0) out += ", ";
    out += v[i].first + " " + thousands(v[i].second);
  }
  if (v.size() > limit) out += ", ... (" + std::to_string(v.size() - limit) + " more)";
  return out;
}

// The ETL trace header and buffers (or the pointer size another format gave), the time span.
void header_rows(Rows& row, const trace::InputFacts& f) {
  if (f.etl) {
    const trace::EtlHeaderFacts& h = *f.etl;
    row("trace header", "Windows " + std::to_string(h.os_major) + "." + std::to_string(h.os_minor) +
                            " build " + std::to_string(h.os_build) + ", pointer size " +
                            std::to_string(h.pointer_size) + ", " + std::to_string(h.cpus) +
                            " CPUs at " + thousands(h.cpu_mhz) + " MHz");
    row("", "clock " + h.clock + " at " + thousands(h.timer_frequency) + " Hz, started " +
                filetime_utc(h.start_time));
    row("", "logger \"" + h.logger_name + "\", file \"" + h.log_file_name + "\", mode " +
                fragreplay::hex(h.log_file_mode));
    row("buffers", thousands(f.buffers) + " read of " + thousands(h.buffers_written) +
                       " written, " + thousands(f.compressed_buffers) +
                       " LZXPRESS-compressed; buffer size " + human_bytes(h.buffer_size));
  } else if (f.pointer_size != 0) {
    row("pointer size", std::to_string(f.pointer_size));
  }
  if (f.has_time_span) {
    row("time span", trace_time(f.last_ns - f.first_ns) + " (records from " +
                         trace_time(f.first_ns) + " to " + trace_time(f.last_ns) + ")");
  }
}

// Every record, by header type, kernel group, provider and event name.
void record_rows(Rows& row, const InfoReport& d) {
  const trace::InputFacts& f = *d.facts;
  row("records", thousands(events_total(d)));
  if (!f.by_header_type.empty()) row("  headers", top_counts(f.by_header_type, 16));
  if (!f.by_group_type.empty()) row("  kernel", top_counts(trace::by_kernel_group(f), 8));
  if (!f.by_provider.empty()) row("  providers", top_counts(f.by_provider, 4));
  if (!f.by_classic_provider.empty()) row("  classic", top_counts(f.by_classic_provider, 4));
  if (!f.by_event_name.empty()) row("  by name", top_counts(f.by_event_name, 8));
  if (f.other_records != 0) row("  other", thousands(f.other_records) + " (WPP messages, ...)");
}

void pool_rows(Rows& row, const InfoReport& d) {
  const trace::InputFacts& f = *d.facts;
  const trace::PoolRecordCounts& p = f.pool;
  if (f.records == 0) {
    // A reader that does not count records (native): its events say everything.
  } else if (p.total() == 0 && p.snapshot_start_entries == 0) {
    row("pool records", d.format == "etl" ? "none (pool tracing is xperf's POOL flag or WPR's Pool "
                                            "keyword)"
                                          : "none");
  } else {
    row("pool records", thousands(p.total()) + ": " + thousands(p.allocs) + " alloc, " +
                            thousands(p.session_allocs) + " session alloc, " + thousands(p.frees) +
                            " free, " + thousands(p.session_frees) + " session free, " +
                            thousands(p.add_pool_pages) + " AddPoolPage, " +
                            thousands(p.big_pool_pages) + " BigPoolPage");
    if (p.snapshot_start_entries + p.snapshot_start_records + p.snapshot_end_records != 0) {
      row("", "snapshots: " + thousands(p.snapshot_start_entries) + " allocations in " +
                  thousands(p.snapshot_start_records) + " at the start (replayed as rundown), " +
                  thousands(p.snapshot_end_entries) + " in " + thousands(p.snapshot_end_records) +
                  " at the end");
    }
  }
}

// Stack walks and images, when the input has any.
void stack_rows(Rows& row, const trace::StackFacts& s) {
  if (s.records != 0) {
    row("stacks", thousands(s.records) + ": " + thousands(s.on_allocations) + " on allocations (" +
                      thousands(s.distinct) + " distinct, " + thousands(s.frames) + " frames), " +
                      thousands(s.on_frees) + " on frees, " + thousands(s.unmatched) +
                      " on no pool event (another event's, or theirs was lost)");
  }
  if (s.key_references != 0) {
    row("", thousands(s.key_references) +
                " stacks named by a cache key (stack caching): not resolved, their events have "
                "no stack");
  }
  if (s.image_records != 0) {
    row("images", thousands(s.image_records) + " records: " + thousands(s.images) +
                      " kernel images mapped, " + thousands(s.user_images) + " user-space, " +
                      thousands(s.images_overlapping) + " overlapping, " +
                      thousands(s.image_records_old) + " of a layout before version 2");
  }
}

void event_rows(Rows& row, const EventSummary& e) {
  std::string ev = thousands(e.events);
  if (e.events != 0) {
    ev += ": " + thousands(e.allocs) + " alloc (" + human_bytes(e.requested_bytes) + "), " +
          thousands(e.frees) + " free, " + thousands(e.rundown) + " rundown (" +
          human_bytes(e.rundown_bytes) + ")";
    if (e.phases != 0) ev += ", " + thousands(e.phases) + " phase";
  }
  row("events", ev);
  if (e.events != 0) {
    row("", thousands(e.tags) + " tags, from " + trace_time(e.first_ns) + " to " +
                trace_time(e.last_ns) + "; " + thousands(e.live_at_end) +
                " allocations live at the end");
  }
}

// The data-quality lines; empty if there is nothing to say.
std::vector<std::string> quality_lines(const InfoReport& d) {
  const trace::InputFacts& f = *d.facts;
  std::vector<std::string> out;
  auto add = [&](std::uint64_t n, const std::string& what) {
    if (n != 0) out.push_back(thousands(n) + " " + what);
  };
  add(d.bad->count, "malformed lines or records skipped");
  for (const auto& b : d.bad->first) {
    out.push_back(std::string("  at ") + (f.etl ? "byte " : "line ") + std::to_string(b.position) +
                  ": " + b.message);
  }
  if (f.etl) {
    add(f.etl->events_lost, "events lost while tracing (trace header)");
    add(f.etl->buffers_lost, "buffers lost while tracing (trace header)");
  }
  add(f.buffers_events_lost, "buffers flagged as having lost events");
  add(f.buffers_buffer_lost, "buffers flagged as following a lost buffer");
  add(f.out_of_order, "pool events earlier than the one before them on their CPU");
  add(d.events.time_went_backwards, "events earlier than the one before them");
  add(f.pool.malformed, "malformed pool records");
  add(f.pool.null_allocs, "allocations that failed on the traced machine (not replayed)");
  add(f.pool_rows_without_fields, "pool events without their fields (not replayed)");
  add(f.orphan_stack_rows, "Stack rows not following their event");
  add(f.stacks.malformed, "malformed StackWalk records");
  add(d.events.unknown_frees, "frees of addresses not allocated before them");
  add(d.events.null_frees, "frees of NULL or ZERO_SIZE_PTR (legal no-ops)");
  add(d.events.live_address_reused, "allocations at an address still live");
  return out;
}

void quality_rows(Rows& row, const InfoReport& d) {
  const std::vector<std::string> q = quality_lines(d);
  if (q.empty()) {
    row("data quality", d.error ? "the input ends in an error (below)" : "no problems found");
  } else {
    for (std::size_t i = 0; i < q.size(); ++i) row(i == 0 ? "data quality" : "", q[i]);
  }
  const std::vector<std::string>& notes = d.facts->notes;
  for (std::size_t i = 0; i < notes.size(); ++i) row(i == 0 ? "notes" : "", notes[i]);
}

}  // namespace

void info_text(const InfoReport& d, std::ostream& os) {
  Rows row(os);
  os << "fragreplay info: " << d.name << "\n";
  row("format", d.format);
  header_rows(row, *d.facts);
  record_rows(row, d);
  pool_rows(row, d);
  stack_rows(row, d.facts->stacks);
  event_rows(row, d.events);
  quality_rows(row, d);
}

}  // namespace fragreplay::cli
