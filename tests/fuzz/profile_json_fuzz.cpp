// Fuzz target for what `analyze --profile-file` and `profiles --show FILE` read: any bytes parsed
// as a profile document, and a profile that was accepted printed back as JSON (as --show does).
// Anything but fragreplay's Error escaping, or a sanitizer report, is a bug. Built with
// -fsanitize=fuzzer under clang (fuzz_profile_json); its corpus (corpus/profile_json) is replayed
// as an ordinary test.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/error.hpp"
#include "profile_io/profile_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const fragreplay::model::Profile p = fragreplay::cli::parse_profile_text(text, "fuzz.json");
    (void)fragreplay::cli::profile_to_json(p).dump(
        2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  } catch (const fragreplay::Error&) {
  }
  return 0;
}
