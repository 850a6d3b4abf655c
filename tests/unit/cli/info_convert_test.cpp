// `fragreplay info` and `fragreplay convert`, run in-process: the JSON fields the issue names and
// their exact values on a pool fixture, what a damaged file gives (its description, then the
// error, exit 2), and conversions that keep every event (ETL -> native; native -> native is
// lossless).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/command.hpp"
#include "trace/trace_reader.hpp"

namespace fragreplay::cli {
namespace {

struct RunResult {
  int status;
  std::string out;
  std::string err;
};

RunResult run_cli(const Args& args) {
  std::ostringstream out, err;
  const int status = run(args, Io{out, err});
  return {status, out.str(), err.str()};
}

std::string source(const std::string& rel) {
  return std::string(FRAGREPLAY_SOURCE_DIR) + "/" + rel;
}

std::string temp(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("fragreplay-ic-" + std::to_string(::getpid()) + "-" + name))
      .string();
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::vector<trace::Event> events_of(const std::string& path) {
  auto r = trace::open_trace(path, trace::ReadOptions{});
  std::vector<trace::Event> all, batch(64);
  while (const std::size_t n = r->read(batch))
    all.insert(all.end(), batch.begin(), batch.begin() + static_cast<long>(n));
  // Positions differ between formats; the events themselves must not.
  for (auto& e : all) e.source_pos = 0;
  return all;
}

// pool-x64.etl: tests/unit/trace/etl_reader_test.cpp spells out its 14 records and 9 events.
TEST(Info, JsonOfAPoolTrace) {
  const RunResult r = run_cli({"info", source("tests/data/etl/pool-x64.etl"), "--json"});
  ASSERT_EQ(r.status, kExitOk) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["format"], "etl");
  EXPECT_EQ(j["pointer_size"], 8);
  EXPECT_EQ(j["events_total"], 14);
  EXPECT_EQ(j["by_group_type"], nlohmann::json({{"0:0", 1},
                                                {"5:1", 1},
                                                {"14:32", 3},
                                                {"14:33", 1},
                                                {"14:34", 2},
                                                {"14:35", 1},
                                                {"14:36", 1},
                                                {"14:40", 1},
                                                {"14:41", 1},
                                                {"14:42", 1}}));
  EXPECT_EQ(j["by_provider"], nlohmann::json({{"04030201-0605-0807-090a-0b0c0d0e0f10", 1}}));
  EXPECT_EQ(j["header"]["os_build"], 7601);
  EXPECT_EQ(j["header"]["start_time"], "2012-12-14 23:06:40.000 UTC");
  EXPECT_EQ(j["events"]["allocs"], 3);
  EXPECT_EQ(j["events"]["rundown_allocs"], 3);
  EXPECT_EQ(j["events"]["frees"], 3);
  EXPECT_EQ(j["events"]["live_at_end"], 3) << "Ntfx, Nic (rundown) and NicB";
  EXPECT_EQ(j["events"]["first_time_ns"], 1000);
  EXPECT_EQ(j["pool_records"]["null_allocs"], 1);
  EXPECT_EQ(j["data_quality"]["unknown_frees"], 0);
  EXPECT_TRUE(j["error"].is_null());
}

TEST(Info, DamagedFileIsDescribedThenFails) {
  const RunResult r = run_cli({"info", source("tests/data/etl/pool-x64-truncated.etl"), "--json"});
  EXPECT_EQ(r.status, kExitUsage);
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["events"]["total"], 7);
  EXPECT_NE(j["error"].get<std::string>().find("truncated ETL file"), std::string::npos);
  EXPECT_NE(r.err.find(":byte "), std::string::npos) << r.err;
}

TEST(Info, BadTimeUnitIsAUsageError) {
  const RunResult r = run_cli({"info", source("tests/data/etl/pool-x86.etl"), "--time-unit", "h"});
  EXPECT_EQ(r.status, kExitUsage);
  EXPECT_EQ(r.err,
            "fragreplay: option '--time-unit': expected ns, 100ns, us, ms or s, got \"h\"\n");
}

// ETL -> native keeps every event, rundown allocations included.
TEST(Convert, EtlToNativeKeepsEveryEvent) {
  const std::string etl = source("tests/data/etl/pool-x64.etl");
  const std::string out = temp("pool.csv");
  const RunResult r = run_cli({"convert", etl, "-o", out});
  ASSERT_EQ(r.status, kExitOk) << r.err;
  EXPECT_EQ(r.out, "converted 9 events from " + etl + " (etl) to " + out + "\n");
  const auto from_etl = events_of(etl);
  auto from_native = events_of(out);
  ASSERT_EQ(from_native.size(), from_etl.size());
  for (std::size_t i = 0; i < from_etl.size(); ++i) {
    // Process and thread ids are interned per reader; the native format names its routine, so
    // that ETW left it unsaid is not kept. Compare everything else.
    from_native[i].process = from_etl[i].process;
    from_native[i].thread = from_etl[i].thread;
    EXPECT_TRUE(from_etl[i].routine_inferred);
    from_native[i].routine_inferred = true;
    EXPECT_EQ(from_native[i], from_etl[i]) << i;
  }
  std::filesystem::remove(out);
}

// native -> native -> native: the same events, and the same event lines, every time.
TEST(Convert, NativeRoundTripIsLossless) {
  const std::string original = source("traces/sample-nic.csv");
  const std::string a = temp("a.csv"), b = temp("b.csv");
  ASSERT_EQ(run_cli({"convert", original, "-o", a}).status, kExitOk);
  ASSERT_EQ(run_cli({"convert", a, "-o", b}).status, kExitOk);
  const auto e0 = events_of(original);
  EXPECT_EQ(events_of(a), e0);
  EXPECT_EQ(events_of(b), e0);
  auto body = [](const std::string& text) {  // all but the comment naming the source
    std::string out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
      if (!line.starts_with("# converted by")) out += line + "\n";
    }
    return out;
  };
  EXPECT_EQ(body(slurp(a)), body(slurp(b)));
  EXPECT_NE(slurp(a).find("#!adapter name=nic0"), std::string::npos) << "adapters kept";
  std::filesystem::remove(a);
  std::filesystem::remove(b);
}

TEST(Convert, UsageErrors) {
  EXPECT_EQ(run_cli({"convert", "x.etl"}).err,
            "fragreplay: convert: missing -o OUT (see 'fragreplay convert --help')\n");
  const RunResult help = run_cli({"convert", "--help"});
  EXPECT_EQ(help.status, kExitOk);
  for (const char* needle : {"--output", "--time-unit", "--on-bad-line", "Examples:"}) {
    EXPECT_NE(help.out.find(needle), std::string::npos) << needle;
  }
}

}  // namespace
}  // namespace fragreplay::cli
