// Reading the reports `merge` combines: each file is parsed as JSON and turned into a fleet
// summary (report/fleet.hpp); a file that cannot be read, is not JSON or is not a report gives
// one Error naming the file and what was expected.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace fragreplay::cli {

nlohmann::json read_fleet_file(const std::string& path);

}  // namespace fragreplay::cli
