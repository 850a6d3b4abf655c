// Page ranges in segments (see segment_backend.hpp).
#include "model/segment_heap/segment_backend.hpp"

#include <stdexcept>
#include <string>

#include "model/pool/region_map.hpp"

namespace fragreplay::model {

SegmentBackend::SegmentBackend(const SegmentContextConfig& config, PoolPages& pages, bool nonpaged)
    : config_(config),
      pages_(pages),
      nonpaged_(nonpaged),
      page_(pages.page_size().bytes()),
      unit_(config.unit_bytes) {}

std::uint64_t SegmentBackend::frames_needed(std::uint64_t bytes, std::uint64_t commit_pages) const {
  const std::uint64_t need = (bytes + unit_ - 1) / unit_;
  const bool fits = by_size_.lower_bound({need, 0}) != by_size_.end();
  return commit_pages + (fits ? 0 : config_.metadata_bytes / page_);
}

void SegmentBackend::add_free(std::uint64_t address, std::uint64_t units) {
  free_.emplace(address, units);
  by_size_.emplace(units, address);
}

void SegmentBackend::remove_free(std::uint64_t address, std::uint64_t units) {
  free_.erase(address);
  by_size_.erase({units, address});
}

std::optional<std::uint64_t> SegmentBackend::allocate(std::uint64_t bytes,
                                                      std::uint64_t commit_pages, OwnerId owner) {
  const std::uint64_t need = (bytes + unit_ - 1) / unit_;
  auto fit = by_size_.lower_bound({need, 0});
  std::uint64_t address = 0;
  std::uint64_t have = 0;
  if (fit != by_size_.end()) {
    have = fit->first;
    address = fit->second;
    // Enough frames for the committed prefix?
    if (!pages_.commit(pages_.vpn_of(address), PageCount{commit_pages}, nonpaged_, owner)) {
      return std::nullopt;
    }
    remove_free(address, have);
  } else {
    // A new segment: metadata first, then one free range of the rest.
    const std::uint64_t metadata = config_.metadata_bytes / unit_;
    const std::uint64_t units = std::max(config_.segment_bytes / unit_, metadata + need);
    const std::uint64_t metadata_pages = config_.metadata_bytes / page_;
    const std::uint64_t base = pages_.address_of(pages_.reserve(PageCount{units * unit_ / page_}));
    if (!pages_.commit(pages_.vpn_of(base), PageCount{metadata_pages}, nonpaged_, owner)) {
      return std::nullopt;
    }
    address = base + metadata * unit_;
    if (!pages_.commit(pages_.vpn_of(address), PageCount{commit_pages}, nonpaged_, owner)) {
      pages_.free(pages_.vpn_of(base), PageCount{metadata_pages});
      return std::nullopt;
    }
    segments_.emplace(base, Segment{units, metadata, 0});
    have = units - metadata;
  }
  if (have > need) add_free(address + need * unit_, have - need);
  segment_of(address)->second.used += need;
  used_.insert(address, UsedRange{need, commit_pages});
  return address;
}

void SegmentBackend::free(std::uint64_t address) {
  const UsedRange* found = used_.find(address);
  if (found == nullptr) throw std::logic_error("SegmentBackend: free of a range not in use");
  const UsedRange range = *found;
  used_.erase(address);
  pages_.free(pages_.vpn_of(address), PageCount{range.committed});
  auto seg = segment_of(address);
  seg->second.used -= range.units;
  std::uint64_t start = address;
  std::uint64_t units = range.units;
  // Coalesce with the free range after, then the one before (inside the same segment).
  const std::uint64_t seg_end = seg->first + seg->second.units * unit_;
  if (const auto next = free_.find(start + units * unit_);
      next != free_.end() && next->first < seg_end) {
    const std::uint64_t n = next->second;
    remove_free(next->first, n);
    units += n;
  }
  if (auto prev = free_.lower_bound(start); prev != free_.begin()) {
    --prev;
    if (prev->first >= seg->first && prev->first + prev->second * unit_ == start) {
      const std::uint64_t p = prev->second;
      const std::uint64_t p_address = prev->first;
      remove_free(p_address, p);
      start = p_address;
      units += p;
    }
  }
  if (seg->second.used == 0) {
    // The segment holds nothing: give it back (metadata included).
    pages_.free(pages_.vpn_of(seg->first), PageCount{config_.metadata_bytes / page_});
    segments_.erase(seg);
    return;
  }
  add_free(start, units);
}

std::uint64_t SegmentBackend::range_bytes(std::uint64_t address) const {
  const UsedRange* r = used_.find(address);
  if (r == nullptr) throw std::logic_error("SegmentBackend: no range at this address");
  return r->units * unit_;
}

std::map<std::uint64_t, SegmentBackend::Segment>::iterator SegmentBackend::segment_of(
    std::uint64_t address) {
  return region_of(
      segments_, address, [this](const Segment& s) { return s.units * unit_; }, "SegmentBackend");
}

std::map<std::uint64_t, SegmentBackend::Segment>::const_iterator SegmentBackend::segment_of(
    std::uint64_t address) const {
  return const_cast<SegmentBackend*>(this)->segment_of(address);
}

std::vector<SegmentBackend::RangeView> SegmentBackend::segment_layout(std::uint64_t address) const {
  std::vector<RangeView> out;
  const auto seg = segment_of(address);
  const std::uint64_t base = seg->first;
  out.push_back({0, seg->second.metadata, true});
  for (std::uint64_t off = seg->second.metadata; off < seg->second.units;) {
    const std::uint64_t a = base + off * unit_;
    if (const UsedRange* r = used_.find(a)) {
      out.push_back({off, r->units, true});
      off += r->units;
    } else if (const auto f = free_.find(a); f != free_.end()) {
      out.push_back({off, f->second, false});
      off += f->second;
    } else {
      throw std::logic_error("SegmentBackend: a segment has a gap in its ranges");
    }
  }
  return out;
}

void SegmentBackend::check_invariants() const {
  auto fail = [](const std::string& why) { throw std::logic_error("SegmentBackend: " + why); };
  used_.check_invariants();
  if (by_size_.size() != free_.size()) fail("best-fit index and free ranges differ in size");
  for (const auto& [units, address] : by_size_) {
    const auto f = free_.find(address);
    if (f == free_.end() || f->second != units) fail("best-fit index names a range not free");
  }
  std::uint64_t ranges = 0, free_ranges = 0;
  for (const auto& [base, seg] : segments_) {
    std::uint64_t used = 0;
    bool previous_free = false;
    std::uint64_t off = seg.metadata;
    while (off < seg.units) {
      const std::uint64_t a = base + off * unit_;
      if (const UsedRange* r = used_.find(a)) {
        if (r->units == 0) fail("an empty used range");
        if (r->committed * page_ > r->units * unit_) fail("a range committed past its end");
        used += r->units;
        off += r->units;
        previous_free = false;
        ++ranges;
      } else if (const auto f = free_.find(a); f != free_.end()) {
        if (previous_free) fail("two adjacent free ranges (coalescing missed)");
        off += f->second;
        previous_free = true;
        ++free_ranges;
      } else {
        fail("a segment has a gap in its ranges");
      }
    }
    if (off != seg.units) fail("ranges overrun their segment");
    if (used != seg.used) fail("a segment's used units do not match its ranges");
    if (used == 0) fail("an empty segment was not released");
  }
  if (ranges != used_.size()) fail("used ranges outside any segment");
  if (free_ranges != free_.size()) fail("free ranges outside any segment");
}

}  // namespace fragreplay::model
