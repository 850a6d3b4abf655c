// The HTML report's views of the stacks (report/html/stack_views.hpp), from hand-built Results:
// the bottom-up table's rows and figures, the flame graph's boxes and their widths, escaping,
// merging stacks by frames, the caps and their notes, and no section without stacks.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "replay/results.hpp"
#include "report/html/html_report.hpp"
#include "report/html/stack_views.hpp"

namespace fragreplay::report {
namespace {

using replay::GroupStats;
using replay::StackRow;

std::size_t count(const std::string& s, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = s.find(needle); at != std::string::npos; at = s.find(needle, at + 1)) ++n;
  return n;
}

// Figures of a stack: waste = pool header + granularity + sub-page; footprint = requested + waste.
GroupStats stats(std::uint64_t allocations, std::uint64_t requested, std::uint64_t header,
                 std::uint64_t granularity, std::uint64_t sub_page, std::uint64_t peak_waste) {
  GroupStats g;
  g.allocations = allocations;
  g.requested = Bytes{requested};
  g.waste = {Bytes{header}, Bytes{granularity}, Bytes{sub_page}};
  g.footprint = Bytes{requested + header + granularity + sub_page};
  g.at_peak.allocations = peak_waste == 0 ? 0 : 1;
  g.at_peak.waste.sub_page = Bytes{peak_waste};
  return g;
}

StackRow stack(std::vector<std::uint64_t> frames, std::vector<std::string> labels,
               std::uint32_t caller, std::size_t caller_frame, GroupStats g) {
  StackRow s;
  s.frames = std::move(frames);
  s.frame_labels = std::move(labels);
  s.caller = caller;
  s.caller_frame = caller_frame;
  s.stats = g;
  return s;
}

// Three stacks, innermost frame first:
//   A  nt+0x10 < netio.sys+0x20 < tcpip.sys+0x30 < afd.sys+0x40   caller netio (frame 1)
//      3 allocations, 300 B requested, waste 48 + 132 = 180 B, footprint 480 B, 16 B at peak
//   B  nt+0x10 < netio.sys+0x20 < ndis.sys+0x50                    caller netio (frame 1)
//      1 allocation, 100 B requested, waste 16 + 4 = 20 B, footprint 120 B, nothing at peak
//   C  nt+0x90 < <b>x.sys+0x1                                       caller <b>x (frame 1, last)
//      2 allocations, 1000 B requested, waste 32 + 168 = 200 B, footprint 1200 B, 200 B at peak
// All waste: 180 + 20 + 200 = 400 B.
replay::Results three_stacks() {
  replay::Results r;
  r.trace_name = "stacks.etl";
  r.call_sites = {replay::CallSite{0xA1, "netio.sys+0x20", "netio.sys", false, 0, 0},
                  replay::CallSite{0xC1, "<b>x.sys+0x1", "<b>x.sys", false, 0, 0}};
  r.stacks = {
      stack({0xA0, 0xA1, 0xA2, 0xA3},
            {"nt+0x10", "netio.sys+0x20", "tcpip.sys+0x30", "afd.sys+0x40"}, 0, 1,
            stats(3, 300, 48, 132, 0, 16)),
      stack({0xA0, 0xA1, 0xB2}, {"nt+0x10", "netio.sys+0x20", "ndis.sys+0x50"}, 0, 1,
            stats(1, 100, 16, 4, 0, 0)),
      stack({0xC0, 0xC1}, {"nt+0x90", "<b>x.sys+0x1"}, 1, 1, stats(2, 1000, 32, 0, 168, 200)),
  };
  r.by_call_site.resize(2);
  for (const StackRow& s : r.stacks) r.by_call_site[s.caller] += s.stats;
  r.totals = r.by_call_site[0];
  r.totals += r.by_call_site[1];
  return r;
}

// A row of the bottom-up table: its class, data-parent, label (as written: escaped) and the raw
// values (data-v) of its figures, in column order.
struct TableRow {
  std::string cls;
  std::string parent;
  std::string label;
  std::vector<std::uint64_t> values;
  std::string html;
  friend bool operator==(const TableRow& a, const TableRow& b) {
    return a.cls == b.cls && a.parent == b.parent && a.label == b.label && a.values == b.values;
  }
};
std::ostream& operator<<(std::ostream& os, const TableRow& t) { return os << t.html; }

std::string between(const std::string& s, const std::string& open, const std::string& close,
                    std::size_t from = 0) {
  const std::size_t at = s.find(open, from);
  if (at == std::string::npos) return {};
  const std::size_t start = at + open.size();
  return s.substr(start, s.find(close, start) - start);
}

std::vector<TableRow> table_rows(const std::string& view) {
  std::vector<TableRow> rows;
  const std::string body = between(view, "<tbody>", "</tbody>");
  for (std::size_t at = body.find("<tr"); at != std::string::npos; at = body.find("<tr", at + 1)) {
    TableRow row;
    row.html = body.substr(at, body.find("</tr>", at) - at);
    row.cls = between(row.html, "class=\"", "\"");
    row.parent = between(row.html, "data-parent=\"", "\"");
    row.label = between(row.html, "<td class=\"tag\"", "</td>");
    row.label = row.label.substr(row.label.find('>') + 1);
    const std::string arrow = "&#8627; </span>";
    if (const auto a = row.label.find(arrow); a != std::string::npos) {
      row.label = row.label.substr(a + arrow.size());
    }
    for (std::size_t v = row.html.find("data-v=\""); v != std::string::npos;
         v = row.html.find("data-v=\"", v + 1))
      row.values.push_back(std::stoull(row.html.substr(v + 8)));
    rows.push_back(row);
  }
  return rows;
}

// The callers by waste: <b>x and netio tie at 200 B, so the label decides ('<' before 'n').
// Under netio its own callers, the frame after it in A and B: tcpip (A: 180 B) before ndis (B:
// 20 B). C's caller is its last frame, so its caller is "(none)", with all of C's figures.
TEST(HtmlStackViews, BottomUpRowsAndFiguresAreExact) {
  const std::string view = html::stacks_bottom_up_view(three_stacks());
  ASSERT_NE(view.find("<section id=\"stacks-bottom-up\">"), std::string::npos);
  ASSERT_NE(view.find("<table id=\"bottom-up-table\">"), std::string::npos);
  const std::string bx = "&lt;b&gt;x.sys+0x1";
  // Columns: allocations, requested, footprint, waste, resident waste at peak.
  const std::vector<TableRow> expected{
      {"caller", "", bx, {2, 1000, 1200, 200, 200}, ""},
      {"callee-of", bx, "(none)", {2, 1000, 1200, 200, 200}, ""},
      // netio = A + B: 3 + 1 allocations, 300 + 100 requested, 480 + 120 footprint, 180 + 20
      // waste, 16 + 0 at peak.
      {"caller", "", "netio.sys+0x20", {4, 400, 600, 200, 16}, ""},
      {"callee-of", "netio.sys+0x20", "tcpip.sys+0x30", {3, 300, 480, 180, 16}, ""},
      {"callee-of", "netio.sys+0x20", "ndis.sys+0x50", {1, 100, 120, 20, 0}, ""},
  };
  const std::vector<TableRow> rows = table_rows(view);
  EXPECT_EQ(rows, expected);
  // Shown as the other tables show sizes: 1000 B is 0.98 KiB, 1200 B is 1.17 KiB.
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_NE(rows[0].html.find("<td class=\"n\" data-v=\"2\">2</td>"), std::string::npos);
  EXPECT_NE(rows[0].html.find("data-v=\"1000\">0.98 KiB</td>"), std::string::npos);
  EXPECT_NE(rows[0].html.find("data-v=\"1200\">1.17 KiB</td>"), std::string::npos);
  EXPECT_NE(rows[2].html.find("<span class=\"v\">200 B</span>"), std::string::npos);
  EXPECT_NE(rows[2].html.find("data-v=\"16\">16 B</td>"), std::string::npos);
  EXPECT_EQ(view.find("Left out"), std::string::npos) << "nothing is left out";
}

// Root (400 B) + the outermost frames <b>x (200), afd (180), ndis (20) + nt+0x90 (C), tcpip (A),
// netio (B) + netio (A), nt+0x10 (B) + nt+0x10 (A): 1 + 3 + 3 + 2 + 1 = 10 boxes. Widths are
// 980 * waste / 400: the root 980, <b>x 490, afd 441, ndis 49, side by side from x = 10 in label
// order. Five levels: the chart is 4 + 5 * 18 + 4 = 98 high, the first level's boxes at
// y = 98 - 4 - 2 * 18 = 58.
TEST(HtmlStackViews, FlameGraphBoxesAndWidths) {
  const std::string view = html::stacks_flame_view(three_stacks());
  ASSERT_NE(view.find("<section id=\"stacks-flame\">"), std::string::npos);
  ASSERT_NE(view.find("<svg id=\"flame-graph\""), std::string::npos);
  EXPECT_NE(view.find("viewBox=\"0 0 1000.0 98.0\""), std::string::npos);
  EXPECT_EQ(count(view, "<rect"), 10u);
  EXPECT_EQ(count(view, "<title>"), 10u);
  EXPECT_NE(view.find("<rect x=\"10.0\" y=\"76.0\" width=\"980.0\" height=\"17.0\""),
            std::string::npos)
      << "the root";
  EXPECT_NE(view.find("<rect x=\"10.0\" y=\"58.0\" width=\"490.0\" height=\"17.0\""),
            std::string::npos);
  EXPECT_NE(view.find("<rect x=\"500.0\" y=\"58.0\" width=\"441.0\" height=\"17.0\""),
            std::string::npos);
  EXPECT_NE(view.find("<rect x=\"941.0\" y=\"58.0\" width=\"49.0\" height=\"17.0\""),
            std::string::npos);
  // The deepest box: A's nt+0x10, at level 4 (y = 4), as wide as A's waste.
  EXPECT_NE(view.find("<rect x=\"500.0\" y=\"4.0\" width=\"441.0\""), std::string::npos);
  EXPECT_NE(view.find("<title>all stacks \xE2\x80\x94 waste 400 B (100.0 % of all), allocations "
                      "6</title>"),
            std::string::npos);
  EXPECT_NE(view.find("<title>afd.sys+0x40 \xE2\x80\x94 waste 180 B (45.0 % of all), allocations "
                      "3</title>"),
            std::string::npos);
  EXPECT_EQ(view.find("Left out"), std::string::npos) << "no box is too narrow";
  EXPECT_EQ(count(view, "<g>"), count(view, "</g>"));
}

TEST(HtmlStackViews, TraceLabelsAreEscaped) {
  const replay::Results r = three_stacks();
  const std::string bottom_up = html::stacks_bottom_up_view(r);
  const std::string flame = html::stacks_flame_view(r);
  const std::string escaped = "&lt;b&gt;x.sys+0x1";
  EXPECT_EQ(count(bottom_up, "<b>"), 0u);
  EXPECT_EQ(count(bottom_up, escaped), 2u) << "the caller's cell and its child's data-parent";
  EXPECT_EQ(count(flame, "<b>"), 0u);
  EXPECT_EQ(count(flame, escaped), 2u) << "the box's title and its text";
  EXPECT_NE(flame.find("<title>" + escaped +
                       " \xE2\x80\x94 waste 200 B (50.0 % of all), allocations 2</title>"),
            std::string::npos);
  const std::string page = html_report(r);
  EXPECT_EQ(count(page, "<b>"), 0u);
  EXPECT_GE(count(page, escaped), 4u);
}

TEST(HtmlStackViews, OnThePageWithNavigationOnlyWithStacks) {
  const std::string page = html_report(three_stacks());
  for (const char* id : {"stacks-bottom-up", "bottom-up-table", "stacks-flame", "flame-graph"})
    EXPECT_EQ(count(page, std::string("id=\"") + id + "\""), 1u) << id;
  EXPECT_EQ(count(page, "href=\"#stacks-bottom-up\""), 1u);
  EXPECT_EQ(count(page, "href=\"#stacks-flame\""), 1u);
  EXPECT_LT(page.find("id=\"call-sites\""), page.find("id=\"stacks-bottom-up\""));
  EXPECT_LT(page.find("id=\"stacks-bottom-up\""), page.find("id=\"stacks-flame\""));
  EXPECT_LT(page.find("id=\"stacks-flame\""), page.find("id=\"processes\""));

  replay::Results none = three_stacks();
  none.stacks.clear();
  EXPECT_EQ(html::stacks_bottom_up_view(none), "");
  EXPECT_EQ(html::stacks_flame_view(none), "");
  const std::string plain = html_report(none);
  for (const char* text : {"stacks-bottom-up", "bottom-up-table", "stacks-flame", "flame-graph"})
    EXPECT_EQ(count(plain, text), 0u) << text;
}

// A copy of A under another tag row has A's frames: one more row of figures, no more boxes.
TEST(HtmlStackViews, StacksWithTheSameFramesAreMerged) {
  replay::Results r = three_stacks();
  r.stacks.push_back(r.stacks[0]);
  r.stacks.back().tag_row = 1;
  const std::string flame = html::stacks_flame_view(r);
  EXPECT_EQ(count(flame, "<rect"), 10u);
  // All waste 400 + 180 = 580; afd 360: 980 * 360 / 580 = 608.27...
  EXPECT_NE(flame.find("<title>afd.sys+0x40 \xE2\x80\x94 waste 360 B (62.1 % of all), "
                       "allocations 6</title>"),
            std::string::npos);
  const std::vector<TableRow> rows = table_rows(html::stacks_bottom_up_view(r));
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0].label, "netio.sys+0x20") << "380 B of waste now, before <b>x's 200";
  EXPECT_EQ(rows[0].values, (std::vector<std::uint64_t>{7, 700, 1080, 380, 32}));
  EXPECT_EQ(rows[1].values, (std::vector<std::uint64_t>{6, 600, 960, 360, 32}));
}

