// Formatting of positions and errors (see error.hpp).
#include "base/error.hpp"

namespace fragreplay {

std::string Position::to_string() const {
  if (file.empty()) return {};
  if (binary) return file + ":byte " + std::to_string(byte_offset);
  if (line != 0) return file + ":" + std::to_string(line);
  return file;
}

static std::string compose(const Position& where, const std::string& message) {
  const std::string prefix = where.to_string();
  return prefix.empty() ? message : prefix + ": " + message;
}

Error::Error(Position where, std::string message)
    : std::runtime_error(compose(where, message)),
      where_(std::move(where)),
      message_(std::move(message)) {}

}  // namespace fragreplay
