// Names for the ETL keys of InputFacts (see input_facts.hpp): the group table lives with the ETL
// record decoder, and only trace may look into it.
#include "trace/input_facts.hpp"

#include "trace/etl/event_record.hpp"

namespace fragreplay::trace {

std::map<std::string, std::uint64_t> by_kernel_group(const InputFacts& facts) {
  std::map<std::string, std::uint64_t> out;
  for (const auto& [key, count] : facts.by_group_type) {
    const auto group = static_cast<std::uint8_t>(std::stoul(key.substr(0, key.find(':'))));
    const std::string_view name = etl::group_name(group);
    out[name.empty() ? "group " + std::to_string(group) : std::string(name)] += count;
  }
  return out;
}

}  // namespace fragreplay::trace
