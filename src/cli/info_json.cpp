// The JSON document of `fragreplay info --json` (see info_report.hpp), one function per object,
// in the key order docs/schema.md §7 documents.
#include <map>
#include <nlohmann/json.hpp>

#include "base/format.hpp"
#include "cli/info_report.hpp"
#include "json/json_text.hpp"

namespace fragreplay::cli {

namespace {

using J = nlohmann::ordered_json;

J counts(const std::map<std::string, std::uint64_t>& m) {
  J j = J::object();
  for (const auto& [k, v] : m) j[k] = v;
  return j;
}

J header_json(const trace::EtlHeaderFacts& h) {
  return {{"os_version", std::to_string(h.os_major) + "." + std::to_string(h.os_minor)},
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
          {"log_file_mode", fragreplay::hex(h.log_file_mode)},
          {"buffer_size", h.buffer_size},
          {"buffers_written", h.buffers_written},
          {"events_lost", h.events_lost},
          {"buffers_lost", h.buffers_lost}};
}

J buffers_json(const trace::InputFacts& f) {
  return {{"read", f.buffers},
          {"compressed", f.compressed_buffers},
          {"flagged_events_lost", f.buffers_events_lost},
          {"flagged_buffer_lost", f.buffers_buffer_lost}};
}

J pool_records_json(const trace::PoolRecordCounts& p) {
  return {{"total", p.total()},
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
}

J stacks_json(const trace::StackFacts& s) {
  return {{"records", s.records},
          {"on_allocations", s.on_allocations},
          {"on_frees", s.on_frees},
          {"unmatched", s.unmatched},
          {"key_references", s.key_references},
          {"malformed", s.malformed},
          {"frames", s.frames},
          {"distinct", s.distinct},
          {"image_records", s.image_records},
          {"images", s.images},
          {"user_images", s.user_images},
          {"images_overlapping", s.images_overlapping},
          {"image_records_old", s.image_records_old}};
}

J events_json(const EventSummary& e) {
  return {{"total", e.events},
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
}

J data_quality_json(const InfoReport& d) {
  const trace::InputFacts& f = *d.facts;
  const EventSummary& e = d.events;
  J bad = J::array();
  for (const auto& b : d.bad->first)
    bad.push_back({{"position", b.position}, {"message", b.message}});
  J j = {{"bad_records", d.bad->count},
         {"first_bad_records", bad},
         {"out_of_order", f.out_of_order},
         {"time_went_backwards", e.time_went_backwards},
         {"unknown_frees", e.unknown_frees},
         {"live_address_reused", e.live_address_reused},
         {"pool_rows_without_fields", f.pool_rows_without_fields},
         {"stack_rows", f.stack_rows},
         {"orphan_stack_rows", f.orphan_stack_rows}};
  if (e.null_frees != 0) j["null_frees"] = e.null_frees;
  return j;
}

}  // namespace

void info_json(const InfoReport& d, std::ostream& os) {
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
    j["header"] = header_json(*f.etl);
    j["buffers"] = buffers_json(f);
  } else {
    j["header"] = nullptr;
  }
  j["time_span"] = f.has_time_span ? J{{"first_ns", f.first_ns},
                                       {"last_ns", f.last_ns},
                                       {"duration_ns", f.last_ns - f.first_ns}}
                                   : J(nullptr);
  j["pool_records"] = pool_records_json(f.pool);
  j["stacks"] = stacks_json(f.stacks);
  j["events"] = events_json(d.events);
  j["data_quality"] = data_quality_json(d);
  j["notes"] = f.notes;
  j["error"] = d.error ? J(*d.error) : J(nullptr);
  os << fragreplay::json_text(j) << "\n";
}

}  // namespace fragreplay::cli
