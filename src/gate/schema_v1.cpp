// Report schema 1 read back (see schema_v1.hpp). The catalog's names are schema 1's JSON paths,
// so this mapping is the identity; a reader for schema 2 would rename here.
#include "gate/schema_v1.hpp"

#include <array>
#include <map>
#include <set>

#include "base/error.hpp"
#include "gate/value_format.hpp"
#include "json/json_file.hpp"

namespace fragreplay::gate {
namespace {

using nlohmann::ordered_json;

// Unknown objects are walked for numbers no deeper than this (reports nest three levels).
constexpr int kMaxDepth = 12;
// Contiguous failures kept per cause, for messages.
constexpr std::size_t kSamplesPerCause = 3;

// Paths holding identities, positions or lists rather than quantities.
const std::set<std::string, std::less<>> kNotMetrics{"schema_version",
                                                     "tool",
                                                     "profile",
                                                     "by_tag",
                                                     "by_routine",
                                                     "by_process",
                                                     "by_call_site",
                                                     "by_pool_kind",
                                                     "by_module",
                                                     "findings",
                                                     "trace.name",
                                                     "trace.format",
                                                     "trace.first_time_ns",
                                                     "trace.last_time_ns",
                                                     "peak.time_ns",
                                                     "peak.line",
                                                     "contiguous.failure_log",
                                                     "contiguous.failure_log_truncated",
                                                     "data_quality.details",
                                                     "dma.adapters",
                                                     "contiguous.pinned_other",
                                                     "model_agreement.first_disagreements",
                                                     "timeline_sampling",
                                                     "timeline"};

struct RowSource {
  RowGroup group;
  std::string_view path;  // dotted path of the array
  std::string_view key;   // the field naming a row
};
constexpr std::array kRowSources{RowSource{RowGroup::kTag, "by_tag", "tag"},
                                 RowSource{RowGroup::kRoutine, "by_routine", "routine"},
                                 RowSource{RowGroup::kProcess, "by_process", "process"},
                                 RowSource{RowGroup::kModule, "by_module", "module"},
                                 RowSource{RowGroup::kAdapter, "dma.adapters", "name"},
                                 RowSource{RowGroup::kCallSite, "by_call_site", "call_site"},
                                 RowSource{RowGroup::kPoolKind, "by_pool_kind", "pool_kind"}};

class Reader {
 public:
  Reader(const ordered_json& doc, const std::string& file) : doc_(doc), file_(file) {}

  ReportMetrics read() {
    const ordered_json* totals = find(doc_, "totals");
    if (totals == nullptr || !totals->is_object()) {
      fail("totals",
           "missing: this is not the report of one replay (a report has a 'totals' "
           "object; multi-profile reports are compared profile by profile)");
    }
    ReportMetrics r;
    r.file = file_;
    r.schema_version = 1;
    r.tool_version = optional_string(doc_, "tool.version");
    r.trace_name = optional_string(doc_, "trace.name");
    r.trace_format = optional_string(doc_, "trace.format");
    r.profile_name = optional_string(doc_, "profile.name");
    r.ram_bytes = optional_number(doc_, "profile.ram_bytes");
    r.metrics = scalar_metrics();
    for (const RowSource& s : kRowSources) {
      r.rows[static_cast<std::size_t>(s.group)] = rows(s);
    }
    read_findings(r);
    r.failure_samples = failure_samples();
    return r;
  }

 private:
  [[noreturn]] void fail(const std::string& path, const std::string& what) const {
    throw Error(Position{file_, 0, 0, false}, path + ": " + what);
  }

  // The value at a dotted path below `from`, or nullptr.
  static const ordered_json* find(const ordered_json& from, std::string_view dotted) {
    const ordered_json* at = &from;
    while (!dotted.empty()) {
      const auto dot = dotted.find('.');
      const std::string part(dotted.substr(0, dot));
      if (!at->is_object()) return nullptr;
      const auto it = at->find(part);
      if (it == at->end()) return nullptr;
      at = &*it;
      dotted = dot == std::string_view::npos ? std::string_view{} : dotted.substr(dot + 1);
    }
    return at;
  }

