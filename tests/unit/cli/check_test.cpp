// `fragreplay diff` and `fragreplay check` run in-process: exit statuses, baselines written
// atomically and byte for byte the same on every run, the step summary appended, and the usage
// errors that stop a check before it replays anything.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/command.hpp"
#include "cli_support.hpp"
#include "scratch_dir.hpp"
#include "test_support.hpp"

namespace fragreplay::cli {
namespace {

using testing::run_cli;
using testing::RunResult;

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

using testing::Scratch;

// win7-x64 (§1.2, §3.2): 100 bytes take 8 blocks of 16 = 128 bytes, waste 28; §5.4: a
// MmAllocateNonCachedMemory of 1024 bytes takes a page, waste 3072.
const char* kBase =
    "0,alloc,ExAllocatePoolWithTag,NonPagedPool,NicP,100,0x1000,,,,,,,,\n"
    "1,alloc,MmAllocateNonCachedMemory,,NicS,1024,0x2000,,,,,,,,\n";
// The same with the noncached buffer halved: waste 3584, total 3612 (+512, +16.5 %).
const char* kWorse =
    "0,alloc,ExAllocatePoolWithTag,NonPagedPool,NicP,100,0x1000,,,,,,,,\n"
    "1,alloc,MmAllocateNonCachedMemory,,NicS,512,0x2000,,,,,,,,\n";
const char* kLimits = R"({"limits_version": 1, "rules": [
  {"metric": "totals.waste_bytes.total", "max_increase_percent": 10, "min_increase": 256}]})";

TEST(Check, ExitStatusSaysPassViolationOrBadInput) {
  Scratch s;
  const std::string base = s.file("base.csv", testing::native_trace(kBase));
  const std::string worse = s.file("worse.csv", testing::native_trace(kWorse));
  const std::string limits = s.file("limits.json", kLimits);
  RunResult r = run_cli({"check", base, "--baseline", base, "--limits", limits});
  EXPECT_EQ(r.status, kExitOk) << r.out << r.err;
  EXPECT_NE(r.out.find("check passed: 1 rule, not violated"), std::string::npos) << r.out;
  r = run_cli({"check", worse, "--baseline", base, "--limits", limits});
  EXPECT_EQ(r.status, kExitViolation) << r.err;
  EXPECT_NE(r.out.find("totals.waste_bytes.total rose from 3.03 KiB to 3.53 KiB (+512 B, +16.5 %)"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.err, "");
  r = run_cli({"check", worse, "--baseline", base, "--limits", s.file("bad.json", "{")});
  EXPECT_EQ(r.status, kExitUsage);
  EXPECT_EQ(r.err, "fragreplay: " + s.path("bad.json") +
                       ":1: invalid JSON (column 2): syntax error while parsing object key - "
                       "unexpected end of input; expected string literal\n");
}

// Nothing replayed is never a pass: every limit holds on a report of zeros, so a trace that
// replays no allocation is refused (exit 2) unless --allow-empty, and analyze warns.
TEST(Check, NothingToReplayIsRefusedUnlessAllowed) {
  Scratch s;
  const std::string phases =
      s.file("phases.csv", testing::native_trace("0,phase,DriverEntry,,,,,,,,,,,,\n"
                                                 "5,phase,Steady,,,,,,,,,,,,\n"));
  const std::string limits = s.file(
      "limits.json",
      R"({"limits_version": 1, "rules": [{"metric": "totals.waste_bytes.total", "max": 0}]})");
  RunResult r = run_cli({"check", phases, "--limits", limits});
  EXPECT_EQ(r.status, kExitUsage);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "fragreplay: nothing to replay: " + phases +
                       " holds no pool events (native-v1, 2 events (0 alloc, 0 free, 2 phase); "
                       "'fragreplay info " +
                       phases + "' shows what it holds); --allow-empty checks it all the same\n");
  r = run_cli({"check", phases, "--limits", limits, "--allow-empty"});
  EXPECT_EQ(r.status, kExitOk) << r.err;

  r = run_cli({"analyze", phases, "--quiet"});
  EXPECT_EQ(r.status, kExitOk);
  EXPECT_EQ(r.err, "fragreplay: warning: nothing to replay: " + phases +
                       " holds no pool events (native-v1, 2 events (0 alloc, 0 free, 2 phase); "
                       "'fragreplay info " +
                       phases + "' shows what it holds)\n");

  // A window that holds no allocation: the trace's two are at 0 and 1 ns.
  const std::string base = s.file("base.csv", testing::native_trace(kBase));
  r = run_cli({"check", base, "--limits", limits, "--from", "1ms"});
  EXPECT_EQ(r.status, kExitUsage);
  EXPECT_EQ(r.err, "fragreplay: nothing to replay: " + base +
                       " holds no allocation after 1.00 ms (--from, --to; native-v1, 0 events in "
                       "the window); --allow-empty checks it all the same\n");

  // Routines the profile does not have (a Linux routine under a Windows profile) replay nothing.
  const std::string linux_rows =
      s.file("k.csv", testing::native_trace("0,alloc,kmalloc,,,64,0x10,,,,,,,,\n"));
  r = run_cli({"check", linux_rows, "--limits", limits, "--profile", "win7-x64"});
  EXPECT_EQ(r.status, kExitUsage);
  EXPECT_EQ(r.err, "fragreplay: nothing to replay: " + linux_rows +
                       " holds 1 event of routines the win7-x64 profile does not have "
                       "(unsupported_routines; --profile names another); --allow-empty checks it "
                       "all the same\n");

  // A report of such a replay, read back, is refused the same way.
  const std::string report = s.path("empty.json");
  r = run_cli({"analyze", phases, "--quiet", "--json", report});
  ASSERT_EQ(r.status, kExitOk);
  r = run_cli({"check", report, "--limits", limits});
  EXPECT_EQ(r.status, kExitUsage);
  EXPECT_EQ(r.err, "fragreplay: nothing to replay: " + report +
                       " is the report of a replay that held no allocation (trace " + phases +
                       "); --allow-empty checks it all the same\n");
}

