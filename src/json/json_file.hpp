// Reading JSON documents that people and other runs hand to `diff` and `check` (reports,
// baselines, limits files): the whole file, parsed, with errors that name the file, the line and
// what was wrong. Also the small helpers every reader of such a document needs.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace fragreplay {

// The bytes of `path`. Throws Error "path: cannot open: <reason>".
std::string read_whole_file(const std::string& path);

struct JsonParseOptions {
  bool allow_comments = false;         // // and /* */ comments (limits files allow them)
  bool reject_duplicate_keys = false;  // an object naming one key twice is an error
};

// Deepest nesting of arrays and objects a JSON document read back may have. Reports, limits
// files and profiles nest a few levels; the bound keeps a hostile file of nested brackets from
// exhausting the stack of the parser or of anything that walks the tree.
inline constexpr int kMaxJsonDepth = 128;

// Throws Error "file: JSON nested deeper than 128 levels" when `text` opens more arrays and
// objects at once than kMaxJsonDepth, counting brackets outside strings and comments. A cheap
// scan of the bytes, run before any tree is built; every reader of a JSON file calls it.
void check_json_depth(std::string_view text, const std::string& file);

// Parses `text` (read from `file`), after check_json_depth. Throws Error "file:line: invalid JSON
// (column C): <what>".
nlohmann::ordered_json parse_json_text(std::string_view text, const std::string& file,
                                       JsonParseOptions options = {});
nlohmann::ordered_json read_json_file(const std::string& path, JsonParseOptions options = {});

// "a string", "a number", "an object", ... for messages such as "expected a number, got a string".
std::string json_kind(const nlohmann::ordered_json& value);

// `text` with every control character (below 0x20, and 0x7f) written as \xNN, so it stays on one
// line wherever it is printed.
std::string printable(std::string_view text);

}  // namespace fragreplay
