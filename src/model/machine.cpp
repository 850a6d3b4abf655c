// The kernel routines of the modelled machine (see machine.hpp). Rule references are to
// research/pool-model.md.
#include "model/machine.hpp"

#include <bit>
#include <stdexcept>

#include "model/legacy_pool.hpp"
#include "model/pool_flags.hpp"
#include "model/segment_heap.hpp"
#include "model/slub_pool.hpp"

namespace fragreplay::model {
namespace {

// System PTE space for mappings of page-granular allocations (model-internal addresses).
constexpr std::uint64_t kSystemVaBase = 0xFFFF'B000'0000'0000ull;
constexpr std::uint8_t kMmNonCached = 0;
constexpr std::uint8_t kMmCached = 1;

}  // namespace

const char* fail_cause_name(FailCause c) {
  switch (c) {
    case FailCause::kNone:
      return "";
    case FailCause::kExhaustion:
      return "exhaustion";
    case FailCause::kFragmentation:
      return "fragmentation";
    case FailCause::kConstraint:
      return "constraint";
    case FailCause::kMapRegisters:
      return "map_registers";
    case FailCause::kInvalid:
      return "invalid";
  }
  return "?";
}

Machine::Machine(const Profile& profile, MachineConfig config)
    : profile_(profile),
      memory_(config.ram.empty() ? default_ram_map(profile) : std::move(config.ram),
              profile.page_size, profile.contiguous_reserve_pages),
      pool_pages_(memory_, profile.page_size),
      next_va_(kSystemVaBase) {
  profile_.validate();
  switch (profile_.backend) {
    case PoolBackend::kLegacy: {
      const bool delayed = profile_.page_size.bytes_of(memory_.total_frames()).value >=
                           profile_.pending_frees_min_ram;
      pool_ = std::make_unique<LegacyPool>(profile_, pool_pages_, memory_, delayed);
      break;
    }
    case PoolBackend::kSegmentHeap:
      pool_ = std::make_unique<SegmentHeapPool>(profile_, pool_pages_, memory_);
      break;
    case PoolBackend::kSlub:
      pool_ = std::make_unique<SlubPool>(profile_, pool_pages_, memory_);
      break;
  }
  adapters_.push_back(AdapterUsage{profile_.default_adapter});
}

Machine::~Machine() = default;

AllocOutcome Machine::allocate_pool(std::uint64_t pool_type, Bytes bytes, Tag tag, bool quota) {
  return pool_->allocate(PoolRequest{pool_type, bytes, tag, quota});
}

AllocOutcome Machine::allocate_pool2(std::uint64_t flags, Bytes bytes, Tag tag) {
  // §4.3: unknown required flags, a missing or ambiguous pool kind, and tag 0 make the call fail.
  const PoolFlagsDecoding d = decode_pool_flags(flags);
  if (!d.ok || tag.value == 0) return failure(FailCause::kInvalid);
  return pool_->allocate(PoolRequest{d.pool_type, bytes, tag, d.quota});
}

AllocOutcome Machine::kmalloc(Bytes bytes, Tag tag) {
  return pool_->allocate(PoolRequest{0, bytes, tag, false});
}

bool Machine::kfree(std::uint64_t handle) { return pool_->free(handle); }

AllocOutcome Machine::alloc_pages(Bytes bytes, Tag tag) {
  // The buddy allocator hands out naturally aligned blocks of 2^order frames; placement is the
  // lowest such free block (a simplification: the buddy allocator splits the smallest free block).
  if (bytes.value == 0) return failure(FailCause::kInvalid);
  if (bytes.value > kMaxRequest) return failure(FailCause::kExhaustion);
  const PageCount pages{std::bit_ceil(profile_.page_size.pages_for(bytes).value)};
  const ContiguousRequest req{pages, Pfn{0},    Pfn{memory_.end_frame().value - 1},
                              pages, kMmCached, ScanDirection::kAscending};
  return take_run(bytes, req, memory_.intern_owner({OwnerClass::kPages, tag}), PageKind::kBuddy);
}

bool Machine::free_page_block(std::uint64_t handle) { return free_pages(handle, PageKind::kBuddy); }

bool Machine::free_pool(std::uint64_t handle) { return pool_->free(handle); }

std::uint64_t Machine::next_system_va(std::uint64_t pages) {
  const std::uint64_t va = next_va_;
  next_va_ += pages << profile_.page_size.shift;
  return va;
}

AllocOutcome Machine::allocate_noncached(Bytes bytes, Tag tag) {
  // §5.4: whole pages from MiAllocatePagesForMdl, not physically contiguous.
  if (bytes.value == 0) return failure(FailCause::kInvalid);
  if (bytes.value > kMaxRequest) return failure(FailCause::kExhaustion);
  const PageCount pages = profile_.page_size.pages_for(bytes);
  const auto first =
      memory_.take_pages(pages, memory_.intern_owner({OwnerClass::kNonCached, tag}), kMmNonCached);
  if (!first) return failure(FailCause::kExhaustion);
  // pages + 1 system PTEs: the first holds the MDL pointer.
  const std::uint64_t handle = next_system_va(pages.value + 1) + profile_.page_size.bytes();
  page_allocations_.insert(handle,
                           PageAllocation{first->value, pages.value, 0, 0, PageKind::kNonCached});
  AllocOutcome o;
  o.ok = true;
  o.handle = handle;
  o.footprint = profile_.page_size.bytes_of(pages);
  o.waste.sub_page = o.footprint - bytes;
  page_granular_ += o.footprint;
  return o;
}

bool Machine::free_noncached(std::uint64_t handle) {
  return free_pages(handle, PageKind::kNonCached);
}

AllocOutcome Machine::allocate_contiguous(Bytes bytes, std::uint64_t lowest, std::uint64_t highest,
                                          std::uint64_t boundary, std::uint8_t cache, Tag tag) {
  // §5.3 argument normalisation (WRK MmAllocateContiguousMemorySpecifyCache).
  const PageSize ps = profile_.page_size;
  if (bytes.value == 0) return failure(FailCause::kInvalid);
  if (boundary % ps.bytes() != 0 || (boundary != 0 && !std::has_single_bit(boundary))) {
    return failure(FailCause::kInvalid);
  }
  const Pfn lo = ps.frame_at_or_above(PhysAddr{lowest});
  Pfn hi = ps.frame_of(PhysAddr{highest});
  const Pfn top{memory_.end_frame().value - 1};
  if (hi > top) hi = top;
  const OwnerId owner = memory_.intern_owner({OwnerClass::kContiguous, tag});
  return contiguous(bytes, lo, hi, PageCount{boundary >> ps.shift}, cache, owner,
                    PageKind::kContiguous);
}

AllocOutcome Machine::contiguous(Bytes bytes, Pfn lo, Pfn hi, PageCount boundary,
                                 std::uint8_t cache, OwnerId owner, PageKind kind) {
  if (bytes.value > kMaxRequest) return failure(FailCause::kConstraint);
  PageCount pages = profile_.page_size.pages_for(bytes);
  if (pages.value == 0) pages = PageCount{1};
  return take_run(bytes,
                  ContiguousRequest{pages, lo, hi, boundary, cache, profile_.contiguous_scan},
                  owner, kind);
}

AllocOutcome Machine::take_run(Bytes bytes, const ContiguousRequest& req, OwnerId owner,
                               PageKind kind) {
  const PageSize ps = profile_.page_size;
  const PageCount pages = req.pages;
  const ContiguousResult r = memory_.take_contiguous(req, owner);
  if (!r.first) {
    AllocOutcome o;
    switch (r.failure) {
      case ContiguousFailure::kNone:
      case ContiguousFailure::kExhaustion:
        o.cause = FailCause::kExhaustion;
        break;
      case ContiguousFailure::kFragmentation:
        o.cause = FailCause::kFragmentation;
        break;
      case ContiguousFailure::kConstraint:
        o.cause = FailCause::kConstraint;
        break;
    }
    o.free_in_window = ps.bytes_of(r.free_in_window);
    o.largest_free_run_in_window = ps.bytes_of(r.largest_free_run_in_window);
    return o;
  }
  const std::uint64_t handle = next_system_va(pages.value);
  page_allocations_.insert(handle, PageAllocation{r.first->value, pages.value, 0, 0, kind});
  AllocOutcome o;
  o.ok = true;
  o.handle = handle;
  o.footprint = ps.bytes_of(pages);
  o.waste.sub_page = o.footprint - bytes;
  o.has_phys = true;
  o.phys_first = ps.address_of(*r.first);
  o.phys_last = PhysAddr{ps.address_of(*r.first + pages).value - 1};
  page_granular_ += o.footprint;
  return o;
}

bool Machine::free_contiguous(std::uint64_t handle) {
  return free_pages(handle, PageKind::kContiguous);
}

AdapterId Machine::add_adapter(const AdapterConfig& config) {
  adapters_.push_back(AdapterUsage{config});
  return static_cast<AdapterId>(adapters_.size() - 1);
}

AllocOutcome Machine::allocate_common_buffer(AdapterId adapter, Bytes bytes, Tag tag) {
  // §5.5: contiguous memory below the adapter's limit, not crossing its boundary, cached on
  // x86/x64; at least one page; one map register per page spanned, from the adapter's budget.
  const PageSize ps = profile_.page_size;
  AdapterUsage& a = adapters_.at(adapter);
  if (bytes.value > kMaxRequest) return failure(FailCause::kConstraint);
  PageCount pages = ps.pages_for(bytes);
  if (pages.value == 0) pages = PageCount{1};
  if (a.in_use + pages.value > a.config.map_registers) {
    ++a.failures;
    return failure(FailCause::kMapRegisters);
  }
  Pfn hi = ps.frame_of(PhysAddr{a.config.highest});
  const Pfn top{memory_.end_frame().value - 1};
  if (hi > top) hi = top;
  const OwnerId owner = memory_.intern_owner({OwnerClass::kCommonBuffer, tag});
  AllocOutcome o = contiguous(bytes, Pfn{0}, hi, PageCount{a.config.boundary >> ps.shift},
                              kMmCached, owner, PageKind::kCommonBuffer);
  if (!o.ok) return o;
  PageAllocation* alloc = page_allocations_.find(o.handle);
  alloc->map_registers = pages.value;
  alloc->adapter = adapter;
  a.in_use += pages.value;
  a.peak = std::max(a.peak, a.in_use);
  o.map_registers = pages.value;
  return o;
}

bool Machine::free_common_buffer(std::uint64_t handle) {
  return free_pages(handle, PageKind::kCommonBuffer);
}

bool Machine::free_pages(std::uint64_t handle, PageKind kind) {
  const PageAllocation* found = page_allocations_.find(handle);
  if (found == nullptr || found->kind != kind) return false;
  const PageAllocation alloc = *found;
  page_allocations_.erase(handle);
  if (alloc.kind == PageKind::kNonCached) {
    memory_.release_chain(Pfn{alloc.first});
  } else {
    memory_.release_run(Pfn{alloc.first}, PageCount{alloc.pages});
  }
  if (alloc.kind == PageKind::kCommonBuffer)
    adapters_.at(alloc.adapter).in_use -= alloc.map_registers;
  page_granular_ -= profile_.page_size.bytes_of(PageCount{alloc.pages});
  return true;
}

void Machine::advance_time(std::uint64_t now_ns) { pool_->advance_time(now_ns); }

MachineUsage Machine::usage() const {
  MachineUsage u;
  u.pool = pool_->usage();
  u.page_granular = page_granular_;
  for (const auto& a : adapters_) u.map_registers += a.in_use;
  return u;
}

void Machine::check_invariants() const {
  memory_.check_invariants();
  pool_->check_invariants();
  page_allocations_.check_invariants();
  std::uint64_t pages = 0;
  std::vector<std::uint64_t> registers(adapters_.size(), 0);
  page_allocations_.for_each([&](std::uint64_t, const PageAllocation& a) {
    pages += a.pages;
    if (a.kind == PageKind::kCommonBuffer) registers.at(a.adapter) += a.map_registers;
  });
  const PageCount used = memory_.total_frames() - memory_.free_frames();
  if (used != pool_pages_.nonpaged_pages() + PageCount{pages}) {
    throw std::logic_error("Machine: frames in use != nonpaged pool pages + page-granular pages");
  }
  if (profile_.page_size.bytes_of(PageCount{pages}) != page_granular_) {
    throw std::logic_error("Machine: page-granular bytes do not match the live allocations");
  }
  for (std::size_t i = 0; i < adapters_.size(); ++i) {
    if (registers[i] != adapters_[i].in_use ||
        adapters_[i].in_use > adapters_[i].config.map_registers) {
      throw std::logic_error("Machine: adapter map registers out of step with common buffers");
    }
  }
}

}  // namespace fragreplay::model
