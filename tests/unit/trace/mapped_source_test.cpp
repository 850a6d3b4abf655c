// A regular file read through its mapping (byte_source.cpp): every byte lent once, in order, and
// a view lent early still reads the file's bytes after the pages behind the read position have
// been handed back (every 8 MiB past the first 16), which keeps the mapping's resident part small.
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>

#include "scratch_dir.hpp"
#include "trace/byte_source.hpp"

namespace fragreplay::trace {
namespace {

// The process's resident file-backed memory in KiB (Linux /proc/self/status), or -1.
long resident_file_kib() {
  std::ifstream status("/proc/self/status");
  std::string key;
  long value = -1;
  while (status >> key) {
    if (key == "RssFile:") {
      status >> value;
      return value;
    }
  }
  return -1;
}

TEST(MappedSource, BytesStayExactAfterThePagesBehindAreHandedBack) {
  // 40 MiB of a pattern no page repeats: byte i is a function of i and of i's page number.
  constexpr std::size_t kSize = std::size_t{40} << 20;
  std::string content(kSize, '\0');
  for (std::size_t i = 0; i < kSize; ++i) {
    content[i] = static_cast<char>((i * 131 + (i >> 12) * 7) & 0xFF);
  }
  const testing::Scratch scratch;
  const auto source = open_file_source(scratch.file("big.bin", content));
  ASSERT_TRUE(source->lends());
  const long before = resident_file_kib();
  const std::string_view first = source->lend(64 << 10);
  ASSERT_EQ(first.size(), std::size_t{64} << 10);
  std::size_t at = first.size();
  while (true) {
    const std::string_view v = source->lend(64 << 10);
    if (v.empty()) break;
    ASSERT_EQ(v, std::string_view(content).substr(at, v.size())) << "at byte " << at;
    at += v.size();
  }
  EXPECT_EQ(at, kSize);
  EXPECT_EQ(source->consumed(), kSize);
  // Kept mapped: at most the 16 MiB behind the read position before a hand-back (all 40 MiB
  // without them).
  const long after = resident_file_kib();
  if (before >= 0 && after >= 0) {
    EXPECT_LT(after - before, 20 * 1024);
  }
  // The first window's pages were handed back 24 MiB ago: they read the file again.
  EXPECT_EQ(first, std::string_view(content).substr(0, first.size()));
}

}  // namespace
}  // namespace fragreplay::trace
