// Stacks and images from raw ETL (docs/formats.md §10): the StackWalk after each pool event is
// attached to it (an allocation keeps it, a free's is counted), stacks whose pool event is absent
// are counted, kernel-space images are mapped by file name and user-space ones counted, on 64 and
// 32 bits, with the stacks of a compressed buffer too. The fixtures are
// tests/support/etl_fixtures.cpp's pool_stacks(): its comment lists each allocation and stack.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/error.hpp"
#include "etl_fixtures.hpp"
#include "etl_writer.hpp"
#include "test_support.hpp"
#include "trace/trace_reader.hpp"

namespace fragreplay::trace {
namespace {

struct Case {
  const char* file;
  std::uint64_t nt, tcpip, nic, nowhere, user;
};

class EtlStacks : public ::testing::TestWithParam<Case> {};

TEST_P(EtlStacks, EachAllocationGetsTheStackThatFollowsIt) {
  const Case c = GetParam();
  auto reader = open_trace(memory_source(testing::etl_fixture(c.file), c.file), ReadOptions{});
  const std::vector<Event> events = testing::read_all(*reader, 2);
  ASSERT_EQ(events.size(), 7u);
  const CodeMap* code = reader->code();
  ASSERT_NE(code, nullptr);
  auto frames = [&](const Event& e) {
    const auto f = code->stacks.frames(e.stack);
    return std::vector<std::uint64_t>(f.begin(), f.end());
  };
  const std::vector<std::uint64_t> nic_stack{c.nt + 0x1000, c.nt + 0x2000, c.nic + 0x1234,
                                             c.tcpip + 0x5000};
  // Time order: NicB, NicB, TcpE, ObjT, Unkn, NicB (no stack), the free.
  EXPECT_EQ(frames(events[0]), nic_stack);
  EXPECT_EQ(events[1].stack, events[0].stack);  // the same stack, interned once
  EXPECT_EQ(frames(events[2]),
            (std::vector<std::uint64_t>{c.nt + 0x1000, c.tcpip + 0x5000, c.nt + 0x3000, c.user}));
  EXPECT_EQ(frames(events[3]),
            (std::vector<std::uint64_t>{c.nt + 0x1000, c.nt + 0x4000, c.nt + 0x5000}));
  EXPECT_EQ(frames(events[4]),
            (std::vector<std::uint64_t>{c.nt + 0x1000, c.nowhere, c.tcpip + 0x6000}));
  EXPECT_EQ(events[5].stack, 0u);
  EXPECT_EQ(events[6].kind, EventKind::kFree);
  EXPECT_EQ(events[6].stack, 0u);  // a free's stack is not kept

  const StackFacts& f = reader->facts().stacks;
  EXPECT_EQ(f.records, 7u);  // 5 on allocations, 1 on the free, 1 without its event
  EXPECT_EQ(f.on_allocations, 5u);
  EXPECT_EQ(f.on_frees, 1u);
  EXPECT_EQ(f.unmatched, 1u);
  EXPECT_EQ(f.malformed, 0u);
  EXPECT_EQ(f.distinct, 4u);
  EXPECT_EQ(f.frames, 4u + 4u + 4u + 3u + 3u);
  EXPECT_EQ(f.image_records, 5u);  // 3 DCStart, 1 Load (user space), 1 DCEnd naming nt again
  EXPECT_EQ(f.images, 3u);
  EXPECT_EQ(f.user_images, 1u);
  EXPECT_EQ(f.images_overlapping, 0u);

  ASSERT_EQ(code->modules.size(), 3u);
  const ImageRange* nic = code->modules.find(c.nic + 0x1234);
  ASSERT_NE(nic, nullptr);
  EXPECT_EQ(nic->name, "nicdrv.sys");  // the path's directories dropped
  EXPECT_EQ(nic->base, c.nic);
  EXPECT_EQ(nic->size, 0x100000u);
  EXPECT_EQ(code->modules.find(c.nt + 0x7fffff)->name, "ntoskrnl.exe");
  EXPECT_EQ(code->modules.find(c.nt + 0x800000), nullptr);  // one past the image's end
  EXPECT_EQ(code->modules.find(c.nowhere), nullptr);
  EXPECT_EQ(code->pointer_size, std::string(c.file).find("x64") != std::string::npos ? 8u : 4u);
}

INSTANTIATE_TEST_SUITE_P(Both, EtlStacks,
                         ::testing::Values(Case{"pool-stacks-x64.etl", 0xfffff80000000000,
                                                0xfffff88001000000, 0xfffff88002000000,
                                                0xfffff88009999990, 0x7ff600001000},
                                           Case{"pool-stacks-x86.etl", 0x80400000, 0x8a000000,
                                                0x8b000000, 0x8f999990, 0x00401000}));

// One 64-bit allocation on thread 68 at tick 1100, then a StackWalk of `payload`.
std::string alloc_then_stack(const std::string& payload) {
  testing::EtlFile f;
  f.add_buffer(
      0, {testing::system_record(true, 0x0E, 0x20, 1100,
                                 testing::pool_payload(8, 0, "Abcd", 64, 0xfffffa80001000), 68, 4),
          testing::perfinfo_record(true, 0x18, 0x20, 1100, payload)});
  return f.bytes();
}

// A StackWalk whose frames are not whole pointers is malformed: an error naming its byte, or a
// skipped record.
TEST(EtlStacksDamage, MalformedStackWalkIsAnErrorAtItsByte) {
  const std::string bytes =
      alloc_then_stack(testing::stack_walk_payload(8, 1100, 4, 68, {1}) + "abc");
  try {
    auto r = open_trace(memory_source(bytes, "t.etl"), ReadOptions{});
    testing::read_all(*r, 2);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("StackWalk frames are not a whole number of pointers"),
              std::string::npos)
        << e.what();
  }
  auto r = open_trace(memory_source(bytes, "t.etl"), ReadOptions{BadLinePolicy::kSkip});
  const auto events = testing::read_all(*r, 2);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].stack, 0u);
  EXPECT_EQ(r->facts().stacks.malformed, 1u);
}

// Stacks come from a StackWalk on the same thread: one at the same time on another thread is not
// the allocation's.
TEST(EtlStacksDamage, AStackOfAnotherThreadIsNotAttached) {
  const std::string bytes = alloc_then_stack(testing::stack_walk_payload(8, 1100, 4, 69, {1, 2}));
  auto r = open_trace(memory_source(bytes, "t.etl"), ReadOptions{});
  const auto events = testing::read_all(*r, 2);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].stack, 0u);
  EXPECT_EQ(r->facts().stacks.unmatched, 1u);
}

}  // namespace
}  // namespace fragreplay::trace
