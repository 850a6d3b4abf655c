// Reading report files for `merge` (see fleet_files.hpp).
#include "cli/fleet_files.hpp"

#include "gate/fleet_reader.hpp"
#include "json/json_file.hpp"

namespace fragreplay::cli {

nlohmann::json read_fleet_file(const std::string& path) {
  return gate::read_fleet_text(fragreplay::read_whole_file(path), path);
}

}  // namespace fragreplay::cli
