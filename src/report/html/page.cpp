// The HTML report's page frame, style sheet and script (see html_page.hpp).
#include "report/html/page.hpp"

#include "base/escape.hpp"

namespace fragreplay::report::html {
namespace {

constexpr const char* kStyle = R"css(
:root { --fg: #0f172a; --muted: #64748b; --line: #e2e8f0; --bg: #f1f5f9; --card: #ffffff;
        --error: #991b1b; --warning: #92400e; --info: #1e40af; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--fg); background: var(--bg);
       font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
.wrap { max-width: 1180px; margin: 0 auto; padding: 0 24px; }
header.top { background: #0f172a; color: #f8fafc; padding: 18px 0 16px; }
header.top h1 { font-size: 20px; font-weight: 600; margin: 0 0 2px; overflow-wrap: anywhere; }
header.top .sub { color: #cbd5e1; font-size: 13px; }
nav.toc { position: sticky; top: 0; z-index: 5; background: #ffffffee; border-bottom: 1px solid var(--line);
          backdrop-filter: blur(4px); }
nav.toc .wrap { display: flex; flex-wrap: wrap; gap: 2px 4px; }
nav.toc a { padding: 8px 8px; color: var(--muted); text-decoration: none; font-size: 13px; }
nav.toc a:hover { color: var(--fg); }
main { padding: 6px 0 8px; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 8px;
          padding: 16px 20px 10px; margin: 16px 0; scroll-margin-top: 48px; }
h2 { font-size: 17px; margin: 0 0 2px; }
p.intro { color: var(--muted); margin: 0 0 12px; font-size: 13px; max-width: 80ch; }
.banner { background: #fef9c3; border: 1px solid #fde68a; border-radius: 6px; padding: 8px 12px;
          margin: 0 0 12px; font-size: 13px; }
.kpis { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 10px; margin-bottom: 8px; }
.kpi { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; min-width: 0; }
.kpi .label { color: var(--muted); font-size: 11px; text-transform: uppercase; letter-spacing: .05em; }
.kpi .value { font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; white-space: nowrap; }
.kpi .detail { color: var(--muted); font-size: 12px; overflow-wrap: anywhere; }
.kpi.bad .value { color: var(--error); }
.kpi.good .value { color: #166534; }
figure.chart { margin: 4px 0 18px; }
figure.chart figcaption { font-weight: 600; font-size: 13px; margin-bottom: 2px; }
figure.chart figcaption span { font-weight: 400; color: var(--muted); }
figure.chart svg { display: block; width: 100%; height: auto; }
svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; font-size: 11px; fill: #475569; }
svg text.axis-title { fill: #64748b; }
svg rect { shape-rendering: crispEdges; }
.legend { display: flex; flex-wrap: wrap; gap: 2px 16px; font-size: 12px; color: var(--muted); margin: 2px 0 0 96px; }
.legend .sw { display: inline-block; width: 11px; height: 11px; border-radius: 2px; vertical-align: -1px;
              margin-right: 5px; border: 1px solid #0000001a; }
.no-data { color: var(--muted); font-style: italic; padding: 14px 16px; border: 1px dashed #cbd5e1;
           border-radius: 6px; margin: 0; }
.scroll { max-height: 560px; overflow: auto; border: 1px solid var(--line); border-radius: 6px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { position: sticky; top: 0; background: #f8fafc; color: var(--muted); font-size: 12px; font-weight: 600;
     white-space: nowrap; z-index: 1; }
th button { all: unset; cursor: pointer; }
th button:hover, th button:focus-visible { color: var(--fg); text-decoration: underline; }
th[aria-sort=descending] button::after { content: " \25BC"; }
th[aria-sort=ascending] button::after { content: " \25B2"; }
td.n, th.n { text-align: right; white-space: nowrap; }
td.tag, td.mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px;
                  overflow-wrap: anywhere; }
td.bar { position: relative; }
td.bar span.fill { position: absolute; right: 0; top: 3px; bottom: 3px; background: #fecaca; border-radius: 2px; z-index: 0; }
td.bar span.v { position: relative; z-index: 1; }
tbody tr:hover { background: #f8fafc; }
.time-mark { opacity: .45; }
.time-mark:target { opacity: 1; stroke-width: 3; }
.cause::before { content: ""; display: inline-block; width: 9px; height: 9px; border-radius: 2px; margin-right: 6px; background: var(--c); }
dl.params { display: grid; grid-template-columns: max-content 1fr; gap: 3px 18px; margin: 0 0 8px; font-size: 13px; }
dl.params dt { color: var(--muted); }
dl.params dd { margin: 0; font-variant-numeric: tabular-nums; }
.findings { list-style: none; margin: 0; padding: 0; }
.findings li { border-left: 4px solid var(--line); padding: 6px 12px 8px; margin: 0 0 10px; background: #f8fafc;
               border-radius: 0 6px 6px 0; }
.findings li.error { border-color: #dc2626; }
.findings li.warning { border-color: #d97706; }
.findings li.info { border-color: #2563eb; }
.findings .head { display: flex; flex-wrap: wrap; gap: 4px 14px; align-items: baseline; font-size: 13px; }
.findings .rule { font-weight: 600; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
.findings .facts { color: var(--muted); }
.findings p { margin: 3px 0 0; max-width: 95ch; }
.sev { display: inline-block; padding: 0 8px; border-radius: 9px; font-size: 11px; font-weight: 700;
       text-transform: uppercase; letter-spacing: .04em; }
.sev.error { background: #fee2e2; color: var(--error); }
.sev.warning { background: #fef3c7; color: var(--warning); }
.sev.info { background: #dbeafe; color: var(--info); }
footer { color: var(--muted); font-size: 12px; padding: 4px 0 32px; }
.print-only { display: none; }
@media (max-width: 900px) { .kpis { grid-template-columns: repeat(2, minmax(0, 1fr)); } }
@media (max-width: 700px) { .wrap { padding: 0 12px; } section { padding: 12px; } .legend { margin-left: 0; } }
@media print {
  @page { margin: 14mm 12mm; }
  body { background: #fff; font-size: 11px; }
  header.top { background: #fff; color: #000; border-bottom: 2px solid #000; padding: 0 0 6px; }
  header.top .sub { color: #334155; }
  nav.toc { display: none; }
  .wrap { max-width: none; padding: 0; }
  section { border: none; border-radius: 0; padding: 0; margin: 14px 0; }
  figure.chart, .kpis, .findings li, tr { break-inside: avoid; }
  h2 { break-after: avoid; }
  .scroll { max-height: none; overflow: visible; border: none; }
  th { position: static; }
  th button::after { content: "" !important; }
  table { font-size: 9px; }
  th, td { padding: 2px 5px; }
  td.mono, td.n { white-space: nowrap; }
  tr.more { display: none; }
  .print-only { display: block !important; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
)css";

// Sortable tables: a header button sorts by its column (numbers by their data-v value, text
// otherwise); a second click reverses. The last line marks the page as rendered, which the
// browser test checks.
constexpr const char* kScript = R"js(
(function () {
  'use strict';
  function key(cell) {
    var v = cell.getAttribute('data-v');
    return v === null ? cell.textContent : Number(v);
  }
  document.querySelectorAll('table.sortable').forEach(function (table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, column) {
      var button = th.querySelector('button');
      if (!button) return;
      button.addEventListener('click', function () {
        var numeric = th.classList.contains('n');
        var current = th.getAttribute('aria-sort');
        var descending = current ? current === 'ascending' : numeric;
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a.cells[column]), y = key(b.cells[column]);
          var c = typeof x === 'number' ? x - y : String(x).localeCompare(String(y));
          return descending ? -c : c;
        });
        rows.forEach(function (row) { body.appendChild(row); });
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
      });
    });
  });
  document.documentElement.setAttribute('data-charts',
      String(document.querySelectorAll('figure.chart[data-state=drawn] svg').length));
  document.documentElement.setAttribute('data-ready', '1');
})();
)js";

}  // namespace

std::string page_start(const std::string& title, const std::string& subtitle,
                       const std::vector<NavItem>& nav) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"generator\" content=\"fragreplay\">\n<title>" +
      html_escape(title) + "</title>\n<style>" + kStyle +
      "</style>\n</head>\n<body>\n<header class=\"top\"><div class=\"wrap\"><h1>" +
      html_escape(title) + "</h1><div class=\"sub\">" + html_escape(subtitle) +
      "</div></div></header>\n<nav class=\"toc\" aria-label=\"Sections\"><div class=\"wrap\">";
  for (const NavItem& item : nav) {
    out += "<a href=\"#" + std::string(item.id) + "\">" + html_escape(item.label) + "</a>";
  }
  out += "</div></nav>\n<main class=\"wrap\">\n";
  return out;
}

std::string page_end(const std::string& footer) {
  return "</main>\n<footer class=\"wrap\">" + html_escape(footer) + "</footer>\n<script>" +
         kScript + "</script>\n</body>\n</html>\n";
}

std::string section_start(const char* id, const std::string& heading, const std::string& intro) {
  std::string out =
      "<section id=\"" + std::string(id) + "\">\n<h2>" + html_escape(heading) + "</h2>\n";
  if (!intro.empty()) out += "<p class=\"intro\">" + html_escape(intro) + "</p>\n";
  return out;
}

std::string section_end() { return "</section>\n"; }

std::string legend(const std::vector<LegendItem>& items) {
  std::string out = "<div class=\"legend\">";
  for (const LegendItem& i : items) {
    out += "<span><span class=\"sw\" style=\"background:" + i.colour + "\"></span>" +
           html_escape(i.label) + "</span>";
  }
  return out + "</div>\n";
}

std::string figure(const char* id, const std::string& caption, const std::string& svg,
                   const std::string& legend_html) {
  return "<figure class=\"chart\" id=\"" + std::string(id) +
         "\" data-state=\"drawn\">\n<figcaption>" + html_escape(caption) + "</figcaption>\n" + svg +
         legend_html + "</figure>\n";
}

std::string empty_figure(const char* id, const std::string& caption, const std::string& message) {
  return "<figure class=\"chart\" id=\"" + std::string(id) +
         "\" data-state=\"empty\">\n<figcaption>" + html_escape(caption) +
         "</figcaption>\n<p class=\"no-data\">" + html_escape(message) + "</p>\n</figure>\n";
}

}  // namespace fragreplay::report::html
