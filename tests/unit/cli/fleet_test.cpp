// `batch` and `merge`: a report per trace plus their fleet summary; merging is associative and
// commutative to the byte; bad inputs are named with what was expected.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
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

// --pooltag is read once and names the owners in every trace's report, as analyze does
// (the list and trace of the pooltag-owners golden case, whose case.md works out the rows).
TEST_F(FleetTest, BatchNamesTagOwnersInEveryReport) {
  const std::string golden = std::string(FRAGREPLAY_SOURCE_DIR) + "/tests/golden/pooltag-owners/";
  const RunResult r = run_cli({"batch", golden + "trace.csv", "--pooltag", golden + "pooltag.txt",
                               "--out", at("reports"), "-q"});
  ASSERT_EQ(r.status, kExitOk) << r.err;
  EXPECT_NE(r.err.find("2 lines are not a 'Tag - binary - description' entry"), std::string::npos)
      << r.err;
  const auto report = nlohmann::json::parse(slurp(at("reports/trace.json")));
  ASSERT_EQ(report["by_module"].size(), 3u);
  EXPECT_EQ(report["by_module"][0]["module"], "samplenic.sys");
  EXPECT_EQ(report["by_module"][0]["waste_bytes"], 3124);
  EXPECT_EQ(report["by_module"][2]["module"], "");
  EXPECT_EQ(report["by_tag"][0]["owner"], "samplenic.sys");
}

