// GitHub Actions annotations (see github_annotations.hpp).
#include "gate/github_annotations.hpp"

#include "base/format.hpp"

namespace fragreplay::gate {

std::string github_escape_data(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '%':
        out += "%25";
        break;
      case '\r':
        out += "%0D";
        break;
      case '\n':
        out += "%0A";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string github_escape_property(std::string_view text) {
  std::string out;
  for (const char c : github_escape_data(text)) {
    if (c == ':') {
      out += "%3A";
    } else if (c == ',') {
      out += "%2C";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string github_annotations(const CheckReport& c) {
  std::string out;
  for (const std::string& note : c.notes) {
    out += "::warning title=" + github_escape_property("fragreplay check") +
           "::" + github_escape_data(note) + "\n";
  }
  std::vector<const RuleResult*> violated;
  for (const RuleResult& r : c.verdict.results) {
    if (r.status == RuleStatus::kViolated) violated.push_back(&r);
  }
  const std::size_t shown =
      violated.size() <= kMaxErrorAnnotations ? violated.size() : kMaxErrorAnnotations - 1;
  const std::string trace = c.trace_file();
  for (std::size_t i = 0; i < shown; ++i) {
    const RuleResult& r = *violated[i];
    std::string message = r.summary;
    for (const Violation& v : r.violations) {
      if (v.message != r.summary) message += "\n" + v.message;
    }
    if (!r.rule->note.empty()) message += "\nnote: " + r.rule->note;
    std::string properties;
    const std::uint64_t line = r.violations.empty() ? 0 : r.violations.front().trace_line;
    if (!trace.empty() && line != 0) {
      properties = "file=" + github_escape_property(trace) + ",line=" + std::to_string(line) + ",";
    }
    out += "::error " + properties +
           "title=" + github_escape_property("fragreplay check: " + r.rule->name) +
           "::" + github_escape_data(message) + "\n";
  }
  if (shown < violated.size()) {
    std::string names;
    for (std::size_t i = shown; i < violated.size(); ++i) {
      names += "\n" + violated[i]->rule->name + ": " + violated[i]->summary;
    }
    out += "::error title=" +
           github_escape_property("fragreplay check: " + thousands(violated.size() - shown) +
                                  " more rules violated") +
           "::" + github_escape_data("See the job log for the details." + names) + "\n";
  }
  return out;
}

}  // namespace fragreplay::gate
