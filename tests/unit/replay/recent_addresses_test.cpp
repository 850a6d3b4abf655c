// RecentAddresses: the window is exactly the last capacity() adds, whether last() is asked after
// every add (the index kept up to date add by add), after fewer than capacity() adds (the adds
// that left the window dropped from the ring's older half) or after more (the index rebuilt).
// Hand-worked windows of 4 adds, a reference model on random sequences, and the engine's use of
// it at the default window of 65,536 adds.
#include "replay/recent_addresses.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <random>
#include <sstream>
#include <utility>

#include "replay/engine.hpp"
#include "test_support.hpp"

namespace fragreplay::replay {
namespace {

using Last = RecentAddresses::Last;

TEST(RecentAddresses, KnowsTheLatestOfTheLastCapacityAdds) {
  RecentAddresses r(4);
  EXPECT_EQ(r.last(0xA), std::nullopt);  // nothing added
  r.add(0xA, Last::kFreed);
  r.add(0xB, Last::kFreed);
  r.add(0xC, Last::kFreed);
  r.add(0xD, Last::kRefused);
  // Window (oldest first): A B C D.
  EXPECT_EQ(r.last(0xA), Last::kFreed);
  EXPECT_EQ(r.last(0xD), Last::kRefused);
  EXPECT_EQ(r.last(0xE), std::nullopt);
  r.add(0xE, Last::kFreed);
  // B C D E: A was the fifth add from the end, outside a window of 4.
  EXPECT_EQ(r.last(0xA), std::nullopt);
  EXPECT_EQ(r.last(0xB), Last::kFreed);
  r.check_invariants();
}

TEST(RecentAddresses, AnAddressAddedTwiceStaysUntilItsLatestAddLeaves) {
  RecentAddresses r(4);
  r.add(0xA, Last::kRefused);
  r.add(0xB, Last::kFreed);
  r.add(0xA, Last::kFreed);  // the driver freed what it got; later freed again
  r.add(0xC, Last::kFreed);
  EXPECT_EQ(r.last(0xA), Last::kFreed);  // A B A C: the latest add of A says freed
  r.add(0xD, Last::kFreed);
  // B A C D: the first A left, the second is still in.
  EXPECT_EQ(r.last(0xA), Last::kFreed);
  r.check_invariants();
  r.add(0xE, Last::kFreed);
  // A C D E.
  EXPECT_EQ(r.last(0xA), Last::kFreed);
  EXPECT_EQ(r.last(0xB), std::nullopt);
  r.add(0xF, Last::kFreed);
  // C D E F.
  EXPECT_EQ(r.last(0xA), std::nullopt);
  r.check_invariants();
}

TEST(RecentAddresses, ALongSilenceRebuildsTheSameWindow) {
  // No question for 9 adds (more than the window of 4): the index is rebuilt from the ring.
  RecentAddresses r(4);
  EXPECT_EQ(r.last(0x1), std::nullopt);
  for (std::uint64_t a = 1; a <= 9; ++a) r.add(a, a == 7 ? Last::kRefused : Last::kFreed);
  // Window 6 7 8 9.
  EXPECT_EQ(r.last(0x5), std::nullopt);
  EXPECT_EQ(r.last(0x6), Last::kFreed);
  EXPECT_EQ(r.last(0x7), Last::kRefused);
  EXPECT_EQ(r.last(0x9), Last::kFreed);
  r.check_invariants();
  // Then 3 adds (fewer than 4): 6, 7 and 8 leave, dropped one by one from the older half.
  r.add(0x7, Last::kFreed);
  r.add(0xA, Last::kFreed);
  r.add(0xB, Last::kRefused);
  // Window 9 7 A B.
  EXPECT_EQ(r.last(0x6), std::nullopt);
  EXPECT_EQ(r.last(0x7), Last::kFreed);
  EXPECT_EQ(r.last(0x8), std::nullopt);
  EXPECT_EQ(r.last(0xB), Last::kRefused);
  r.check_invariants();
}

TEST(RecentAddresses, TheReservedAddressTakesNoPlaceInTheWindow) {
  RecentAddresses r(2);
  r.add(0xA, Last::kFreed);
  r.add(~std::uint64_t{0}, Last::kFreed);  // FlatMap's reserved key
  r.add(0xB, Last::kFreed);
  // Window A B: the reserved address took no place in it.
  EXPECT_EQ(r.last(0xA), Last::kFreed);
  // It is said to be freed whatever was added (the replay's answer before the lazy index).
  EXPECT_EQ(r.last(~std::uint64_t{0}), Last::kFreed);
  EXPECT_EQ(RecentAddresses(2).last(~std::uint64_t{0}), Last::kFreed);
  r.check_invariants();
}

TEST(RecentAddresses, CapacityMustBeAPowerOfTwo) {
  EXPECT_THROW(RecentAddresses(3), std::invalid_argument);
  EXPECT_EQ(RecentAddresses().capacity(), 65536u);
}

// A reference: the window as a list of the last `capacity` adds, searched newest first.
std::optional<Last> reference_last(const std::deque<std::pair<std::uint64_t, Last>>& window,
                                   std::uint64_t address) {
  for (auto it = window.rbegin(); it != window.rend(); ++it) {
    if (it->first == address) return it->second;
  }
  return std::nullopt;
}

TEST(RecentAddresses, MatchesAReferenceWindowOnRandomSequences) {
  for (const std::size_t capacity : {1u, 2u, 8u, 64u}) {
    std::mt19937_64 rng(capacity);
    RecentAddresses r(capacity);
    std::deque<std::pair<std::uint64_t, Last>> window;
    for (int step = 0; step < 20000; ++step) {
      // Bursts of adds of every length, from none to several windows, between questions.
      const std::uint64_t burst = rng() % (3 * capacity + 2);
      for (std::uint64_t i = 0; i < burst; ++i) {
        const std::uint64_t address = rng() % (2 * capacity + 3);  // many repeats
        const Last what = rng() % 4 == 0 ? Last::kRefused : Last::kFreed;
        r.add(address, what);
        window.emplace_back(address, what);
        if (window.size() > capacity) window.pop_front();
      }
      const std::uint64_t asked = rng() % (2 * capacity + 4);
      ASSERT_EQ(r.last(asked), reference_last(window, asked))
          << "capacity " << capacity << " step " << step;
      if (step % 101 == 0) r.check_invariants();
    }
    r.check_invariants();
  }
}

// The engine at the default window: a free of an address freed 65,536 adds ago is still a double
// free; one add later it is an unknown free. Refused contiguous requests (beyond any RAM: the
// constraint, §5.3) add an address each without touching memory.
std::string freed_then_refusals(std::uint64_t refusals) {
  std::ostringstream t;
  t << "1,alloc,ExAllocatePoolWithTag,NonPagedPool,Aaaa,100,0xA0,,,,,,,,\n"
    << "2,free,ExFreePool,,,,0xA0,,,,,,,,\n";  // add 1: 0xA0 freed
  for (std::uint64_t i = 0; i < refusals; ++i) {
    t << "3,alloc,MmAllocateContiguousMemory,,Cccc,4096,0x" << std::hex << (0x100000 + i * 16)
      << std::dec << ",,0x0,,,,,,\n";
  }
  t << "4,free,ExFreePool,,,,0xA0,,,,,,,,\n"                   // 0xA0 again
    << "5,free,MmFreeContiguousMemory,,,,0x100000,,,,,,,,\n";  // the first refused address
  return t.str();
}

replay::Results replay_unchecked(const std::string& body) {
  auto reader = trace::open_trace(trace::memory_source(testing::native_trace(body), "t.csv"),
                                  trace::ReadOptions{trace::BadLinePolicy::kSkip});
  model::Machine machine(model::builtin_profile("win7-x64"), model::MachineConfig{});
  return replay::replay_trace(*reader, machine, replay::ReplayOptions{});
}

TEST(RecentAddresses, TheEngineRemembersExactlyTheLast65536Adds) {
  {
    // 1 free + 65,535 refusals: 0xA0's free is the oldest add of the window.
    const Results r = replay_unchecked(freed_then_refusals(65535));
    EXPECT_EQ(r.data_quality[Anomaly::kDoubleFree].count, 1u);
    EXPECT_EQ(r.data_quality[Anomaly::kUnknownFree].count, 0u);
    EXPECT_EQ(r.data_quality.frees_of_refused, 1u);
  }
  {
    // One refusal more pushes it out: the free is of an address the replay no longer knows.
    const Results r = replay_unchecked(freed_then_refusals(65536));
    EXPECT_EQ(r.data_quality[Anomaly::kDoubleFree].count, 0u);
    EXPECT_EQ(r.data_quality[Anomaly::kUnknownFree].count, 1u);
    EXPECT_EQ(r.data_quality.frees_of_refused, 1u);
  }
}

}  // namespace
}  // namespace fragreplay::replay
