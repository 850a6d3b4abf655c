// Profiles as data: every built-in survives a round trip through its JSON document; a user's
// document starts from a built-in or from scratch, and one that is malformed or contradicts itself
// is refused naming the file and the key. Also the `profiles` command and what-if runs of
// `analyze --profile a,b,c`.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/error.hpp"
#include "cli/command.hpp"
#include "cli_support.hpp"
#include "profile_io/profile_json.hpp"
#include "test_support.hpp"

namespace fragreplay::cli {
namespace {

using testing::run_cli;
using testing::RunResult;
using testing::TempFile;

std::string error_of(const std::string& json) {
  try {
    profile_from_json(nlohmann::json::parse(json), "p.json");
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(ProfileJson, EveryBuiltinRoundTrips) {
  for (const model::Profile& p : model::builtin_profiles()) {
    SCOPED_TRACE(p.name);
    nlohmann::json doc = nlohmann::json::parse(profile_to_json(p).dump());
    doc["name"] = "copy-of-" + p.name;  // built-in names are reserved
    model::Profile back = profile_from_json(doc, "p.json");
    back.name = p.name;
    EXPECT_EQ(back, p);
  }
}

TEST(ProfileJson, BaseAndOverrides) {
  const model::Profile p =
      profile_from_json(nlohmann::json::parse(R"({"base": "win10-19h1-x64", "name": "lab",
        "segment_heap": {"vs_delay_free_batch": 32, "lfh_max": "0x200"},
        "physical": {"default_ram": "16GiB"}})"),
                        "p.json");
  model::Profile expected = model::builtin_profile("win10-19h1-x64");
  expected.name = "lab";
  expected.segment_heap.vs_delay_free_batch = 32;
  expected.default_ram = 16ull << 30;
  EXPECT_EQ(p, expected);
}

TEST(ProfileJson, MistakesNameTheFileAndTheKey) {
  EXPECT_EQ(error_of(R"({"base": "win7-x64"})"), "p.json: a profile needs a \"name\"");
  EXPECT_EQ(error_of(R"({"base": "win7-x64", "name": "win8-x64"})"),
            "p.json: 'win8-x64' is the name of a built-in profile; give yours its own (\"base\": "
            "\"win8-x64\" starts from it)");
  EXPECT_EQ(error_of(R"({"base": "win95", "name": "x"})"),
            "unknown profile 'win95' (known: nt5-x86, nt5-x64, win7-x64, win8-x64, "
            "win10-19h1-x64, win10-2004-x64, ia64, linux-slub)");
  EXPECT_EQ(error_of(R"({"base": "win7-x64", "name": "x", "pool": {"headr": 16}})"),
            "p.json: unknown key 'pool.headr' (known in 'pool': header, granularity, small_max, "
            "list_search, separate_nx_descriptor, cache_align, cache_line_bytes, big_tail, "
            "tail_max_remainder, tail_max_size, frag_block_bytes, quota_extra_bytes, "
            "quota_extra_max_request)");
  EXPECT_EQ(error_of(R"({"base": "win7-x64", "name": "x", "pool": {"header": -16}})"),
            "p.json: key 'pool.header': expected an unsigned integer (or a string such as "
            "\"0xFE0\" or \"4GiB\"), got -16");
  EXPECT_EQ(error_of(R"({"base": "win7-x64", "name": "x", "backend": "buddy"})"),
            "p.json: key 'backend': expected one of legacy, segment_heap, slub, got \"buddy\"");
  EXPECT_EQ(error_of(R"({"base": "win7-x64", "name": "x", "pool": 16})"),
            "p.json: key 'pool': expected an object of settings");
  // A profile that contradicts itself (§3.2: a small block never fills a page).
  EXPECT_EQ(error_of(R"({"base": "win7-x64", "name": "x", "pool": {"small_max": 4090}})"),
            "p.json: profile 'x' contradicts itself: small_max + pool_header + granularity must "
            "not exceed the page size (a small block never fills a page)");
  EXPECT_EQ(error_of(R"({"base": "linux-slub", "name": "x",
                         "slub": {"classes": [{"size": 64, "order": 0}, {"size": 32, "order": 0}]}})"),
            "p.json: profile 'x' contradicts itself: slub.classes must be in ascending order of "
            "size");
  EXPECT_EQ(error_of(R"({"base": "win10-19h1-x64", "name": "x",
                         "segment_heap": {"lfh_max": 200000}})"),
            "p.json: profile 'x' contradicts itself: segment_heap.lfh_max must not exceed "
            "segment_heap.vs_max");
}

TEST(ProfileJson, FilesWithSyntaxErrorsGiveTheByteOffset) {
  TempFile f(".json", "{\"name\": \"x\",, }");
  try {
    load_profile_file(f.path());
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.where().byte_offset, 14u);
    EXPECT_NE(std::string(e.what()).find("not valid JSON"), std::string::npos);
  }
}

