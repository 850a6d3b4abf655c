// Fleet summaries (see fleet.hpp).
#include "report/fleet.hpp"

#include <algorithm>
#include <sstream>

#include "base/error.hpp"
#include "report/format.hpp"
#include "report/json_report.hpp"

namespace fragreplay::report {
namespace {

using nlohmann::json;

// The integer leaves of `j`, with the objects that hold them; strings, floats and arrays go.
json integers_only(const json& j) {
  json out = json::object();
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it->is_number_unsigned()) {
      out[it.key()] = it->get<std::uint64_t>();
    } else if (it->is_object()) {
      json inner = integers_only(*it);
      if (!inner.empty()) out[it.key()] = std::move(inner);
    }
  }
  return out;
}

// Adds the integer leaves of `b` into `a`, key by key (keys only in `b` are copied).
void add_into(json& a, const json& b) {
  for (auto it = b.begin(); it != b.end(); ++it) {
    if (!a.contains(it.key())) {
      a[it.key()] = *it;
    } else if (it->is_object()) {
      add_into(a[it.key()], *it);
    } else {
      a[it.key()] = a[it.key()].get<std::uint64_t>() + it->get<std::uint64_t>();
    }
  }
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

// The fleet of one analyze report.
json fleet_of_report(const json& r, const std::string& source) {
  const json& trace = field(r, "trace", source);
  const json& profile = field(r, "profile", source);
  json f = empty_fleet();
  f["traces"] = 1;
  f["events"] = integers_only(trace);
  f["events"].erase("first_time_ns");
  f["events"].erase("last_time_ns");
  f["totals"] = integers_only(field(r, "totals", source));
  json contiguous = integers_only(field(r, "contiguous", source));
  contiguous.erase("failure_log_truncated");
  f["contiguous"] = std::move(contiguous);
  f["data_quality"] = integers_only(field(r, "data_quality", source));
  f["profiles"] = json::object();
  f["profiles"][profile.value("name", "")] = 1;
  for (const auto& [table, key] :
       {std::pair{"by_tag", "tag"}, std::pair{"by_routine", "routine"}}) {
    json rows = json::object();
    for (const json& row : field(r, table, source)) {
      const std::string name = row.value(key, "");
      json sums = integers_only(row);
      if (rows.contains(name)) {
        add_into(rows[name], sums);
      } else {
        rows[name] = std::move(sums);
      }
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
  return f;
}

// A fleet summary read from a file, rebuilt from what it should hold (unsigned integers in the
// sums, objects in the sources), so that merging it cannot meet a value of another type.
json checked_fleet(const json& f, const std::string& source) {
  if (f.value("schema_version", 0) != kFleetSchemaVersion) {
    not_a_report(source, "a fleet summary of schema_version " +
                             std::to_string(f.value("schema_version", 0)) + ", this one reads " +
                             std::to_string(kFleetSchemaVersion));
  }
  json out = empty_fleet();
  const json& traces = field(f, "traces", source);
  if (!traces.is_number_unsigned()) not_a_report(source, "its 'traces' is not a count");
  out["traces"] = traces;
  for (const char* key :
       {"events", "totals", "contiguous", "data_quality", "profiles", "by_tag", "by_routine"}) {
    const json& section = field(f, key, source);
    if (!section.is_object())
      not_a_report(source, std::string("its '") + key + "' is not an object");
    out[key] = integers_only(section);
  }
  const json& sources = field(f, "sources", source);
  if (!sources.is_array()) not_a_report(source, "its 'sources' is not a list");
  for (const json& row : sources) {
    if (!row.is_object()) not_a_report(source, "a row of its 'sources' is not an object");
    out["sources"].push_back(row);
  }
  std::sort(out["sources"].begin(), out["sources"].end());
  return out;
}

json fleet_of_document(const json& doc, const std::string& source);

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
              {"sources", json::array()}};
}

json fleet_of(const json& doc, const std::string& source) {
  try {
    return fleet_of_document(doc, source);
  } catch (const json::exception& e) {
    // A field of the wrong type (a string where a count belongs, ...).
    not_a_report(source, std::string("a field has the wrong type (") + e.what() + ")");
  }
}

namespace {

json fleet_of_document(const json& doc, const std::string& source) {
  if (!doc.is_object()) not_a_report(source, "it is not a JSON object");
  const std::string kind = doc.value("kind", "");
  if (kind == kFleetKind) return checked_fleet(doc, source);
  if (doc.value("schema_version", 0) != kSchemaVersion) {
    not_a_report(source, "schema_version " + std::to_string(doc.value("schema_version", 0)) +
                             " is not one this fragreplay reads (" +
                             std::to_string(kSchemaVersion) + ")");
  }
  if (kind == "what_if") {
    json f = empty_fleet();
    for (const json& r : field(doc, "results", source)) {
      merge_into(f, fleet_of_report(r, source));
    }
    return f;
  }
  return fleet_of_report(doc, source);
}

}  // namespace

void merge_into(json& a, const json& b) {
  for (const char* key :
       {"events", "totals", "contiguous", "data_quality", "profiles", "by_tag", "by_routine"}) {
    add_into(a[key], b[key]);
  }
  a["traces"] = a["traces"].get<std::uint64_t>() + b["traces"].get<std::uint64_t>();
  json& sources = a["sources"];
  for (const json& s : b["sources"]) sources.push_back(s);
  std::sort(sources.begin(), sources.end());
}

std::string fleet_text(const json& fleet) {
  // Names from traces may hold bytes that are not UTF-8: written as U+FFFD rather than thrown.
  return fleet.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
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

}  // namespace fragreplay::report
