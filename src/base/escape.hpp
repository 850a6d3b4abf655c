// Escaping text that came from a trace (tags, process and file names, messages) before it goes
// into a document that gives characters a meaning. Every renderer that writes HTML or Markdown
// passes trace text through these and nowhere else, so one test covers every place.
#pragma once

#include <string>
#include <string_view>

namespace fragreplay {

// Text safe in HTML element content and in double- or single-quoted attribute values: & < > " '
// become character references; bytes below 0x20 other than tab and newline become U+FFFD, so a
// stray control byte cannot break the document.
std::string html_escape(std::string_view text);

// Text safe inside a Markdown table cell or sentence (GitHub-flavoured, never at a line start):
// the characters that mean something there (\ ` * _ { } [ ] # ! | ~ @) get a backslash, < > &
// become character references, line breaks become spaces.
std::string markdown_escape(std::string_view text);

// `text` as an inline code span for a Markdown table cell: | becomes \| (which tables allow
// inside code); text holding a backtick or a line break is escaped plainly instead.
std::string markdown_code(std::string_view text);

}  // namespace fragreplay
