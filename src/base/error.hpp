// The one error type of fragreplay. Every stage throws it with the position in the input that
// caused the problem (file:line for text traces, file:byte offset for binary ones); the command
// line catches it once and prints `fragreplay: <file>:<line>: <message>` with exit status 2.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace fragreplay {

// Where in an input something happened. `line` is 1-based (0 = unknown); `byte_offset` is used
// for binary inputs (when `binary` is set).
struct Position {
  std::string file;
  std::uint64_t line = 0;
  std::uint64_t byte_offset = 0;
  bool binary = false;

  static Position at_line(std::string file, std::uint64_t line) {
    return Position{std::move(file), line, 0, false};
  }
  static Position at_offset(std::string file, std::uint64_t offset) {
    return Position{std::move(file), 0, offset, true};
  }
  // "file:line", "file:byte 1234", "file" or "" depending on what is known.
  std::string to_string() const;
};

class Error : public std::runtime_error {
 public:
  explicit Error(std::string message) : Error(Position{}, std::move(message)) {}
  Error(Position where, std::string message);

  const Position& where() const { return where_; }
  // The message without the position prefix.
  const std::string& message() const { return message_; }

 private:
  Position where_;
  std::string message_;
};

}  // namespace fragreplay
