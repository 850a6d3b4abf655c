// Size parsing for options (see size_option.hpp).
#include "cli/size_option.hpp"

#include <charconv>

#include "base/error.hpp"
#include "base/size_text.hpp"

namespace fragreplay::cli {

std::uint64_t parse_size(const std::string& text, const std::string& option) {
  const SizeText size = parse_size_text(text);
  if (!size.error.empty()) {
    throw Error("option '--" + option + "': " + size.error + ", got \"" + text +
                "\" (examples: 16GiB, 512MiB, 4096)");
  }
  return size.bytes;
}

std::optional<std::uint64_t> parse_size_value(std::string_view text) {
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    std::uint64_t v = 0;
    const auto [ptr, ec] = std::from_chars(text.data() + 2, text.data() + text.size(), v, 16);
    if (ec != std::errc{} || ptr != text.data() + text.size()) return std::nullopt;
    return v;
  }
  try {
    return parse_size(std::string(text), "");
  } catch (const Error&) {
    return std::nullopt;
  }
}

}  // namespace fragreplay::cli
