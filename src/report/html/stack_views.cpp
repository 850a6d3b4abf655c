// The bottom-up table and the flame graph of the stacks (see stack_views.hpp).
#include "report/html/stack_views.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <utility>
#include <vector>

#include "base/escape.hpp"
#include "base/format.hpp"
#include "report/call_sites.hpp"
#include "report/html/page.hpp"
#include "report/html/table_cells.hpp"

namespace fragreplay::report::html {

using replay::GroupStats;
using replay::Results;
using replay::StackRow;

namespace {

// What both views show of a group of stacks, summed.
struct Figures {
  std::uint64_t allocations = 0;
  std::uint64_t requested = 0;
  std::uint64_t footprint = 0;
  std::uint64_t waste = 0;       // turnover waste
  std::uint64_t peak_waste = 0;  // resident at the live peak
  void add(const Figures& f) {
    allocations += f.allocations;
    requested += f.requested;
    footprint += f.footprint;
    waste += f.waste;
    peak_waste += f.peak_waste;
  }
};

Figures figures_of(const GroupStats& g) {
  return {g.allocations, g.requested.value, g.footprint.value, g.waste.total().value,
          g.at_peak.waste.total().value};
}

struct Row {
  std::string label;
  Figures figures;
};

// By waste (descending), then by label.
void sort_rows(std::vector<Row>& rows) {
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    if (a.figures.waste != b.figures.waste) return a.figures.waste > b.figures.waste;
    return a.label < b.label;
  });
}

// Frame `i` of `s` as the reports name it; its address when the row has no label for it.
std::string frame_label(const StackRow& s, std::size_t i) {
  return i < s.frame_labels.size() ? s.frame_labels[i] : hex(s.frames[i]);
}

std::string caller_label(const Results& r, const StackRow& s) {
  return s.caller < r.call_sites.size() ? call_site_label(r.call_sites[s.caller]) : "(unknown)";
}

// The frame that called the caller: the next one outwards, "(none)" when the caller is last.
std::string callers_caller_label(const StackRow& s) {
  const std::size_t next = s.caller_frame + 1;
  return next < s.frames.size() ? frame_label(s, next) : "(none)";
}

// ---- The bottom-up table.

std::string figure_cells(const Figures& f, std::uint64_t max_waste) {
  return num_cell(f.allocations, thousands(f.allocations)) + bytes_cell(f.requested) +
         bytes_cell(f.footprint) + waste_cell(f.waste, max_waste) + bytes_cell(f.peak_waste);
}

// One caller's row, then the rows of its own callers, indented.
std::string caller_rows(const Row& caller, const std::vector<Row>& children,
                        std::uint64_t max_waste) {
  const std::string label = html_escape(caller.label);
  std::string out = "<tr class=\"caller\"><td class=\"tag\">" + label + "</td>" +
                    figure_cells(caller.figures, max_waste) + "</tr>\n";
  for (const Row& child : children) {
    out += "<tr class=\"callee-of\" data-parent=\"" + label +
           "\"><td class=\"tag\" style=\"padding-left:30px\"><span aria-hidden=\"true\">"
           "&#8627; </span>" +
           html_escape(child.label) + "</td>" + figure_cells(child.figures, max_waste) + "</tr>\n";
  }
  return out;
}

struct Caller {
  Figures figures;
  std::map<std::string, Figures> callers;  // its own callers, by label
};

// The callers by label: a caller's label is its call-site row's, so rows of one label are one.
std::map<std::string, Caller> callers_of(const Results& r) {
  std::map<std::string, Caller> callers;
  for (const StackRow& s : r.stacks) {
    const Figures f = figures_of(s.stats);
    Caller& c = callers[caller_label(r, s)];
    c.figures.add(f);
    c.callers[callers_caller_label(s)].add(f);
  }
  return callers;
}

std::string left_out_note(std::size_t callers, std::size_t shown, std::size_t children) {
  if (callers == 0 && children == 0) return {};
  std::string note = "Left out:";
  if (callers != 0) {
    note += " " + thousands(callers) + " caller" + (callers == 1 ? "" : "s") +
            " with less waste (the table shows the first " + thousands(shown) + ")";
  }
  if (children != 0) {
    note += std::string(callers != 0 ? ";" : "") + " " + thousands(children) + " of the callers' " +
            "own callers, beyond the " + std::to_string(kBottomUpChildren) + " with the most " +
            "waste under each";
  }
  return "<p class=\"intro\">" + html_escape(note + ".") + "</p>\n";
}

// ---- The flame graph.

struct Node {
  std::string label;
  std::uint64_t waste = 0;
  std::uint64_t allocations = 0;
  std::map<std::string, std::size_t> children;  // by label: the order they are drawn in
};

struct Tree {
  std::vector<Node> nodes;  // nodes[0]: the root, every stack
  std::size_t cut = 0;      // stacks deeper than kFlameMaxDepth
};