// 60 callers, caller k with waste 100 + k from 12 stacks of distinct callers' callers: the 50
// with the most waste are shown (k = 59 down to 10), each with 10 of its 12 callers.
TEST(HtmlStackViews, BottomUpStopsAtFiftyCallersOfTenCallersAndSaysSo) {
  replay::Results r;
  for (std::uint32_t k = 0; k < 60; ++k) {
    const std::string name = "drv" + std::to_string(100 + k) + ".sys+0x1";
    r.call_sites.push_back(replay::CallSite{0x1000u + k, name, "", false, 0, 0});
    for (std::uint64_t j = 0; j < 12; ++j) {
      const std::uint64_t waste = j == 0 ? 100 + k - 11 : 1;  // 12 stacks: 100 + k in all
      r.stacks.push_back(stack({0x1, 0x1000u + k, 0x100000 + j},
                               {"nt+0x1", name, "up" + std::to_string(10 + j) + ".sys+0x2"}, k, 1,
                               stats(1, 16, waste, 0, 0, 0)));
    }
  }
  const std::string view = html::stacks_bottom_up_view(r);
  const std::vector<TableRow> rows = table_rows(view);
  ASSERT_EQ(rows.size(), 50u * 11);
  EXPECT_EQ(rows.front().label, "drv159.sys+0x1");
  EXPECT_EQ(rows.front().values[3], 159u);
  EXPECT_EQ(rows[11 * 49].label, "drv110.sys+0x1");
  EXPECT_EQ(rows[1].label, "up10.sys+0x2") << "the one with the most waste";
  EXPECT_EQ(rows[2].label, "up11.sys+0x2") << "then the ties at 1 B, by label";
  EXPECT_EQ(count(view, "class=\"caller\""), 50u);
  EXPECT_EQ(count(view, "class=\"callee-of\""), 500u);
  EXPECT_NE(view.find("Left out: 10 callers with less waste (the table shows the first 50); "
                      "100 of the callers&#39; own callers, beyond the 10 with the most waste "
                      "under each."),
            std::string::npos)
      << view.substr(view.rfind("<p"));
}

