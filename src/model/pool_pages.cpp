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

std::optional<std::uint64_t> PoolPages::allocate(bool nonpaged, PageCount n, OwnerId owner) {
  if (nonpaged && memory_.free_frames() < n) return std::nullopt;
  const std::uint64_t vpn = next_vpn_;
  next_vpn_ += n.value;
  if (nonpaged) {
    for (std::uint64_t i = 0; i < n.value; ++i) {
      const auto f = memory_.take_page(owner, /*cache=*/1);
      frames_.insert(vpn + i, static_cast<std::uint32_t>(f->value));
    }
  } else {
    paged_held_ += n.value;
  }
  held_ += n;
  return vpn;
}

void PoolPages::free(std::uint64_t vpn, PageCount n) {
  for (std::uint64_t i = 0; i < n.value; ++i) {
    if (const auto* f = frames_.find(vpn + i)) {
      memory_.release_page(Pfn{*f});
      frames_.erase(vpn + i);
    } else {
      if (paged_held_ == 0) throw std::logic_error("PoolPages: free of a page not held");
      --paged_held_;
    }
  }
  held_ -= n;
}

std::optional<Pfn> PoolPages::frame_of(std::uint64_t vpn) const {
  if (const auto* f = frames_.find(vpn)) return Pfn{*f};
  return std::nullopt;
}

void PoolPages::check_invariants() const {
  frames_.check_invariants();
  if (frames_.size() + paged_held_ != held_.value) {
    throw std::logic_error("PoolPages: pages held != nonpaged + paged pages");
  }
}

}  // namespace fragreplay::model
