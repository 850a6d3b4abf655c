// Profiles as JSON documents: the built-ins printed by `fragreplay profiles --show`, and a user's
// own read with `--profile-file`. The model keeps the Profile struct free of any JSON; the
// conversion lives here, driven by one table of fields (profile_json.cpp) so a new Profile field
// is one row. Keys are grouped in objects ("pool", "lookaside", "segment_heap", ...); a document
// may start from a built-in with "base" and give only what differs.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/profile.hpp"

namespace fragreplay::cli {

// Every field of `p`, grouped, in table order.
nlohmann::ordered_json profile_to_json(const model::Profile& p);

// Every key of a profile document ("group.name") with its one-line meaning, in table order.
std::vector<std::pair<std::string, std::string>> profile_keys();

// Reads a profile document. Fields it omits come from its "base" built-in profile, or from the
// defaults of model::Profile without one. Throws Error naming `source` and the key on an unknown
// key, a value of the wrong type, a built-in's name reused, or a profile that contradicts itself.
model::Profile profile_from_json(const nlohmann::json& doc, const std::string& source);

// Parses `text` (read from `source`) and reads it as a profile document. JSON syntax errors give
// the byte offset; nesting deeper than fragreplay::kMaxJsonDepth is refused before parsing.
model::Profile parse_profile_text(std::string_view text, const std::string& source);

// Reads the file at `path` and parses it with parse_profile_text.
model::Profile load_profile_file(const std::string& path);

// The profiles an `analyze` run uses: each name of the comma-separated `names` (built-ins), then
// each file; the default profile when both are empty. Throws Error on an unknown name or a
// profile named twice.
std::vector<model::Profile> resolve_profiles(const std::string& names,
                                             const std::vector<std::string>& files);

}  // namespace fragreplay::cli
