// Why contiguous requests failed, as every report names it: the owners of the frames in the way
// ("NicJ", "free pool", "background"), each failure's blockers as one text, and the pinning rows
// (who held the frames splitting free runs that a failed request could have used, at the worst
// failure: Results::pinned_frames and pinned_other), most frames first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/tag.hpp"
#include "model/owner.hpp"
#include "replay/results.hpp"

namespace fragreplay::report {

// The owner of frames as reports show it: a tag's label, "free pool" or "background".
std::string owner_label(model::OwnerClass cls, Tag tag);

// "NicJ 3; free pool 3": the blockers of the closest placement with their frames ("" for none).
std::string blockers_text(const replay::ContiguousFailureRecord& f);

struct PinningRow {
  std::string label;
  std::uint64_t frames = 0;
  std::optional<std::size_t> tag_row;  // its by_tag row, for an owner that has one
};
// The owners that pinned frames, most frames first (then by label).
std::vector<PinningRow> pinning_rows(const replay::Results& r);

// The by_tag row of `tag`, if the replay has one.
std::optional<std::size_t> tag_row_of(const replay::Results& r, Tag tag);

}  // namespace fragreplay::report
