// `fragreplay info FILE [--json]`: what a trace holds, without replaying it — the detected
// format, the ETL header, every record counted by kind, the pool events and what they become,
// and a data-quality summary. A damaged file is described as far as it could be read, then the
// error is reported (exit status 2).
#include <algorithm>
#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <vector>

#include "base/error.hpp"
#include "base/format.hpp"
#include "cli/command.hpp"
#include "cli/command_line.hpp"
#include "cli/info_summary.hpp"
#include "cli/read_options.hpp"
#include "cli/terminal_text.hpp"
#include "json/json_text.hpp"
#include "trace/etl/event_record.hpp"
#include "trace/trace_reader.hpp"

namespace fragreplay::cli {
namespace po = boost::program_options;
using fragreplay::thousands;

namespace {

constexpr const char* kIntro =
    "Usage: fragreplay info FILE [options]\n"
    "\n"
    "Describes a trace without replaying it: the format found, the trace header of an ETL\n"
    "file (OS build, pointer size, CPUs, clock, start time), every record counted by kind\n"
    "(kernel group:type, provider GUID, event name), the pool events and what they become\n"
    "(allocs, frees, allocations that predate the trace), and the data quality: lost\n"
    "events, malformed records, frees of unknown addresses.\n"
    "\n"
    "FILE is any input fragreplay reads (README.md, \"Input formats\"), gzip or zstd\n"
    "compressed or not; '-' reads standard input.\n";

constexpr const char* kOutro =
    "\n"
    "Examples:\n"
    "  fragreplay info capture.etl\n"
    "  fragreplay info capture.etl.zst --json > capture-info.json\n"
    "  fragreplay info dump.txt --time-unit ms\n"
    "\n"
    "Exit status: 0 success, 2 bad input (after describing what could be read) or usage.\n";

// FILETIME (100 ns since 1601-01-01 UTC) as "2020-07-28 10:07:00.623 UTC".
std::string filetime_utc(std::uint64_t ft) {
  using namespace std::chrono;
  constexpr std::int64_t kUnixEpoch = 11'644'473'600;  // seconds from 1601 to 1970
  const auto since_unix = static_cast<std::int64_t>(ft / 10'000'000) - kUnixEpoch;
  const sys_seconds t{seconds{since_unix}};
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{t - day};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02lld:%02lld:%02lld.%03llu UTC",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<long long>(hms.hours().count()),
                static_cast<long long>(hms.minutes().count()),
                static_cast<long long>(hms.seconds().count()),
                static_cast<unsigned long long>((ft / 10'000) % 1000));
  return buf;
}

std::string hex32(std::uint32_t v) { return fragreplay::hex(v); }

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

// Kernel events summed by group name ("PerfInfo 79,530").
std::map<std::string, std::uint64_t> by_group_name(const std::map<std::string, std::uint64_t>& m);

struct InfoData {
  std::string name;
  std::string format;
  const trace::InputFacts* facts = nullptr;
  const trace::BadLines* bad = nullptr;
  EventSummary events;
  std::optional<std::string> error;
};

std::uint64_t events_total(const InfoData& d) {
  // Readers that count their records say how many; the others (native) have one per event.
  return d.facts->records != 0 ? d.facts->records : d.events.events + d.bad->count;
}

// The data-quality lines; empty if there is nothing to say.
std::vector<std::string> quality_lines(const InfoData& d) {
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
  add(d.events.unknown_frees, "frees of addresses not allocated before them");
  add(d.events.null_frees, "frees of NULL or ZERO_SIZE_PTR (legal no-ops)");
  add(d.events.live_address_reused, "allocations at an address still live");
  return out;
}

void print_text(const InfoData& d, std::ostream& os) {
  const trace::InputFacts& f = *d.facts;
  // A labelled row, wrapped after ", " to stay within 100 columns.
  auto row = [&](const char* label, const std::string& text) {
    constexpr std::size_t kIndent = 14, kWidth = 100 - kIndent;
    std::string_view rest = text;
    os << fragreplay::pad_right(label, kIndent);
    while (rest.size() > kWidth) {
      const std::size_t cut = rest.substr(0, kWidth).rfind(", ");
      if (cut == std::string_view::npos) break;
      os << rest.substr(0, cut + 1) << "\n" << std::string(kIndent, ' ');
      rest.remove_prefix(cut + 2);
    }
    os << rest << "\n";
  };
  os << "fragreplay info: " << d.name << "\n";
  row("format", d.format);
  if (f.etl) {
    const trace::EtlHeaderFacts& h = *f.etl;
    row("trace header", "Windows " + std::to_string(h.os_major) + "." + std::to_string(h.os_minor) +
                            " build " + std::to_string(h.os_build) + ", pointer size " +
                            std::to_string(h.pointer_size) + ", " + std::to_string(h.cpus) +
                            " CPUs at " + thousands(h.cpu_mhz) + " MHz");
    row("", "clock " + h.clock + " at " + thousands(h.timer_frequency) + " Hz, started " +
                filetime_utc(h.start_time));
    row("", "logger \"" + h.logger_name + "\", file \"" + h.log_file_name + "\", mode " +
                hex32(h.log_file_mode));
    row("buffers", thousands(f.buffers) + " read of " + thousands(h.buffers_written) +
                       " written, " + thousands(f.compressed_buffers) +
                       " LZXPRESS-compressed; buffer size " +
                       fragreplay::human_bytes(h.buffer_size));
  } else if (f.pointer_size != 0) {
    row("pointer size", std::to_string(f.pointer_size));
  }
  if (f.has_time_span) {
    row("time span", fragreplay::trace_time(f.last_ns - f.first_ns) + " (records from " +
                         fragreplay::trace_time(f.first_ns) + " to " +
                         fragreplay::trace_time(f.last_ns) + ")");
  }
  row("records", thousands(events_total(d)));
  if (!f.by_header_type.empty()) row("  headers", top_counts(f.by_header_type, 16));
  if (!f.by_group_type.empty()) row("  kernel", top_counts(by_group_name(f.by_group_type), 8));
  if (!f.by_provider.empty()) row("  providers", top_counts(f.by_provider, 4));
  if (!f.by_classic_provider.empty()) row("  classic", top_counts(f.by_classic_provider, 4));
  if (!f.by_event_name.empty()) row("  by name", top_counts(f.by_event_name, 8));
  if (f.other_records != 0) row("  other", thousands(f.other_records) + " (WPP messages, ...)");

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
  const EventSummary& e = d.events;
  std::string ev = thousands(e.events);
  if (e.events != 0) {
    ev += ": " + thousands(e.allocs) + " alloc (" + fragreplay::human_bytes(e.requested_bytes) +
          "), " + thousands(e.frees) + " free, " + thousands(e.rundown) + " rundown (" +
          fragreplay::human_bytes(e.rundown_bytes) + ")";
    if (e.phases != 0) ev += ", " + thousands(e.phases) + " phase";
  }
  row("events", ev);
  if (e.events != 0) {
    row("", thousands(e.tags) + " tags, from " + fragreplay::trace_time(e.first_ns) + " to " +
                fragreplay::trace_time(e.last_ns) + "; " + thousands(e.live_at_end) +
                " allocations live at the end");
  }
  const std::vector<std::string> q = quality_lines(d);
  if (q.empty()) {
    row("data quality", d.error ? "the input ends in an error (below)" : "no problems found");
  } else {
    for (std::size_t i = 0; i < q.size(); ++i) row(i == 0 ? "data quality" : "", q[i]);
  }
  for (std::size_t i = 0; i < f.notes.size(); ++i) row(i == 0 ? "notes" : "", f.notes[i]);
}

nlohmann::ordered_json counts(const std::map<std::string, std::uint64_t>& m) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& [k, v] : m) j[k] = v;
  return j;
}

void print_json(const InfoData& d, std::ostream& os) {
  using J = nlohmann::ordered_json;
  const trace::InputFacts& f = *d.facts;
  J j;
  j["name"] = d.name;
  j["format"] = d.format;
  j["pointer_size"] = f.pointer_size != 0 ? J(f.pointer_size) : J(nullptr);
  j["events_total"] = events_total(d);
  j["by_header_type"] = counts(f.by_header_type);
  j["by_group_type"] = counts(f.by_group_type);
  j["by_provider"] = counts(f.by_provider);
  j["by_classic_provider"] = counts(f.by_classic_provider);
  j["by_event_name"] = counts(f.by_event_name);
  j["other_records"] = f.other_records;
  if (f.etl) {
    const trace::EtlHeaderFacts& h = *f.etl;
    j["header"] = {{"os_version", std::to_string(h.os_major) + "." + std::to_string(h.os_minor)},
                   {"os_build", h.os_build},
                   {"pointer_size", h.pointer_size},
                   {"cpus", h.cpus},
                   {"cpu_mhz", h.cpu_mhz},
                   {"clock", h.clock},
                   {"timer_frequency", h.timer_frequency},
                   {"start_time", filetime_utc(h.start_time)},
                   {"end_time", filetime_utc(h.end_time)},
                   {"logger_name", h.logger_name},
                   {"log_file_name", h.log_file_name},
                   {"log_file_mode", hex32(h.log_file_mode)},
                   {"buffer_size", h.buffer_size},
                   {"buffers_written", h.buffers_written},
                   {"events_lost", h.events_lost},
                   {"buffers_lost", h.buffers_lost}};
    j["buffers"] = {{"read", f.buffers},
                    {"compressed", f.compressed_buffers},
                    {"flagged_events_lost", f.buffers_events_lost},
                    {"flagged_buffer_lost", f.buffers_buffer_lost}};
  } else {
    j["header"] = nullptr;
  }
  j["time_span"] = f.has_time_span ? J{{"first_ns", f.first_ns},
                                       {"last_ns", f.last_ns},
                                       {"duration_ns", f.last_ns - f.first_ns}}
                                   : J(nullptr);
  const trace::PoolRecordCounts& p = f.pool;
  j["pool_records"] = {{"total", p.total()},
                       {"allocs", p.allocs},
                       {"session_allocs", p.session_allocs},
                       {"frees", p.frees},
                       {"session_frees", p.session_frees},
                       {"add_pool_pages", p.add_pool_pages},
                       {"big_pool_pages", p.big_pool_pages},
                       {"snapshot_start_records", p.snapshot_start_records},
                       {"snapshot_start_entries", p.snapshot_start_entries},
                       {"snapshot_end_records", p.snapshot_end_records},
                       {"snapshot_end_entries", p.snapshot_end_entries},
                       {"other", p.other},
                       {"null_allocs", p.null_allocs},
                       {"malformed", p.malformed}};
  const EventSummary& e = d.events;
  j["events"] = {{"total", e.events},
                 {"allocs", e.allocs},
                 {"frees", e.frees},
                 {"rundown_allocs", e.rundown},
                 {"phases", e.phases},
                 {"requested_bytes", e.requested_bytes},
                 {"rundown_bytes", e.rundown_bytes},
                 {"tags", e.tags},
                 {"first_time_ns", e.any ? J(e.first_ns) : J(nullptr)},
                 {"last_time_ns", e.any ? J(e.last_ns) : J(nullptr)},
                 {"live_at_end", e.live_at_end}};
  J bad = J::array();
  for (const auto& b : d.bad->first)
    bad.push_back({{"position", b.position}, {"message", b.message}});
  j["data_quality"] = {{"bad_records", d.bad->count},
                       {"first_bad_records", bad},
                       {"out_of_order", f.out_of_order},
                       {"time_went_backwards", e.time_went_backwards},
                       {"unknown_frees", e.unknown_frees},
                       {"live_address_reused", e.live_address_reused},
                       {"pool_rows_without_fields", f.pool_rows_without_fields},
                       {"stack_rows", f.stack_rows},
                       {"orphan_stack_rows", f.orphan_stack_rows}};
  if (e.null_frees != 0) j["data_quality"]["null_frees"] = e.null_frees;
  j["notes"] = f.notes;
  j["error"] = d.error ? J(*d.error) : J(nullptr);
  os << fragreplay::json_text(j) << "\n";
}

std::map<std::string, std::uint64_t> by_group_name(const std::map<std::string, std::uint64_t>& m) {
  std::map<std::string, std::uint64_t> out;
  for (const auto& [key, count] : m) {
    const auto group = static_cast<std::uint8_t>(std::stoul(key.substr(0, key.find(':'))));
    const std::string_view name = trace::etl::group_name(group);
    out[name.empty() ? "group " + std::to_string(group) : std::string(name)] += count;
  }
  return out;
}

}  // namespace

int info_command(const Args& args, Io io) {
  po::options_description visible("Options");
  visible.add_options()("json", po::bool_switch(), "print JSON instead of text (fields in README)")(
      "help,h", po::bool_switch(), "show this help");
  add_read_options(visible);
  const po::variables_map vm = parse_command_line(args, visible, {}, "file");
  if (vm["help"].as<bool>()) {
    io.out << kIntro << "\n" << visible << kOutro;
    return kExitOk;
  }
  if (!vm.count("file")) throw Error("info: missing FILE (see 'fragreplay info --help')");

  auto reader = trace::open_trace(vm["file"].as<std::string>(), read_options_from(vm));
  InfoData d;
  d.name = reader->name();
  d.format = std::string(reader->format());
  std::optional<Error> failure;
  std::vector<trace::Event> batch(4096);
  try {
    while (const std::size_t n = reader->read(batch)) {
      d.events.add(std::span<const trace::Event>(batch.data(), n));
    }
  } catch (const Error& e) {
    failure = e;
    d.error = e.what();
  }
  d.facts = &reader->facts();
  d.bad = &reader->bad_lines();
  if (vm["json"].as<bool>()) {
    print_json(d, io.out);
  } else {
    // Names in a trace (an ETL logger's, a process's) may hold control characters.
    std::ostringstream text;
    print_text(d, text);
    io.out << terminal_text(text.str(), Newlines::kKeep);
  }
  if (failure) throw *failure;
  return kExitOk;
}

}  // namespace fragreplay::cli
