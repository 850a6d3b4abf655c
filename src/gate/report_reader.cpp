// Dispatch on schema_version (see report_reader.hpp).
#include "gate/report_reader.hpp"

#include <array>

#include "base/error.hpp"
#include "gate/schema_v1.hpp"
#include "json/json_file.hpp"
#include "version.hpp"

namespace fragreplay::gate {
namespace {

struct SchemaReader {
  int version;
  ReportMetrics (*read)(const nlohmann::ordered_json&, const std::string&);
};
constexpr std::array kReaders{SchemaReader{1, read_schema_v1}};

}  // namespace

std::string readable_schema_versions() {
  std::string s;
  for (const SchemaReader& r : kReaders) s += (s.empty() ? "" : ", ") + std::to_string(r.version);
  return s;
}

ReportMetrics read_report(const nlohmann::ordered_json& doc, const std::string& file) {
  const Position where{file, 0, 0, false};
  if (!doc.is_object()) {
    throw Error(where, "not a fragreplay report: expected a JSON object, got " + json_kind(doc));
  }
  if (const auto kind = doc.find("kind"); kind != doc.end() && *kind == "fleet") {
    throw Error(where,
                "a fleet summary (merge or batch output), not a report: diff and check compare "
                "the reports of single replays ('analyze --json')");
  }
  const auto version = doc.find("schema_version");
  if (version == doc.end()) {
    throw Error(where,
                "not a fragreplay report: it has no schema_version (reports are written "
                "by 'fragreplay analyze --json')");
  }
  if (!version->is_number_integer() || version->get<long long>() < 1) {
    throw Error(where, "schema_version: expected a positive integer, got " + json_kind(*version));
  }
  const long long v = version->get<long long>();
  for (const SchemaReader& r : kReaders) {
    if (r.version == v) return r.read(doc, file);
  }
  throw Error(where, "report schema_version " + std::to_string(v) + " is not known to fragreplay " +
                         std::string(kVersion) + ", which reads schema_version " +
                         readable_schema_versions() +
                         " (was the report written by a newer fragreplay?)");
}

ReportMetrics read_report_file(const std::string& path) {
  return read_report(read_json_file(path), path);
}

}  // namespace fragreplay::gate