TEST(Check, UsageErrorsComeBeforeAnyReplay) {
  Scratch s;
  const std::string limits = s.file("limits.json", kLimits);
  // The trace does not exist: each error below must be found before it is opened.
  const std::string trace = s.path("missing.csv");
  auto err = [&](const Args& args) { return run_cli(args).err; };
  EXPECT_EQ(err({"check", trace}),
            "fragreplay: check: missing --limits LIMITS.json: the rules to check (see 'fragreplay "
            "check --help')\n");
  EXPECT_EQ(err({"check", "--limits", limits}),
            "fragreplay: check: missing TRACE or REPORT.json (see 'fragreplay check --help')\n");
  EXPECT_EQ(err({"check", trace, "--limits", limits}),
            "fragreplay: " + limits +
                ": rules[0] (\"totals.waste_bytes.total up at most 10 % or 256 B\"): compares with "
                "a baseline; give one with --baseline FILE\n");
  EXPECT_EQ(err({"check", trace, "--limits", limits, "--baseline", s.path("none.json")}),
            "fragreplay: " + s.path("none.json") +
                ": cannot open: no such file (write a first baseline with --update-baseline)\n");
  EXPECT_EQ(err({"check", trace, "--limits", limits, "--update-baseline"}),
            "fragreplay: option '--update-baseline': needs --baseline FILE, the file to rewrite\n");
  EXPECT_EQ(err({"check", trace, "--limits", limits, "--github", "--json", "-"}),
            "fragreplay: options '--github' and '--json -' both write to standard output; write "
            "the JSON to a file\n");
  const std::string report = s.file("r.json", R"({"schema_version": 1, "totals": {}})");
  const std::string absolute = s.file(
      "absolute.json", R"({"limits_version": 1, "rules": [{"metric": "totals.frees", "max": 0}]})");
  EXPECT_EQ(err({"check", report, "--limits", absolute, "--ram", "1GiB"}),
            "fragreplay: option '--ram' applies to a trace, but " + report +
                " is a report (replayed already)\n");
  EXPECT_EQ(run_cli({"check", trace, "--limits", limits, "--baseline", report}).err,
            "fragreplay: " + trace + ": cannot open: No such file or directory\n");
}

