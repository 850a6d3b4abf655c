// `batch` and `merge`: a report per trace plus their fleet summary; merging is associative and
// commutative to the byte; bad inputs are named with what was expected.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/command.hpp"
#include "cli_support.hpp"

namespace fragreplay::cli {
namespace {

namespace fs = std::filesystem;
using testing::run_cli;
using testing::RunResult;

std::string slurp(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string sample(const char* name) {
  return std::string(FRAGREPLAY_SOURCE_DIR) + "/traces/" + name;
}

class FleetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("fragreplay-fleet-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string at(const std::string& name) const { return (dir_ / name).string(); }
  // Batch-analyses the three 2,000-event samples into dir_/reports, two at a time.
  void batch_three() {
    const RunResult r =
        run_cli({"batch", sample("gen-network-driver.csv"), sample("gen-storage-driver.csv"),
                 sample("gen-anti-patterns.csv"), "-j", "2", "--out", at("reports"), "-q"});
    ASSERT_EQ(r.status, kExitOk) << r.err;
  }
  fs::path dir_;
};

TEST_F(FleetTest, BatchWritesAReportPerTraceAndTheirSum) {
  batch_three();
  for (const char* f : {"gen-network-driver.json", "gen-storage-driver.json",
                        "gen-anti-patterns.json", "fleet.json"}) {
    EXPECT_TRUE(fs::exists(at("reports/") + f)) << f;
  }
  const auto fleet = nlohmann::json::parse(slurp(at("reports/fleet.json")));
  EXPECT_EQ(fleet["kind"], "fleet");
  EXPECT_EQ(fleet["traces"], 3);
  // 2,000 events each (the samples' generate commands, traces/README.md).
  EXPECT_EQ(fleet["events"]["events"], 6000);
  EXPECT_EQ(fleet["sources"].size(), 3u);
  std::uint64_t waste = 0;
  for (const char* f : {"gen-network-driver", "gen-storage-driver", "gen-anti-patterns"}) {
    const auto report = nlohmann::json::parse(slurp(at("reports/") + f + ".json"));
    waste += report["totals"]["waste_bytes"]["total"].get<std::uint64_t>();
  }
  EXPECT_EQ(fleet["totals"]["waste_bytes"]["total"], waste);
  EXPECT_EQ(fleet["profiles"]["win7-x64"], 3);
}

TEST_F(FleetTest, MergeIsAssociativeAndCommutativeToTheByte) {
  batch_three();
  const std::string a = at("reports/gen-network-driver.json");
  const std::string b = at("reports/gen-storage-driver.json");
  const std::string c = at("reports/gen-anti-patterns.json");
  auto merge = [&](std::vector<std::string> in, const std::string& out) {
    cli::Args args{"merge"};
    args.insert(args.end(), in.begin(), in.end());
    args.insert(args.end(), {"-o", at(out), "-q"});
    const RunResult r = run_cli(args);
    ASSERT_EQ(r.status, kExitOk) << r.err;
  };
  merge({a, b}, "ab.json");
  merge({at("ab.json"), c}, "ab_c.json");
  merge({b, c}, "bc.json");
  merge({a, at("bc.json")}, "a_bc.json");
  merge({a, b, c}, "abc.json");
  merge({c, a, b}, "cab.json");
  const std::string abc = slurp(at("abc.json"));
  EXPECT_EQ(slurp(at("ab_c.json")), abc);
  EXPECT_EQ(slurp(at("a_bc.json")), abc);
  EXPECT_EQ(slurp(at("cab.json")), abc);
  // The batch's own summary is the same merge, its rows naming the same report files.
  EXPECT_EQ(slurp(at("reports/fleet.json")), abc);
}

TEST_F(FleetTest, BadInputsNameTheFileAndWhatWasExpected) {
  fs::create_directories(dir_);
  std::ofstream(at("notjson.json")) << "hello";
  std::ofstream(at("other.json")) << R"({"name": "something else"})";
  RunResult r = run_cli({"merge", at("notjson.json"), "-o", at("x.json")});
  EXPECT_EQ(r.status, kExitUsage);
  EXPECT_EQ(r.err, "fragreplay: " + at("notjson.json") +
                       ": not a JSON document (byte 1); expected a report written by 'fragreplay "
                       "analyze --json' or 'merge'\n");
  r = run_cli({"merge", at("other.json"), "-o", at("x.json")});
  EXPECT_EQ(r.err, "fragreplay: " + at("other.json") +
                       ": expected a fragreplay report ('analyze --json'), a what-if report or a "
                       "fleet summary ('merge', 'batch'); schema_version 0 is not one this "
                       "fragreplay reads (1)\n");
  r = run_cli({"merge", at("missing.json"), "-o", at("x.json")});
  EXPECT_EQ(r.err,
            "fragreplay: " + at("missing.json") + ": cannot open: No such file or directory\n");
  EXPECT_FALSE(fs::exists(at("x.json")));
  r = run_cli(
      {"batch", at("missing.csv"), sample("gen-storage-driver.csv"), "--out", at("out"), "-q"});
  EXPECT_EQ(r.status, kExitUsage);
  EXPECT_EQ(r.err, "fragreplay: batch: " + at("missing.csv") +
                       ": cannot open: No such file or directory\n"
                       "fragreplay: batch: 1 of 2 traces could not be analysed (left out of " +
                       at("out/fleet.json") + ")\n");
  EXPECT_EQ(nlohmann::json::parse(slurp(at("out/fleet.json")))["traces"], 1);
}

}  // namespace
}  // namespace fragreplay::cli
