// Device windows (replay/device_windows.hpp, docs/measures.md §3.3): the fragmentation figures of
// one window of physical memory worked out by hand, its map following the frames from the moment
// it is watched, and the windows a replay follows: the distinct windows contiguous requests name
// that are not all of RAM, each with its requests and failures.
#include <gtest/gtest.h>

#include <algorithm>

#include "replay/device_windows.hpp"
#include "replay/sampler.hpp"
#include "test_support.hpp"

namespace fragreplay::replay {
namespace {

constexpr unsigned kPool = static_cast<unsigned>(model::OwnerClass::kPool);

// 16 frames, frames 3, 6, 7, 11 and 13 held: ...#..##...#.#.. The window [4, 12) holds free runs
// 4-5 (2 frames) and 8-10 (3 frames), clipped at the window's ends: pieces n0 = 1 (the 1-bit of
// 3) and n1 = 2 (the 2-bits of 2 and 3), F = 5 free frames, B = 3 pieces; 8 frames give 4 orders.
//   order 0: S = 1 + 2·2 = 5 blocks: unusable (5 - 5)/5 = 0; a block exists: fragmentation -1.
//   order 1: S = 2: unusable (5 - 4)·1000/5 = 200; fragmentation -1.
//   order 2: S = 0: unusable 1.000; fragmentation 1000 - (1000 + 5000/4)/3 = 1000 - 750 = 250.
//   order 3: unusable 1.000; fragmentation 1000 - (1000 + 5000/8)/3 = 1000 - 541 = 459.
TEST(DeviceWindows, FiguresOfAWindowWorkedByHand) {
  model::PhysicalMemory m({model::RamRange{Pfn{0}, PageCount{16}}}, PageSize{12}, 0);
  const model::OwnerId o = m.intern_owner({model::OwnerClass::kPool, Tag::from_chars("X")});
  for (const std::uint64_t f : {3ULL, 6ULL, 7ULL, 11ULL, 13ULL})
    m.claim_run(Pfn{f}, PageCount{1}, o);
  ASSERT_EQ(m.watch_window(Pfn{4}, Pfn{12}), 0u);
  const model::WindowMaps::Window& w = m.window_maps().windows().at(0);
  WindowSample s;
  Sampler::fill_window(m, w, s);
  EXPECT_EQ(s.free_frames, PageCount{5});
  EXPECT_EQ(s.largest_free_run, PageCount{3});
  EXPECT_EQ(s.free_runs_by_order, (std::vector<std::uint64_t>{1, 2, 0, 0}));
  EXPECT_EQ(s.unusable_index, (std::vector<double>{0.0, 0.2, 1.0, 1.0}));
  EXPECT_EQ(s.fragmentation_index, (std::vector<double>{-1.0, -1.0, 0.25, 0.459}));
  // 8 frames make 8 buckets of one frame: the frames held when the watch began (6, 7, 11) are
  // counted; frames outside the window (3, 13) are not.
  ASSERT_EQ(w.map.buckets(), 8u);
  const auto pool_share = [&](unsigned bucket) {
    return s.frame_shares.at(bucket * model::kOwnerClassCount + kPool);
  };
  for (unsigned b = 0; b < 8; ++b) {
    EXPECT_EQ(pool_share(b), (b == 2 || b == 3 || b == 7) ? 255u : 0u) << "bucket " << b;
  }
  // Changes after the watch are followed: frame 4 taken, frame 7 given back.
  m.claim_run(Pfn{4}, PageCount{1}, o);
  m.release_page(Pfn{7});
  m.check_invariants();
  Sampler::fill_window(m, w, s);
  EXPECT_EQ(pool_share(0), 255u);
  EXPECT_EQ(pool_share(3), 0u);
  EXPECT_EQ(s.free_frames, PageCount{5});  // 5, 7-10
  EXPECT_EQ(s.largest_free_run, PageCount{4});
}

std::string contiguous(std::uint64_t t, const char* tag, std::uint64_t bytes, std::uint64_t addr,
                       const char* lowest, const char* highest) {
  return std::to_string(t) + ",alloc,MmAllocateContiguousMemorySpecifyCache,," + tag + "," +
         std::to_string(bytes) + "," + std::to_string(addr) + "," + lowest + "," + highest +
         ",0,MmCached,,,,\n";
}

// 32 MiB of RAM (frames 0-8191). An 8 MiB buffer below 16 MiB opens the window [0, 4096); a
// 12 MiB one in the same window fails (2,048 frames are left in it); a page anywhere in RAM is
// all of RAM and opens none; a page between 16 and 32 MiB opens [4096, 8192). The first event
// (a free of an unknown address) is sampled before any window is watched.
TEST(DeviceWindows, AReplayFollowsTheWindowsRequestsName) {
  model::MachineConfig config;
  config.ram = {model::RamRange{Pfn{0}, PageCount{8192}}};
  const Results r =
      testing::replay_text("500,free,ExFreePool,,,,0x99,,,,,,,,\n" +
                               contiguous(1000, "Ring", 8u << 20, 0x10, "0", "0xffffff") +
                               contiguous(2000, "Ring", 12u << 20, 0x20, "0", "0xffffff") +
                               contiguous(3000, "Page", 4096, 0x30, "0", "0xffffffff") +
                               contiguous(4000, "High", 4096, 0x40, "0x1000000", "0x1ffffff"),
                           "win7-x64", config);
  ASSERT_EQ(r.device_windows.size(), 2u);
  const DeviceWindow& low = r.device_windows[0];
  EXPECT_EQ(low.lowest, 0u);
  EXPECT_EQ(low.highest, 0xffffffu);
  EXPECT_EQ(low.first_frame, 0u);
  EXPECT_EQ(low.end_frame, 4096u);
  EXPECT_EQ(low.watched_from_ns, 1000u);
  EXPECT_EQ(low.requests, 2u);
  EXPECT_EQ(low.failures, 1u);
  const DeviceWindow& high = r.device_windows[1];
  EXPECT_EQ(high.first_frame, 4096u);
  EXPECT_EQ(high.end_frame, 8192u);
  EXPECT_EQ(high.requests, 1u);
  EXPECT_EQ(high.failures, 0u);
  ASSERT_EQ(r.timeline.size(), 5u);  // a sample after every event
  EXPECT_TRUE(r.timeline[0].windows.empty());
  ASSERT_EQ(r.timeline[1].windows.size(), 1u);
  // After the 8 MiB buffer: 2,048 of the window's 4,096 frames are free, in one run (an order-11
  // piece: 13 orders for 4,096 frames), and half of its 128 buckets are all contiguous memory.
  const WindowSample& after = r.timeline[1].windows[0];
  EXPECT_EQ(after.free_frames, PageCount{2048});
  EXPECT_EQ(after.largest_free_run, PageCount{2048});
  ASSERT_EQ(after.unusable_index.size(), 13u);
  EXPECT_EQ(after.unusable_index[11], 0.0);
  EXPECT_EQ(after.unusable_index[12], 1.0);
  EXPECT_EQ(after.fragmentation_index[11], -1.0);
  std::size_t held = 0;
  constexpr unsigned kContiguous = static_cast<unsigned>(model::OwnerClass::kContiguous);
  for (std::size_t b = 0; b < 128; ++b)
    held += after.frame_shares.at(b * model::kOwnerClassCount + kContiguous) == 255 ? 1 : 0;
  EXPECT_EQ(held, 64u);
  EXPECT_EQ(r.timeline[3].windows.size(), 1u) << "all of RAM opens no window";
  EXPECT_EQ(r.timeline[4].windows.size(), 2u);
  EXPECT_EQ(r.timeline[4].windows[1].free_frames, PageCount{4095});
}

}  // namespace
}  // namespace fragreplay::replay