// windows_build is a key like any other, and must agree with the backend (Profile::validate).
TEST(ProfileJson, WindowsBuildIsReadAndChecked) {
  const model::Profile p = profile_from_json(
      nlohmann::json::parse(R"({"base": "win10-2004-x64", "name": "w11", "windows_build": 22631})"),
      "p.json");
  EXPECT_EQ(p.windows_build, 22631u);
  EXPECT_EQ(profile_to_json(p)["windows_build"], 22631);
  EXPECT_EQ(error_of(R"({"base": "win7-x64", "name": "x", "windows_build": 19041})"),
            "p.json: profile 'x' contradicts itself: the legacy backend needs a windows_build "
            "below 18362 (Windows 10 1903 has the segment heap)");
  EXPECT_EQ(error_of(R"({"base": "linux-slub", "name": "x", "windows_build": 7601})"),
            "p.json: profile 'x' contradicts itself: windows_build must be 0 for the slub "
            "backend and a Windows build number otherwise");
}

TEST(ProfilesCommand, ListsShowsAndChecks) {
  const RunResult list = run_cli({"profiles"});
  EXPECT_EQ(list.status, kExitOk);
  EXPECT_NE(list.out.find("  win10-19h1-x64  Windows 10 1903 / 1909"), std::string::npos);
  EXPECT_NE(list.out.find("[default]"), std::string::npos);
  const RunResult show = run_cli({"profiles", "--show", "linux-slub"});
  const auto doc = nlohmann::json::parse(show.out);
  EXPECT_EQ(doc["backend"], "slub");
  EXPECT_EQ(doc["slub"]["classes"].size(), 13u);
  TempFile f(".json",
             R"({"base": "win8-x64", "name": "mine", "physical": {"default_ram": "1GiB"}})");
  const RunResult mine = run_cli({"profiles", "--show", f.path()});
  EXPECT_EQ(nlohmann::json::parse(mine.out)["physical"]["default_ram"], 1ull << 30);
  const RunResult keys = run_cli({"profiles", "--keys"});
  EXPECT_NE(keys.out.find("segment_heap.vs_delay_free_batch"), std::string::npos);
}

TEST(WhatIfCli, SideBySideTableAndOneReportPerProfile) {
  TempFile trace(
      ".csv",
      testing::native_trace("0,alloc,ExAllocatePoolWithTag,NonPagedPool,Aaaa,5000,0x10,,,,,,,,\n"));
  TempFile profile(
      ".json",
      R"({"base": "win7-x64", "name": "win7-small", "physical": {"default_ram": "64MiB"}})");
  const RunResult text = run_cli({"analyze", trace.path(), "--profile", "nt5-x86, win10-19h1-x64",
                                  "--profile-file", profile.path()});
  EXPECT_EQ(text.status, kExitOk) << text.err;
  // 5000 bytes (§7): two pages on NT 5.x, 5008 + 16 on 19H1, 5008 + 32 on Windows 7.
  EXPECT_NE(
      text.out.find("Footprint                       8.00 KiB        4.91 KiB        4.92 KiB"),
      std::string::npos)
      << text.out;
  const std::string out = trace.path() + ".json";
  const RunResult json =
      run_cli({"analyze", trace.path(), "--profile", "nt5-x86,win10-19h1-x64", "--json", out});
  EXPECT_EQ(json.status, kExitOk) << json.err;
  std::ifstream in(out);
  const auto doc = nlohmann::json::parse(in);
  std::filesystem::remove(out);
  EXPECT_EQ(doc["kind"], "what_if");
  EXPECT_EQ(doc["profiles"], nlohmann::json::parse(R"(["nt5-x86", "win10-19h1-x64"])"));
  EXPECT_EQ(doc["results"][0]["totals"]["footprint_bytes"], 8192);
  EXPECT_EQ(doc["results"][1]["totals"]["footprint_bytes"], 5024);
  EXPECT_EQ(doc["results"][1]["schema_version"], 1);
  const RunResult events =
      run_cli({"analyze", trace.path(), "--profile", "nt5-x86,win7-x64", "--events-out", "e.csv"});
  EXPECT_EQ(events.status, kExitUsage);
  EXPECT_EQ(events.err,
            "fragreplay: option '--events-out' reports on one profile; give a single --profile "
            "with it\n");
  const RunResult html =
      run_cli({"analyze", trace.path(), "--profile", "nt5-x86,win7-x64", "--html", "r.html"});
  EXPECT_EQ(html.err,
            "fragreplay: option '--html' reports on one profile; give a single --profile with "
            "it\n");
  const RunResult twice = run_cli({"analyze", trace.path(), "--profile", "win7-x64,win7-x64"});
  EXPECT_EQ(twice.err, "fragreplay: profile 'win7-x64' is given twice\n");
}

}  // namespace
}  // namespace fragreplay::cli
