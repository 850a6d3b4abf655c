// The inputs of `merge` (and the reports `batch` folds), read through the checks `diff` applies:
// the JSON parsed by parse_json_text (nesting bounded, errors with a line), a report or each
// result of a what-if report read by read_report (types of known metrics, rows named once), then
// turned into a fleet summary whose counts are whole numbers that add up without wrapping
// (fleet.hpp). Each report is known by a digest of its bytes, kept in the fleet's source rows, so
// a report given twice, or merged again with a summary that already counts it, is refused rather
// than counted twice.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace fragreplay::gate {

// "fnv1a64:" and 16 hex digits: the FNV-1a hash of `bytes`.
std::string content_digest(std::string_view bytes);

// The fleet summary of `text`, read from `source`. Throws Error naming `source` and the field.
nlohmann::json read_fleet_text(std::string_view text, const std::string& source);

// Fleet summaries folded together, each report counted once.
class FleetMerge {
 public:
  FleetMerge();
  // Folds `one` (read from `source`) in. Throws Error naming both files when `one` holds a
  // report (by digest) that an input added earlier also holds.
  void add(const nlohmann::json& one, const std::string& source);
  const nlohmann::json& fleet() const { return fleet_; }

 private:
  nlohmann::json fleet_;
  std::map<std::string, std::string> inputs_;  // digest -> the input that brought it
};

}  // namespace fragreplay::gate
