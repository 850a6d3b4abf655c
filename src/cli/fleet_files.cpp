// Reading report files for `merge` (see fleet_files.hpp).
#include "cli/fleet_files.hpp"

#include "report/fleet_reader.hpp"
#include "report/json_file.hpp"

namespace fragreplay::cli {

nlohmann::json read_fleet_file(const std::string& path) {
  return report::read_fleet_text(report::read_whole_file(path), path);
}

}  // namespace fragreplay::cli
