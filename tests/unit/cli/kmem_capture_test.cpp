// A real Linux capture (tests/data/linux/kmem_SLUB.log, a 2012 32-bit kernel booting with SLUB)
// replayed with default options: the profile is chosen by content, and the counts are exactly
// those computed apart from fragreplay, by plain string scanning with this awk program (mawk;
// kfree and kmem_cache_free of "(null)" or of an address <= 16 are null frees, as
// include/linux/slab.h ZERO_OR_NULL_PTR says; an address is live from its alloc to its free):
//
//   { sub(/\r$/, "") }  /^#/ { next }
//   { ev = ""; for (i = 1; i <= NF; i++) if ($i ~ /^[a-z_]+:$/) { ev = substr($i, 1, length($i) -
//   1); break }
//     p = val("ptr"); if (p == "") p = "(null)"      # "ptr=  (null)": the value is the next word
//     if (ev == "kmalloc" || ev == "kmem_cache_alloc") {
//       allocs++; req += val("bytes_req"); rec += val("bytes_alloc"); if (p in live) reused++
//       live[p] = 1; delete freed[p]
//     } else if (ev == "kfree" || ev == "kmem_cache_free") {
//       if (null_ptr(p)) { nulls++; next }
//       if (p in live) { frees++; delete live[p]; freed[p] = 1 } else if (p in freed) doubles++
//       else unknown++ } }
//
// with val(key) the text after "key=" in a field and null_ptr(p) true for "(null)" or a value
// that is at most 0x10 once leading 0x and zeros are stripped. It prints allocs 8643, frees 2612,
// null 274, unknown 11, double 0, reused 0, req 8630767, rec 8711688. Its 113 call sites: awk
// over the alloc lines, by call_site, summing bytes_alloc - bytes_req; c1187838 wastes most
// (23,252 bytes, one kmalloc of 42,284 bytes charged 65,536).
#include <gtest/gtest.h>

#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/command.hpp"
#include "cli/profile_choice.hpp"
#include "cli_support.hpp"
#include "model/profile.hpp"
#include "trace/trace_reader.hpp"

namespace fragreplay::cli {
namespace {

using testing::run_cli;
using testing::RunResult;

const std::string kLog = std::string(FRAGREPLAY_SOURCE_DIR) + "/tests/data/linux/kmem_SLUB.log";

nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return nlohmann::json::parse(s.str());
}

TEST(KmemCapture, DefaultOptionsReplayTheRealCaptureWithExactCounts) {
  testing::TempFile json(".json", "");
  const RunResult run = run_cli({"analyze", kLog, "--json", json.path()});
  ASSERT_EQ(run.status, kExitOk) << run.err;
  EXPECT_NE(run.out.find("\nProfile linux-slub (chosen for a Linux capture; --profile to "
                         "change)\n"),
            std::string::npos)
      << run.out;
  const nlohmann::json j = read_json(json.path());
  EXPECT_EQ(j["profile"]["name"], "linux-slub");
  EXPECT_EQ(j["totals"]["allocations"], 8643);
  EXPECT_EQ(j["totals"]["failed_allocations"], 0);
  EXPECT_EQ(j["totals"]["frees"], 2612);
  EXPECT_EQ(j["data_quality"]["null_frees"], 274);
  EXPECT_EQ(j["data_quality"]["unknown_frees"], 11);
  EXPECT_EQ(j["data_quality"]["double_frees"], 0);
  EXPECT_EQ(j["data_quality"]["live_address_reused"], 0);
  EXPECT_EQ(j["data_quality"]["ignored_records"], 0);
  EXPECT_EQ(j["data_quality"]["bad_lines"], 0);
  EXPECT_EQ(j["totals"]["requested_bytes"], 8630767);
  // Recorded bytes: every object is charged what the trace recorded (kmalloc classes agree on
  // every one of the 2,211 kmalloc records; slab-cache objects take their recorded size).
  EXPECT_EQ(j["totals"]["footprint_bytes"], 8711688);
  EXPECT_EQ(j["model_agreement"]["compared"], 2211);
  EXPECT_EQ(j["model_agreement"]["matching"], 2211);
  ASSERT_EQ(j["by_call_site"].size(), 113u);
  EXPECT_EQ(j["by_call_site"][0]["call_site"], "0xc1187838");
  EXPECT_EQ(j["by_call_site"][0]["waste_bytes"], 23252);
}

TEST(KmemCapture, TheProfileFollowsTheTrace) {
  const auto reader = trace::open_trace(kLog, trace::ReadOptions{});
  EXPECT_EQ(reader->platform(), trace::Platform::kLinux);
  const ProfileChoice chosen =
      choose_profiles({model::builtin_profile(model::kDefaultProfile)}, false, *reader);
  ASSERT_EQ(chosen.profiles.size(), 1u);
  EXPECT_EQ(chosen.profiles[0].name, "linux-slub");
  EXPECT_TRUE(chosen.by_content);

  const RunResult windows = run_cli({"analyze", kLog, "--profile", "win7-x64"});
  EXPECT_EQ(windows.status, kExitUsage);
  EXPECT_EQ(windows.err, "fragreplay: profile 'win7-x64' models Windows, but " + kLog +
                             " is a Linux kmem capture (ftrace-kmem): use --profile linux-slub, "
                             "or give no --profile\n");
  const std::string etl = std::string(FRAGREPLAY_SOURCE_DIR) + "/tests/data/etl/pool-x64.etl";
  const RunResult slub = run_cli({"analyze", etl, "--profile", "linux-slub"});
  EXPECT_EQ(slub.status, kExitUsage);
  EXPECT_EQ(slub.err, "fragreplay: profile 'linux-slub' models Linux, but " + etl +
                          " is a Windows trace (etl): use a Windows profile, or give no "
                          "--profile\n");
  const RunResult what_if = run_cli({"analyze", kLog, "--profile", "linux-slub,win8-x64"});
  EXPECT_EQ(what_if.status, kExitUsage) << "what-if checks every profile";
}

TEST(KmemCapture, InfoCountsTheNullFreesApart) {
  const RunResult run = run_cli({"info", kLog});
  ASSERT_EQ(run.status, kExitOk) << run.err;
  EXPECT_NE(run.out.find("data quality  11 frees of addresses not allocated before them\n"
                         "              274 frees of NULL or ZERO_SIZE_PTR (legal no-ops)\n"),
            std::string::npos)
      << run.out;
}

TEST(KmemCapture, BatchChoosesEachTracesProfile) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("fragreplay-kmem-batch-" + std::to_string(::getpid()));
  const std::string nic = std::string(FRAGREPLAY_SOURCE_DIR) + "/traces/sample-nic.csv";
  const RunResult run = run_cli({"batch", kLog, nic, "--out", dir.string(), "-j", "1", "-q"});
  EXPECT_EQ(run.status, kExitOk) << run.err;
  EXPECT_EQ(read_json((dir / "kmem_SLUB.json").string())["profile"]["name"], "linux-slub");
  EXPECT_EQ(read_json((dir / "sample-nic.json").string())["profile"]["name"],
            model::kDefaultProfile);
  std::filesystem::remove_all(dir);
}

