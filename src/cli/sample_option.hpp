// --sample-every: the timeline's interval, in events ("1000") or in trace time ("5ms", "250us",
// "2s", "100ns"), or "off".
#pragma once

#include <optional>
#include <string>

#include "replay/sampler.hpp"

namespace fragreplay::cli {

// nullopt for "off". Throws Error on anything else that is not a positive count or duration.
std::optional<replay::SamplerOptions> parse_sample_every(const std::string& text);

}  // namespace fragreplay::cli
