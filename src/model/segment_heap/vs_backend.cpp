// The VS backend (see vs_backend.hpp). Rule references are to docs/model.md.
#include "model/segment_heap/vs_backend.hpp"

#include <algorithm>
#include <bit>
#include <stdexcept>
#include <string>

#include "model/pool/region_map.hpp"

namespace fragreplay::model {
namespace {

constexpr std::uint64_t kUnit = 16;
constexpr std::uint32_t kFreeHeaderUnits = 2;  // a free chunk's header and tree node: 32 bytes

}  // namespace

VsBackend::VsBackend(const SegmentHeapConfig& config, SegmentBackend& segments, PoolPages& pages,
                     bool nonpaged)
    : config_(config),
      segments_(segments),
      pages_(pages),
      nonpaged_(nonpaged),
      page_(pages.page_size().bytes()) {}

std::map<std::uint64_t, VsBackend::Subsegment>::iterator VsBackend::subsegment_of(
    std::uint64_t address) {
  return region_of(
      subsegments_, address, [](const Subsegment& s) { return s.bytes; }, "VsBackend");
}

std::map<std::uint64_t, VsBackend::Subsegment>::const_iterator VsBackend::subsegment_of(
    std::uint64_t address) const {
  return const_cast<VsBackend*>(this)->subsegment_of(address);
}

std::uint64_t VsBackend::subsegment_bytes(std::uint64_t bytes) const {
  // RtlpHpVsSubsegmentCreate: the next power of two of 2 * size + 72, within [min, max].
  return std::clamp(std::bit_ceil(2 * bytes + 72), config_.vs_subsegment_min,
                    config_.vs_subsegment_max);
}

bool VsBackend::add_subsegment(std::uint64_t size, OwnerId owner) {
  // The first page (the header) is committed now, the rest on demand.
  const auto base = segments_.allocate(size, 0, owner);
  if (!base) return false;
  Subsegment s{size, CommitMap(*base, page_, static_cast<unsigned>(size / page_))};
  s.commit.commit(pages_, *base, *base + config_.vs_subsegment_header, nonpaged_, owner);
  subsegments_.emplace(*base, s);
  const std::uint64_t first = *base + config_.vs_subsegment_header;
  ChunkRec c;
  c.units = static_cast<std::uint32_t>((size - config_.vs_subsegment_header) / kUnit);
  c.state = State::kFree;
  chunks_.insert(first, c);
  free_.emplace(c.units, first);
  return true;
}

std::optional<VsBackend::Chunk> VsBackend::allocate(std::uint64_t bytes, OwnerId owner) {
  // RtlpHpVsContextAllocateInternal: units = ceil(bytes / 16) + the header (+1 with
  // PageAlignLargeAllocs); best fit in the free-chunk tree; split from the front.
  const auto header_units = static_cast<std::uint32_t>(config_.vs_chunk_header / kUnit);
  const std::uint32_t extra = config_.vs_page_align_large ? 1 : 0;
  std::uint32_t need =
      static_cast<std::uint32_t>((bytes + kUnit - 1) / kUnit) + header_units + extra;
  auto fit = free_.lower_bound({need, 0});
  if (fit == free_.end()) {
    // A new subsegment: check frames for its metadata, header page and the chunk first.
    // The pages the subsegment header, the chunk and the remainder's free header touch.
    const std::uint64_t size = subsegment_bytes(bytes);
    const std::uint64_t touched = std::min<std::uint64_t>(
        config_.vs_subsegment_header + (need + kFreeHeaderUnits) * kUnit, size);
    const std::uint64_t pages = (touched + page_ - 1) / page_;
    if (!pages_.can_commit(PageCount{segments_.frames_needed(size, pages)}, nonpaged_))
      return std::nullopt;
    if (!add_subsegment(size, owner)) return std::nullopt;
    fit = free_.lower_bound({need, 0});
    if (fit == free_.end()) throw std::logic_error("VsBackend: a new subsegment does not fit");
  }
  const std::uint64_t chunk = fit->second;
  const std::uint32_t have = fit->first;
  std::uint8_t payload_offset = static_cast<std::uint8_t>(config_.vs_chunk_header);
  if (extra != 0) {
    // The extra unit is kept only when it puts the payload on a page boundary.
    if ((chunk + 2 * kUnit) % page_ == 0) {
      payload_offset = static_cast<std::uint8_t>(config_.vs_chunk_header + kUnit);
    } else {
      --need;
    }
  }
  std::uint32_t units = need;
  if (have - need < kFreeHeaderUnits) units = have;  // a one-unit remainder stays inside
  const std::uint64_t end = chunk + std::uint64_t{units} * kUnit;
  auto sub = subsegment_of(chunk);
  Subsegment& s = sub->second;
  // Pages the chunk touches, and the remainder's free header.
  const std::uint64_t commit_end = units < have ? end + kFreeHeaderUnits * kUnit : end;
  if (!pages_.can_commit(PageCount{s.commit.missing(chunk, commit_end)}, nonpaged_))
    return std::nullopt;
  s.commit.commit(pages_, chunk, commit_end, nonpaged_, owner);

  free_.erase(fit);
  const std::uint64_t sub_end = sub->first + s.bytes;
  if (units < have) {
    ChunkRec rest;
    rest.units = have - units;
    rest.prev_units = units;
    rest.state = State::kFree;
    chunks_.insert(end, rest);
    free_.emplace(rest.units, end);
    const std::uint64_t after = end + std::uint64_t{rest.units} * kUnit;
    if (after < sub_end) chunks_.find(after)->prev_units = rest.units;
  }
  ChunkRec& allocated = *chunks_.find(chunk);
  allocated.units = units;
  allocated.state = State::kAllocated;
  allocated.payload_offset = payload_offset;
  by_payload_.insert(chunk + payload_offset, chunk);
  live_ += std::uint64_t{units} * kUnit;
  return Chunk{chunk + payload_offset, std::uint64_t{units} * kUnit};
}

void VsBackend::free(std::uint64_t payload) {
  const std::uint64_t* found = by_payload_.find(payload);
  if (found == nullptr) throw std::logic_error("VsBackend: free of a chunk not allocated");
  const std::uint64_t chunk = *found;
  by_payload_.erase(payload);
  ChunkRec& c = *chunks_.find(chunk);
  const std::uint64_t bytes = std::uint64_t{c.units} * kUnit;
  live_ -= bytes;
  // SCOOP §2.1 (VS): chunks below 1 KiB wait in the DelayFreeContext and are freed 32 at a time.
  if (config_.vs_delay_free_batch != 0 && bytes < config_.vs_delay_free_max) {
    c.state = State::kDelayed;
    delayed_.push_back(chunk);
    delayed_bytes_ += bytes;
    if (delayed_.size() >= config_.vs_delay_free_batch) flush_delayed();
    return;
  }
  release(chunk);
}

void VsBackend::flush_delayed() {
  std::vector<std::uint64_t> batch;
  batch.swap(delayed_);
  for (const std::uint64_t chunk : batch) {
    delayed_bytes_ -= std::uint64_t{chunks_.find(chunk)->units} * kUnit;
    release(chunk);
  }
}

void VsBackend::release(std::uint64_t chunk) {
  auto sub = subsegment_of(chunk);
  Subsegment& s = sub->second;
  const std::uint64_t sub_end = sub->first + s.bytes;
  std::uint64_t start = chunk;
  ChunkRec merged = *chunks_.find(chunk);
  merged.state = State::kFree;
  merged.payload_offset = 0;
  // RtlpHpVsChunkCoalesce: merge with a free next chunk, then a free previous chunk.
  const std::uint64_t next = chunk + std::uint64_t{merged.units} * kUnit;
  if (next < sub_end) {
    const ChunkRec n = *chunks_.find(next);
    if (n.state == State::kFree) {
      free_.erase({n.units, next});
      chunks_.erase(next);
      merged.units += n.units;
    }
  }
  if (merged.prev_units != 0) {
    const std::uint64_t prev = chunk - std::uint64_t{merged.prev_units} * kUnit;
    const ChunkRec p = *chunks_.find(prev);
    if (p.state == State::kFree) {
      free_.erase({p.units, prev});
      chunks_.erase(chunk);
      merged.units += p.units;
      merged.prev_units = p.prev_units;
      start = prev;
    }
  }
  const std::uint64_t first = sub->first + config_.vs_subsegment_header;
  if (start == first && start + std::uint64_t{merged.units} * kUnit == sub_end) {
    // Every chunk is free: the subsegment's pages are decommitted and its range goes back to the
    // segment backend.
    chunks_.erase(start);
    s.commit.decommit_all(pages_);
    const std::uint64_t base = sub->first;
    subsegments_.erase(sub);
    segments_.free(base);
    return;
  }
  *chunks_.find(start) = merged;
  const std::uint64_t after = start + std::uint64_t{merged.units} * kUnit;
  if (after < sub_end) chunks_.find(after)->prev_units = merged.units;
  free_.emplace(merged.units, start);
  if (config_.vs_decommit_free_pages) {
    decommit_free_pages(s, start, std::uint64_t{merged.units} * kUnit);
  }
}

void VsBackend::decommit_free_pages(Subsegment& s, std::uint64_t chunk, std::uint64_t bytes) {
  // The free header stays readable; pages wholly past it are given back.
  s.commit.decommit_inside(pages_, chunk + kFreeHeaderUnits * kUnit, chunk + bytes);
}

std::vector<VsBackend::ChunkView> VsBackend::subsegment_layout(std::uint64_t address) const {
  std::vector<ChunkView> out;
  const auto sub = subsegment_of(address);
  out.push_back({0, config_.vs_subsegment_header, State::kHeader});
  for (std::uint64_t a = sub->first + config_.vs_subsegment_header;
       a < sub->first + sub->second.bytes;) {
    const ChunkRec& c = *chunks_.find(a);
    out.push_back({a - sub->first, std::uint64_t{c.units} * kUnit, c.state});
    a += std::uint64_t{c.units} * kUnit;
  }
  return out;
}

std::uint64_t VsBackend::committed_mask(std::uint64_t address) const {
  return subsegment_of(address)->second.commit.mask();
}

void VsBackend::check_invariants() const {
  auto fail = [](const std::string& why) { throw std::logic_error("VsBackend: " + why); };
  chunks_.check_invariants();
  by_payload_.check_invariants();
  std::uint64_t live = 0, delayed = 0, chunks = 0, free_chunks = 0;
  for (const auto& [base, s] : subsegments_) {
    if (!s.commit.committed(base)) fail("the subsegment header page is not committed");
    const std::uint64_t end = base + s.bytes;
    std::uint64_t a = base + config_.vs_subsegment_header;
    std::uint32_t prev_units = 0;
    bool prev_free = false;
    bool all_free = true;
    while (a < end) {
      const ChunkRec* c = chunks_.find(a);
      if (c == nullptr) fail("a subsegment has a gap in its chunks");
      ++chunks;
      if (c->units == 0) fail("a chunk of zero units");
      if (c->prev_units != prev_units) fail("PreviousSize does not match the chunk before");
      const std::uint64_t bytes = std::uint64_t{c->units} * kUnit;
      switch (c->state) {
        case State::kFree:
          if (prev_free) fail("two adjacent free chunks (coalescing missed)");
          if (free_.count({c->units, a}) != 1) fail("a free chunk missing from the best-fit index");
          if (c->units < kFreeHeaderUnits) fail("a free chunk too small for its header");
          if (!s.commit.committed(a)) fail("a free chunk's header page is not committed");
          if (config_.vs_decommit_free_pages) {
            const std::uint64_t inner = a + kFreeHeaderUnits * kUnit;
            for (std::uint64_t p = (inner + page_ - 1) / page_ * page_; p + page_ <= a + bytes;
                 p += page_) {
              if (s.commit.committed(p)) fail("a page inside a free chunk is still committed");
            }
          }
          ++free_chunks;
          break;
        case State::kAllocated:
        case State::kDelayed: {
          all_free = false;
          for (std::uint64_t p = a / page_ * page_; p < a + bytes; p += page_) {
            if (!s.commit.committed(p)) fail("an allocated chunk touches an uncommitted page");
          }
          if (c->state == State::kAllocated) {
            live += bytes;
            const std::uint64_t* back = by_payload_.find(a + c->payload_offset);
            if (back == nullptr || *back != a) fail("an allocated chunk missing from the index");
          } else {
            delayed += bytes;
          }
          break;
        }
        case State::kHeader:
          fail("a chunk in the header state");
      }
      prev_free = c->state == State::kFree;
      prev_units = c->units;
      a += bytes;
    }
    if (a != end) fail("chunks overrun their subsegment");
    if (all_free) fail("a wholly free subsegment was not released");
  }
  if (chunks != chunks_.size()) fail("chunks outside any subsegment");
  if (free_chunks != free_.size()) fail("the best-fit index holds chunks that are not free");
  if (live != live_) fail("live bytes do not match the chunks");
  if (delayed != delayed_bytes_ || delayed_.size() > config_.vs_delay_free_batch)
    fail("delayed bytes do not match the delay-free list");
  if (by_payload_.size() + delayed_.size() + free_chunks != chunks)
    fail("the payload index does not match the allocated chunks");
}

}  // namespace fragreplay::model
