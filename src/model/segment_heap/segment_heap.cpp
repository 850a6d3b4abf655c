// ExAllocateHeapPool and ExFreeHeapPool over the segment-heap backends (see segment_heap.hpp).
// Rule references are to docs/model.md.
#include "model/segment_heap/segment_heap.hpp"

#include <stdexcept>
#include <string>

#include "base/kernel_abi.hpp"

namespace fragreplay::model {
namespace {

constexpr std::uint64_t kUnit = 16;

}  // namespace

struct SegmentHeapPool::Heap {
  Heap(const SegmentHeapConfig& c, PoolPages& p, bool nonpaged)
      : contexts{SegmentBackend(c.segments[0], p, nonpaged),
                 SegmentBackend(c.segments[1], p, nonpaged)},
        vs(c, contexts[0], p, nonpaged),
        lfh(c, contexts[0], p, nonpaged) {}
  std::array<SegmentBackend, 2> contexts;
  VsBackend vs;
  LfhBackend lfh;
  // RtlpLfhBucketUsageUpdate's packed counter per bucket (low 5 bits: outstanding allocations;
  // +33 per allocation, -1 per free) and whether the bucket is active.
  std::array<std::uint16_t, kBuckets> usage{};
  std::array<bool, kBuckets> active{};
  // The dynamic lookaside: parked chunks by chunk size, most recent last.
  std::map<std::uint64_t, std::vector<Parked>> lookaside;
};

const char* SegmentHeapPool::backend_name(Backend b) {
  switch (b) {
    case Backend::kLfh:
      return "lfh";
    case Backend::kVs:
      return "vs";
    case Backend::kSegment:
      return "segment";
    case Backend::kLarge:
      return "large";
  }
  return "?";
}

unsigned SegmentHeapPool::bucket_index(std::uint64_t bytes) {
  // SCOOP §2.1: buckets 1-64 hold 0-1008 bytes in steps of 16, 65-80 to 2032 in steps of 64,
  // 81-96 to 4080 in steps of 128, 97-112 to 8176 in steps of 256, 113-128 to 16368 in steps
  // of 512.
  struct Band {
    unsigned last;  // the band's last bucket
    std::uint64_t top, step;
  };
  static constexpr Band kBands[] = {
      {64, 1008, 16}, {80, 2032, 64}, {96, 4080, 128}, {112, 8176, 256}, {128, 16368, 512}};
  for (const Band& b : kBands) {
    if (bytes <= b.top) return b.last - static_cast<unsigned>((b.top - bytes) / b.step);
  }
  return 128;
}

std::uint64_t SegmentHeapPool::bucket_block_size(unsigned index) {
  if (index <= 64) return 16ull * (index - 1);
  if (index <= 80) return 1008 + 64ull * (index - 64);
  if (index <= 96) return 2032 + 128ull * (index - 80);
  if (index <= 112) return 4080 + 256ull * (index - 96);
  return 8176 + 512ull * (index - 112);
}

std::uint64_t SegmentHeapPool::lookaside_block_size(std::uint64_t chunk) {
  // SCOOP §2.1, dynamic lookaside: buckets 1-32 hold 512-1024 bytes in steps of 16, 33-48 up to
  // 2048 in steps of 64, 49-64 up to 3967 in steps of 128. The chunk is rounded to the block of
  // the lookaside bucket it would be parked in, so a 1024-byte chunk stays 1024. (The LFH table's
  // bands, 1009-2032 and so on, are sizes without the 16-byte header: applied to a chunk that
  // includes it they rounded 1024 up to 1072.)
  const auto up = [](std::uint64_t v, std::uint64_t step) { return (v + step - 1) / step * step; };
  if (chunk <= 1024) return up(chunk, 16);
  if (chunk <= 2048) return 1024 + up(chunk - 1024, 64);
  return 2048 + up(chunk - 2048, 128);
}

SegmentHeapPool::SegmentHeapPool(const Profile& profile, PoolPages& pages, PhysicalMemory& memory)
    : profile_(profile),
      config_(profile.segment_heap),
      pages_(pages),
      memory_(memory),
      page_(pages.page_size().bytes()) {
  for (unsigned h = 0; h < kHeapCount; ++h) {
    heaps_[h] = std::make_unique<Heap>(config_, pages_, is_nonpaged(static_cast<HeapKind>(h)));
  }
}

SegmentHeapPool::~SegmentHeapPool() = default;

SegmentHeapPool::HeapKind SegmentHeapPool::heap_for(std::uint64_t pool_type) const {
  // DEC-10 ExAllocateHeapPool: paged session -> the session heap; paged -> Paged; NX -> NonPagedNx;
  // everything else (nonpaged session included) -> NonPaged.
  if ((pool_type & PoolTypeBit::kBasePoolTypeMask) != 0)
    return (pool_type & PoolTypeBit::kSessionPoolMask) != 0 ? kSessionPaged : kPaged;
  return (pool_type & PoolTypeBit::kPoolNxAllocation) != 0 ? kNonPagedNx : kNonPaged;
}

OwnerId SegmentHeapPool::owner_for(Tag tag) {
  return memory_.intern_owner(Owner{OwnerClass::kPool, tag});
}

AllocOutcome SegmentHeapPool::allocate(const PoolRequest& request) {
  if (request.bytes.value > kMaxRequest) return failure(FailCause::kExhaustion);
  const HeapKind kind = heap_for(request.pool_type);
  Heap& heap = *heaps_[kind];
  return request.bytes.value <= profile_.small_max ? allocate_small(heap, kind, request)
                                                   : allocate_big(heap, kind, request);
}

bool SegmentHeapPool::bucket_activates(Heap& heap, std::uint64_t chunk) {
  if (config_.lfh_activation_outstanding == 0) return true;
  const unsigned index = bucket_index(chunk);
  if (heap.active[index]) return true;
  std::uint16_t& c = heap.usage[index];
  auto over = [&] {
    return (c & 0x1Fu) > config_.lfh_activation_outstanding ||
           c > config_.lfh_activation_counter_max;
  };
  if (!over()) c = static_cast<std::uint16_t>(c + 33);
  if (over()) heap.active[index] = true;
  return heap.active[index];
}

AllocOutcome SegmentHeapPool::allocate_small(Heap& heap, HeapKind kind,
                                             const PoolRequest& request) {
  const std::uint64_t n = request.bytes.value == 0 ? 1 : request.bytes.value;
  const std::uint64_t header = profile_.pool_header;
  const std::uint64_t line = profile_.cache_line_bytes;
  // §4.1 step 3: POOL_HEADER, then a cache line for CacheAligned types if it still fits.
  std::uint64_t s = n + header;
  bool aligned = false;
  if ((request.pool_type & PoolTypeBit::kCacheAlignedPoolTypeMask) != 0 &&
      profile_.cache_align == CacheAlignRule::kAddLine && s + line <= profile_.small_max) {
    s += line;
    aligned = true;
  }
  s = round_up_pow2(s, kUnit);
  Record r;
  r.heap = kind;
  r.chunk = s;
  bool found = false;
  std::uint64_t header_address = 0;
  if (s >= config_.bucket_round_min && s <= config_.bucket_round_max) {
    s = lookaside_block_size(s);
    r.chunk = s;
    // The dynamic lookaside, when enabled, is tried first.
    if (config_.dynamic_lookaside_depth != 0) {
      const auto it = heap.lookaside.find(s);
      if (it != heap.lookaside.end() && !it->second.empty()) {
        const Parked p = it->second.back();
        it->second.pop_back();
        r = p.record;
        header_address = p.header;
        parked_bytes_ -= r.footprint;
        found = true;
      }
    }
  }
  if (!found) {
    const OwnerId owner = owner_for(request.tag);
    if (s <= config_.lfh_max && bucket_activates(heap, s)) {
      const auto block = heap.lfh.allocate(s, owner);
      if (!block) return failure(FailCause::kExhaustion);
      r.backend = Backend::kLfh;
      r.address = *block;
      r.footprint = s;
    } else {
      const auto chunk = heap.vs.allocate(s, owner);
      if (!chunk) return failure(FailCause::kExhaustion);
      r.backend = Backend::kVs;
      r.address = chunk->payload;
      r.footprint = chunk->bytes;
    }
    header_address = r.address;
  }
  AllocOutcome o;
  o.ok = true;
  o.handle = header_address + header;
  o.footprint = Bytes{r.footprint};
  o.waste.pool_header = Bytes{header + (r.backend == Backend::kVs ? config_.vs_chunk_header : 0)};
  if (aligned) {
    // The caller's pointer moves to the next cache line, with a second POOL_HEADER below it.
    const std::uint64_t moved = round_up_pow2(o.handle, line);
    if (moved != o.handle) o.waste.pool_header += Bytes{header};
    o.handle = moved;
  }
  o.waste.granularity = o.footprint - request.bytes - o.waste.pool_header;
  live_.insert(o.handle, r);
  live_bytes_ += r.footprint;
  return o;
}

AllocOutcome SegmentHeapPool::allocate_big(Heap& heap, HeapKind kind, const PoolRequest& request) {
  const std::uint64_t n = request.bytes.value;
  // §4.1 step 4: 16-byte granularity unless the last page would be nearly full or the size is
  // 64 KiB or more; then whole pages.
  std::uint64_t v = round_up_pow2(n, kUnit);
  if (v % page_ > profile_.tail_max_remainder || v >= profile_.tail_max_size ||
      v + config_.vs_chunk_header > config_.vs_max) {
    v = round_up_pow2(v, page_);
  }
  const OwnerId owner = owner_for(request.tag);
  Record r;
  r.heap = kind;
  AllocOutcome o;
  o.ok = true;
  if (v % page_ != 0) {
    const auto chunk = heap.vs.allocate(v, owner);
    if (!chunk) return failure(FailCause::kExhaustion);
    r.backend = Backend::kVs;
    r.address = chunk->payload;
    r.footprint = chunk->bytes;
    o.waste.pool_header = Bytes{config_.vs_chunk_header};
    o.waste.granularity = Bytes{r.footprint - n - config_.vs_chunk_header};
  } else {
    const std::uint64_t pages = v / page_;
    std::optional<std::uint64_t> address;
    if (v <= config_.segments[1].max_allocation) {
      const unsigned context = v <= config_.segments[0].max_allocation ? 0 : 1;
      SegmentBackend& seg = heap.contexts[context];
      if (pages_.can_commit(PageCount{seg.frames_needed(v, pages)}, is_nonpaged(kind))) {
        address = seg.allocate(v, pages, owner);
      }
      r.backend = Backend::kSegment;
      r.chunk = 0;
      r.footprint = v;
      if (address) r.address = *address;
      if (address && context == 1) r.chunk = 1;  // remembers the context of a segment range
    } else {
      const auto vpn = pages_.allocate(is_nonpaged(kind), PageCount{pages}, owner);
      if (vpn) address = pages_.address_of(*vpn);
      r.backend = Backend::kLarge;
      r.footprint = v;
      if (address) {
        r.address = *address;
        big_pages_.insert(*address, pages);
      }
    }
    if (!address) return failure(FailCause::kExhaustion);
    o.waste.sub_page = Bytes{v - n};
  }
  o.handle = r.address;
  o.footprint = Bytes{r.footprint};
  live_.insert(o.handle, r);
  live_bytes_ += r.footprint;
  return o;
}

bool SegmentHeapPool::free(std::uint64_t handle) {
  const Record* found = live_.find(handle);
  if (found == nullptr) return false;
  const Record r = *found;
  live_.erase(handle);
  live_bytes_ -= r.footprint;
  Heap& heap = *heaps_[r.heap];
  const bool small = r.backend == Backend::kLfh || (r.backend == Backend::kVs && r.chunk != 0);
  if (small && config_.dynamic_lookaside_depth != 0 && r.chunk >= config_.bucket_round_min &&
      r.chunk <= config_.bucket_round_max && r.chunk >= config_.dynamic_lookaside_min &&
      r.chunk <= config_.dynamic_lookaside_max) {
    auto& list = heap.lookaside[r.chunk];
    if (list.size() < config_.dynamic_lookaside_depth) {
      list.push_back(Parked{r.address, r});
      parked_bytes_ += r.footprint;
      return true;
    }
  }
  if (small && r.backend == Backend::kVs && r.chunk <= config_.lfh_max) {
    // ExFreeHeapPool updates the usage of a bucket that is still inactive.
    const unsigned index = bucket_index(r.chunk);
    if (!heap.active[index] && heap.usage[index] > 1) --heap.usage[index];
  }
  release(r);
  return true;
}

void SegmentHeapPool::release(const Record& r) {
  Heap& heap = *heaps_[r.heap];
  switch (r.backend) {
    case Backend::kLfh:
      heap.lfh.free(r.address);
      return;
    case Backend::kVs:
      heap.vs.free(r.address);
      return;
    case Backend::kSegment:
      heap.contexts[r.chunk == 1 ? 1 : 0].free(r.address);
      return;
    case Backend::kLarge: {
      const std::uint64_t pages = *big_pages_.find(r.address);
      big_pages_.erase(r.address);
      pages_.free(pages_.vpn_of(r.address), PageCount{pages});
      return;
    }
  }
}

void SegmentHeapPool::advance_time(std::uint64_t) {
  // Nothing is tuned by time in this model (the dynamic lookaside's rebalancing is not modelled).
}

PoolUsage SegmentHeapPool::usage() const {
  std::uint64_t cached = parked_bytes_;
  for (const auto& h : heaps_) cached += h->vs.delayed_bytes();
  const PageCount pages = pages_.pages_held();
  const std::uint64_t held = pages.value * page_;
  return PoolUsage{pages, Bytes{live_bytes_}, Bytes{held - live_bytes_ - cached}, Bytes{cached}};
}

std::optional<SegmentHeapPool::Placement> SegmentHeapPool::placement(std::uint64_t handle) const {
  const Record* r = live_.find(handle);
  if (r == nullptr) return std::nullopt;
  return Placement{r->heap, r->backend, r->address, r->footprint};
}

const VsBackend& SegmentHeapPool::vs(HeapKind heap) const { return heaps_.at(heap)->vs; }
const LfhBackend& SegmentHeapPool::lfh(HeapKind heap) const { return heaps_.at(heap)->lfh; }
const SegmentBackend& SegmentHeapPool::segments(HeapKind heap, unsigned context) const {
  return heaps_.at(heap)->contexts.at(context);
}
bool SegmentHeapPool::lfh_active(HeapKind heap, std::uint64_t block_bytes) const {
  return config_.lfh_activation_outstanding == 0 ||
         heaps_.at(heap)->active[bucket_index(block_bytes)];
}

void SegmentHeapPool::check_invariants() const {
  auto fail = [](const std::string& why) { throw std::logic_error("SegmentHeapPool: " + why); };
  live_.check_invariants();
  big_pages_.check_invariants();
  pages_.check_invariants();
  std::array<std::uint64_t, kHeapCount> vs_live{}, lfh_live{};
  std::uint64_t live = 0, large = 0;
  live_.for_each([&](std::uint64_t, const Record& r) {
    live += r.footprint;
    if (r.backend == Backend::kVs) vs_live[r.heap] += r.footprint;
    if (r.backend == Backend::kLfh) lfh_live[r.heap] += r.footprint;
    if (r.backend == Backend::kLarge) ++large;
  });
  std::uint64_t parked = 0, cached = 0;
  for (unsigned h = 0; h < kHeapCount; ++h) {
    const Heap& heap = *heaps_[h];
    heap.contexts[0].check_invariants();
    heap.contexts[1].check_invariants();
    heap.vs.check_invariants();
    heap.lfh.check_invariants();
    for (const auto& [size, list] : heap.lookaside) {
      if (list.size() > config_.dynamic_lookaside_depth) fail("a lookaside list is too deep");
      for (const Parked& p : list) {
        if (p.record.chunk != size) fail("a chunk parked on another size's lookaside");
        parked += p.record.footprint;
        if (p.record.backend == Backend::kVs) vs_live[h] += p.record.footprint;
        if (p.record.backend == Backend::kLfh) lfh_live[h] += p.record.footprint;
      }
    }
    if (vs_live[h] != heap.vs.live_bytes()) fail("VS chunks do not match the live allocations");
    if (lfh_live[h] != heap.lfh.live_bytes()) fail("LFH blocks do not match the live allocations");
    cached += heap.vs.delayed_bytes();
  }
  if (live != live_bytes_) fail("live bytes do not match the allocations");
  if (parked != parked_bytes_) fail("parked bytes do not match the lookaside lists");
  if (large != big_pages_.size()) fail("large allocations out of step with their pages");
  if (live + parked + cached > pages_.pages_held().value * page_)
    fail("live + cached bytes exceed the committed pages");
}

}  // namespace fragreplay::model
