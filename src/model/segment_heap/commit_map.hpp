// Which pages of a segment-heap subsegment are committed. VS and LFH subsegments commit their
// pages on demand, as chunks first touch them, and the VS backend may decommit the pages a free
// chunk covers (docs/model.md §4.2 "Physical backing"). A subsegment spans at most 64
// pages (256 KiB of 4 KiB pages), so one 64-bit mask holds its state.
//
// Invariant: count() = number of set bits = pages of the subsegment committed in PoolPages.
#pragma once

#include <bit>
#include <cstdint>

#include "model/pool/pool_pages.hpp"

namespace fragreplay::model {

class CommitMap {
 public:
  static constexpr unsigned kMaxPages = 64;

  // REQUIRES: pages <= kMaxPages; base is page aligned.
  CommitMap(std::uint64_t base, std::uint64_t page_bytes, unsigned pages)
      : base_(base), page_(page_bytes), pages_(pages) {}

  // Pages overlapping [begin, end) that are not committed yet.
  unsigned missing(std::uint64_t begin, std::uint64_t end) const {
    return static_cast<unsigned>(std::popcount(span(begin, end) & ~mask_));
  }
  // Commits every page overlapping [begin, end). REQUIRES: pool.can_commit(missing(...)).
  void commit(PoolPages& pool, std::uint64_t begin, std::uint64_t end, bool nonpaged,
              OwnerId owner) {
    const std::uint64_t todo = span(begin, end) & ~mask_;
    for (unsigned i = 0; i < pages_; ++i) {
      if ((todo >> i & 1) == 0) continue;
      pool.commit(pool.vpn_of(base_) + i, PageCount{1}, nonpaged, owner);
    }
    mask_ |= todo;
  }
  // Decommits the committed pages lying wholly inside [begin, end).
  void decommit_inside(PoolPages& pool, std::uint64_t begin, std::uint64_t end) {
    const std::uint64_t first = (begin - base_ + page_ - 1) / page_;
    const std::uint64_t last = (end - base_) / page_;  // one past
    for (std::uint64_t i = first; i < last; ++i) {
      if ((mask_ >> i & 1) == 0) continue;
      pool.free(pool.vpn_of(base_) + i, PageCount{1});
      mask_ &= ~(std::uint64_t{1} << i);
    }
  }
  void decommit_all(PoolPages& pool) { decommit_inside(pool, base_, base_ + pages_ * page_); }

  bool committed(std::uint64_t address) const { return (mask_ >> ((address - base_) / page_)) & 1; }
  unsigned count() const { return static_cast<unsigned>(std::popcount(mask_)); }
  std::uint64_t mask() const { return mask_; }

 private:
  std::uint64_t span(std::uint64_t begin, std::uint64_t end) const {
    if (end <= begin) return 0;
    const std::uint64_t first = (begin - base_) / page_;
    const std::uint64_t last = (end - 1 - base_) / page_;
    const std::uint64_t upper =
        last >= 63 ? ~std::uint64_t{0} : (std::uint64_t{1} << (last + 1)) - 1;
    return upper & ~((std::uint64_t{1} << first) - 1);
  }

  std::uint64_t base_;
  std::uint64_t page_;
  unsigned pages_;
  std::uint64_t mask_ = 0;
};

}  // namespace fragreplay::model
