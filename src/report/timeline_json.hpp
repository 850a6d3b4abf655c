// The timeline and fragmentation parts of the JSON report (schema_version 1, added fields):
// `timeline` (one object per sample), `timeline_sampling`, and the frame-map letters every
// renderer of the physical-memory map shares.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "replay/results.hpp"

namespace fragreplay::report {

// One letter per owner class of the physical-memory map: '.' free, 'p' pool, 'n' noncached,
// 'c' contiguous, 'b' common buffer, 'g' background, 'f' free nonpaged pool pages.
char frame_map_letter(std::uint8_t bucket);
std::string frame_map_text(const std::vector<std::uint8_t>& buckets);

nlohmann::ordered_json timeline_json(const replay::Results& results);
// `device_windows`: the device windows the timeline follows (replay/device_windows.hpp), each
// with its address range, RAM frames, since when it is followed and its counted requests and
// failures; the samples' `windows` arrays follow this order. Written only when there is one.
nlohmann::ordered_json device_windows_json(const replay::Results& results);
// The text json_text(timeline_json(results)) would give at nesting depth `depth` of a document
// (its elements indented by 2 (depth + 1) spaces, the closing bracket by 2 depth), written
// directly: a timeline holds up to 512 samples of some 60 values each, which as a JSON tree cost
// more than the replay of a small trace (docs/performance.md).
void append_timeline_json_text(std::string& out, const replay::Results& results, unsigned depth);
nlohmann::ordered_json timeline_sampling_json(const replay::Results& results);
nlohmann::ordered_json fragmentation_json(const replay::FragmentationMeasures& m);

}  // namespace fragreplay::report