  std::string optional_string(const ordered_json& from, std::string_view dotted,
                              const std::string& where = {}) const {
    const ordered_json* v = find(from, dotted);
    if (v == nullptr || v->is_null()) return {};
    if (!v->is_string())
      fail(where + std::string(dotted), "expected a string, got " + json_kind(*v));
    return printable(v->get_ref<const std::string&>());
  }

  double optional_number(const ordered_json& from, std::string_view dotted,
                         const std::string& where = {}) const {
    const ordered_json* v = find(from, dotted);
    if (v == nullptr || v->is_null()) return 0;
    if (!v->is_number())
      fail(where + std::string(dotted), "expected a number, got " + json_kind(*v));
    return v->get<double>();
  }

  // Every number below `node` (objects only; arrays are lists, not quantities) whose path is not
  // in `skip`, in document order.
  void collect_numbers(const ordered_json& node, const std::string& path, int depth,
                       const std::set<std::string, std::less<>>& skip,
                       std::vector<std::pair<std::string, const ordered_json*>>& out) const {
    if (depth > kMaxDepth) fail(path, "nested more than " + std::to_string(kMaxDepth) + " deep");
    for (auto it = node.begin(); it != node.end(); ++it) {
      const std::string child = path.empty() ? it.key() : path + "." + it.key();
      if (skip.count(child) != 0) continue;
      if (it->is_number()) {
        out.emplace_back(child, &*it);
      } else if (it->is_object()) {
        collect_numbers(*it, child, depth + 1, skip, out);
      }
    }
  }

  // Known metrics first (catalog order), then the numbers this version does not know.
  std::vector<Metric> fields_of(const ordered_json& node, std::span<const MetricInfo> known,
                                const std::set<std::string, std::less<>>& skip,
                                const std::string& where) const {
    std::vector<Metric> out;
    for (const MetricInfo& k : known) {
      const ordered_json* v = find(node, k.name);
      if (v == nullptr || v->is_null()) continue;
      if (!v->is_number()) {
        fail(where + std::string(k.name), "expected a number, got " + json_kind(*v));
      }
      out.push_back({std::string(k.name), k.unit, v->get<double>(), !v->is_number_float(), true});
    }
    std::vector<std::pair<std::string, const ordered_json*>> numbers;
    collect_numbers(node, "", 0, skip, numbers);
    for (const auto& [path, v] : numbers) {
      bool is_known = false;
      for (const MetricInfo& k : known) is_known = is_known || k.name == path;
      if (is_known) continue;
      const bool integral = !v->is_number_float();
      out.push_back(
          {printable(path), guess_unit(path, integral), v->get<double>(), integral, false});
    }
    return out;
  }

  std::vector<Metric> scalar_metrics() const {
    return fields_of(doc_, known_metrics(), kNotMetrics, "");
  }

  std::vector<Row> rows(const RowSource& source) const {
    std::vector<Row> out;
    const ordered_json* list = find(doc_, source.path);
    if (list == nullptr || list->is_null()) return out;
    const std::string path(source.path);
    if (!list->is_array()) fail(path, "expected an array, got " + json_kind(*list));
    // waste.total repeats waste_bytes (live_waste.total, live_waste_bytes); the key names the row.
    const std::set<std::string, std::less<>> skip{std::string(source.key), "waste.total",
                                                  "live_waste.total", "at_peak.live_waste.total"};
    std::set<std::string> seen;
    for (std::size_t i = 0; i < list->size(); ++i) {
      const ordered_json& entry = (*list)[i];
      const std::string where = path + "[" + std::to_string(i) + "]";
      if (!entry.is_object()) fail(where, "expected an object, got " + json_kind(entry));
      const ordered_json* key = find(entry, source.key);
      if (key == nullptr || !key->is_string()) {
        fail(where + "." + std::string(source.key),
             "expected a string, got " +
                 (key == nullptr ? std::string("nothing") : json_kind(*key)));
      }
      Row row;
      row.key = printable(key->get_ref<const std::string&>());
      if (!seen.insert(row.key).second) {
        fail(where,
             std::string(row_group_name(source.group)) + " \"" + row.key + "\" appears twice");
      }
      row.fields = fields_of(entry, known_row_fields(source.group), skip, where + ".");
      out.push_back(std::move(row));
    }
    return out;
  }

