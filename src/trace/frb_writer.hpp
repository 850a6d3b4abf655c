// Writes events in the compact binary native format (frb_format.hpp, docs/formats.md §8), the
// inverse of frb_reader: zstd-compressed as it goes. Used by `convert -o OUT.frb`; reading what it
// writes gives back the same events, strings (with the same ids) and adapters.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "trace/adapter_decl.hpp"
#include "trace/event.hpp"
#include "trace/string_table.hpp"
#include "trace/trace_reader.hpp"

struct ZSTD_CCtx_s;

namespace fragreplay::trace {

class FrbWriter {
 public:
  // Writes the header with `comment` (provenance, at most 64 KiB) and the platform the events
  // were captured on (what the reader of the original said) to `out`, which must stay open for
  // the writer's lifetime. `name` is the file's, for the message of a failed write.
  explicit FrbWriter(std::FILE* out, const std::string& comment = {}, std::string name = {},
                     Platform platform = Platform::kAny);
  ~FrbWriter();
  FrbWriter(const FrbWriter&) = delete;
  FrbWriter& operator=(const FrbWriter&) = delete;

  // `strings` is the one table every event and adapter given to this writer names (the reader's):
  // its strings are written in id order, so a reader numbers them alike.
  // Declares an adapter (written once per name, before the first event that names it).
  void declare(const AdapterDecl& adapter, const StringTable& strings);
  void write(const Event& e, const StringTable& strings);
  // Writes the strings not yet written and the end record, ends the zstd frame and flushes.
  // Throws Error if writing failed. Nothing may be written after it.
  void finish(const StringTable& strings);

 private:
  struct KindState {
    std::uint32_t tag = 0;
    std::uint64_t pool = 0;
  };
  void define_strings(const StringTable& strings);
  void compress(bool end);
  [[noreturn]] void fail(const std::string& what) const;

  std::FILE* out_;
  std::string name_;
  ZSTD_CCtx_s* zstd_;
  std::string raw_;             // records not yet compressed
  std::string compressed_;      // zstd output buffer
  std::size_t defined_ = 1;     // strings written (id 0, the empty string, is implicit)
  std::vector<bool> declared_;  // by name id
  std::uint64_t events_ = 0;
  bool finished_ = false;
  // What the next event is coded against (frb_format.hpp, MaskBit).
  std::uint64_t time_ = 0;
  std::uint64_t address_ = 0;
  std::uint64_t source_pos_ = 0;
  StringId process_ = 0;
  StringId thread_ = 0;
  KindState kinds_[3];
};

}  // namespace fragreplay::trace
