// The LFH backend (see lfh_backend.hpp).
#include "model/segment_heap/lfh_backend.hpp"

#include <algorithm>
#include <bit>
#include <stdexcept>
#include <string>

#include "model/pool/region_map.hpp"

namespace fragreplay::model {

LfhBackend::LfhBackend(const SegmentHeapConfig& config, SegmentBackend& segments, PoolPages& pages,
                       bool nonpaged)
    : config_(config),
      segments_(segments),
      pages_(pages),
      nonpaged_(nonpaged),
      page_(pages.page_size().bytes()) {}

LfhBackend::Sizing LfhBackend::sizing(std::uint64_t block, std::uint64_t subsegments,
                                      std::uint64_t total_blocks) const {
  // RtlpHpLfhBucketComputeNewSubsegmentBlockCount with one affinity slot.
  std::uint64_t count = block < 256 ? (subsegments == 0 ? 16 : 32) : (subsegments == 0 ? 8 : 16);
  count = std::max(count, total_blocks / 8);
  count = std::clamp<std::uint64_t>(count, config_.lfh_min_blocks, config_.lfh_max_blocks);
  // RtlpHpLfhSubsegmentCreate: bitmap header, two bytes of commit state per page, then the
  // blocks; the next power of two from 4 KiB (at least 128 bytes) to the maximum.
  const std::uint64_t bitmap = (8 * ((2 * count + 63) / 64) + 63) & ~std::uint64_t{15};
  // The blocks start on a 16-byte boundary after the header (each begins with a POOL_HEADER).
  const std::uint64_t header =
      (bitmap + 2 * ((block * count + bitmap + 4095) / 4096) + 15) & ~std::uint64_t{15};
  const std::uint64_t total = std::min<std::uint64_t>(header + block * count, 0xF0000);
  std::uint64_t bytes = std::bit_ceil(total);
  bytes = std::clamp<std::uint64_t>(bytes, std::max<std::uint64_t>(page_, 4096),
                                    config_.lfh_subsegment_max);
  if (bytes < header + block) bytes = std::bit_ceil(header + block);
  return Sizing{bytes, header, (bytes - header) / block};
}

std::optional<std::uint64_t> LfhBackend::allocate(std::uint64_t block, OwnerId owner) {
  Bucket& bucket = buckets_[block];
  std::uint64_t base = 0;
  for (const std::uint64_t b : bucket.subsegments) {
    if (subsegments_.at(b).used < subsegments_.at(b).blocks) {
      base = b;
      break;
    }
  }
  if (base == 0) {
    const Sizing z = sizing(block, bucket.subsegments.size(), bucket.total_blocks);
    std::uint64_t initial = std::max<std::uint64_t>(page_, std::bit_ceil(2 * block));
    initial = std::min(std::max(initial, (z.header_bytes + page_ - 1) / page_ * page_), z.bytes);
    if (!pages_.can_commit(PageCount{segments_.frames_needed(z.bytes, initial / page_)},
                           nonpaged_)) {
      return std::nullopt;
    }
    const auto range = segments_.allocate(z.bytes, 0, owner);
    if (!range) return std::nullopt;
    base = *range;
    Subsegment s{z.bytes,
                 z.header_bytes,
                 block,
                 z.blocks,
                 0,
                 std::vector<std::uint64_t>((z.blocks + 63) / 64, 0),
                 CommitMap(base, page_, static_cast<unsigned>(z.bytes / page_))};
    s.commit.commit(pages_, base, base + initial, nonpaged_, owner);
    subsegments_.emplace(base, std::move(s));
    bucket.subsegments.push_back(base);
    bucket.total_blocks += z.blocks;
  }
  Subsegment& s = subsegments_.at(base);
  std::uint64_t index = 0;
  for (std::size_t w = 0; w < s.bitmap.size(); ++w) {
    if (s.bitmap[w] != ~std::uint64_t{0}) {
      index = w * 64 + static_cast<std::uint64_t>(std::countr_one(s.bitmap[w]));
      break;
    }
  }
  const std::uint64_t address = base + s.header + index * block;
  if (!pages_.can_commit(PageCount{s.commit.missing(address, address + block)}, nonpaged_)) {
    return std::nullopt;
  }
  s.commit.commit(pages_, address, address + block, nonpaged_, owner);
  s.bitmap[index / 64] |= std::uint64_t{1} << (index % 64);
  ++s.used;
  live_ += block;
  return address;
}

void LfhBackend::free(std::uint64_t address) {
  auto it = subsegment_of(address);
  Subsegment& s = it->second;
  const std::uint64_t offset = address - it->first - s.header;
  const std::uint64_t index = offset / s.block;
  if (address < it->first + s.header || offset % s.block != 0 || index >= s.blocks ||
      (s.bitmap[index / 64] >> (index % 64) & 1) == 0) {
    throw std::logic_error("LfhBackend: free of a block not in use");
  }
  s.bitmap[index / 64] &= ~(std::uint64_t{1} << (index % 64));
  --s.used;
  live_ -= s.block;
  if (s.used != 0) return;
  // The subsegment is empty: decommit it and give its range back.
  Bucket& bucket = buckets_.at(s.block);
  bucket.total_blocks -= s.blocks;
  std::erase(bucket.subsegments, it->first);
  if (bucket.subsegments.empty()) buckets_.erase(s.block);
  s.commit.decommit_all(pages_);
  const std::uint64_t base = it->first;
  subsegments_.erase(it);
  segments_.free(base);
}

std::map<std::uint64_t, LfhBackend::Subsegment>::iterator LfhBackend::subsegment_of(
    std::uint64_t address) {
  return region_of(
      subsegments_, address, [](const Subsegment& s) { return s.bytes; }, "LfhBackend");
}

std::map<std::uint64_t, LfhBackend::Subsegment>::const_iterator LfhBackend::subsegment_of(
    std::uint64_t address) const {
  return const_cast<LfhBackend*>(this)->subsegment_of(address);
}

LfhBackend::SubsegmentView LfhBackend::subsegment(std::uint64_t address) const {
  const auto it = subsegment_of(address);
  const Subsegment& s = it->second;
  SubsegmentView v{it->first, s.bytes, s.header, s.block, s.blocks, {}, s.commit.mask()};
  for (std::uint64_t i = 0; i < s.blocks; ++i) {
    if (s.bitmap[i / 64] >> (i % 64) & 1) v.used.push_back(i);
  }
  return v;
}

std::size_t LfhBackend::subsegment_count(std::uint64_t block_bytes) const {
  const auto it = buckets_.find(block_bytes);
  return it == buckets_.end() ? 0 : it->second.subsegments.size();
}

void LfhBackend::check_invariants() const {
  auto fail = [](const std::string& why) { throw std::logic_error("LfhBackend: " + why); };
  std::uint64_t live = 0, listed = 0;
  for (const auto& [block, bucket] : buckets_) {
    std::uint64_t total = 0;
    for (const std::uint64_t base : bucket.subsegments) {
      const auto it = subsegments_.find(base);
      if (it == subsegments_.end() || it->second.block != block)
        fail("a bucket lists a subsegment of another block size");
      total += it->second.blocks;
      ++listed;
    }
    if (total != bucket.total_blocks) fail("a bucket's block count is out of step");
  }
  if (listed != subsegments_.size()) fail("subsegments missing from their bucket");
  for (const auto& [base, s] : subsegments_) {
    std::uint64_t used = 0;
    if (s.header + s.blocks * s.block > s.bytes) fail("blocks overrun their subsegment");
    for (std::uint64_t p = base; p < base + s.header; p += page_) {
      if (!s.commit.committed(p)) fail("the subsegment header is not committed");
    }
    for (std::uint64_t i = 0; i < s.blocks; ++i) {
      if ((s.bitmap[i / 64] >> (i % 64) & 1) == 0) continue;
      ++used;
      const std::uint64_t a = base + s.header + i * s.block;
      for (std::uint64_t p = a / page_ * page_; p < a + s.block; p += page_) {
        if (!s.commit.committed(p)) fail("a used block touches an uncommitted page");
      }
    }
    if (used != s.used) fail("a subsegment's used count does not match its bitmap");
    if (used == 0) fail("an empty subsegment was not released");
    live += used * s.block;
  }
  if (live != live_) fail("live bytes do not match the blocks");
}

}  // namespace fragreplay::model
