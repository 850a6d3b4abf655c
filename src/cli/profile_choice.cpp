// Choosing the profile by the trace's content (see profile_choice.hpp).
#include "cli/profile_choice.hpp"

#include <string>

#include "base/error.hpp"
#include "model/profile.hpp"

namespace fragreplay::cli {
namespace {

bool linux_profile(const model::Profile& p) { return p.backend == model::PoolBackend::kSlub; }

}  // namespace

ProfileChoice choose_profiles(const std::vector<model::Profile>& named, bool any_named,
                              const trace::TraceReader& reader) {
  const trace::Platform platform = reader.platform();
  if (!any_named) {
    if (platform == trace::Platform::kLinux) {
      return ProfileChoice{{model::builtin_profile("linux-slub")}, true};
    }
    return ProfileChoice{named, false};
  }
  for (const model::Profile& p : named) {
    if (platform == trace::Platform::kLinux && !linux_profile(p)) {
      throw Error("profile '" + p.name + "' models Windows, but " + reader.name() +
                  " is a Linux kmem capture (" + std::string(reader.format()) +
                  "): use --profile linux-slub, or give no --profile");
    }
    if (platform == trace::Platform::kWindows && linux_profile(p)) {
      throw Error("profile '" + p.name + "' models Linux, but " + reader.name() +
                  " is a Windows trace (" + std::string(reader.format()) +
                  "): use a Windows profile, or give no --profile");
    }
  }
  return ProfileChoice{named, false};
}

}  // namespace fragreplay::cli
