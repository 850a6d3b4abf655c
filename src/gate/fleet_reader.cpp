// Reading and folding the inputs of merge (see fleet_reader.hpp).
#include "gate/fleet_reader.hpp"

#include <cstdint>
#include <set>

#include "base/error.hpp"
#include "gate/fleet.hpp"
#include "gate/report_reader.hpp"
#include "json/json_file.hpp"

namespace fragreplay::gate {

std::string content_digest(std::string_view bytes) {
  std::uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a, 64 bits
  for (const char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ull;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "fnv1a64:";
  for (int shift = 60; shift >= 0; shift -= 4) out.push_back(kHex[(h >> shift) & 0xF]);
  return out;
}

nlohmann::json read_fleet_text(std::string_view text, const std::string& source) {
  const nlohmann::ordered_json doc = parse_json_text(text, source);
  nlohmann::json fleet = fleet_of(nlohmann::json(doc), source, content_digest(text));
  if (doc.value("kind", "") != "fleet") {
    // Then the checks diff applies: the type of every known metric, rows named once.
    if (doc.value("kind", "") == "what_if") {
      for (const auto& r : doc["results"]) (void)read_report(r, source);
    } else {
      (void)read_report(doc, source);
    }
  }
  return fleet;
}

FleetMerge::FleetMerge() : fleet_(empty_fleet()) {}

void FleetMerge::add(const nlohmann::json& one, const std::string& source) {
  std::set<std::string> digests;
  for (const auto& row : one["sources"]) {
    if (row.contains("digest")) digests.insert(row["digest"].get<std::string>());
  }
  for (const std::string& d : digests) {
    const auto [it, added] = inputs_.emplace(d, source);
    if (!added) {
      throw Error("merge: " + it->second + " and " + source +
                  " hold the same report (identical content); each report counts once");
    }
  }
  merge_into(fleet_, one, source);
}

}  // namespace fragreplay::gate
