// Terminal output of a check (see check_text.hpp).
#include "gate/check_text.hpp"

#include "base/format.hpp"
#include "gate/diff_text.hpp"

namespace fragreplay::gate {

std::string CheckReport::verdict_line() const {
  const std::size_t rules = verdict.results.size();
  const std::size_t checked = rules - verdict.skipped;
  std::string s;
  if (verdict.passed()) {
    s = "check passed: " + thousands(checked) + (checked == 1 ? " rule" : " rules") +
        (checked == 1 ? ", not violated" : ", none violated");
  } else {
    s = "check FAILED: " + thousands(verdict.violated) + " of " + thousands(checked) +
        (checked == 1 ? " rule" : " rules") + " violated";
  }
  if (verdict.skipped != 0) {
    s += "; " + thousands(verdict.skipped) +
         (verdict.skipped == 1 ? " rule comparing" : " rules comparing") +
         " with the baseline skipped while it is rewritten";
  }
  return s;
}

std::string check_text(const CheckReport& c, const CheckTextOptions& options) {
  std::string out;
  if (!options.quiet) {
    out += "fragreplay check: " + c.input + "\n";
    out += "  current   " +
           (c.replayed ? c.input + " (replayed): " + c.current->describe_model()
                       : c.input + ": " + c.current->describe()) +
           "\n";
    out += "  baseline  " +
           (c.baseline != nullptr ? c.baseline->file + ": " + c.baseline->describe()
                                  : std::string("none (only rules without a baseline apply)")) +
           "\n";
    out += "  limits    " + c.limits->file + " (" + thousands(c.limits->rules.size()) +
           (c.limits->rules.size() == 1 ? " rule)\n" : " rules)\n");
    for (const std::string& note : c.notes) out += "Note: " + note + ".\n";
    if (c.diff) {
      if (c.diff->changed == 0 && !options.all) {
        out += "\nChanges from the baseline: none (" +
               thousands(c.diff->changed + c.diff->unchanged) + " values compared).\n";
      } else {
        out += "\nChanges from the baseline\n";
        out += diff_tables(*c.diff, DiffTextOptions{options.all, "baseline", "current"});
        out += "\n" + diff_count_line(*c.diff, options.all);
      }
    }
    out += "\nRules\n";
  }
  for (const RuleResult& r : c.verdict.results) {
    if (options.quiet && r.status != RuleStatus::kViolated) continue;
    const char* mark = r.status == RuleStatus::kPassed     ? "  ok    "
                       : r.status == RuleStatus::kViolated ? "  FAIL  "
                                                           : "  skip  ";
    if (r.status != RuleStatus::kViolated) {
      out += mark + r.rule->name + ": " + r.summary + "\n";
      continue;
    }
    // A violated rule: its name, then each violation on a line of its own (a summary that
    // only repeats the one violation is left out).
    const bool repeats = r.violations.size() == 1 && r.violations[0].message == r.summary;
    out += mark + r.rule->name + (repeats ? "" : ": " + r.summary) + "\n";
    for (const Violation& v : r.violations) out += "          " + v.message + "\n";
    if (!r.rule->note.empty()) out += "          note: " + r.rule->note + "\n";
  }
  if (!options.quiet) out += "\n";
  out += c.verdict_line() + "\n";
  if (!c.baseline_rewritten.empty()) {
    out += "Baseline " + c.baseline_rewritten + " rewritten from this run.\n";
  }
  return out;
}

}  // namespace fragreplay::gate
