// Fleet summaries (see fleet.hpp).
#include "gate/fleet.hpp"

#include <algorithm>
#include <array>
#include <sstream>
#include <string_view>
#include <utility>

#include "base/error.hpp"
#include "base/format.hpp"
#include "base/report_schema.hpp"
#include "json/json_file.hpp"
#include "json/json_text.hpp"

namespace fragreplay::gate {
namespace {

using nlohmann::json;

std::string dotted(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

[[noreturn]] void not_a_count(const std::string& source, const std::string& path,
                              const json& value) {
  throw Error(source + ": " + printable(path) +
              ": expected a count (a whole number from 0 to 18446744073709551615), got " +
              (value.is_string()   ? "a string (\"" + printable(value.get<std::string>()) + "\")"
               : value.is_number() ? "the number " + value.dump()
                                   : std::string(value.type_name())));
}

// The count leaves of `j` (at `path` in `source`), with the objects that hold them. A number that
// is not a count (negative, fractional, too large) is refused, naming the field. With `strict`
// (a fleet summary, which holds nothing else) so is any other leaf; otherwise strings, booleans
// and arrays (names, explanations, lists of first lines) are left out.
json counts_only(const json& j, const std::string& path, const std::string& source, bool strict) {
  json out = json::object();
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string at = dotted(path, it.key());
    if (it->is_number_unsigned()) {
      out[it.key()] = it->get<std::uint64_t>();
    } else if (it->is_object()) {
      json inner = counts_only(*it, at, source, strict);
      if (!inner.empty()) out[it.key()] = std::move(inner);
    } else if (it->is_number() || strict) {
      not_a_count(source, at, *it);
    }
  }
  return out;
}

// Adds the count leaves of `b` into `a`, key by key (keys only in `b` are copied). A sum that
// would pass 2^64 - 1 is refused, naming the field, rather than wrapped.
void add_into(json& a, const json& b, const std::string& path, const std::string& source) {
  for (auto it = b.begin(); it != b.end(); ++it) {
    const std::string at = dotted(path, it.key());
    if (!a.contains(it.key())) {
      a[it.key()] = *it;
    } else if (it->is_object()) {
      add_into(a[it.key()], *it, at, source);
    } else {
      const std::uint64_t x = a[it.key()].get<std::uint64_t>();
      const std::uint64_t y = it->get<std::uint64_t>();
      if (x > UINT64_MAX - y) {
        throw Error((source.empty() ? std::string() : source + ": ") + printable(at) +
                    ": the fleet's sum would pass 18446744073709551615 (2^64 - 1); refused "
                    "rather than wrapped");
      }
      a[it.key()] = x + y;
    }
  }
}

// schema_version of `doc` when it is a small positive integer, else 0 (never a conversion that
// overflows, as 1e19 to int would).
int schema_version_of(const json& doc) {
  const auto it = doc.find("schema_version");
  if (it == doc.end() || !it->is_number_unsigned()) return 0;
  const std::uint64_t v = it->get<std::uint64_t>();
  return v <= 1000 ? static_cast<int>(v) : 0;
}

[[noreturn]] void not_a_report(const std::string& source, const std::string& what) {
  throw Error(source +
              ": expected a fragreplay report ('analyze --json'), a what-if report or "
              "a fleet summary ('merge', 'batch'); " +
              what);
}

const json& field(const json& doc, const char* key, const std::string& source) {
  if (!doc.is_object() || !doc.contains(key)) {
    not_a_report(source, std::string("it has no '") + key + "'");
  }
  return doc[key];
}

// The row groups a fleet sums, each a table of the report and the field naming its rows; all
// but the first two appear in a report only when they apply (docs/schema.md §1).
constexpr std::array<std::pair<const char*, const char*>, 5> kTables{
    {{"by_tag", "tag"},
     {"by_routine", "routine"},
     {"by_module", "module"},
     {"by_call_site", "call_site"},
     {"by_pool_kind", "pool_kind"}}};
// What a fleet summary sums, section by section.
constexpr std::array<const char*, 10> kSections{
    "events", "totals",     "contiguous", "data_quality", "profiles",
    "by_tag", "by_routine", "by_module",  "by_call_site", "by_pool_kind"};

bool is_later_table(std::string_view key) {
  return key == "by_module" || key == "by_call_site" || key == "by_pool_kind";
}

// The fleet of one analyze report.
json fleet_of_report(const json& r, const std::string& source, const std::string& digest) {
  const json& trace = field(r, "trace", source);
  const json& profile = field(r, "profile", source);
  json f = empty_fleet();
  f["traces"] = 1;
  f["events"] = counts_only(trace, "trace", source, false);
  f["events"].erase("first_time_ns");
  f["events"].erase("last_time_ns");
  f["totals"] = counts_only(field(r, "totals", source), "totals", source, false);
  json contiguous = counts_only(field(r, "contiguous", source), "contiguous", source, false);
  contiguous.erase("failure_log_truncated");
  f["contiguous"] = std::move(contiguous);
  f["data_quality"] = counts_only(field(r, "data_quality", source), "data_quality", source, false);
  f["profiles"] = json::object();
  f["profiles"][profile.value("name", "")] = 1;
  for (const auto& [table, key] : kTables) {
    json rows = json::object();
    if (is_later_table(table) && !r.contains(table)) continue;  // none in this trace
    const json& list = field(r, table, source);
    if (!list.is_array()) not_a_report(source, std::string("its ") + table + " is not a list");
    for (std::size_t i = 0; i < list.size(); ++i) {
      const json& row = list[i];
      const std::string name = row.value(key, "");
      if (rows.contains(name)) {
        not_a_report(source, std::string("its ") + table + " names the " + key + " \"" +
                                 printable(name) + "\" twice");
      }
      rows[name] =
          counts_only(row, std::string(table) + "[" + std::to_string(i) + "]", source, false);
    }
    f[table] = std::move(rows);
  }
  const json& totals = f["totals"];
  f["sources"] = json::array({json{
      {"report", source},
      {"trace", trace.value("name", "")},
      {"profile", profile.value("name", "")},
      {"events", trace.value("events", std::uint64_t{0})},
      {"waste_bytes",
       totals.contains("waste_bytes") ? totals["waste_bytes"].value("total", 0ull) : 0ull},
      {"contiguous_failures", f["contiguous"].value("failures", std::uint64_t{0})},
  }});
  if (!digest.empty()) f["sources"][0]["digest"] = digest;
  return f;
}

// A fleet summary read from a file, rebuilt from what it should hold (unsigned integers in the
// sums, objects in the sources), so that merging it cannot meet a value of another type.
json checked_fleet(const json& f, const std::string& source) {
  if (schema_version_of(f) != kFleetSchemaVersion) {
    not_a_report(source, "a fleet summary of schema_version " +
                             (f.contains("schema_version") ? json_text(f["schema_version"], -1)
                                                           : std::string("(none)")) +
                             ", this one reads " + std::to_string(kFleetSchemaVersion));
  }
  json out = empty_fleet();
  const json& traces = field(f, "traces", source);
  if (!traces.is_number_unsigned()) not_a_report(source, "its 'traces' is not a count");
  out["traces"] = traces;
  for (const char* key : kSections) {
    // The row groups added after the first fleet summaries: absent means none.
    if (!f.contains(key) && is_later_table(key)) continue;
    const json& section = field(f, key, source);
    if (!section.is_object())
      not_a_report(source, std::string("its '") + key + "' is not an object");
    out[key] = counts_only(section, key, source, true);
  }
  const json& sources = field(f, "sources", source);
  if (!sources.is_array()) not_a_report(source, "its 'sources' is not a list");
  for (const json& row : sources) {
    if (!row.is_object()) not_a_report(source, "a row of its 'sources' is not an object");
    if (row.contains("digest") && !row["digest"].is_string()) {
      not_a_report(source, "a row of its 'sources' has a digest that is not a string");
    }
    out["sources"].push_back(row);
  }
  std::sort(out["sources"].begin(), out["sources"].end());
  return out;
}

json fleet_of_document(const json& doc, const std::string& source, const std::string& digest);

}  // namespace

json empty_fleet() {
  return json{{"kind", kFleetKind},
              {"schema_version", kFleetSchemaVersion},
              {"traces", 0},
              {"events", json::object()},
              {"totals", json::object()},
              {"contiguous", json::object()},
              {"data_quality", json::object()},
              {"profiles", json::object()},
              {"by_tag", json::object()},
              {"by_routine", json::object()},
              {"by_module", json::object()},
              {"by_call_site", json::object()},
              {"by_pool_kind", json::object()},
              {"sources", json::array()}};
}

json fleet_of(const json& doc, const std::string& source, const std::string& digest) {
  try {
    return fleet_of_document(doc, source, digest);
  } catch (const json::exception& e) {
    // A field of the wrong type (a string where a count belongs, ...).
    not_a_report(source, std::string("a field has the wrong type (") + e.what() + ")");
  }
}

namespace {

json fleet_of_document(const json& doc, const std::string& source, const std::string& digest) {
  if (!doc.is_object()) not_a_report(source, "it is not a JSON object");
  const std::string kind = doc.value("kind", "");
  if (kind == kFleetKind) return checked_fleet(doc, source);
  if (schema_version_of(doc) != kSchemaVersion) {
    const auto v = doc.find("schema_version");
    if (v == doc.end()) not_a_report(source, "it has no schema_version");
    not_a_report(source, "schema_version " + printable(json_text(*v, -1)) +
                             " is not one this fragreplay reads (" +
                             std::to_string(kSchemaVersion) + ")");
  }
  if (kind == "what_if") {
    json f = empty_fleet();
    for (const json& r : field(doc, "results", source)) {
      merge_into(f, fleet_of_report(r, source, digest), source);
    }
    return f;
  }
  return fleet_of_report(doc, source, digest);
}

}  // namespace

void merge_into(json& a, const json& b, const std::string& source) {
  for (const char* key : kSections) add_into(a[key], b[key], key, source);
  json traces = json{{"traces", a["traces"]}};
  add_into(traces, json{{"traces", b["traces"]}}, "", source);
  a["traces"] = traces["traces"];
  json& sources = a["sources"];
  for (const json& s : b["sources"]) sources.push_back(s);
  std::sort(sources.begin(), sources.end());
}

std::string fleet_text(const json& fleet) {
  // Names from traces may hold bytes that are not UTF-8: written as U+FFFD rather than thrown.
  return json_text(fleet) + "\n";
}

std::string fleet_summary(const json& f) {
  auto n = [](const json& j, const char* key) { return j.value(key, std::uint64_t{0}); };
  const json& totals = f["totals"];
  const std::uint64_t footprint = n(totals, "footprint_bytes");
  const std::uint64_t waste =
      totals.contains("waste_bytes") ? n(totals["waste_bytes"], "total") : 0;
  std::ostringstream os;
  os << "Fleet       " << thousands(n(f, "traces")) << " traces, "
     << thousands(n(f["events"], "events")) << " events\n";
  os << "Allocations " << thousands(n(totals, "allocations")) << " ok, "
     << thousands(n(totals, "failed_allocations")) << " failed; footprint "
     << human_bytes(footprint) << ", waste " << human_bytes(waste) << " ("
     << percent(waste, footprint) << " of footprint)\n";
  os << "Contiguous  " << thousands(n(f["contiguous"], "requests")) << " requests, "
     << thousands(n(f["contiguous"], "failures")) << " failed\n";
  return os.str();
}

}  // namespace fragreplay::gate
