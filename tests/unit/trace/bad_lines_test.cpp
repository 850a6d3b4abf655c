// The one bad-line policy every line reader shares (trace/bad_lines.hpp): under kFail a
// LineProblem becomes an Error at its line; under kSkip every bad line is counted and the first
// BadLines::kKeep are kept with their line and message. Checked on the guard itself and through
// one reader of each family (native, a Windows text export, a Linux capture).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/error.hpp"
#include "test_support.hpp"
#include "trace/bad_lines.hpp"
#include "trace/byte_source.hpp"
#include "trace/trace_reader.hpp"

namespace fragreplay::trace {
namespace {

TEST(BadLineGuard, FailRaisesAnErrorAtTheLine) {
  BadLineGuard guard(BadLinePolicy::kFail);
  EXPECT_TRUE(guard.run("t.csv", 3, [] {}));
  try {
    guard.run("t.csv", 7, [] { line_problem("broken"); });
    FAIL() << "expected an Error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "t.csv:7: broken");
  }
  EXPECT_EQ(guard.bad_lines().count, 0u);
}

TEST(BadLineGuard, SkipCountsAllAndKeepsTheFirst) {
  BadLineGuard guard(BadLinePolicy::kSkip);
  for (std::uint64_t line = 1; line <= BadLines::kKeep + 5; ++line) {
    EXPECT_FALSE(guard.run("t.csv", line, [&] { line_problem("bad " + std::to_string(line)); }));
  }
  EXPECT_TRUE(guard.run("t.csv", 99, [] {}));
  const BadLines& b = guard.bad_lines();
  EXPECT_EQ(b.count, BadLines::kKeep + 5);
  ASSERT_EQ(b.first.size(), BadLines::kKeep);
  EXPECT_EQ(b.first[0].position, 1u);
  EXPECT_EQ(b.first[0].message, "bad 1");
  EXPECT_EQ(b.first.back().position, BadLines::kKeep);
}

// One bad line through readers built on the skeleton (line_trace_reader.hpp), skipped: counted
// at its line, the other lines read. (The Windows text exports: XperfText in
// text_readers_test.cpp.)
std::uint64_t first_bad_line(const std::string& text, std::size_t& events) {
  auto r = open_trace(memory_source(text, "t"), ReadOptions{BadLinePolicy::kSkip});
  std::vector<Event> batch(8);
  events = 0;
  while (const std::size_t n = r->read(batch)) events += n;
  EXPECT_EQ(r->bad_lines().count, 1u);
  return r->bad_lines().first.empty() ? 0 : r->bad_lines().first[0].position;
}

TEST(BadLineGuard, ReadersOnTheSkeletonShareIt) {
  std::size_t events = 0;
  EXPECT_EQ(first_bad_line(testing::native_trace(
                               "10,alloc,ExAllocatePoolWithTag,PagedPool,Abcd,16,0x10,,,,,,,,\n"
                               "11,alloc,NoSuchRoutine,PagedPool,Abcd,16,0x20,,,,,,,,\n"),
                           events),
            4u);
  EXPECT_EQ(events, 1u);
  EXPECT_EQ(first_bad_line("Attaching 2 probes...\nffff8880b7b0c400,      552,     1024\n"
                           "not a record\n",
                           events),
            3u);
  EXPECT_EQ(events, 1u);
}

}  // namespace
}  // namespace fragreplay::trace