  void read_findings(ReportMetrics& r) const {
    const ordered_json* list = find(doc_, "findings");
    if (list == nullptr || list->is_null()) return;
    if (!list->is_array()) fail("findings", "expected an array, got " + json_kind(*list));
    r.has_findings = true;
    std::map<std::string, std::size_t> row_of;  // finding key -> index in the rows
    auto& rows = r.rows[static_cast<std::size_t>(RowGroup::kFinding)];
    for (std::size_t i = 0; i < list->size(); ++i) {
      const ordered_json& entry = (*list)[i];
      const std::string where = "findings[" + std::to_string(i) + "]";
      if (!entry.is_object()) fail(where, "expected an object, got " + json_kind(entry));
      Finding f;
      f.rule = optional_string(entry, "rule", where + ".");
      if (f.rule.empty()) fail(where + ".rule", "expected the name of the finding's rule");
      const std::string severity = optional_string(entry, "severity", where + ".");
      const auto s = parse_severity(severity);
      if (!s) {
        fail(where + ".severity", "expected info, warning or error, got \"" + severity + "\"");
      }
      f.severity = *s;
      f.tag = optional_string(entry, "tag", where + ".");
      f.routine = optional_string(entry, "routine", where + ".");
      const double count = optional_number(entry, "count", where + ".");
      const double bytes = optional_number(entry, "bytes", where + ".");
      f.count = count > 0 ? saturated_magnitude(count) : 0;
      f.bytes = bytes > 0 ? saturated_magnitude(bytes) : 0;
      const double line = optional_number(entry, "first_line", where + ".");
      f.first_line = line > 0 ? saturated_magnitude(line) : 0;
      f.rationale = optional_string(entry, "rationale", where + ".");
      // Two entries with one key (should not happen) are added up, so nothing is dropped.
      const std::string key = finding_key(f);
      if (const auto it = row_of.find(key); it != row_of.end()) {
        Row& row = rows[it->second];
        row.fields[0].value += count;
        row.fields[1].value += bytes;
      } else {
        row_of.emplace(key, rows.size());
        rows.push_back(Row{key,
                           {Metric{"count", Unit::kCount, count, true, true},
                            Metric{"bytes", Unit::kBytes, bytes, true, true}}});
      }
      r.findings.push_back(std::move(f));
    }
  }

  std::vector<ContiguousFailure> failure_samples() const {
    std::vector<ContiguousFailure> out;
    const ordered_json* log = find(doc_, "contiguous.failure_log");
    if (log == nullptr || log->is_null()) return out;
    if (!log->is_array()) {
      fail("contiguous.failure_log", "expected an array, got " + json_kind(*log));
    }
    std::map<std::string, std::size_t> per_cause;
    for (std::size_t i = 0; i < log->size(); ++i) {
      const ordered_json& entry = (*log)[i];
      const std::string where = "contiguous.failure_log[" + std::to_string(i) + "].";
      if (!entry.is_object()) {
        fail(where.substr(0, where.size() - 1), "expected an object, got " + json_kind(entry));
      }
      ContiguousFailure f;
      f.cause = optional_string(entry, "cause", where);
      if (per_cause[f.cause]++ >= kSamplesPerCause) continue;
      const double line = optional_number(entry, "line", where);
      f.line = line > 0 ? saturated_magnitude(line) : 0;
      f.routine = optional_string(entry, "routine", where);
      f.tag = optional_string(entry, "tag", where);
      f.bytes = optional_number(entry, "bytes", where);
      f.free_in_window = optional_number(entry, "free_bytes_in_window", where);
      f.largest_run = optional_number(entry, "largest_free_run_bytes_in_window", where);
      out.push_back(std::move(f));
    }
    return out;
  }

  const ordered_json& doc_;
  const std::string& file_;
};

}  // namespace

ReportMetrics read_schema_v1(const ordered_json& doc, const std::string& file) {
  return Reader(doc, file).read();
}

}  // namespace fragreplay::gate
