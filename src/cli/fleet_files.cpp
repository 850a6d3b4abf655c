// Reading report files for `merge` (see fleet_files.hpp).
#include "cli/fleet_files.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "base/error.hpp"
#include "report/fleet.hpp"
#include "report/json_file.hpp"

namespace fragreplay::cli {

nlohmann::json read_fleet_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot open: " + std::strerror(errno));
  std::stringstream text;
  text << in.rdbuf();
  report::check_json_depth(text.str(), path);
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::parse_error& e) {
    throw Error(path + ": not a JSON document (byte " + std::to_string(e.byte) +
                "); expected a report written by 'fragreplay analyze --json' or 'merge'");
  }
  return report::fleet_of(doc, path);
}

}  // namespace fragreplay::cli
