// Reading the reports `merge` combines: each file is read and turned into a fleet summary by
// gate::read_fleet_text (report/fleet_reader.hpp); a file that cannot be read, is not JSON or
// is not a report gives one Error naming the file and what was expected.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace fragreplay::cli {

nlohmann::json read_fleet_file(const std::string& path);

}  // namespace fragreplay::cli
