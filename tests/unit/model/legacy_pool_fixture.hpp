// The legacy pool's test fixture: a profile without lookasides and delayed frees (so each step
// shows the list rules alone), a small RAM, and allocate/free calls that check every invariant.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "model/physical/physical_memory.hpp"
#include "model/pool/legacy_pool.hpp"
#include "model/pool/pool_pages.hpp"

namespace fragreplay::model::testing {

inline constexpr std::uint64_t kNonPagedPool = 0;

inline Profile plain(const std::string& name) {
  Profile p = builtin_profile(name);
  p.lookaside_max_units = 0;  // no lookasides: frees go straight to the lists
  p.pending_frees = 0;        // no delayed frees
  return p;
}

class PoolFixture {
 public:
  explicit PoolFixture(Profile profile, bool delayed = false, std::uint64_t frames = 256)
      : profile_(std::move(profile)),
        memory_({RamRange{Pfn{1}, PageCount{frames}}}, profile_.page_size, 0),
        pages_(memory_, profile_.page_size),
        pool_(profile_, pages_, memory_, delayed) {}

  // An allocation that must succeed; its outcome checked: footprint = requested + waste.
  AllocOutcome alloc_ok(std::uint64_t bytes, std::uint64_t type = kNonPagedPool) {
    const AllocOutcome o = alloc_outcome(bytes, type);
    EXPECT_TRUE(o.ok) << bytes;
    EXPECT_EQ(o.footprint, Bytes{bytes} + o.waste.total()) << "footprint = requested + waste";
    memory_.check_invariants();
    return o;
  }
  std::uint64_t alloc(std::uint64_t bytes, std::uint64_t type = kNonPagedPool) {
    return alloc_ok(bytes, type).handle;
  }
  AllocOutcome alloc_outcome(std::uint64_t bytes, std::uint64_t type = kNonPagedPool) {
    const AllocOutcome o =
        pool_.allocate(PoolRequest{type, Bytes{bytes}, Tag::from_chars("Test"), false});
    pool_.check_invariants();
    return o;
  }
  void free(std::uint64_t handle) {
    ASSERT_TRUE(pool_.free(handle));
    pool_.check_invariants();
    memory_.check_invariants();
  }
  std::vector<LegacyPool::BlockView> layout(std::uint64_t handle) const {
    return pool_.page_layout(handle);
  }
  PageCount pages() const { return pool_.usage().pages; }

  Profile profile_;
  PhysicalMemory memory_;
  PoolPages pages_;
  LegacyPool pool_;
};

}  // namespace fragreplay::model::testing
