// CI renderings of a refused input (see input_error.hpp).
#include "gate/input_error.hpp"

#include "gate/github_annotations.hpp"
#include "gate/junit_xml.hpp"

namespace fragreplay::gate {

std::string github_input_error(const InputError& e) {
  std::string out = "::error ";
  if (!e.file.empty()) {
    out += "file=" + github_escape_property(e.file) + ",";
    if (e.line != 0) out += "line=" + std::to_string(e.line) + ",";
  }
  out += "title=" + github_escape_property("fragreplay check could not run") +
         "::" + github_escape_data(e.message) + "\n";
  return out;
}

std::string junit_input_error(const InputError& e, const std::string& input) {
  std::string where = e.file;
  if (!where.empty() && e.line != 0) where += ":" + std::to_string(e.line);
  const std::string message = where.empty() ? e.message : where + ": " + e.message;
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out +=
      "<testsuites name=\"fragreplay check\" tests=\"1\" failures=\"0\" errors=\"1\" "
      "time=\"0\">\n";
  out += "  <testsuite name=\"fragreplay check: " + xml_escape(input) +
         "\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\" time=\"0\">\n";
  out += "    <testcase name=\"run\" classname=\"fragreplay.check\" time=\"0\">\n";
  out += "      <error message=\"" + xml_escape(message) + "\" type=\"fragreplay.input\">" +
         xml_escape(message + "\n", false) + "</error>\n";
  out += "    </testcase>\n  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace fragreplay::gate
