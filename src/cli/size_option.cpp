// Size parsing for options (see size_option.hpp).
#include "cli/size_option.hpp"

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

}  // namespace fragreplay::cli
