// JUnit XML (see junit_xml.hpp).
#include "gate/junit_xml.hpp"

#include <cstdint>

#include "base/escape.hpp"
#include "json/json_file.hpp"

namespace fragreplay::gate {
namespace {

// The UTF-8 sequence at s[i]: its length (0 when it is not UTF-8) and whether XML 1.0 allows
// the character (U+FFFE and U+FFFF are well-formed UTF-8 but not XML characters).
struct Utf8Char {
  std::size_t length;
  bool allowed;
};

Utf8Char utf8_char(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  std::size_t n = 0;
  std::uint32_t cp = 0;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    cp = c & 0x07;
  } else {
    return {0, false};
  }
  if (i + n > s.size()) return {0, false};
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return {0, false};
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  const bool overlong = (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000);
  const bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
  if (overlong || surrogate || cp > 0x10FFFF) return {0, false};
  return {n, cp != 0xFFFE && cp != 0xFFFF};
}

std::string attr(std::string_view name, std::string_view value) {
  std::string s(1, ' ');
  s += name;
  s += "=\"";
  s += xml_escape(value);
  s += '"';
  return s;
}

}  // namespace

std::string xml_escape(std::string_view text, bool attribute) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      const std::string_view one = text.substr(i++, 1);
      if (c == '\t' || c == '\n') {
        out += attribute ? (c == '\t' ? "&#9;" : "&#10;") : one;
      } else if (c == '\r') {
        out += "&#13;";
      } else if (c < 0x20 || c == 0x7F) {
        out += printable(one);  // not an XML character at all
      } else {
        out += html_escape(one);  // & < > " ' as references, the rest as is
      }
      continue;
    }
    const Utf8Char ch = utf8_char(text, i);
    if (ch.length == 0 || !ch.allowed) {
      out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
      i += ch.length == 0 ? 1 : ch.length;
    } else {
      out.append(text.substr(i, ch.length));
      i += ch.length;
    }
  }
  return out;
}

std::string junit_xml(const CheckReport& c) {
  const std::size_t tests = c.verdict.results.size();
  const std::string counts = attr("tests", std::to_string(tests)) +
                             attr("failures", std::to_string(c.verdict.violated)) +
                             attr("errors", "0");
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites" + attr("name", "fragreplay check") + counts + attr("time", "0") + ">\n";
  out += "  <testsuite" + attr("name", "fragreplay check: " + c.limits->file) + counts +
         attr("skipped", std::to_string(c.verdict.skipped)) + attr("time", "0") + ">\n";
  out += "    <properties>\n";
  auto property = [&](std::string_view name, std::string_view value) {
    out += "      <property" + attr("name", name) + attr("value", value) + "/>\n";
  };
  property("current", c.input);
  property("trace", c.current->trace_name);
  property("profile", c.current->profile_name);
  property("baseline", c.baseline != nullptr ? c.baseline->file : c.baseline_rewritten);
  property("limits", c.limits->file);
  out += "    </properties>\n";
  for (const RuleResult& r : c.verdict.results) {
    out += "    <testcase" + attr("name", r.rule->name) + attr("classname", "fragreplay.check") +
           attr("time", "0");
    switch (r.status) {
      case RuleStatus::kPassed:
        out += "/>\n";
        break;
      case RuleStatus::kSkipped:
        out += ">\n      <skipped" + attr("message", r.summary) + "/>\n    </testcase>\n";
        break;
      case RuleStatus::kViolated: {
        std::string text;
        for (const Violation& v : r.violations) text += v.message + "\n";
        if (!r.rule->note.empty()) text += "note: " + r.rule->note + "\n";
        out += ">\n      <failure" + attr("message", r.summary) + attr("type", "fragreplay.limit") +
               ">" + xml_escape(text, false) + "</failure>\n    </testcase>\n";
        break;
      }
    }
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace fragreplay::gate