// One stack of 100 frames and 10,000 B of waste, one of 2 other frames and 1 B, one of 1 frame and
// no waste: the second's boxes would be 980 / 10,001 wide, under half a unit, so both are left
// out and counted, and so is the third's; the first is drawn up to its 64 outermost frames (64
// boxes and the root).
TEST(HtmlStackViews, FlameGraphDropsNarrowBoxesAndCutsDeepStacks) {
  replay::Results r;
  r.call_sites = {replay::CallSite{0x5, "deep.sys+0x5", "", false, 0, 0}};
  std::vector<std::uint64_t> frames;
  std::vector<std::string> labels;
  for (std::uint64_t i = 0; i < 100; ++i) {
    frames.push_back(0x1000 + i);
    labels.push_back("deep.sys+" + std::to_string(i));
  }
  r.stacks.push_back(stack(frames, labels, 0, 5, stats(1, 16, 10000, 0, 0, 0)));
  r.stacks.push_back(stack({0x1, 0x2}, {"nt+0x1", "thin.sys+0x2"}, 0, 1, stats(1, 16, 1, 0, 0, 0)));
  r.stacks.push_back(stack({0x3}, {"idle.sys+0x3"}, 0, 0, stats(1, 16, 0, 0, 0, 0)));
  const std::string view = html::stacks_flame_view(r);
  EXPECT_EQ(count(view, "<rect"), 65u);
  EXPECT_NE(view.find("Left out: 2 boxes narrower than half a unit of the chart&#39;s 1,000 (too "
                      "little waste to see); 1 box of frames whose allocations wasted nothing."),
            std::string::npos);
  EXPECT_NE(view.find("1 stack is deeper than 64 frames"), std::string::npos);
  EXPECT_NE(view.find(">deep.sys+99<"), std::string::npos) << "the outermost frame is drawn";
  EXPECT_NE(view.find(">deep.sys+36<"), std::string::npos) << "the 64th from the outside";
  EXPECT_EQ(view.find(">deep.sys+35<"), std::string::npos);
  EXPECT_EQ(view.find("thin.sys"), std::string::npos);
  EXPECT_EQ(view.find("idle.sys"), std::string::npos);
}

TEST(HtmlStackViews, NoWasteSaysSoInsteadOfDrawing) {
  replay::Results r = three_stacks();
  for (StackRow& s : r.stacks) s.stats.waste = {};
  const std::string view = html::stacks_flame_view(r);
  EXPECT_NE(view.find("data-state=\"empty\""), std::string::npos);
  EXPECT_EQ(count(view, "<rect"), 0u);
}

}  // namespace
}  // namespace fragreplay::report