// The stacks merged by frames (rows of different tags with the same stack), each frame a level
// from the outermost; siblings of one label are one box.
Tree build_tree(const Results& r) {
  std::map<std::vector<std::uint64_t>, std::pair<const StackRow*, Figures>> merged;
  for (const StackRow& s : r.stacks) {
    auto& entry = merged.try_emplace(s.frames, &s, Figures{}).first->second;
    entry.second.add(figures_of(s.stats));  // entry.first: the first row, for the labels
  }
  Tree t;
  t.nodes.push_back(Node{"all stacks", 0, 0, {}});
  for (const auto& [frames, stack] : merged) {
    const auto& [s, f] = stack;
    const std::size_t levels = std::min(frames.size(), kFlameMaxDepth);
    if (frames.size() > kFlameMaxDepth) ++t.cut;
    std::size_t node = 0;
    for (std::size_t level = 0;; ++level) {
      t.nodes[node].waste += f.waste;
      t.nodes[node].allocations += f.allocations;
      if (level == levels) break;
      std::string label = frame_label(*s, frames.size() - 1 - level);
      const auto [at, added] = t.nodes[node].children.try_emplace(label, t.nodes.size());
      if (added) t.nodes.push_back(Node{std::move(label), 0, 0, {}});
      node = at->second;
    }
  }
  return t;
}

struct Box {
  std::size_t node = 0;
  double x = 0;
  double width = 0;
  std::size_t depth = 0;
};

struct Layout {
  std::vector<Box> boxes;         // parents before their children
  std::size_t without_waste = 0;  // boxes left out: no waste at all
  std::size_t narrow = 0;         // boxes left out: narrower than kFlameMinWidth
  std::size_t depth = 0;          // of the highest box
};

std::size_t subtree_size(const Tree& t, std::size_t n) {
  std::size_t size = 1;
  for (const auto& [label, child] : t.nodes[n].children) size += subtree_size(t, child);
  return size;
}

double width_of(const Tree& t, std::size_t n) {
  return kFlamePlotWidth * static_cast<double>(t.nodes[n].waste) /
         static_cast<double>(t.nodes[0].waste);
}

void place(const Tree& t, std::size_t n, double x, std::size_t depth, Layout& out) {
  const double width = width_of(t, n);
  if (width < kFlameMinWidth) {
    (t.nodes[n].waste == 0 ? out.without_waste : out.narrow) += subtree_size(t, n);
    return;
  }
  out.boxes.push_back({n, x, width, depth});
  out.depth = std::max(out.depth, depth);
  for (const auto& [label, child] : t.nodes[n].children) {
    place(t, child, x, depth + 1, out);
    x += width_of(t, child);
  }
}

// Coordinates with one decimal, as the other charts write them.
std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// A warm colour picked by the label (FNV-1a), so one frame has one colour everywhere.
std::string box_colour(const std::string& label) {
  std::uint32_t h = 2166136261u;
  for (const char c : label) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  char buf[32];
  std::snprintf(buf, sizeof buf, "hsl(%u,85%%,%u%%)", h % 40, 60 + (h >> 8) % 14);
  return buf;
}

// As much of `label` as fits in `width` (about 6.5 units per character), cut with an ellipsis
// (never inside a UTF-8 sequence); "" when not even three characters fit.
std::string fit_label(const std::string& label, double width) {
  const double room = (width - 6) / 6.5;
  if (room < 3) return {};
  const auto chars = static_cast<std::size_t>(room);
  if (label.size() <= chars) return label;
  std::size_t cut = chars - 1;
  while (cut > 0 && (static_cast<unsigned char>(label[cut]) & 0xC0) == 0x80) --cut;
  return label.substr(0, cut) + "\xE2\x80\xA6";
}

constexpr double kRow = 18;  // a level's height; its box is one less
constexpr double kMargin = 4;

std::string box(const Node& n, const Box& b, double y, std::uint64_t total, bool root) {
  const std::string title = n.label + " \xE2\x80\x94 waste " + human_bytes(n.waste) + " (" +
                            percent(n.waste, total) + " of all), allocations " +
                            thousands(n.allocations);
  std::string out = "<g><title>" + html_escape(title) + "</title><rect x=\"" + num(b.x) +
                    "\" y=\"" + num(y) + "\" width=\"" + num(b.width) + "\" height=\"" +
                    num(kRow - 1) + "\" fill=\"" + (root ? "#cbd5e1" : box_colour(n.label)) +
                    "\"/>";
  const std::string shown = fit_label(n.label, b.width);
  if (!shown.empty()) {
    out += "<text x=\"" + num(b.x + 3) + "\" y=\"" + num(y + 12.5) + "\" style=\"fill:#1e293b\">" +
           html_escape(shown) + "</text>";
  }
  return out + "</g>\n";
}

