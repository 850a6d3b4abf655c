// Virtual pages for the pool and their frames (see pool_pages.hpp).
#include "model/pool_pages.hpp"

#include <stdexcept>

namespace fragreplay::model {

namespace {
// Model-internal pool addresses start high so that no handle is 0 and page-aligned tests are
// meaningful; the value itself carries no meaning.
constexpr std::uint64_t kPoolBase = 0xFFFF'A000'0000'0000ull;
}  // namespace

PoolPages::PoolPages(PhysicalMemory& memory, PageSize page_size)
    : memory_(memory), page_size_(page_size), next_vpn_(kPoolBase >> page_size.shift) {}

std::uint64_t PoolPages::reserve(PageCount n) {
  const std::uint64_t vpn = next_vpn_;
  next_vpn_ += n.value;
  return vpn;
}

bool PoolPages::commit(std::uint64_t vpn, PageCount n, bool nonpaged, OwnerId owner) {
  if (nonpaged && memory_.free_frames() < n) return false;
  for (std::uint64_t i = 0; i < n.value; ++i) {
    if (frames_.find(vpn + i) != nullptr)
      throw std::logic_error("PoolPages: commit of a page already committed");
    if (nonpaged) {
      const auto f = memory_.take_page(owner, /*cache=*/1);
      frames_.insert(vpn + i, static_cast<std::uint32_t>(f->value));
    } else {
      frames_.insert(vpn + i, kPaged);
      ++paged_held_;
    }
  }
  held_ += n;
  return true;
}

std::optional<std::uint64_t> PoolPages::allocate(bool nonpaged, PageCount n, OwnerId owner) {
  if (nonpaged && memory_.free_frames() < n) return std::nullopt;
  const std::uint64_t vpn = reserve(n);
  commit(vpn, n, nonpaged, owner);
  return vpn;
}

std::optional<std::uint64_t> PoolPages::allocate_aligned_run(PageCount n, OwnerId owner) {
  ContiguousRequest request;
  request.pages = n;
  request.lowest = Pfn{0};
  request.highest = Pfn{memory_.end_frame().value - 1};
  request.boundary = n;  // a run of n frames that crosses no multiple of n starts on one
  const ContiguousResult r = memory_.take_contiguous(request, owner);
  if (!r.first) return std::nullopt;
  const std::uint64_t vpn = reserve(n);
  for (std::uint64_t i = 0; i < n.value; ++i) {
    frames_.insert(vpn + i, static_cast<std::uint32_t>(r.first->value + i));
  }
  held_ += n;
  return vpn;
}

void PoolPages::free(std::uint64_t vpn, PageCount n) {
  for (std::uint64_t i = 0; i < n.value; ++i) {
    const std::uint32_t* f = frames_.find(vpn + i);
    if (f == nullptr) throw std::logic_error("PoolPages: free of a page not held");
    if (*f == kPaged) {
      --paged_held_;
    } else {
      memory_.release_page(Pfn{*f});
    }
    frames_.erase(vpn + i);
  }
  held_ -= n;
}

std::optional<Pfn> PoolPages::frame_of(std::uint64_t vpn) const {
  if (const auto* f = frames_.find(vpn); f != nullptr && *f != kPaged) return Pfn{*f};
  return std::nullopt;
}

void PoolPages::check_invariants() const {
  frames_.check_invariants();
  std::uint64_t paged = 0;
  frames_.for_each([&](std::uint64_t, std::uint32_t f) { paged += f == kPaged ? 1 : 0; });
  if (frames_.size() != held_.value || paged != paged_held_) {
    throw std::logic_error("PoolPages: pages held != nonpaged + paged pages");
  }
}

}  // namespace fragreplay::model
