// Markdown summary (see markdown_summary.hpp).
#include "gate/step_summary.hpp"

#include "base/escape.hpp"
#include "base/format.hpp"
#include "gate/diff_text.hpp"
#include "gate/value_format.hpp"

namespace fragreplay::gate {

namespace {

// A table cell of several lines: each escaped, joined by <br>.
std::string markdown_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) {
    if (!out.empty()) out += "<br>";
    out += markdown_escape(l);
  }
  return out;
}

}  // namespace

std::string markdown_summary(const CheckReport& c) {
  const bool passed = c.verdict.passed();
  std::string out =
      std::string("### ") + (passed ? "✅ " : "❌ ") + markdown_escape(c.verdict_line()) + "\n\n";
  out += "Checked " + markdown_escape(c.input) + " (" +
         markdown_escape(c.replayed ? c.current->describe_model() + ", replayed"
                                    : c.current->describe()) +
         ")";
  if (c.baseline != nullptr) out += " against the baseline " + markdown_escape(c.baseline->file);
  out += " with the limits in " + markdown_escape(c.limits->file) + ".\n";
  for (const std::string& note : c.notes) out += "\n> Note: " + markdown_escape(note) + ".\n";
  if (!c.baseline_rewritten.empty()) {
    out += "\nThe baseline " + markdown_escape(c.baseline_rewritten) +
           " was rewritten from this run.\n";
  }

  out += "\n| | Rule | Result |\n|:-:|---|---|\n";
  for (const RuleResult& r : c.verdict.results) {
    const char* mark = r.status == RuleStatus::kPassed     ? "✅"
                       : r.status == RuleStatus::kViolated ? "❌"
                                                           : "⏭️";
    std::vector<std::string> result{r.summary};
    if (r.status == RuleStatus::kViolated) {
      for (const Violation& v : r.violations) {
        if (v.message != r.summary) result.push_back(v.message);
      }
      if (!r.rule->note.empty()) result.push_back("note: " + r.rule->note);
    }
    out += std::string("| ") + mark + " | " + markdown_escape(r.rule->name) + " | " +
           markdown_lines(result) + " |\n";
  }

  if (c.diff) {
    const ReportDiff& d = *c.diff;
    if (d.changed == 0) {
      out += "\nNo value changed from the baseline (" + thousands(d.unchanged) + " compared).\n";
    } else {
      out += "\n<details><summary>" + thousands(d.changed) + " of " +
             thousands(d.changed + d.unchanged) +
             " values changed from the baseline</summary>\n\n"
             "| Value | Baseline | Current | Change | % |\n|---|--:|--:|--:|--:|\n";
      std::size_t shown = 0;
      for (const DiffRow& r : d.rows) {
        if (!r.changed()) continue;
        if (shown++ == kMaxMarkdownChanges) break;
        auto [o, n] = format_pair(r.unit, r.old_value.value_or(0), r.new_value.value_or(0));
        if (!r.old_value) o = "-";
        if (!r.new_value) n = "-";
        out += "| " + markdown_escape(r.label()) + " | " + markdown_escape(o) + " | " +
               markdown_escape(n) + " | " + markdown_escape(format_change(r.unit, r.change())) +
               " | " + markdown_escape(percent_cell(r)) + " |\n";
      }
      if (d.changed > kMaxMarkdownChanges) {
        out += "\n… and " + thousands(d.changed - kMaxMarkdownChanges) +
               " more changes (the job log lists them all).\n";
      }
      out += "\n</details>\n";
    }
  }
  return out + "\n";
}

}  // namespace fragreplay::gate
