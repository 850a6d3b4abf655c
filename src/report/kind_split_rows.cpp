// The rows split by pool kind as the reports show them (see kind_split_rows.hpp).
#include "report/kind_split_rows.hpp"

#include "base/format.hpp"
#include "report/call_sites.hpp"
#include "report/pool_kinds.hpp"
#include "report/row_order.hpp"

namespace fragreplay::report {
namespace {

using replay::GroupStats;
using replay::KindParts;

constexpr std::size_t kTop = 12;  // parts shown in the terminal and Markdown

template <typename Key>
void add_group(std::vector<KindSplitRow>& out, const char* group,
               const std::vector<std::size_t>& order, std::span<const GroupStats> rows,
               std::span<const KindParts> kinds, Key key) {
  for (const std::size_t i : order) {
    const KindParts* k = replay::kinds_of(kinds, i);
    if (k == nullptr || k->kind == KindParts::kUnseen) continue;
    out.push_back(KindSplitRow{group, key(i), &rows[i], k});
  }
}

// A row of several kinds worth listing: one that holds everything would repeat the Pool kinds
// table.
bool listed(const KindSplitRow& row, const replay::Results& r) {
  return row.kinds->mixed() && *row.row != r.totals;
}

// "tag NicB", "process (not recorded)", "site kmalloc+0x1f": a row as the terminal, Markdown and
// HTML name it (empty keys as the group's own tables show them).
std::string shown_label(const KindSplitRow& row) {
  const std::string group = row.group;
  std::string key = row.key;
  if (key.empty()) key = group == "process" ? "(not recorded)" : "(none)";
  return (group == "call_site" ? std::string("site") : group) + " " + key;
}

}  // namespace

std::vector<KindSplitRow> kind_split_rows(const replay::Results& r) {
  std::vector<KindSplitRow> out;
  if (!has_pool_kinds(r)) return out;
  add_group(out, "tag", tags_by_waste(r), r.by_tag, r.tag_kinds,
            [&](std::size_t i) { return r.tags[i].to_string(); });
  if (replay::has_modules(r)) {
    add_group(out, "module", modules_by_waste(r), r.by_module, r.module_kinds,
              [&](std::size_t i) { return module_label(r.modules[i]); });
  }
  if (replay::has_call_sites(r)) {
    add_group(out, "call_site", call_sites_by_waste(r), r.by_call_site, r.call_site_kinds,
              [&](std::size_t i) { return call_site_label(r.call_sites[i]); });
  }
  add_group(out, "process", processes_by_waste(r), r.by_process, r.process_kinds,
            [&](std::size_t i) { return r.processes[i]; });
  add_group(out, "routine", routines_by_waste(r), r.by_routine, r.routine_kinds, [](std::size_t i) {
    return std::string(trace::routine_name(static_cast<trace::Routine>(i)));
  });
  return out;
}

std::vector<std::pair<std::size_t, GroupStats>> row_parts(const KindSplitRow& row) {
  std::vector<std::pair<std::size_t, GroupStats>> parts;
  for (std::size_t k = 0; k < replay::kPoolKindCount; ++k) {
    GroupStats part = row.kinds->part(*row.row, k);
    if (!part.idle()) parts.emplace_back(k, std::move(part));
  }
  return parts;
}

LabelledRows mixed_kind_rows(const replay::Results& r) {
  LabelledRows rows;
  for (const KindSplitRow& row : kind_split_rows(r)) {
    if (!listed(row, r)) continue;
    for (std::size_t k = 0; k < row.kinds->parts.size(); ++k) {
      const GroupStats& part = row.kinds->parts[k];
      if (part.idle()) continue;
      rows.emplace_back(shown_label(row) + ": " + replay::kPoolKindLabels[k], &part);
    }
  }
  return rows;
}

// One line per part: the row's label on its first part's line only, then the pool, within 80
// columns (a long label is cut; the JSON and CSV hold it whole).
std::string mixed_kinds_text(const replay::Results& r) {
  constexpr std::size_t kLabel = 20;
  constexpr std::size_t kPool = 17;
  std::string out;
  std::size_t shown = 0;
  std::size_t more = 0;
  for (const KindSplitRow& row : kind_split_rows(r)) {
    if (!listed(row, r)) continue;
    std::string label = shown_label(row);
    if (label.size() > kLabel) label = label.substr(0, kLabel - 3) + "...";
    for (const auto& [kind, g] : row_parts(row)) {
      if (shown == kTop) {
        ++more;
        continue;
      }
      out += "  " + pad_right(label, kLabel) + " " +
             pad_right(replay::kPoolKindLabels[kind], kPool) +
             pad_left(thousands(g.allocations), 7) + pad_left(human_bytes(g.requested.value), 11) +
             pad_left(human_bytes(g.footprint.value), 11) +
             pad_left(human_bytes(g.waste.total().value), 11) + "\n";
      label.clear();
      ++shown;
    }
  }
  if (out.empty()) return {};
  if (more != 0) out += "  ... and " + thousands(more) + " more parts (see --json)\n";
  return "\n" + pad_right("Rows in several pools", kLabel + 3 + kPool) + pad_left("allocs", 7) +
         pad_left("requested", 11) + pad_left("footprint", 11) + pad_left("waste", 11) + "\n" + out;
}

std::string mixed_kinds_markdown(const replay::Results& r) {
  const LabelledRows rows = mixed_kind_rows(r);
  if (rows.empty()) return {};
  return group_rows_markdown("Rows in several pools", "row: pool", rows, kTop, "parts");
}

}  // namespace fragreplay::report
