// The findings as the terminal lists them (see findings_text.hpp).
#include "report/findings_text.hpp"

#include "base/format.hpp"

namespace fragreplay::report {

std::string findings_lines(const std::vector<Finding>& findings, std::size_t top) {
  if (findings.empty()) return {};
  constexpr std::size_t kRule = 28;
  constexpr std::size_t kTag = 6;
  std::string out = "  " + pad_right("severity", 9) + pad_right("rule", kRule + 1) +
                    pad_right("tag", kTag) + pad_left("count", 8) + pad_left("bytes", 11) +
                    "  first line\n";
  for (std::size_t i = 0; i < findings.size() && i < top; ++i) {
    const Finding& f = findings[i];
    std::string tag = f.tag.empty() ? "-" : f.tag;
    if (tag.size() > kTag - 1) tag = tag.substr(0, kTag - 1);
    out += "  " + pad_right(severity_name(f.severity), 9) + pad_right(f.rule, kRule + 1) +
           pad_right(tag, kTag) + pad_left(thousands(f.count), 8) +
           pad_left(human_bytes(f.bytes), 11) + "  " +
           (f.first_line != 0 ? thousands(f.first_line) : std::string("-")) + "\n";
  }
  if (findings.size() > top) {
    out += "  ... and " + thousands(findings.size() - top) + " more (see --json)\n";
  }
  return out;
}

}  // namespace fragreplay::report