// The root at the bottom, each level one frame further in above it.
std::string flame_svg(const Tree& t, const Layout& layout) {
  const double height = 2 * kMargin + static_cast<double>(layout.depth + 1) * kRow;
  std::string out = "<svg id=\"flame-graph\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
                    num(kFlameWidth) + " " + num(height) +
                    "\" role=\"img\" aria-label=\"Flame graph of waste by stack\">\n";
  for (const Box& b : layout.boxes) {
    const double y = height - kMargin - static_cast<double>(b.depth + 1) * kRow;
    out += box(t.nodes[b.node], b, y, t.nodes[0].waste, b.node == 0);
  }
  return out + "</svg>\n";
}

std::string flame_notes(const Tree& t, const Layout& layout) {
  std::string out;
  const auto boxes = [](std::size_t n) { return thousands(n) + (n == 1 ? " box" : " boxes"); };
  if (layout.narrow != 0 || layout.without_waste != 0) {
    std::string note = "Left out:";
    if (layout.narrow != 0) {
      note += " " + boxes(layout.narrow) + " narrower than half a unit of the chart's " +
              thousands(static_cast<std::uint64_t>(kFlameWidth)) + " (too little waste to see)";
    }
    if (layout.without_waste != 0) {
      note += std::string(layout.narrow != 0 ? ";" : "") + " " + boxes(layout.without_waste) +
              " of frames whose allocations wasted nothing";
    }
    out += "<p class=\"intro\">" + html_escape(note + ".") + "</p>\n";
  }
  if (t.cut != 0) {
    out += "<p class=\"intro\">" +
           html_escape(thousands(t.cut) + (t.cut == 1 ? " stack is" : " stacks are") +
                       " deeper than " + std::to_string(kFlameMaxDepth) + " frames: drawn up to " +
                       "their " + std::to_string(kFlameMaxDepth) + " outermost.") +
           "</p>\n";
  }
  return out;
}

}  // namespace

std::string stacks_bottom_up_view(const Results& r) {
  if (r.stacks.empty()) return {};
  const std::map<std::string, Caller> callers = callers_of(r);
  std::vector<Row> rows;
  for (const auto& [label, c] : callers) rows.push_back({label, c.figures});
  sort_rows(rows);
  const std::size_t callers_left =
      rows.size() > kBottomUpCallers ? rows.size() - kBottomUpCallers : 0;
  rows.resize(rows.size() - callers_left);
  const std::uint64_t max_waste = rows.empty() ? 0 : rows.front().figures.waste;
  std::string body = "<div class=\"scroll\"><table id=\"bottom-up-table\">\n<thead><tr>" +
                     plain_th("caller", false) + plain_th("allocations", true) +
                     plain_th("requested", true) + plain_th("footprint", true) +
                     plain_th("waste", true) + plain_th("resident waste at peak", true) +
                     "</tr></thead>\n<tbody>\n";
  std::size_t children_left = 0;
  for (const Row& row : rows) {
    std::vector<Row> children;
    for (const auto& [label, f] : callers.at(row.label).callers) children.push_back({label, f});
    sort_rows(children);
    if (children.size() > kBottomUpChildren) {
      children_left += children.size() - kBottomUpChildren;
      children.resize(kBottomUpChildren);
    }
    body += caller_rows(row, children, max_waste);
  }
  body += "</tbody></table></div>\n" + left_out_note(callers_left, rows.size(), children_left);
  return section_start("stacks-bottom-up", "Callers and their callers (bottom-up)",
                       "Each caller of the allocator (the first frame of a stack outside the "
                       "kernel's own images), largest waste first, and under it the frames that "
                       "called it, from the allocations' stacks. Waste is the turnover waste of "
                       "every allocation; resident waste at peak is what was live at the live "
                       "peak.") +
         body + section_end();
}

std::string stacks_flame_view(const Results& r) {
  if (r.stacks.empty()) return {};
  const Tree tree = build_tree(r);
  const char* caption = "Waste by stack: outermost caller at the bottom, allocator at the top";
  std::string body;
  if (tree.nodes[0].waste == 0) {
    body = empty_figure("flame-figure", caption,
                        "no waste: the allocations with stacks wasted nothing, so there is "
                        "nothing to draw");
  } else {
    Layout layout;
    place(tree, 0, kFlameLeft, 0, layout);
    body = figure("flame-figure", caption, flame_svg(tree, layout), "") + flame_notes(tree, layout);
  }
  return section_start("stacks-flame", "Flame graph of waste by stack",
                       "Each box is a frame of the allocations' stacks; the frames it called "
                       "stand on it. Its width is the turnover waste of the allocations whose "
                       "stacks pass through it; boxes side by side are in label order. Hover "
                       "for the figures.") +
         body + section_end();
}

}  // namespace fragreplay::report::html
