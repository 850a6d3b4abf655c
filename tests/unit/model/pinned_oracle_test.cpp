// The pinned frames of a failure's diagnosis (ContiguousDiagnosis::pinned and pinned_truncated,
// docs/model.md §8.2), which the free-run index finds by skipping subtrees on their run-pair
// figures (free_run_pairs.hpp), against the frame-by-frame reference (naive_pinned.hpp) on
// thousands of seeded random cases: RAM maps with holes and must-be-cached ranges, used stretches
// of random lengths and owners, changes left pending in the lazy tree between diagnoses, random
// requests and windows, and run limits small enough that the cut falls inside the maps.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <vector>

#include "model/physical/physical_memory.hpp"
#include "naive_pinned.hpp"

namespace fragreplay::model {
namespace {

constexpr PageSize k4K{12};

struct Case {
  std::vector<RamRange> ram;
  std::uint64_t end = 0;
};

// 1 to 5 RAM ranges: mostly small, some long enough for several tree levels; holes between.
Case random_ram(std::mt19937_64& rng) {
  Case c;
  std::uint64_t at = rng() % 130;
  const int ranges = 1 + static_cast<int>(rng() % 5);
  for (int r = 0; r < ranges; ++r) {
    const std::uint64_t len = rng() % 5 == 0 ? 1000 + rng() % 6000 : 1 + rng() % 500;
    c.ram.push_back({Pfn{at}, PageCount{len}});
    at += len + (rng() % 4 == 0 ? 1 : 1 + rng() % 200);
  }
  c.end = at;
  return c;
}

// Alternating used and free stretches of random lengths (a short-stretch, a long-stretch or a
// single-frame mix), each used stretch with one owner, sometimes two.
void fill(PhysicalMemory& m, const std::vector<OwnerId>& owners, std::mt19937_64& rng) {
  const unsigned style = static_cast<unsigned>(rng() % 3);
  const auto stretch = [&] {
    switch (style) {
      case 0:
        return 1 + rng() % 4;
      case 1:
        return 1 + rng() % 40;
      default:
        return std::uint64_t{1};
    }
  };
  for (const RamRange& g : m.ram()) {
    const std::uint64_t end = g.first.value + g.count.value;
    for (std::uint64_t f = g.first.value + rng() % 3; f < end;) {
      const std::uint64_t used = std::min(stretch(), end - f);
      const OwnerId a = owners[rng() % owners.size()];
      const OwnerId b = rng() % 3 == 0 ? owners[rng() % owners.size()] : a;
      for (std::uint64_t x = 0; x < used; ++x) {
        m.claim_run(Pfn{f + x}, PageCount{1}, x < used / 2 ? a : b);
      }
      f += used + stretch();
    }
  }
}

// Frees some used frames and takes some free ones, leaving the changes pending in the tree.
void churn(PhysicalMemory& m, const std::vector<OwnerId>& owners, std::mt19937_64& rng) {
  const std::uint64_t end = m.end_frame().value;
  for (int k = 0; k < 30; ++k) {
    const Pfn f{rng() % end};
    if (!m.is_ram(f)) continue;
    if (m.is_free(f)) {
      m.claim_run(f, PageCount{1}, owners[rng() % owners.size()]);
    } else {
      m.release_page(f);
    }
  }
}

ContiguousRequest random_request(std::mt19937_64& rng, std::uint64_t end) {
  const std::uint64_t lo = rng() % 4 == 0 ? 0 : rng() % end;
  const std::uint64_t hi = rng() % 4 == 0 ? end + 3 : lo + rng() % (end - lo);
  const std::uint64_t b = rng() % 3 == 0 ? 0 : std::uint64_t{1} << (rng() % 10);
  const std::uint64_t n = rng() % 6 == 0 ? 1 + rng() % 300 : 1 + rng() % 12;
  return ContiguousRequest{PageCount{n},
                           Pfn{lo},
                           Pfn{hi},
                           PageCount{b},
                           static_cast<CachingType>(rng() % 3),
                           rng() % 2 ? ScanDirection::kAscending : ScanDirection::kDescending};
}

TEST(PinnedOracle, DiagnosisAgreesWithTheFrameByFrameReference) {
  std::mt19937_64 rng(20240517);
  int compared = 0, truncated = 0, pinned = 0;
  for (int round = 0; round < 150; ++round) {
    const Case c = random_ram(rng);
    PhysicalMemory m(c.ram, k4K, 0);
    for (int k = 0; k < static_cast<int>(rng() % 3); ++k) {
      const std::uint64_t first = rng() % c.end;
      m.add_cached_range(Pfn{first}, Pfn{std::min(c.end - 1, first + rng() % 300)});
    }
    std::vector<OwnerId> owners;
    for (const char* tag : {"Aaaa", "Bbbb", "Cccc", "Dddd"}) {
      owners.push_back(m.intern_owner({OwnerClass::kPool, Tag::from_chars(tag)}));
    }
    fill(m, owners, rng);
    m.check_invariants();
    const std::uint64_t end = m.end_frame().value;
    for (int q = 0; q < 30; ++q) {
      if (q % 10 == 9) churn(m, owners, rng);
      const ContiguousRequest r = random_request(rng, end);
      // A small limit puts the cut inside the map; the product's limit too.
      for (const std::uint64_t limit :
           {std::uint64_t{1 + rng() % 8}, std::uint64_t{1 + rng() % 200},
            ContiguousDiagnosis::kPinnedRunLimit}) {
        const ContiguousDiagnosis& d = m.diagnose(r, limit);
        const NaivePinned want = naive_pinned(m, r, limit);
        const std::map<OwnerId, std::uint64_t> got(d.pinned.begin(), d.pinned.end());
        ASSERT_EQ(got, want.pinned) << "round " << round << " request " << q << " limit " << limit;
        ASSERT_EQ(d.pinned_truncated, want.truncated)
            << "round " << round << " request " << q << " limit " << limit;
        ++compared;
        truncated += want.truncated ? 1 : 0;
        pinned += want.pinned.empty() ? 0 : 1;
      }
    }
    m.check_invariants();
  }
  // The cases reach both sides of every check.
  EXPECT_EQ(compared, 150 * 30 * 3);
  EXPECT_GT(truncated, compared / 20);
  EXPECT_GT(pinned, compared / 10);
}

}  // namespace
}  // namespace fragreplay::model
