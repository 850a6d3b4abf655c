// JSON for the fragmentation timeline and the Johnstone-Wilson measures (see timeline_json.hpp).
#include "report/timeline_json.hpp"

#include <array>
#include <cmath>
#include <string_view>

#include "base/format.hpp"
#include "base/text_append.hpp"

namespace fragreplay::report {

using nlohmann::ordered_json;

char frame_map_letter(std::uint8_t bucket) {
  if (bucket == replay::TimelineSample::kFreeBucket) return '.';
  switch (static_cast<model::OwnerClass>(bucket)) {
    case model::OwnerClass::kPool:
      return 'p';
    case model::OwnerClass::kNonCached:
      return 'n';
    case model::OwnerClass::kContiguous:
      return 'c';
    case model::OwnerClass::kCommonBuffer:
      return 'b';
    case model::OwnerClass::kBackground:
      return 'g';
    case model::OwnerClass::kPoolFree:
      return 'f';
    case model::OwnerClass::kPages:
      return 'l';
    case model::OwnerClass::kMdlPages:
      return 'm';
    case model::OwnerClass::kCount:
      break;
  }
  return '?';
}

std::string frame_map_text(const std::vector<std::uint8_t>& buckets) {
  std::string out;
  out.reserve(buckets.size());
  for (const std::uint8_t b : buckets) out.push_back(frame_map_letter(b));
  return out;
}

namespace {

ordered_json by_cause(const std::array<std::uint64_t, model::kFailCauseCount>& counts) {
  ordered_json j;
  for (unsigned k = 1; k < model::kFailCauseCount; ++k) {
    j[model::fail_cause_name(static_cast<model::FailCause>(k))] = counts[k];
  }
  return j;
}

// Ratios to four decimals: enough to read, stable to print.
double rounded(double v) { return std::round(v * 1e4) / 1e4; }

}  // namespace

ordered_json timeline_json(const replay::Results& r) {
  ordered_json out = ordered_json::array();
  for (const auto& s : r.timeline) {
    ordered_json j;
    j["time_ns"] = s.time_ns;
    j["events"] = s.events;
    j["live_requested_bytes"] = s.live_requested.value;
    j["live_footprint_bytes"] = s.live_footprint.value;
    j["live_waste_bytes"] = {{"pool_header", s.live_waste.pool_header.value},
                             {"granularity", s.live_waste.granularity.value},
                             {"sub_page_rounding", s.live_waste.sub_page.value},
                             {"total", s.live_waste.total().value}};
    j["pool_page_bytes"] = s.pool_page_bytes.value;
    j["free_frames"] = s.free_frames.value;
    j["largest_free_run_frames"] = s.largest_free_run.value;
    j["largest_free_run_below_16m_frames"] = s.largest_free_run_below_16m.value;
    j["largest_free_run_below_4g_frames"] = s.largest_free_run_below_4g.value;
    j["free_runs_by_order"] = s.free_runs_by_order;
    j["unusable_index"] = s.unusable_index;
    j["fragmentation_index"] = s.fragmentation_index;
    j["contiguous_requests"] = s.contiguous_requests;
    j["contiguous_failures"] = s.contiguous_failures;
    j["contiguous_failures_by_cause"] = by_cause(s.contiguous_failures_by_cause);
    j["frame_map"] = frame_map_text(s.frame_map);
    if (!r.device_windows.empty()) {
      j["windows"] = ordered_json::array();
      for (const replay::WindowSample& w : s.windows) {
        j["windows"].push_back({{"free_frames", w.free_frames.value},
                                {"largest_free_run_frames", w.largest_free_run.value},
                                {"free_runs_by_order", w.free_runs_by_order},
                                {"unusable_index", w.unusable_index},
                                {"fragmentation_index", w.fragmentation_index}});
      }
    }
    out.push_back(std::move(j));
  }
  return out;
}

namespace {

// Writes JSON values as nlohmann's serializer does with an indent of 2 (json_text.hpp): objects
// and arrays one member per line at two spaces per depth, "key": value, empty arrays as [],
// numbers in its formats.
class JsonLines {
 public:
  JsonLines(std::string& out, unsigned depth) : out_(out), depth_(depth) {}

  void open(char bracket) {
    out_.push_back(bracket);
    ++depth_;
    first_ = true;
  }
  void close(char bracket) {
    --depth_;
    newline();
    out_.push_back(bracket);
    first_ = false;
  }
  // Starts a member of the open object, or with an empty key an element of the open array.
  void key(std::string_view key) {
    if (!first_) out_.push_back(',');
    newline();
    first_ = false;
    if (key.empty()) return;
    out_.push_back('"');
    out_ += key;
    out_ += "\": ";
  }
  void number(std::uint64_t v) { append_dec(out_, v); }
  void number(double v) {
    if (!std::isfinite(v)) {
      out_ += "null";
      return;
    }
    std::array<char, 64> buffer;  // nlohmann's number_buffer, and its double format
    const char* end = nlohmann::detail::to_chars(buffer.data(), buffer.data() + buffer.size(), v);
    out_.append(buffer.data(), static_cast<std::size_t>(end - buffer.data()));
  }
  void plain_array_empty() { out_ += "[]"; }
  // Text that needs no escaping (ASCII letters and punctuation other than quote and backslash).
  void plain_string(std::string_view text) {
    out_.push_back('"');
    out_ += text;
    out_.push_back('"');
  }
  template <typename T>
  void field(std::string_view name, T v) {
    key(name);
    number(v);
  }
  template <typename T>
  void array(std::string_view name, const std::vector<T>& values) {
    key(name);
    if (values.empty()) {
      out_ += "[]";
      return;
    }
    open('[');
    for (const T v : values) {
      key({});
      number(v);
    }
    close(']');
  }

