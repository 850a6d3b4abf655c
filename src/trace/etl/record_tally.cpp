// Record counting (see record_tally.hpp).
#include "trace/etl/record_tally.hpp"

#include <algorithm>
#include <cstring>
#include <string>

namespace fragreplay::trace::etl {

void RecordTally::count_guid(std::vector<GuidCount>& counts, std::size_t& last,
                             const std::uint8_t* g) {
  if (last < counts.size() && std::memcmp(counts[last].guid.data(), g, 16) == 0) {
    ++counts[last].count;
    return;
  }
  for (std::size_t i = 0; i < counts.size(); ++i) {
    if (std::memcmp(counts[i].guid.data(), g, 16) == 0) {
      ++counts[i].count;
      last = i;
      return;
    }
  }
  GuidCount c;
  std::memcpy(c.guid.data(), g, 16);
  c.count = 1;
  counts.push_back(c);
  last = counts.size() - 1;
}

void RecordTally::count(const Record& r) {
  ++records_;
  ++by_header_type_[r.header_type];
  switch (r.kind) {
    case RecordKind::kSystem:
    case RecordKind::kPerfInfo:
      if (!by_hook_[r.group])
        by_hook_[r.group] = std::make_unique<std::array<std::uint64_t, 256>>();
      ++(*by_hook_[r.group])[r.type];
      break;
    case RecordKind::kEventHeader:
      count_guid(providers_, last_provider_, r.guid);
      break;
    case RecordKind::kClassic:
      count_guid(classic_, last_classic_, r.guid);
      break;
    case RecordKind::kOther:
      ++other_;
      break;
  }
  if (r.has_time) {
    if (!has_time_) {
      has_time_ = true;
      min_time_ = max_time_ = r.time;
    } else {
      min_time_ = std::min(min_time_, r.time);
      max_time_ = std::max(max_time_, r.time);
    }
  }
}

void RecordTally::fill(InputFacts& f, std::uint64_t origin, const TraceClock& clock) const {
  f.records = records_;
  f.other_records = other_;
  f.by_header_type.clear();
  for (std::size_t t = 0; t < by_header_type_.size(); ++t) {
    if (by_header_type_[t] != 0) {
      f.by_header_type[std::string(header_type_name(static_cast<std::uint8_t>(t)))] +=
          by_header_type_[t];
    }
  }
  f.by_group_type.clear();
  for (std::size_t group = 0; group < by_hook_.size(); ++group) {
    if (!by_hook_[group]) continue;
    for (std::size_t type = 0; type < 256; ++type) {
      const std::uint64_t n = (*by_hook_[group])[type];
      if (n != 0) f.by_group_type[std::to_string(group) + ":" + std::to_string(type)] = n;
    }
  }
  f.by_provider.clear();
  for (const GuidCount& c : providers_) f.by_provider[guid_string(c.guid.data())] = c.count;
  f.by_classic_provider.clear();
  for (const GuidCount& c : classic_) f.by_classic_provider[guid_string(c.guid.data())] = c.count;
  f.has_time_span = has_time_ && clock.ticks_per_second != 0;
  if (f.has_time_span) {
    f.first_ns = min_time_ > origin ? clock.ns_between(origin, min_time_) : 0;
    f.last_ns = max_time_ > origin ? clock.ns_between(origin, max_time_) : 0;
  }
}

}  // namespace fragreplay::trace::etl
