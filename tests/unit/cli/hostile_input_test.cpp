// Hostile input files end in exit status 2 with one line naming the file, never in a crash
// (README "Safety"): JSON nested 200,000 deep given to every command that reads JSON back.
#include <gtest/gtest.h>

#include <string>

#include "cli/command.hpp"
#include "cli_support.hpp"

namespace fragreplay::cli {
namespace {

using testing::run_cli;
using testing::RunResult;
using testing::TempFile;

std::string sample(const char* name) {
  return std::string(FRAGREPLAY_SOURCE_DIR) + "/traces/" + name;
}

// `depth` arrays inside each other, in a document that is otherwise a plausible report.
std::string nested(std::size_t depth) {
  return R"({"schema_version": 1, "totals": {}, "x": )" + std::string(depth, '[') +
         std::string(depth, ']') + "}";
}

TEST(HostileJson, DeepNestingIsRefusedBeforeParsingByEveryReader) {
  const TempFile deep(".json", nested(200000));
  const std::string message =
      "fragreplay: " + deep.path() + ": JSON nested deeper than 128 levels\n";
  const TempFile out(".json", "");
  const TempFile limits(".json", R"({"limits_version": 1, "rules": [
      {"metric": "totals.allocations", "max": 1}]})");
  const std::vector<Args> runs{
      {"analyze", sample("sample-nic.csv"), "--profile-file", deep.path()},
      {"profiles", "--show", deep.path()},
      {"diff", deep.path(), deep.path()},
      {"check", deep.path(), "--limits", limits.path()},
      {"check", sample("sample-nic.baseline.json"), "--limits", deep.path()},
      {"merge", deep.path(), "-o", out.path()},
  };
  for (const Args& args : runs) {
    const RunResult r = run_cli(args);
    EXPECT_EQ(r.status, kExitUsage) << args[0];
    EXPECT_EQ(r.err, message) << args[0];
  }
}

TEST(HostileJson, NestingUpToTheLimitIsParsed) {
  // 128 levels in all (the object and 127 arrays): past the depth check, refused for its shape.
  const TempFile ok(".json", nested(127));
  const RunResult r = run_cli({"diff", ok.path(), ok.path()});
  EXPECT_EQ(r.status, kExitOk) << r.err;
  const TempFile deep(".json", nested(128));
  EXPECT_EQ(run_cli({"diff", deep.path(), deep.path()}).err,
            "fragreplay: " + deep.path() + ": JSON nested deeper than 128 levels\n");
}

}  // namespace
}  // namespace fragreplay::cli
