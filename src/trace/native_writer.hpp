// Writes events in the native trace format v1 (the inverse of native_reader). Used by
// `convert` and `generate`; reading what it writes gives back the same events.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "trace/event.hpp"
#include "trace/string_table.hpp"
#include "trace/trace_reader.hpp"

namespace fragreplay::trace {

class NativeWriter {
 public:
  // Writes the magic line, an optional comment block (each line prefixed with "# ") and the
  // header to `out`, which must stay open for the writer's lifetime. `name` is the file's, for
  // the message of a failed write.
  explicit NativeWriter(std::FILE* out, const std::string& comment = {}, std::string name = {});
  ~NativeWriter();
  NativeWriter(const NativeWriter&) = delete;
  NativeWriter& operator=(const NativeWriter&) = delete;

  // Declares an adapter (written once, before the first event that names it).
  void declare(const AdapterDecl& adapter, const StringTable& strings);
  void write(const Event& e, const StringTable& strings);
  // Flushes buffered output; throws Error if writing failed.
  void flush();

 private:
  std::FILE* out_;
  std::string name_;
  std::string buf_;
  std::vector<std::string> declared_;
};

// Formats one event as a native line (without the newline), appending to `out`.
void format_native_line(const Event& e, const StringTable& strings, std::string& out);

}  // namespace fragreplay::trace
