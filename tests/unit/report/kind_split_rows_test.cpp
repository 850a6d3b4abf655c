// The rows of several pool kinds as the terminal and Markdown list them
// (report/kind_split_rows.hpp; docs/attribution.md §4). Under win7-x64 a 100-byte pool request
// takes a 128-byte block (16-byte header, 12 bytes of granularity: docs/model.md §1.2). Tag Aaaa
// and the events without a process use NonPagedPool and PagedPool; process p2 only PagedPool; the
// routine holds every event, so it would repeat the Pool kinds table and is left out.
#include <gtest/gtest.h>

#include "report/kind_split_rows.hpp"
#include "test_support.hpp"

namespace fragreplay::report {
namespace {

const char* kTrace =
    "0,alloc,ExAllocatePoolWithTag,NonPagedPool,Aaaa,100,0x10,,,,,,,,\n"
    "1,alloc,ExAllocatePoolWithTag,PagedPool,Aaaa,100,0x20,,,,,,,,\n"
    "2,alloc,ExAllocatePoolWithTag,PagedPool,Bbbb,100,0x30,,,,,,,p2,\n";

TEST(KindSplitRows, TheRowsOfSeveralPoolsPartByPart) {
  const replay::Results r = testing::replay_text(kTrace);
  EXPECT_EQ(mixed_kinds_text(r),
            "\n"
            "Rows in several pools                    allocs  requested  footprint      waste\n"
            "  tag Aaaa             NonPaged               1      100 B      128 B       28 B\n"
            "                       Paged                  1      100 B      128 B       28 B\n"
            "  process (not reco... NonPaged               1      100 B      128 B       28 B\n"
            "                       Paged                  1      100 B      128 B       28 B\n");
  EXPECT_EQ(mixed_kinds_markdown(r),
            "\n**Rows in several pools**\n\n"
            "| row: pool | allocations | requested | footprint | waste | waste, % of footprint |\n"
            "|---|---:|---:|---:|---:|---:|\n"
            "| `tag Aaaa: NonPaged` | 1 | 100 B | 128 B | 28 B | 21.9 % |\n"
            "| `tag Aaaa: Paged` | 1 | 100 B | 128 B | 28 B | 21.9 % |\n"
            "| `process (not recorded): NonPaged` | 1 | 100 B | 128 B | 28 B | 21.9 % |\n"
            "| `process (not recorded): Paged` | 1 | 100 B | 128 B | 28 B | 21.9 % |\n");
}

TEST(KindSplitRows, EveryRowAndKindForTheCsv) {
  const replay::Results r = testing::replay_text(kTrace);
  std::vector<std::string> lines;
  for (const KindSplitRow& row : kind_split_rows(r)) {
    for (const auto& [kind, part] : row_parts(row))
      lines.push_back(std::string(row.group) + " " + row.key + " " + replay::kPoolKindKeys[kind] +
                      " " + std::to_string(part.allocations));
  }
  EXPECT_EQ(lines, (std::vector<std::string>{"tag Aaaa nonpaged 1", "tag Aaaa paged 1",
                                             "tag Bbbb paged 1", "process  nonpaged 1",
                                             "process  paged 1", "process p2 paged 1",
                                             "routine ExAllocatePoolWithTag nonpaged 1",
                                             "routine ExAllocatePoolWithTag paged 2"}));
}

}  // namespace
}  // namespace fragreplay::report