TEST(Check, UpdateBaselineWritesTheSameBytesAsAnalyzeEveryTime) {
  Scratch s;
  const std::string trace = s.file("t.csv", testing::native_trace(kBase));
  const std::string limits = s.file("limits.json", kLimits);
  const std::string baseline = s.path("base.json");
  // No baseline yet: it is created; the relative rule is skipped.
  RunResult r = run_cli({"check", trace, "--baseline", baseline, "--limits", limits,
                         "--update-baseline", "--report-out", s.path("report.json")});
  EXPECT_EQ(r.status, kExitOk) << r.err;
  EXPECT_NE(r.out.find("skip  totals.waste_bytes.total"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Baseline " + baseline + " rewritten from this run."), std::string::npos);
  const std::string first = slurp(baseline);
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(slurp(s.path("report.json")), first);
  // Again over the existing one, and analyze --json twice: byte for byte the same report.
  r = run_cli({"check", trace, "--baseline", baseline, "--limits", limits, "--update-baseline"});
  EXPECT_EQ(r.status, kExitOk) << r.err;
  EXPECT_EQ(slurp(baseline), first);
  ASSERT_EQ(run_cli({"analyze", trace, "--json", s.path("a1.json"), "-q"}).status, kExitOk);
  ASSERT_EQ(run_cli({"analyze", trace, "--json", s.path("a2.json"), "-q"}).status, kExitOk);
  EXPECT_EQ(slurp(s.path("a1.json")), first);
  EXPECT_EQ(slurp(s.path("a2.json")), first);
  EXPECT_EQ(s.names(), (std::vector<std::string>{"a1.json", "a2.json", "base.json", "limits.json",
                                                 "report.json", "t.csv"}))
      << "no temporary file left behind";

  // A baseline that cannot be read is replaced, and the run says so.
  s.file("base.json", "{ not json");
  r = run_cli({"check", trace, "--baseline", baseline, "--limits", limits, "--update-baseline"});
  EXPECT_EQ(r.status, kExitOk) << r.err;
  EXPECT_NE(
      r.out.find("Note: the old baseline could not be read (" + baseline + ":1: invalid JSON"),
      std::string::npos)
      << r.out;
  EXPECT_EQ(slurp(baseline), first);
  // A trace is never overwritten by a baseline.
  r = run_cli({"check", trace, "--baseline", trace, "--limits", limits, "--update-baseline"});
  EXPECT_EQ(r.status, kExitUsage);
  EXPECT_EQ(r.err, "fragreplay: option '--update-baseline': " + trace +
                       " is not a JSON report (a trace?); the baseline to rewrite must be a "
                       "report\n");
}

TEST(Check, AppendsTheMarkdownSummaryToTheStepSummary) {
  Scratch s;
  const std::string trace = s.file("t.csv", testing::native_trace(kWorse));
  const std::string base = s.file("base.csv", testing::native_trace(kBase));
  const std::string limits = s.file("limits.json", kLimits);
  const std::string summary = s.file("summary.md", "earlier step\n");
  ::setenv("GITHUB_STEP_SUMMARY", summary.c_str(), 1);
  const RunResult r = run_cli({"check", trace, "--baseline", base, "--limits", limits, "--markdown",
                               s.path("summary-copy.md")});
  ::unsetenv("GITHUB_STEP_SUMMARY");
  EXPECT_EQ(r.status, kExitViolation);
  const std::string md = slurp(summary);
  EXPECT_TRUE(md.starts_with("earlier step\n### ❌ check FAILED: 1 of 1 rule violated\n")) << md;
  EXPECT_EQ(md, "earlier step\n" + slurp(s.path("summary-copy.md")));

  // An unwritable summary warns; the verdict stands.
  ::setenv("GITHUB_STEP_SUMMARY", s.path("no/such/dir.md").c_str(), 1);
  const RunResult w = run_cli({"check", trace, "--baseline", base, "--limits", limits, "-q"});
  ::unsetenv("GITHUB_STEP_SUMMARY");
  EXPECT_EQ(w.status, kExitViolation);
  EXPECT_EQ(w.err, "fragreplay: warning: cannot append the summary to $GITHUB_STEP_SUMMARY (" +
                       s.path("no/such/dir.md") + "): No such file or directory\n");
}

TEST(Check, JsonVerdictOnStandardOutput) {
  Scratch s;
  const std::string trace = s.file("t.csv", testing::native_trace(kWorse));
  const std::string base = s.file("base.csv", testing::native_trace(kBase));
  const std::string limits = s.file("limits.json", kLimits);
  const RunResult r =
      run_cli({"check", trace, "--baseline", base, "--limits", limits, "--json", "-"});
  EXPECT_EQ(r.status, kExitViolation);
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["verdict"], "failed");
  EXPECT_EQ(j["rules"][0]["violations"][0]["change"], 512);
}

TEST(Diff, ComparesTwoReports) {
  Scratch s;
  const std::string a = s.path("a.json"), b = s.path("b.json");
  ASSERT_EQ(
      run_cli({"analyze", s.file("a.csv", testing::native_trace(kBase)), "--json", a, "-q"}).status,
      kExitOk);
  ASSERT_EQ(run_cli({"analyze", s.file("b.csv", testing::native_trace(kWorse)), "--json", b, "-q"})
                .status,
            kExitOk);
  RunResult r = run_cli({"diff", a, b});
  EXPECT_EQ(r.status, kExitOk) << r.err;
  EXPECT_NE(r.out.find("  NicS waste_bytes"), std::string::npos) << r.out;
  EXPECT_EQ(run_cli({"diff", a, b, "--exit-code"}).status, kExitViolation);
  EXPECT_EQ(run_cli({"diff", a, a, "--exit-code"}).status, kExitOk);
  r = run_cli({"diff", a});
  EXPECT_EQ(r.status, kExitUsage);
  EXPECT_EQ(r.err,
            "fragreplay: diff: expected two reports, OLD.json and NEW.json, got 1 (see "
            "'fragreplay diff --help')\n");
  r = run_cli({"diff", a, s.file("v9.json", R"({"schema_version": 9, "totals": {}})")});
  EXPECT_EQ(r.status, kExitUsage);
  EXPECT_EQ(r.err, "fragreplay: " + s.path("v9.json") +
                       ": report schema_version 9 is not known to fragreplay 0.1.0, which reads "
                       "schema_version 1 (was the report written by a newer fragreplay?)\n");
}

TEST(Check, HelpTeachesTheExitStatuses) {
  for (const char* command : {"check", "diff"}) {
    const RunResult r = run_cli({command, "--help"});
    EXPECT_EQ(r.status, kExitOk);
    EXPECT_NE(r.out.find("Exit status: 0"), std::string::npos) << command;
    EXPECT_NE(r.out.find("Examples:"), std::string::npos) << command;
  }
  const RunResult check = run_cli({"check", "--help"});
  for (const char* needle :
       {"--limits", "--baseline", "--update-baseline", "--junit", "--github", "--json",
        "--markdown", "GITHUB_STEP_SUMMARY", "1 a rule was violated", "--profile"}) {
    EXPECT_NE(check.out.find(needle), std::string::npos) << needle;
  }
}

}  // namespace
}  // namespace fragreplay::cli
