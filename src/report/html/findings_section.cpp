// The findings and the data-quality section of the HTML report (see html_views.hpp).
#include "base/escape.hpp"
#include "base/format.hpp"
#include "report/html/page.hpp"
#include "report/html/views.hpp"

namespace fragreplay::report::html {

using replay::Results;

std::string findings_view(const Results& r, const std::vector<Finding>& findings) {
  std::string body;
  if (findings.empty()) {
    body = "<p class=\"no-data\">no findings: none of the documented pitfalls showed up</p>\n";
  } else {
    body = "<ul class=\"findings\" id=\"findings-list\">\n";
    for (const Finding& f : findings) {
      const char* sev = severity_name(f.severity);
      body += "<li class=\"" + std::string(sev) + "\"><div class=\"head\"><span class=\"sev " +
              sev + "\">" + sev + "</span><span class=\"rule\">" + html_escape(f.rule) +
              "</span><span>" + html_escape(f.tag.empty() ? "(none)" : f.tag) + " &middot; " +
              html_escape(f.routine) + "</span><span class=\"facts\">" +
              (f.rule == kRules[6].id ? "peak " + thousands(f.count) + " map registers"
                                      : thousands(f.count) + " &times;") +
              " &middot; " + html_escape(human_bytes(f.bytes)) +
              " at stake &middot; first at line " + std::to_string(f.first_line) +
              "</span></div><p>" + html_escape(f.rationale) + "</p></li>\n";
    }
    body += "</ul>\n";
  }
  std::string intro =
      "Advice drawn from the kernel documentation, most severe first. Each names the rule, the "
      "tag and routine, how often, the bytes at stake and the first trace line; the rules are "
      "listed in the README.";
  if (!r.facts.driver_entry_seen) {
    intro +=
        " The trace has no DriverEntry phase marker, so contiguous-after-init was not "
        "checked.";
  }
  return section_start("findings", "Findings", intro) + body + section_end();
}

std::string data_quality_view(const Results& r) {
  const replay::DataQuality& q = r.data_quality;
  std::string body;
  bool any = q.bad_lines != 0;
  for (const auto& a : q.anomalies) any = any || a.count != 0;
  if (!any) {
    body =
        "<p class=\"no-data\" id=\"data-quality-ok\">no problems found: every event made "
        "sense</p>\n";
  } else {
    body =
        "<table id=\"data-quality-table\"><thead><tr><th>what</th><th class=\"n\">count</th>"
        "<th>first lines</th><th>what the replay did</th></tr></thead>\n<tbody>\n";
    if (q.bad_lines != 0) {
      std::string lines;
      for (std::size_t i = 0; i < q.first_bad_lines.size() && i < 5; ++i) {
        lines += (i ? "; " : "") + std::to_string(q.first_bad_lines[i].line) + ": " +
                 q.first_bad_lines[i].message;
      }
      body += "<tr><td>bad_lines</td><td class=\"n\">" + thousands(q.bad_lines) +
              "</td><td class=\"mono\">" + html_escape(lines) +
              "</td><td>skipped (--on-bad-line skip)</td></tr>\n";
    }
    for (unsigned k = 0; k < replay::kAnomalyCount; ++k) {
      const auto& a = q.anomalies[k];
      if (a.count == 0) continue;
      std::string lines;
      for (std::size_t i = 0; i < a.first_lines.size(); ++i) {
        lines += (i ? ", " : "") + std::to_string(a.first_lines[i]);
      }
      if (a.count > a.first_lines.size()) lines += ", ...";
      const auto kind = static_cast<replay::Anomaly>(k);
      std::string repair = replay::anomaly_repair(kind);
      if (kind == replay::Anomaly::kRoutineNotInVersion)
        repair += ": " + replay::routines_not_in_version(q);
      body += "<tr><td>" + std::string(replay::anomaly_name(kind)) + "</td><td class=\"n\">" +
              thousands(a.count) + "</td><td class=\"mono\">" + html_escape(lines) + "</td><td>" +
              html_escape(repair) + "</td></tr>\n";
    }
    body += "</tbody></table>\n";
  }
  if (q.null_frees != 0) {
    body += "<p class=\"intro\" id=\"null-frees\">" + thousands(q.null_frees) +
            (q.null_frees == 1 ? " free" : " frees") +
            " of NULL or ZERO_SIZE_PTR (null_frees): legal no-ops, not replayed.</p>\n";
  }
  if (q.frees_of_refused != 0) {
    body +=
        "<p class=\"intro\">" + thousands(q.frees_of_refused) +
        (q.frees_of_refused == 1 ? " free was of an allocation" : " frees were of allocations") +
        " the model refused (the traced machine granted them); " +
        (q.frees_of_refused == 1 ? "it is" : "they are") + " not replayed.</p>\n";
  }
  if (q.ignored_records != 0) {
    std::string kinds;
    for (std::size_t k = 0; k < q.ignored_by_kind.size(); ++k) {
      kinds +=
          (k ? ", " : "") + thousands(q.ignored_by_kind[k].count) + " " + q.ignored_by_kind[k].kind;
    }
    body += "<p class=\"intro\" id=\"ignored-records\">" + thousands(q.ignored_records) +
            " input records hold nothing to replay (" + html_escape(kinds) + ").</p>\n";
  }
  if (q.ignored_fields != 0) {
    body +=
        "<table id=\"ignored-fields-table\"><caption>Fields ignored: their routines take no such "
        "argument</caption><thead><tr><th>column</th><th>routine</th><th class=\"n\">rows</th>"
        "<th class=\"n\">first line</th></tr></thead>\n<tbody>\n";
    for (const auto& f : q.ignored_fields_by_column) {
      body += "<tr><td class=\"mono\">" + html_escape(f.column) + "</td><td>" +
              html_escape(f.routine) + "</td><td class=\"n\">" + thousands(f.count) +
              "</td><td class=\"n\">" + std::to_string(f.first_line) + "</td></tr>\n";
    }
    body += "</tbody></table>\n";
  }
  std::string intro =
      "Events that made no sense, how many, where, and how the replay repaired them.";
  if (r.window.active) intro += " This covers every event replayed, before the window too.";
  return section_start("data-quality", "Data quality", intro) + body + section_end();
}

}  // namespace fragreplay::report::html