// The rows by driver module, pool kind and call site add up across reports like the tags'. The
// pooltag-owners trace (its case.md: samplenic.sys 3 allocations, 3,124 B of waste; NonPagedPool
// NicP, NicB, Zzzz; PagedPool Ps; no pool NicS) beside the sample trace (210 page-granular and
// 2,242 NonPagedNx allocations, no modules); a fleet summary written before these rows existed
// still merges, as one without them.
TEST_F(FleetTest, MergeSumsModulesPoolKindsAndCallSites) {
  fs::create_directories(at(""));
  const std::string golden = std::string(FRAGREPLAY_SOURCE_DIR) + "/tests/golden/pooltag-owners/";
  ASSERT_EQ(run_cli({"analyze", golden + "trace.csv", "--pooltag", golden + "pooltag.txt", "--json",
                     at("owners.json"), "-q"})
                .status,
            kExitOk);
  ASSERT_EQ(run_cli({"analyze", sample("sample-nic.csv"), "--json", at("nic.json"), "-q"}).status,
            kExitOk);
  ASSERT_EQ(
      run_cli({"merge", at("owners.json"), at("nic.json"), "-o", at("fleet.json"), "-q"}).status,
      kExitOk);
  const auto fleet = nlohmann::json::parse(slurp(at("fleet.json")));
  EXPECT_EQ(fleet["by_module"]["samplenic.sys"]["allocations"], 3);
  EXPECT_EQ(fleet["by_module"]["samplenic.sys"]["waste_bytes"], 3124);
  EXPECT_EQ(fleet["by_module"][""]["allocations"], 1) << "Zzzz, unowned";
  EXPECT_EQ(fleet["by_pool_kind"]["paged"]["allocations"], 1);
  EXPECT_EQ(fleet["by_pool_kind"]["nonpaged"]["allocations"], 3);
  EXPECT_EQ(fleet["by_pool_kind"]["none"]["allocations"], 1 + 210);
  EXPECT_EQ(fleet["by_pool_kind"]["nonpaged_nx"]["allocations"], 2242);
  EXPECT_TRUE(fleet["by_call_site"].empty()) << "neither trace records call sites";

  auto older = fleet;
  for (const char* key : {"by_module", "by_call_site", "by_pool_kind"}) older.erase(key);
  std::ofstream(at("older.json")) << older.dump();
  const RunResult r = run_cli({"merge", at("older.json"), "-o", at("again.json"), "-q"});
  ASSERT_EQ(r.status, kExitOk) << r.err;
  EXPECT_TRUE(nlohmann::json::parse(slurp(at("again.json")))["by_pool_kind"].empty());
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
  // Read as diff reads a report: the line and column of the first byte that does not fit.
  EXPECT_EQ(r.err, "fragreplay: " + at("notjson.json") +
                       ":1: invalid JSON (column 1): syntax error while parsing value - invalid "
                       "literal; last read: 'h'\n");
  r = run_cli({"merge", at("other.json"), "-o", at("x.json")});
  EXPECT_EQ(r.err, "fragreplay: " + at("other.json") +
                       ": expected a fragreplay report ('analyze --json'), a what-if report or a "
                       "fleet summary ('merge', 'batch'); it has no schema_version\n");
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

// The exact error of merging `files` into dir_/x.json, which must not be written.
std::string merge_error(const std::vector<std::string>& files, const std::string& out) {
  Args args{"merge"};
  args.insert(args.end(), files.begin(), files.end());
  args.insert(args.end(), {"-o", out});
  const RunResult r = run_cli(args);
  EXPECT_EQ(r.status, kExitUsage);
  EXPECT_FALSE(fs::exists(out));
  return r.err;
}

TEST_F(FleetTest, AReportIsCountedOnceWhateverFilesHoldIt) {
  batch_three();
  const std::string a = at("reports/gen-network-driver.json");
  const std::string fleet = at("reports/fleet.json");
  const std::string copy = at("copy.json");
  fs::copy_file(a, copy);
  const std::string out = at("x.json");
  const std::string once = "; each report counts once\n";
  EXPECT_EQ(merge_error({a, copy}, out), "fragreplay: merge: " + a + " and " + copy +
                                             " hold the same report (identical content)" + once);
  // `merge reports/*.json` when reports/ holds the batch's own fleet.json.
  EXPECT_EQ(merge_error({fleet, a}, out), "fragreplay: merge: " + fleet + " and " + a +
                                              " hold the same report (identical content)" + once);
  ASSERT_EQ(
      run_cli({"merge", a, at("reports/gen-storage-driver.json"), "-o", at("ab.json")}).status,
      kExitOk);
  EXPECT_EQ(merge_error({at("ab.json"), fleet}, out),
            "fragreplay: merge: " + at("ab.json") + " and " + fleet +
                " hold the same report (identical content)" + once);
  // Each source row carries the digest of its report's bytes.
  const auto doc = nlohmann::json::parse(slurp(fleet));
  for (const auto& row : doc["sources"]) {
    EXPECT_EQ(row["digest"].get<std::string>().rfind("fnv1a64:", 0), 0u) << row;
  }
}

TEST_F(FleetTest, CountsAreWholeNumbersThatAddUpWithoutWrapping) {
  batch_three();
  const std::string out = at("x.json");
  const auto report = nlohmann::json::parse(slurp(at("reports/gen-network-driver.json")));
  auto write = [&](const std::string& name, const std::function<void(nlohmann::json&)>& change,
                   const std::string& text = {}) {
    nlohmann::json doc = report;
    change(doc);
    std::ofstream(at(name)) << (text.empty() ? doc.dump(2) : text);
    return at(name);
  };
  const std::string big =
      write("big.json", [](auto& d) { d["totals"]["allocations"] = UINT64_MAX; });
  const std::string one = write("one.json", [](auto& d) {
    d["totals"]["allocations"] = 1;
    d["trace"]["name"] = "other.csv";
  });
  EXPECT_EQ(merge_error({big, one}, out),
            "fragreplay: " + one +
                ": totals.allocations: the fleet's sum would pass 18446744073709551615 (2^64 - 1); "
                "refused rather than wrapped\n");
  const std::string expected_count =
      ": expected a count (a whole number from 0 to 18446744073709551615), got ";
  EXPECT_EQ(merge_error({write("neg.json", [](auto& d) { d["totals"]["allocations"] = -1; })}, out),
            "fragreplay: " + at("neg.json") + ": totals.allocations" + expected_count +
                "the number -1\n");
  EXPECT_EQ(
      merge_error({write("half.json", [](auto& d) { d["totals"]["frees"] = 1.5; })}, out),
      "fragreplay: " + at("half.json") + ": totals.frees" + expected_count + "the number 1.5\n");
  EXPECT_EQ(
      merge_error({write("str.json", [](auto& d) { d["totals"]["allocations"] = "12"; })}, out),
      "fragreplay: " + at("str.json") +
          ": totals.allocations: expected a number, got a string (\"12\")\n");
  EXPECT_EQ(
      merge_error({write(
                      "huge.json", [](auto&) {}, R"({"schema_version": 1, "x": 1e999})")},
                  out),
      "fragreplay: " + at("huge.json") + ":1: invalid JSON: number overflow parsing '1e999'\n");
  EXPECT_EQ(merge_error({write("v.json", [](auto& d) { d["schema_version"] = 1e19; })}, out),
            "fragreplay: " + at("v.json") +
                ": expected a fragreplay report ('analyze --json'), a what-if report or a fleet "
                "summary ('merge', 'batch'); schema_version 1e+19 is not one this fragreplay "
                "reads (1)\n");
  EXPECT_EQ(merge_error(
                {write("tags.json", [](auto& d) { d["by_tag"].push_back(d["by_tag"][0]); })}, out),
            "fragreplay: " + at("tags.json") +
                ": expected a fragreplay report ('analyze "
                "--json'), a what-if report or a fleet summary ('merge', 'batch'); its by_tag "
                "names the tag \"" +
                report["by_tag"][0]["tag"].get<std::string>() + "\" twice\n");
  // A fleet summary holds nothing but counts in its sums.
  auto fleet = nlohmann::json::parse(slurp(at("reports/fleet.json")));
  fleet["totals"]["allocations"] = "5";
  std::ofstream(at("f.json")) << fleet.dump();
  EXPECT_EQ(merge_error({at("f.json")}, out), "fragreplay: " + at("f.json") +
                                                  ": totals.allocations" + expected_count +
                                                  "a string (\"5\")\n");
}

}  // namespace
}  // namespace fragreplay::cli