TEST(KmemCapture, SymbolsNameTheCallSites) {
  testing::TempFile map(".map", "c1187800 T alloc_big_table\nc10a6500 t inode_alloc\n");
  testing::TempFile json(".json", "");
  const RunResult run = run_cli({"analyze", kLog, "--symbols", map.path(), "--json", json.path()});
  ASSERT_EQ(run.status, kExitOk) << run.err;
  const nlohmann::json j = read_json(json.path());
  EXPECT_EQ(j["by_call_site"][0]["call_site"], "alloc_big_table+0x38");
  EXPECT_EQ(j["by_call_site"][0]["address"], "0xc1187838");
  EXPECT_NE(run.out.find("Call sites by waste"), std::string::npos);
  EXPECT_NE(run.out.find("alloc_big_table+0x38"), std::string::npos);
}

TEST(KmemCapture, TheHtmlReportHasTheCallSitesAndTheNullFrees) {
  testing::TempFile html(".html", "");
  const RunResult run = run_cli({"analyze", kLog, "--html", html.path(), "--quiet"});
  ASSERT_EQ(run.status, kExitOk) << run.err;
  std::ifstream in(html.path());
  std::stringstream s;
  s << in.rdbuf();
  const std::string page = s.str();
  EXPECT_NE(page.find("id=\"call-sites-table\""), std::string::npos);
  EXPECT_NE(page.find("<td class=\"tag\">0xc1187838</td>"), std::string::npos);
  EXPECT_NE(page.find("href=\"#call-sites\""), std::string::npos) << "in the navigation";
  EXPECT_NE(page.find("274 frees of NULL or ZERO_SIZE_PTR"), std::string::npos);
}

TEST(KmemCapture, AWindowsTraceHasNoCallSiteSection) {
  const std::string etl = std::string(FRAGREPLAY_SOURCE_DIR) + "/tests/data/etl/pool-x64.etl";
  testing::TempFile html(".html", "");
  const RunResult run = run_cli({"analyze", etl, "--html", html.path()});
  ASSERT_EQ(run.status, kExitOk) << run.err;
  EXPECT_EQ(run.out.find("Call sites"), std::string::npos);
  EXPECT_EQ(run.out.find("chosen for"), std::string::npos);
  std::ifstream in(html.path());
  std::stringstream s;
  s << in.rdbuf();
  EXPECT_EQ(s.str().find("call-sites"), std::string::npos);
}

}  // namespace
}  // namespace fragreplay::cli
