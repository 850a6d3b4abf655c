// Fuzz target for what `merge` reads: any bytes read as merge reads a file (read_fleet_text: as a
// report, a what-if report or a fleet summary), merged with itself and printed. Anything but
// fragreplay's Error escaping, or a sanitizer report, is a bug. Built with -fsanitize=fuzzer under
// clang (fuzz_fleet_inputs); its corpus (corpus/fleet_inputs) is replayed as an ordinary test.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "base/error.hpp"
#include "gate/fleet.hpp"
#include "gate/fleet_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const nlohmann::json one = fragreplay::gate::read_fleet_text(text, "fuzz.json");
    nlohmann::json fleet = fragreplay::gate::empty_fleet();
    fragreplay::gate::merge_into(fleet, one);
    fragreplay::gate::merge_into(fleet, fragreplay::gate::fleet_of(fleet, "merged.json"));
    (void)fragreplay::gate::fleet_text(fleet);
    (void)fragreplay::gate::fleet_summary(fleet);
    fragreplay::gate::FleetMerge twice;
    twice.add(one, "a.json");
    twice.add(one, "b.json");  // refused when `one` has a digest
  } catch (const fragreplay::Error&) {
  }
  return 0;
}
