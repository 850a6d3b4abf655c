// The kernel routines of the modelled machine (see machine.hpp). Rule references are to
// docs/model.md.
#include "model/machine.hpp"

#include <bit>
#include <stdexcept>

#include "model/pool/legacy_pool.hpp"
#include "model/pool/pool_flags.hpp"
#include "model/pool/slub_pool.hpp"
#include "model/segment_heap/segment_heap.hpp"

namespace fragreplay::model {
namespace {

// System PTE space for mappings of page-granular allocations (model-internal addresses).
constexpr std::uint64_t kSystemVaBase = 0xFFFF'B000'0000'0000ull;
constexpr CachingType kMmNonCached = CachingType::kMmNonCached;
constexpr CachingType kMmCached = CachingType::kMmCached;

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

namespace {

std::vector<RamRange> ram_map(const Profile& profile, std::vector<RamRange> ram) {
  return ram.empty() ? default_ram_map(profile) : std::move(ram);
}

// The trace starts on a machine whose zero-page thread has had time to zero the free pages: the
// page lists are laid out zeroed from the start (claims of the boot-time placements below and
// zeroing commute, physical_memory.hpp).
PagePolicy page_policy(const Profile& p) {
  return PagePolicy{p.page_colors, p.zero_page_threshold, p.contiguous_reserve_pages,
                    p.boot_pages_zeroed && p.zero_page_threshold != 0};
}

// Takes the initial nonpaged pool's frames off the page lists (they never were on them: WRK
// carves them from the loader's descriptor before building the lists) and marks a large-page
// mapping must-be-cached (MiAddCachedRange).
std::optional<InitialPoolPlacement> claim_initial_pool(const Profile& profile,
                                                       PhysicalMemory& memory) {
  auto placement = place_initial_pool(profile, memory.ram());
  if (!placement) return placement;
  memory.claim_run(placement->first, placement->pages,
                   memory.intern_owner({OwnerClass::kPoolFree, Tag{}}));
  if (placement->large_pages) {
    memory.add_cached_range(placement->first,
                            Pfn{placement->first.value + placement->pages.value - 1});
  }
  return placement;
}

}  // namespace

Machine::Machine(const Profile& profile, MachineConfig config)
    : profile_(profile),
      memory_(ram_map(profile, std::move(config.ram)), profile.page_size, page_policy(profile)),
      initial_pool_(claim_initial_pool(profile_, memory_)),
      pool_pages_(memory_, profile.page_size,
                  pool_pages_config(profile_, memory_.total_frames(), initial_pool_)),
      next_va_(kSystemVaBase),
      diagnose_failures_(config.diagnose_failures) {
  profile_.validate();
  if (config.background_percent != 0) {
    background_ =
        PageCount{occupy_background(memory_, config.background_percent, config.background_seed,
                                    memory_.intern_owner({OwnerClass::kBackground, Tag{}}))};
  }
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
    case PoolBackend::kSlub: {
      auto slub = std::make_unique<SlubPool>(profile_, pool_pages_, memory_);
      slub_ = slub.get();
      pool_ = std::move(slub);
      break;
    }
  }
  adapters_.push_back(AdapterUsage{profile_.default_adapter});
}

Machine::~Machine() = default;

AllocOutcome Machine::allocate_pool(std::uint64_t pool_type, Bytes bytes, Tag tag, bool quota) {
  const AllocOutcome o = pool_->allocate(PoolRequest{pool_type, bytes, tag, quota});
  idle();
  return o;
}

AllocOutcome Machine::allocate_pool2(std::uint64_t flags, Bytes bytes, Tag tag) {
  // §4.3: unknown required flags, a missing or ambiguous pool kind, and tag 0 make the call fail.
  const PoolFlagsDecoding d = decode_pool_flags(flags);
  if (!d.ok || tag.value == 0) return failure(FailCause::kInvalid);
  const AllocOutcome o = pool_->allocate(PoolRequest{d.pool_type, bytes, tag, d.quota});
  idle();
  return o;
}

AllocOutcome Machine::kmalloc(Bytes bytes, Tag tag) {
  const AllocOutcome o = pool_->allocate(PoolRequest{0, bytes, tag, false});
  idle();
  return o;
}

AllocOutcome Machine::kmem_cache_alloc(Bytes object_size, Bytes bytes, Tag tag) {
  if (slub_ == nullptr) return failure(FailCause::kInvalid);
  const AllocOutcome o =
      slub_->allocate_object(object_size.value, PoolRequest{0, bytes, tag, false});
  idle();
  return o;
}

bool Machine::kfree(std::uint64_t handle) {
  const bool ok = pool_->free(handle);
  idle();
  return ok;
}

AllocOutcome Machine::alloc_pages(Bytes bytes, Tag tag) {
  // The buddy allocator hands out naturally aligned blocks of 2^order frames; placement is the
  // lowest such free block (a simplification: the buddy allocator splits the smallest free block).
  if (bytes.value == 0) return failure(FailCause::kInvalid);
  if (bytes.value > kMaxRequest) return failure(FailCause::kExhaustion);
  const PageSize ps = profile_.page_size;
  const PageCount pages{std::bit_ceil(ps.pages_for(bytes).value)};
  const ContiguousRequest req{pages, Pfn{0},    Pfn{memory_.end_frame().value - 1},
                              pages, kMmCached, ScanDirection::kAscending};
  const ContiguousResult r =
      memory_.take_contiguous(req, memory_.intern_owner({OwnerClass::kPages, tag}));
  idle();
  if (!r.first)
    return failure(r.failure == ContiguousFailure::kFragmentation ? FailCause::kFragmentation
                                                                  : FailCause::kExhaustion);
  return hand_out_run(*r.first, pages, bytes, PageKind::kBuddy);
}

bool Machine::free_page_block(std::uint64_t handle) { return free_pages(handle, PageKind::kBuddy); }

bool Machine::free_pool(std::uint64_t handle) {
  const bool ok = pool_->free(handle);
  idle();
  return ok;
}

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
  idle();
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

bool Machine::free_contiguous(std::uint64_t handle) {
  return free_pages(handle, PageKind::kContiguous);
}

AdapterId Machine::add_adapter(const AdapterConfig& config) {
  adapters_.push_back(AdapterUsage{config});
  return static_cast<AdapterId>(adapters_.size() - 1);
}

AllocOutcome Machine::allocate_common_buffer(AdapterId adapter, Bytes bytes, Tag tag,
                                             std::uint64_t maximum, CachingType cache) {
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
  Pfn hi = ps.frame_of(PhysAddr{std::min(a.config.highest, maximum)});
  const Pfn top{memory_.end_frame().value - 1};
  if (hi > top) hi = top;
  const OwnerId owner = memory_.intern_owner({OwnerClass::kCommonBuffer, tag});
  AllocOutcome o = contiguous(bytes, Pfn{0}, hi, PageCount{a.config.boundary >> ps.shift}, cache,
                              owner, PageKind::kCommonBuffer);
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
  switch (alloc.backing) {
    case Backing::kPageLists:
      if (alloc.kind == PageKind::kNonCached || alloc.kind == PageKind::kMdl) {  // chains
        memory_.release_chain(Pfn{alloc.first});
      } else {
        memory_.release_run(Pfn{alloc.first}, PageCount{alloc.pages});
      }
      break;
    case Backing::kPoolRun:  // MmFreeContiguousMemory of a pool address: ExFreePool
      pool_pages_.free_contiguous(alloc.first, PageCount{alloc.pages});
      break;
    case Backing::kPoolBlock:
      pool_->free(alloc.first);
      break;
  }
  if (alloc.kind == PageKind::kCommonBuffer)
    adapters_.at(alloc.adapter).in_use -= alloc.map_registers;
  if (alloc.backing != Backing::kPoolBlock) {
    page_granular_ -= profile_.page_size.bytes_of(PageCount{alloc.pages});
  }
  idle();
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
  pool_pages_.check_invariants();
  pool_->check_invariants();
  page_allocations_.check_invariants();
  if (pool_->usage().pages != pool_pages_.pages_held()) {
    throw std::logic_error("Machine: the pool's pages are not those its PoolPages holds");
  }
  std::uint64_t listed_pages = 0;  // frames taken from the page lists
  std::uint64_t granular_pages = 0;
  std::vector<std::uint64_t> registers(adapters_.size(), 0);
  page_allocations_.for_each([&](std::uint64_t, const PageAllocation& a) {
    if (a.backing == Backing::kPageLists) listed_pages += a.pages;
    if (a.backing != Backing::kPoolBlock) granular_pages += a.pages;
    if (a.kind == PageKind::kCommonBuffer) registers.at(a.adapter) += a.map_registers;
  });
  const PageCount used = memory_.total_frames() - memory_.free_frames();
  if (used != pool_pages_.frames_held() + PageCount{listed_pages} + background_) {
    throw std::logic_error(
        "Machine: frames in use != nonpaged pool frames + page-granular frames + background");
  }
  if (profile_.page_size.bytes_of(PageCount{granular_pages}) != page_granular_) {
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
