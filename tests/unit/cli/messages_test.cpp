// Messages that say what is wrong in the user's terms: a fleet summary handed to diff, a profile
// name that is neither built in nor a file, counts of one in the singular, and help that offers
// only what the command does.
#include <gtest/gtest.h>

#include <string>

#include "cli/command.hpp"
#include "cli_support.hpp"
#include "model/profile.hpp"

namespace fragreplay::cli {
namespace {

using testing::run_cli;
using testing::RunResult;
using testing::TempFile;

TEST(Messages, DiffOnAFleetSummarySaysWhatTheFileIs) {
  const TempFile fleet(".json", R"({"kind": "fleet", "schema_version": 1, "traces": 1,
      "by_tag": {}, "totals": {}})");
  const RunResult r = run_cli({"diff", fleet.path(), fleet.path()});
  EXPECT_EQ(r.status, kExitUsage);
  EXPECT_EQ(r.err, "fragreplay: " + fleet.path() +
                       ": a fleet summary (merge or batch output), not a report: diff and check "
                       "compare the reports of single replays ('analyze --json')\n");
}

TEST(Messages, AnUnknownProfileNameListsTheBuiltIns) {
  std::string known;
  for (const auto& p : model::builtin_profiles()) known += (known.empty() ? "" : ", ") + p.name;
  const RunResult r = run_cli({"profiles", "--show", "nosuch"});
  EXPECT_EQ(r.status, kExitUsage);
  EXPECT_EQ(r.err, "fragreplay: unknown profile 'nosuch' (known: " + known + ")\n");
}

TEST(Messages, OneBadLineIsSingular) {
  const TempFile trace(".csv",
                       "# fragreplay trace v1\n"
                       "time_ns,event,routine,pool,tag,bytes,address,lowest,highest,boundary,cache,"
                       "node,adapter,process,thread\n"
                       "1000,alloc,ExAllocatePoolWithTag,NonPagedPool,Tag1,100,0x1000,,,,,,,,\n"
                       "oops\n");
  const RunResult r = run_cli({"analyze", trace.path(), "--on-bad-line", "skip"});
  EXPECT_EQ(r.status, kExitOk) << r.err;
  EXPECT_NE(r.out.find("  1 bad line skipped"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("1 bad lines"), std::string::npos) << r.out;
}

TEST(Messages, HelpOffersWhatIfOnlyWhereItIsDone) {
  for (const char* command : {"check", "batch"}) {
    const RunResult r = run_cli({command, "--help"});
    EXPECT_EQ(r.status, kExitOk);
    EXPECT_EQ(r.out.find("what-if"), std::string::npos) << command;
    // Boost wraps the option text: compare with the line breaks and indents folded.
    std::string folded;
    for (const char c : r.out) {
      if (c == ' ' || c == '\n') {
        if (!folded.empty() && folded.back() != ' ') folded.push_back(' ');
      } else {
        folded.push_back(c);
      }
    }
    EXPECT_NE(folded.find("; one profile"), std::string::npos) << command;
  }
  EXPECT_NE(run_cli({"analyze", "--help"}).out.find("(what-if)"), std::string::npos);
}

}  // namespace
}  // namespace fragreplay::cli
