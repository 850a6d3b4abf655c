// The page around the HTML report's views: the document head with its style sheet (screen and
// print), the title bar, the section and figure frames every view uses, legends, and the one
// small script (sortable tables). Nothing here loads anything from the network.
#pragma once

#include <string>
#include <vector>

namespace fragreplay::report::html {

// Everything up to and including the opening of <main>. `title` and `subtitle` are escaped.
// `nav` lists the sections as {id, label}.
struct NavItem {
  const char* id;
  const char* label;
};
std::string page_start(const std::string& title, const std::string& subtitle,
                       const std::vector<NavItem>& nav);
// Closes <main>, adds the footer (escaped) and the script, and closes the document.
std::string page_end(const std::string& footer);

// <section id=...><h2>heading</h2><p class="intro">intro</p>; heading and intro are escaped.
std::string section_start(const char* id, const std::string& heading, const std::string& intro);
std::string section_end();

struct LegendItem {
  std::string colour;
  std::string label;  // escaped
};
std::string legend(const std::vector<LegendItem>& items);

// A chart: <figure class="chart" id=... data-state="drawn"> with its caption (escaped), the SVG
// and an optional legend (HTML).
std::string figure(const char* id, const std::string& caption, const std::string& svg,
                   const std::string& legend_html);
// A chart that has nothing to draw: the same frame with data-state="empty" and `message`
// (escaped) in its place, so the page says why rather than showing a blank.
std::string empty_figure(const char* id, const std::string& caption, const std::string& message);

}  // namespace fragreplay::report::html
