// Why contiguous requests failed, as the reports name it (see failure_explanation.hpp).
#include "report/failure_explanation.hpp"

#include <algorithm>

#include "base/format.hpp"
#include "report/row_order.hpp"

namespace fragreplay::report {

std::string owner_label(model::OwnerClass cls, Tag tag) {
  if (cls == model::OwnerClass::kBackground) return "background";
  if (cls == model::OwnerClass::kPoolFree) return "free pool";
  return tag_label(tag);
}

std::string blockers_text(const replay::ContiguousFailureRecord& f) {
  std::string out;
  for (const auto& b : f.blockers) {
    if (!out.empty()) out += "; ";
    out += owner_label(b.cls, b.tag) + " " + std::to_string(b.frames);
  }
  return out;
}

std::vector<PinningRow> pinning_rows(const replay::Results& r) {
  std::vector<PinningRow> rows;
  for (std::size_t i = 0; i < r.pinned_frames.size() && i < r.tags.size(); ++i) {
    if (r.pinned_frames[i] != 0) rows.push_back({tag_label(r.tags[i]), r.pinned_frames[i], i});
  }
  for (const auto& p : r.pinned_other)
    rows.push_back({owner_label(p.cls, p.tag), p.frames, std::nullopt});
  std::stable_sort(rows.begin(), rows.end(), [](const PinningRow& a, const PinningRow& b) {
    return a.frames != b.frames ? a.frames > b.frames : a.label < b.label;
  });
  return rows;
}

std::optional<std::size_t> tag_row_of(const replay::Results& r, Tag tag) {
  for (std::size_t i = 0; i < r.tags.size(); ++i) {
    if (r.tags[i] == tag) return i;
  }
  return std::nullopt;
}

}  // namespace fragreplay::report
