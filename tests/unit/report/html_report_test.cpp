// The HTML report's structure, checked without a browser: every view is there once, the markup
// is balanced, there is one script (the page's own), trace text is escaped, charts are drawn from
// a timeline and say why when there is none. The browser test (tests/browser) renders it for real.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "replay/module_rows.hpp"
#include "report/html/html_report.hpp"
#include "report/html/views.hpp"
#include "test_support.hpp"

namespace fragreplay::report {
namespace {

const char* kMarkup =
    "#!adapter name=<svg/onload=alert(3)> highest=0xffffffff boundary=0x100000000 "
    "map_registers=2\n"
    "0,phase,DriverEntry,,,,,,,,,,,,\n"
    "1000,alloc,ExAllocatePoolWithTag,NonPagedPool,<b>,100,0x1000,,,,,,,<script>alert(1)</"
    "script>,4\n"
    "2000,alloc,MmAllocateNonCachedMemory,,\"<i\"\"\",100,0x2000,,,,,,,<script>alert(1)</script>,\n"
    "2100,alloc,MmAllocateNonCachedMemory,,\"<i\"\"\",100,0x3000,,,,,,,x,\n"
    "3000,phase,Steady,,,,,,,,,,,,\n"
    "4000,alloc,AllocateCommonBuffer,,&amp,8192,0x4000,,,,MmCached,,<svg/onload=alert(3)>,"
    "\"<img src=x onerror=alert(2)>\",\n"
    "5000,alloc,MmAllocateContiguousMemorySpecifyCache,,'on',33554432,0x5000,0x0,0xffffff,0x0,"
    "MmNonCached,,,,\n"
    "6000,alloc,<b>oops</b>,,,,,,,,,,,,\n";

std::size_t count(const std::string& s, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = s.find(needle); at != std::string::npos; at = s.find(needle, at + 1)) ++n;
  return n;
}

// Checks that elements nest properly: every opened element is closed in order (void elements and
// self-closed SVG elements excepted; the contents of <style> and <script> are raw text).
std::string unbalanced(const std::string& html) {
  static const std::vector<std::string> kVoid{"meta", "br", "img", "input", "link", "hr"};
  std::vector<std::string> open;
  std::size_t pos = 0;
  while ((pos = html.find('<', pos)) != std::string::npos) {
    std::size_t i = pos + 1;
    const bool closing = i < html.size() && html[i] == '/';
    if (closing) ++i;
    const std::size_t name_start = i;
    while (i < html.size() && std::isalnum(static_cast<unsigned char>(html[i]))) ++i;
    const std::size_t gt = html.find('>', i);
    if (i == name_start || gt == std::string::npos) {  // "<!DOCTYPE", or text such as "a<b"
      ++pos;
      continue;
    }
    const std::string name = html.substr(name_start, i - name_start);
    const bool self_closed = html[gt - 1] == '/';
    pos = gt + 1;
    if (closing) {
      if (open.empty() || open.back() != name) {
        return "</" + name + "> at " + std::to_string(pos) + " closes " +
               (open.empty() ? "nothing" : "<" + open.back() + ">");
      }
      open.pop_back();
    } else if (!self_closed && std::find(kVoid.begin(), kVoid.end(), name) == kVoid.end()) {
      open.push_back(name);
      if (name == "style" || name == "script") {  // raw text up to the end tag
        pos = html.find("</" + name + ">", pos);
        if (pos == std::string::npos) return "<" + name + "> never closed";
      }
    }
  }
  return open.empty() ? "" : "<" + open.back() + "> never closed";
}

// A timeline of three samples for the charts (values are only drawn, not checked here).
std::vector<replay::TimelineSample> timeline() {
  std::vector<replay::TimelineSample> t(3);
  for (std::size_t i = 0; i < t.size(); ++i) {
    t[i].time_ns = 1000 * (i + 1);
    t[i].live_requested = Bytes{100 * i};
    t[i].live_footprint = Bytes{4096 * i};
    t[i].live_waste.sub_page = Bytes{3996 * i};
    t[i].pool_page_bytes = Bytes{4096};
    t[i].free_frames = PageCount{1000 - i};
    t[i].largest_free_run = PageCount{900};
    t[i].largest_free_run_below_16m = PageCount{100 - 10 * i};
    t[i].largest_free_run_below_4g = PageCount{900};
    t[i].unusable_index = {0.0, 0.1 * static_cast<double>(i), 0.5, 1.0};
    t[i].fragmentation_index = {-1, -1, 0.2, 0.9};
    t[i].free_runs_by_order = {3, 2, 1, 0};
    t[i].frame_map = {0, 1, 2, 3, replay::TimelineSample::kFreeBucket, 4};
    // The same buckets by share: each wholly held by its class, or free.
    t[i].frame_shares.assign(t[i].frame_map.size() * model::kOwnerClassCount, 0);
    for (std::size_t b = 0; b < t[i].frame_map.size(); ++b) {
      if (t[i].frame_map[b] != replay::TimelineSample::kFreeBucket)
        t[i].frame_shares[b * model::kOwnerClassCount + t[i].frame_map[b]] = 255;
    }
  }
  return t;
}

TEST(HtmlReport, TheBalanceCheckerCatchesMistakes) {
  EXPECT_EQ(unbalanced("<div><span></span><br><rect/></div>"), "");
  EXPECT_NE(unbalanced("<div><span></div>"), "");
  EXPECT_NE(unbalanced("<div>"), "");
  EXPECT_EQ(unbalanced("<script>if (a<b) x();</script>"), "");
}

TEST(HtmlReport, EveryViewOnceBalancedAndOneScript) {
  replay::Results r = testing::replay_text(kMarkup);
  r.timeline = timeline();
  const std::string html = html_report(r);
  EXPECT_EQ(unbalanced(html), "");
  EXPECT_EQ(count(html, "<script"), 1u);
  EXPECT_EQ(count(html, "<style"), 1u);
  for (const char* id :
       {"headline",        "findings",    "memory",         "memory-chart",      "failures-chart",
        "waste",           "waste-chart", "fragmentation",  "largest-run-chart", "unusable-heatmap",
        "physical-map",    "frame-map",   "tags",           "tags-table",        "processes",
        "processes-table", "failures",    "failures-table", "data-quality",      "profile"}) {
    EXPECT_EQ(count(html, std::string("id=\"") + id + "\""), 1u) << id;
  }
  EXPECT_EQ(count(html, "id=\"device-windows\""), 1u) << "a request below 16 MiB failed";
  EXPECT_EQ(count(html, "data-state=\"drawn\""), 6u);
  // The window's map and its two index maps: the made-up samples carry no window figures.
  EXPECT_EQ(count(html, "data-state=\"empty\""), 3u);
  EXPECT_EQ(count(html, "<svg"), 6u);
  EXPECT_EQ(count(html, "http://") + count(html, "https://"),
            count(html, "xmlns=\"http://www.w3.org/2000/svg\""))
      << "nothing is loaded from the network; the SVG namespace is only a name";
}

TEST(HtmlReport, TraceTextIsEscapedEverywhere) {
  const std::string html = html_report(testing::replay_text(kMarkup));
  EXPECT_EQ(count(html, "<script>alert"), 0u);
  EXPECT_GE(count(html, "&lt;script&gt;alert(1)&lt;/script&gt;"), 1u) << "the process table";
  EXPECT_EQ(count(html, "<img"), 0u);
  EXPECT_GE(count(html, "&lt;img src=x onerror=alert(2)&gt;"), 1u);
  EXPECT_EQ(count(html, "<svg/onload"), 0u);
  EXPECT_GE(count(html, "&lt;svg/onload=alert(3)&gt;"), 1u) << "the map-register finding";
  EXPECT_EQ(count(html, "<b>"), 0u);
  EXPECT_GE(count(html, "&lt;b&gt;oops&lt;/b&gt;"), 1u) << "the bad line's message";
  EXPECT_GE(count(html, "&lt;i&quot;"), 1u) << "a tag with a quote";
  EXPECT_GE(count(html, "&amp;amp"), 1u);
  EXPECT_EQ(unbalanced(html), "");
}

// A pool-tag list (--pooltag) is input too: owners and modules are escaped, and the modules
// section and its navigation entry appear only with one.
TEST(HtmlReport, TagOwnersAndModulesAreEscapedAndShownOnlyWithAList) {
  replay::Results r = testing::replay_text(kMarkup);
  EXPECT_EQ(count(html_report(r), "id=\"modules\""), 0u) << "no list, no modules section";
  std::vector<replay::TagOwnerInfo> owners(r.tags.size());
  owners[0] = {"<script>alert(4)</script>.sys", "d", "<script>alert(4)</script>.sys"};
  replay::attribute_modules(r, owners);
  const std::string html = html_report(r);
  EXPECT_EQ(count(html, "id=\"modules\""), 1u);
  EXPECT_EQ(count(html, "id=\"modules-table\""), 1u);
  EXPECT_EQ(count(html, "href=\"#modules\""), 1u) << "the navigation links to it";
  EXPECT_EQ(count(html, "<script>alert(4)"), 0u);
  EXPECT_EQ(count(html, "&lt;script&gt;alert(4)&lt;/script&gt;.sys"), 2u)
      << "once as the tag's owner, once as the module's row";
  EXPECT_GE(count(html, ">(unowned)<"), 1u) << "the tags the list does not name";
  EXPECT_EQ(unbalanced(html), "");
}

TEST(HtmlReport, ChartsSayWhyWhenThereIsNoTimeline) {
  replay::Results r = testing::replay_text(kMarkup);
  r.timeline.clear();  // as with --sample-every off
  const std::string html = html_report(r);
  // The failures strip needs no timeline (the failure log has the times); the others do, the
  // device window's three maps too.
  EXPECT_EQ(count(html, "data-state=\"drawn\""), 1u);
  EXPECT_EQ(count(html, "data-state=\"empty\""), 8u);
  EXPECT_EQ(count(html, "no timeline: "), 8u);
}

// The value shown in the Duration tile of `html`.
std::string duration_tile(const std::string& html) {
  const std::string open =
      "id=\"kpi-duration\"><div class=\"label\">Duration</div><div "
      "class=\"value\">";
  const auto at = html.find(open);
  if (at == std::string::npos) return "";
  const auto start = at + open.size();
  return html.substr(start, html.find('<', start) - start);
}

// A group table shows at most 1,000 rows and says how many more there are (issue 16, item 13: a
// million process names made a 458 MB page). 1,003 tags of one 100-byte allocation each waste 28
// bytes apiece on win7-x64 (docs/model.md §3.2: 8 blocks of 16), so they tie and sort by name:
// A000 ... A999 are shown, B000 ... B002 are the three left out.
TEST(HtmlReport, GroupTablesStopAtAThousandRowsAndSaySo) {
  std::string trace;
  for (int i = 0; i < 1003; ++i) {
    std::string tag(1, i < 1000 ? 'A' : 'B');
    tag += std::to_string(i % 1000 / 100) + std::to_string(i % 100 / 10) + std::to_string(i % 10);
    trace += std::to_string(i) + ",alloc,ExAllocatePoolWithTag,NonPagedPool," + tag + ",100," +
             std::to_string(0x1000 * (i + 1)) + ",,,,,,,,\n";
  }
  model::MachineConfig small;  // 16 MiB: the invariants checked after every event stay cheap
  small.ram = {model::RamRange{Pfn{256}, PageCount{3840}}};
  const replay::Results r = testing::replay_text(trace, "win7-x64", small);
  ASSERT_EQ(r.tags.size(), 1003u);
  const std::string view = html::tags_view(r);
  EXPECT_NE(view.find(">A999</td>"), std::string::npos);
  EXPECT_EQ(view.find(">B000</td>"), std::string::npos);
  EXPECT_NE(view.find("... and 3 more rows with less waste: the JSON report and --csv DIR list "
                      "them all."),
            std::string::npos);
  std::size_t rows = 0;
  for (std::size_t at = view.find("<tr id=\"tag-"); at != std::string::npos;
       at = view.find("<tr id=\"tag-", at + 1))
    ++rows;
  EXPECT_EQ(rows, 1000u);
}

TEST(HtmlReport, TimesNearTwoToTheSixtyFourGiveExactDurationsAndDistinctTicks) {
  // Two events 10 s apart just below 2^64 ns, and a trace spanning all of it.
  const replay::Results late = testing::replay_text(
      "18446744063709551615,alloc,ExAllocatePoolWithTag,NonPagedPool,Late,100,0x1000,,,,,,,,\n"
      "18446744073709551615,alloc,ExAllocatePoolWithTag,NonPagedPool,Late,100,0x2000,,,,,,,,\n");
  EXPECT_EQ(duration_tile(html_report(late)), "10.000 s");
  const replay::Results all = testing::replay_text(
      "0,alloc,ExAllocatePoolWithTag,NonPagedPool,Span,100,0x1000,,,,,,,,\n"
      "18446744073709551615,alloc,ExAllocatePoolWithTag,NonPagedPool,Span,100,0x2000,,,,,,,,\n");
  // 2^64 - 1 ns, not the 0 (or anything) of converting the double 2^64 to an integer.
  EXPECT_EQ(duration_tile(html_report(all)), "5124095 h 34 min");
  // Ticks: increasing, each label once, within the span, for spans down to below what a double
  // resolves near 2^64.
  for (const std::uint64_t span : {10'000'000'000ull, 1'000'000ull, 5'000ull, 1ull}) {
    const html::TimeAxis axis{static_cast<double>(UINT64_MAX - span),
                              static_cast<double>(UINT64_MAX), UINT64_MAX - span, UINT64_MAX};
    const auto ticks = html::time_ticks(
        axis.t1 > axis.t0 ? axis
                          : html::TimeAxis{axis.t0, std::nextafter(axis.t0, HUGE_VAL),
                                           axis.first_ns, axis.last_ns});
    ASSERT_GE(ticks.size(), 2u) << span;
    EXPECT_LE(ticks.size(), 20u) << span;
    for (std::size_t i = 1; i < ticks.size(); ++i) {
      EXPECT_GT(ticks[i].value, ticks[i - 1].value) << span;
      EXPECT_NE(ticks[i].label, ticks[i - 1].label) << span;
    }
  }
  const auto ten_s = html::time_ticks(html::TimeAxis{
      static_cast<double>(UINT64_MAX - 10'000'000'000ull), static_cast<double>(UINT64_MAX), 0, 0});
  EXPECT_EQ(ten_s.front().label, "18446744064 s");
  EXPECT_EQ(ten_s.back().label, "18446744073 s");
  const auto whole = html::time_ticks(html::TimeAxis{0, static_cast<double>(UINT64_MAX), 0, 0});
  EXPECT_EQ(whole.front().label, "0");
  EXPECT_EQ(whole.back().label, "5000000 h");
}

}  // namespace
}  // namespace fragreplay::report

namespace fragreplay::report {
namespace {

// The pinning table links a tag to its row and, with a pool-tag list, to its module's row, which
// carries the anchor (issue 19, item 1). 10 frames of 4 KiB pinned by NicJ, owned by
// samplenic.sys; NicS pinned nothing.
TEST(HtmlReport, PinningRowsLinkToTheirTagAndModuleRows) {
  replay::Results r;
  r.profile.page_size = 4096;
  r.tags = {Tag::from_chars("NicJ"), Tag::from_chars("NicS")};
  r.by_tag.resize(2);
  r.pinned_frames = {10, 0};
  r.tag_owners = {replay::TagOwnerInfo{"samplenic.sys", "rx", "samplenic.sys"},
                  replay::TagOwnerInfo{}};
  r.modules = {"", "samplenic.sys"};
  r.by_module.resize(2);
  const std::string pinning = html::pinning_view(r);
  EXPECT_NE(pinning.find("<tr id=\"pin-0\"><td class=\"tag\"><a href=\"#tag-0\">NicJ</a></td>"
                         "<td class=\"tag\"><a href=\"#module-1\">samplenic.sys</a></td>"
                         "<td class=\"n\" data-v=\"10\">10</td>"
                         "<td class=\"n\" data-v=\"40960\">40.0 KiB</td></tr>"),
            std::string::npos)
      << pinning;
  EXPECT_EQ(pinning.find("NicS"), std::string::npos) << "a tag that pinned nothing is not listed";
  EXPECT_NE(html::modules_view(r).find("<tr id=\"module-1\"><td class=\"tag\">samplenic.sys"),
            std::string::npos);
  EXPECT_NE(html::tags_view(r).find("<tr id=\"tag-0\"><td class=\"tag\">NicJ <a class=\"pin\" "
                                    "href=\"#pin-0\">pins 10 frames</a>"),
            std::string::npos);
}

}  // namespace
}  // namespace fragreplay::report
