// --symbols on the command line (cli/symbols_option.hpp): each file told apart by its content, a
// linker map naming the callers of a Windows capture's stacks (docs/attribution.md §3) in analyze
// and batch, beside a Linux table, and the errors. The fixture pool-stacks-x64.etl's caller
// nicdrv+0x1234 is NicAllocateRxBuffers+0x34 under tests/data/symbols/nicdrv.map (RVA 0x1200).
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "cli/command.hpp"
#include "cli_support.hpp"

namespace fragreplay::cli {
namespace {

using testing::run_cli;
using testing::RunResult;

const std::string kSource = FRAGREPLAY_SOURCE_DIR;
const std::string kEtl = kSource + "/tests/data/etl/pool-stacks-x64.etl";
const std::string kNicMap = kSource + "/tests/data/symbols/nicdrv.map";
const std::string kMyMap = kSource + "/tests/data/symbols/mydriver.map";
const std::string kLog = kSource + "/tests/data/linux/kmem_SLUB.log";

nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return nlohmann::json::parse(s.str());
}

TEST(SymbolsOption, AMapNamesTheCallersOfAnAnalyzedCapture) {
  testing::TempFile json(".json", "");
  const RunResult run =
      run_cli({"analyze", kEtl, "--symbols", kMyMap, "--symbols", kNicMap, "--json", json.path()});
  ASSERT_EQ(run.status, kExitOk) << run.err;
  const nlohmann::json j = read_json(json.path());
  EXPECT_EQ(j["by_call_site"][0]["call_site"], "nicdrv.sys!NicAllocateRxBuffers+0x34");
  EXPECT_EQ(j["by_call_site"][0]["module"], "nicdrv.sys");
  EXPECT_EQ(j["by_call_site"][0]["address"], "0xfffff88002001234");
  EXPECT_NE(run.out.find("nicdrv.sys!NicAlloc"), std::string::npos) << run.out;
}

// A limit names the caller by its function once check is given the map: 2 allocations,
// 40 B of waste (the golden etl-stacks-symbols).
TEST(SymbolsOption, CheckLimitsNameTheFunction) {
  testing::TempFile limits(".json", R"({"limits_version": 1, "rules": [
    {"call_site": "nicdrv.sys!NicAllocateRxBuffers+0x34", "metric": "waste_bytes", "max": 39}]})");
  const RunResult run = run_cli(
      {"check", kEtl, "--symbols", kNicMap, "--limits", limits.path(), "--sample-every", "off"});
  EXPECT_EQ(run.status, 1) << run.err;
  EXPECT_NE(run.out.find("call_site nicdrv.sys!NicAllocateRxBuffers+0x34 waste_bytes is 40 B"),
            std::string::npos)
      << run.out;
}

TEST(SymbolsOption, BatchPassesTheMapsToEachReplay) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("fragreplay-symbols-batch-" + std::to_string(::getpid()));
  const RunResult run =
      run_cli({"batch", kEtl, "--out", dir.string(), "-j", "1", "-q", "--symbols", kNicMap});
  EXPECT_EQ(run.status, kExitOk) << run.err;
  EXPECT_EQ(read_json((dir / "pool-stacks-x64.json").string())["by_call_site"][0]["call_site"],
            "nicdrv.sys!NicAllocateRxBuffers+0x34");
  std::filesystem::remove_all(dir);
}

TEST(SymbolsOption, AMapBesideALinuxTable) {
  testing::TempFile table(".map", "c1187800 T alloc_big_table\nc10a6500 t inode_alloc\n");
  testing::TempFile json(".json", "");
  const RunResult run = run_cli(
      {"analyze", kLog, "--symbols", kNicMap, "--symbols", table.path(), "--json", json.path()});
  ASSERT_EQ(run.status, kExitOk) << run.err;
  EXPECT_EQ(read_json(json.path())["by_call_site"][0]["call_site"], "alloc_big_table+0x38");
}

TEST(SymbolsOption, TwoLinuxTablesOrTwoMapsOfOneModuleAreRefused) {
  testing::TempFile a(".map", "c1187800 T alloc_big_table\n");
  testing::TempFile b(".map", "c10a6500 t inode_alloc\n");
  const RunResult two = run_cli({"analyze", kLog, "--symbols", a.path(), "--symbols", b.path()});
  EXPECT_EQ(two.status, kExitUsage);
  EXPECT_EQ(two.err, "fragreplay: option '--symbols': " + a.path() + " and " + b.path() +
                         " are both Linux symbol tables; give one (linker maps, one per Windows "
                         "driver, may be given beside it)\n");
  const RunResult twice = run_cli({"analyze", kEtl, "--symbols", kNicMap, "--symbols", kNicMap});
  EXPECT_EQ(twice.status, kExitUsage);
  EXPECT_EQ(twice.err, "fragreplay: " + kNicMap +
                           ":1: module \"nicdrv\" already has a map: " + kNicMap + "\n");
}

}  // namespace
}  // namespace fragreplay::cli
