// Text from the input on its way to a terminal. A message may quote a trace, a report or a
// command-line argument, and an ETL file names its logger: left raw, an ESC sequence there would
// set the window title or clear the screen, a \r hide the start of the message. terminal_text
// writes every control character (C0, DEL and the C1 range U+0080..U+009F) and every byte that
// is not part of valid UTF-8 as \xNN, and leaves ordinary text, UTF-8 included, as it is.
#pragma once

#include <string>
#include <string_view>

namespace fragreplay::cli {

enum class Newlines { kEscape, kKeep };

// `text` safe to print; with Newlines::kKeep, '\n' stays (multi-line output such as `info`'s).
std::string terminal_text(std::string_view text, Newlines newlines = Newlines::kEscape);

}  // namespace fragreplay::cli