 private:
  void newline() {
    out_.push_back('\n');
    out_.append(2 * std::size_t{depth_}, ' ');
  }

  std::string& out_;
  unsigned depth_;
  bool first_ = true;
};

// A sample's "windows" member, as timeline_json writes it.
void append_windows(JsonLines& t, const replay::TimelineSample& s) {
  t.key("windows");
  if (s.windows.empty()) {
    t.plain_array_empty();
    return;
  }
  t.open('[');
  for (const replay::WindowSample& w : s.windows) {
    t.key({});
    t.open('{');
    t.field("free_frames", w.free_frames.value);
    t.field("largest_free_run_frames", w.largest_free_run.value);
    t.array("free_runs_by_order", w.free_runs_by_order);
    t.array("unusable_index", w.unusable_index);
    t.array("fragmentation_index", w.fragmentation_index);
    t.close('}');
  }
  t.close(']');
}

// One element of timeline_json, member for member.
void append_sample(JsonLines& t, const replay::TimelineSample& s, bool with_windows) {
  t.open('{');
  t.field("time_ns", s.time_ns);
  t.field("events", s.events);
  t.field("live_requested_bytes", s.live_requested.value);
  t.field("live_footprint_bytes", s.live_footprint.value);
  t.key("live_waste_bytes");
  t.open('{');
  t.field("pool_header", s.live_waste.pool_header.value);
  t.field("granularity", s.live_waste.granularity.value);
  t.field("sub_page_rounding", s.live_waste.sub_page.value);
  t.field("total", s.live_waste.total().value);
  t.close('}');
  t.field("pool_page_bytes", s.pool_page_bytes.value);
  t.field("free_frames", s.free_frames.value);
  t.field("largest_free_run_frames", s.largest_free_run.value);
  t.field("largest_free_run_below_16m_frames", s.largest_free_run_below_16m.value);
  t.field("largest_free_run_below_4g_frames", s.largest_free_run_below_4g.value);
  t.array("free_runs_by_order", s.free_runs_by_order);
  t.array("unusable_index", s.unusable_index);
  t.array("fragmentation_index", s.fragmentation_index);
  t.field("contiguous_requests", s.contiguous_requests);
  t.field("contiguous_failures", s.contiguous_failures);
  t.key("contiguous_failures_by_cause");
  static_assert(model::kFailCauseCount > 1, "an empty object is written as null");
  t.open('{');
  for (unsigned k = 1; k < model::kFailCauseCount; ++k) {
    t.field(model::fail_cause_name(static_cast<model::FailCause>(k)),
            s.contiguous_failures_by_cause[k]);
  }
  t.close('}');
  t.key("frame_map");
  t.plain_string(frame_map_text(s.frame_map));
  if (with_windows) append_windows(t, s);
  t.close('}');
}

}  // namespace

void append_timeline_json_text(std::string& out, const replay::Results& r, unsigned depth) {
  if (r.timeline.empty()) {
    out += "[]";
    return;
  }
  JsonLines t(out, depth);
  t.open('[');
  for (const auto& s : r.timeline) {
    t.key({});
    append_sample(t, s, !r.device_windows.empty());
  }
  t.close(']');
}

ordered_json device_windows_json(const replay::Results& r) {
  ordered_json out = ordered_json::array();
  for (const replay::DeviceWindow& w : r.device_windows) {
    out.push_back({{"lowest", hex(w.lowest)},
                   {"highest", hex(w.highest)},
                   {"first_frame", w.first_frame},
                   {"end_frame", w.end_frame},
                   {"followed_from_ns", w.watched_from_ns},
                   {"requests", w.requests},
                   {"failures", w.failures}});
  }
  return out;
}

ordered_json timeline_sampling_json(const replay::Results& r) {
  return ordered_json{{"every", r.timeline_every},
                      {"unit", r.timeline_by_time ? "ns" : "events"},
                      {"samples", r.timeline.size()}};
}

ordered_json fragmentation_json(const replay::FragmentationMeasures& m) {
  return ordered_json{
      {"mean_over_time", rounded(m.mean_over_time)}, {"at_peak_live", rounded(m.at_peak_live)},
      {"at_peak_used", rounded(m.at_peak_used)},     {"peak_over_peak", rounded(m.peak_over_peak)},
      {"peak_live_bytes", m.peak_live.value},        {"peak_used_bytes", m.peak_used.value}};
}

}  // namespace fragreplay::report
