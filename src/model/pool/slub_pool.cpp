// Linux SLUB kmalloc (see slub_pool.hpp).
#include "model/pool/slub_pool.hpp"

#include <algorithm>
#include <bit>
#include <stdexcept>
#include <string>

#include "model/pool/region_map.hpp"
#include "model/pool/slab_order.hpp"

namespace fragreplay::model {
namespace {

// get_order(): the smallest order whose block of pages holds n bytes.
unsigned order_for(std::uint64_t n, std::uint64_t page) {
  const std::uint64_t pages = (n + page - 1) / page;
  return pages <= 1 ? 0 : static_cast<unsigned>(std::bit_width(pages - 1));
}

}  // namespace

SlubPool::SlubPool(const Profile& profile, PoolPages& pages, PhysicalMemory& memory)
    : pages_(pages),
      memory_(memory),
      page_(pages.page_size().bytes()),
      min_partial_floor_(profile.slub.min_partial_floor),
      min_partial_ceiling_(profile.slub.min_partial_ceiling) {
  for (const SlabClass& c : profile.slub.classes) {
    Cache cache;
    cache.size = c.size;
    cache.order = c.order;
    // set_min_partial(s, ilog2(s->size) / 2), clamped.
    const unsigned half = static_cast<unsigned>(std::bit_width(c.size) - 1) / 2;
    cache.min_partial = std::clamp(half, min_partial_floor_, min_partial_ceiling_);
    caches_.push_back(cache);
  }
  kmalloc_caches_ = caches_.size();
}

OwnerId SlubPool::owner_for(Tag tag) { return memory_.intern_owner(Owner{OwnerClass::kPool, tag}); }

std::uint64_t SlubPool::charged_bytes(std::uint64_t n) const {
  if (n == 0) return 0;
  for (std::size_t i = 0; i < kmalloc_caches_; ++i) {
    if (n <= caches_[i].size) return caches_[i].size;
  }
  return page_ << order_for(n, page_);
}

std::optional<std::uint64_t> SlubPool::new_slab(unsigned index, OwnerId owner) {
  const Cache& cache = caches_[index];
  // allocate_slab(): the cache's order, else the smallest order holding one object.
  unsigned order = cache.order;
  auto vpn = pages_.allocate_aligned_run(PageCount{std::uint64_t{1} << order}, owner);
  if (!vpn) {
    order = order_for(cache.size, page_);
    if (order < cache.order) {
      vpn = pages_.allocate_aligned_run(PageCount{std::uint64_t{1} << order}, owner);
    }
  }
  if (!vpn) return std::nullopt;
  Slab slab;
  slab.cache = index;
  slab.order = order;
  slab.objects = static_cast<unsigned>((page_ << order) / cache.size);
  slab.freelist.resize(slab.objects);
  // A new slab's freelist runs in address order: object 0 first.
  for (unsigned i = 0; i < slab.objects; ++i) slab.freelist[i] = slab.objects - 1 - i;
  const std::uint64_t base = pages_.address_of(*vpn);
  slabs_.emplace(base, std::move(slab));
  return base;
}

AllocOutcome SlubPool::allocate(const PoolRequest& request) {
  const std::uint64_t n = request.bytes.value;
  if (n > kMaxRequest) return failure(FailCause::kExhaustion);
  AllocOutcome o;
  if (n == 0) {
    // kmalloc(0) returns ZERO_SIZE_PTR and takes nothing.
    o.ok = true;
    o.handle = kZeroSizePtr;
    return o;
  }
  const OwnerId owner = owner_for(request.tag);
  const auto kmalloc_end = caches_.begin() + static_cast<std::ptrdiff_t>(kmalloc_caches_);
  const auto cache_it =
      std::find_if(caches_.begin(), kmalloc_end, [&](const Cache& c) { return n <= c.size; });
  if (cache_it == kmalloc_end) {
    // kmalloc_large: 2^order pages from the page allocator.
    const unsigned order = order_for(n, page_);
    const auto vpn = pages_.allocate_aligned_run(PageCount{std::uint64_t{1} << order}, owner);
    if (!vpn) return failure(FailCause::kExhaustion);
    const std::uint64_t address = pages_.address_of(*vpn);
    large_.insert(address, std::uint64_t{1} << order);
    o.ok = true;
    o.handle = address;
    o.footprint = Bytes{page_ << order};
    o.waste.sub_page = o.footprint - request.bytes;
    live_.insert(address, o.footprint.value);
    live_bytes_ += o.footprint.value;
    return o;
  }
  return allocate_in(static_cast<unsigned>(cache_it - caches_.begin()), n, owner);
}

AllocOutcome SlubPool::allocate_in(unsigned index, std::uint64_t n, OwnerId owner) {
  Cache& cache = caches_[index];
  // ___slab_alloc: the cpu slab, else the first partial slab, else a new slab.
  if (!cache.cpu || slabs_.at(*cache.cpu).freelist.empty()) {
    if (!cache.partial.empty()) {
      cache.cpu = cache.partial.front();
      cache.partial.pop_front();
    } else {
      const auto base = new_slab(index, owner);
      if (!base) return failure(FailCause::kExhaustion);
      cache.cpu = *base;
    }
  }
  Slab& slab = slabs_.at(*cache.cpu);
  const unsigned object = slab.freelist.back();
  slab.freelist.pop_back();
  ++slab.used;
  AllocOutcome o;
  o.ok = true;
  o.handle = *cache.cpu + std::uint64_t{object} * cache.size;
  o.footprint = Bytes{cache.size};
  o.waste.granularity = Bytes{cache.size - n};
  live_.insert(o.handle, cache.size);
  live_bytes_ += cache.size;
  return o;
}

AllocOutcome SlubPool::allocate_object(std::uint64_t object_size, const PoolRequest& request) {
  const std::uint64_t n = request.bytes.value;
  if (object_size == 0 || n > object_size) return failure(FailCause::kInvalid);
  unsigned index = 0;
  if (const unsigned* found = slab_caches_.find(object_size)) {
    index = *found;
  } else {
    const auto order = slab_order(object_size, page_);
    if (!order) return failure(FailCause::kInvalid);
    Cache cache;
    cache.size = object_size;
    cache.order = *order;
    const unsigned half = static_cast<unsigned>(std::bit_width(object_size) - 1) / 2;
    cache.min_partial = std::clamp(half, min_partial_floor_, min_partial_ceiling_);
    index = static_cast<unsigned>(caches_.size());
    caches_.push_back(cache);
    slab_caches_.insert(object_size, index);
  }
  return allocate_in(index, n, owner_for(request.tag));
}

std::map<std::uint64_t, SlubPool::Slab>::iterator SlubPool::slab_of(std::uint64_t address) {
  return region_holding(slabs_, address, [this](const Slab& s) { return page_ << s.order; });
}

bool SlubPool::free(std::uint64_t handle) {
  if (handle == kZeroSizePtr) return true;  // kfree(ZERO_SIZE_PTR) does nothing
  const std::uint64_t* footprint = live_.find(handle);
  if (footprint == nullptr) return false;
  live_bytes_ -= *footprint;
  live_.erase(handle);
  if (const std::uint64_t* pages = large_.find(handle)) {
    pages_.free(pages_.vpn_of(handle), PageCount{*pages});
    large_.erase(handle);
    return true;
  }
  const auto it = slab_of(handle);
  Slab& slab = it->second;
  Cache& cache = caches_[slab.cache];
  const bool was_full = slab.freelist.empty();
  slab.freelist.push_back(static_cast<unsigned>((handle - it->first) / cache.size));
  --slab.used;
  const bool is_cpu = cache.cpu && *cache.cpu == it->first;
  if (is_cpu) return true;
  if (was_full) {
    // __slab_free: a full slab with a free object joins the partial list at its tail...
    if (slab.used != 0 || cache.partial.size() < cache.min_partial) {
      cache.partial.push_back(it->first);
    } else {
      discard(it->first);  // ... unless it is empty and the cache has partial slabs enough
    }
    return true;
  }
  if (slab.used == 0 && cache.partial.size() >= cache.min_partial) {
    // It was already on the partial list, which counts it: nr_partial >= min_partial.
    cache.partial.remove(it->first);
    discard(it->first);
  }
  return true;
}

void SlubPool::discard(std::uint64_t base) {
  const Slab& slab = slabs_.at(base);
  pages_.free(pages_.vpn_of(base), PageCount{std::uint64_t{1} << slab.order});
  slabs_.erase(base);
}

PoolUsage SlubPool::usage() const {
  const PageCount pages = pages_.pages_held();
  return PoolUsage{pages, Bytes{live_bytes_}, Bytes{pages.value * page_ - live_bytes_}, Bytes{0}};
}

const SlubPool::Cache* SlubPool::find_cache(std::uint64_t size, bool slab_cache) const {
  if (slab_cache) {
    const unsigned* index = slab_caches_.find(size);
    return index == nullptr ? nullptr : &caches_[*index];
  }
  for (std::size_t i = 0; i < kmalloc_caches_; ++i) {
    if (caches_[i].size == size) return &caches_[i];
  }
  return nullptr;
}

std::vector<SlubPool::SlabView> SlubPool::slabs(std::uint64_t size, bool slab_cache) const {
  std::vector<SlabView> out;
  const Cache* cache = find_cache(size, slab_cache);
  for (const auto& [base, slab] : slabs_) {
    if (cache == nullptr || &caches_[slab.cache] != cache) continue;
    SlabView v{base, slab.order, slab.objects, {}};
    std::vector<bool> is_free(slab.objects, false);
    for (const unsigned f : slab.freelist) is_free[f] = true;
    for (unsigned i = 0; i < slab.objects; ++i) {
      if (!is_free[i]) v.used.push_back(i);
    }
    out.push_back(std::move(v));
  }
  return out;
}

std::optional<std::uint64_t> SlubPool::cpu_slab(std::uint64_t size, bool slab_cache) const {
  const Cache* c = find_cache(size, slab_cache);
  return c == nullptr ? std::nullopt : c->cpu;
}

std::vector<std::uint64_t> SlubPool::partial_slabs(std::uint64_t size, bool slab_cache) const {
  const Cache* c = find_cache(size, slab_cache);
  if (c == nullptr) return {};
  return {c->partial.begin(), c->partial.end()};
}

void SlubPool::check_invariants() const {
  auto fail = [](const std::string& why) { throw std::logic_error("SlubPool: " + why); };
  live_.check_invariants();
  large_.check_invariants();
  pages_.check_invariants();
  std::uint64_t pages = 0, live = 0;
  for (const auto& [base, slab] : slabs_) {
    const Cache& cache = caches_.at(slab.cache);
    pages += std::uint64_t{1} << slab.order;
    if (slab.used + slab.freelist.size() != slab.objects)
      fail("a slab's used count does not match its freelist");
    std::vector<bool> seen(slab.objects, false);
    for (const unsigned f : slab.freelist) {
      if (f >= slab.objects || seen[f]) fail("a slab's freelist is corrupt");
      seen[f] = true;
    }
    for (unsigned i = 0; i < slab.objects; ++i) {
      const std::uint64_t* fp = live_.find(base + std::uint64_t{i} * cache.size);
      if ((fp != nullptr) == seen[i]) fail("a slab object is both free and live, or neither");
      if (fp != nullptr) live += *fp;
    }
    const bool is_cpu = cache.cpu && *cache.cpu == base;
    const auto on_partial = std::count(cache.partial.begin(), cache.partial.end(), base);
    if (is_cpu && on_partial != 0) fail("the cpu slab is also on the partial list");
    if (!is_cpu && !slab.freelist.empty() && on_partial != 1)
      fail("a slab with free objects is on no list");
    if (slab.freelist.empty() && on_partial != 0) fail("a full slab is on the partial list");
  }
  for (const Cache& c : caches_) {
    if (c.cpu && slabs_.find(*c.cpu) == slabs_.end()) fail("the cpu slab does not exist");
    std::size_t empty = 0;
    for (const std::uint64_t b : c.partial) empty += slabs_.at(b).used == 0 ? 1 : 0;
    if (empty > c.min_partial) fail("more empty partial slabs than min_partial");
  }
  large_.for_each([&](std::uint64_t address, std::uint64_t n) {
    pages += n;
    const std::uint64_t* fp = live_.find(address);
    if (fp == nullptr || *fp != n * page_) fail("a large allocation is not live");
    live += *fp;
  });
  if (pages != pages_.pages_held().value) fail("pages held != slab pages + large pages");
  if (live != live_bytes_) fail("live bytes do not match the objects");
}

}  // namespace fragreplay::model
