// Owner-class counts per bucket of RAM (see occupancy_map.hpp).
#include "model/physical/occupancy_map.hpp"

#include <algorithm>

namespace fragreplay::model {

OccupancyMap::OccupancyMap(const std::vector<RamRange>& ram) {
  std::uint64_t total = 0;
  for (const auto& r : ram) {
    starts_.push_back(r.first.value);
    ranks_.push_back(total);
    total += r.count.value;
  }
  const std::uint64_t buckets =
      std::max<std::uint64_t>(1, std::min<std::uint64_t>(kBuckets, total));
  bucket_frames_ = std::max<std::uint64_t>(1, (total + buckets - 1) / buckets);
  counts_.assign((total + bucket_frames_ - 1) / bucket_frames_, {});
  if (counts_.empty()) counts_.resize(1);
  for (std::size_t b = 0; b < counts_.size(); ++b) {
    const std::uint64_t lo = b * bucket_frames_;
    counts_[b][kFreeSlot] = static_cast<std::uint32_t>(std::min(total, lo + bucket_frames_) - lo);
  }
}

unsigned OccupancyMap::bucket_of(std::uint64_t f) const {
  const auto it = std::upper_bound(starts_.begin(), starts_.end(), f);
  const auto r = static_cast<std::size_t>(it - starts_.begin()) - 1;
  return static_cast<unsigned>((ranks_[r] + (f - starts_[r])) / bucket_frames_);
}

void OccupancyMap::move_run(std::uint64_t first, std::uint64_t n, unsigned from, unsigned to) {
  const auto it = std::upper_bound(starts_.begin(), starts_.end(), first);
  const auto r = static_cast<std::size_t>(it - starts_.begin()) - 1;
  std::uint64_t rank = ranks_[r] + (first - starts_[r]);
  while (n != 0) {
    const std::uint64_t bucket = rank / bucket_frames_;
    const std::uint64_t here = std::min(n, (bucket + 1) * bucket_frames_ - rank);
    auto& c = counts_[bucket];
    c[from] -= static_cast<std::uint32_t>(here);
    c[to] += static_cast<std::uint32_t>(here);
    rank += here;
    n -= here;
  }
}

void OccupancyMap::draw(std::vector<std::uint8_t>& out) const {
  out.resize(counts_.size());
  for (std::size_t b = 0; b < counts_.size(); ++b) {
    unsigned best = 0;
    for (unsigned s = 1; s <= kFreeSlot; ++s) {
      if (counts_[b][s] > counts_[b][best]) best = s;
    }
    out[b] = best == kFreeSlot ? kFreeBucket : static_cast<std::uint8_t>(best);
  }
}

void OccupancyMap::shares(std::vector<std::uint8_t>& out) const {
  out.resize(counts_.size() * kOwnerClassCount);
  for (std::size_t b = 0; b < counts_.size(); ++b) {
    std::uint64_t total = 0;
    for (const std::uint32_t n : counts_[b]) total += n;
    for (unsigned s = 0; s < kOwnerClassCount; ++s) {
      const std::uint64_t n = counts_[b][s];
      out[b * kOwnerClassCount + s] =
          static_cast<std::uint8_t>(total == 0 ? 0 : (n * 255 + total - 1) / total);
    }
  }
}

}  // namespace fragreplay::model
