// A pool-tag list in the format of the WDK's pooltag.txt (`--pooltag FILE`; docs/formats.md §9):
// which driver owns each pool tag, so reports name a tag's driver beside it and can add up the
// tags of one driver (the rows by module).
//
// One entry per line, "Tag - binary - description": the tag is the text before the first " - ",
// one to four characters, padded with spaces as the kernel pads 'Ps  ' (a tag may hold a space:
// 'Dh 0'); the binary is a file name ("afd.sys"), a kernel component ("nt!ps", module nt) or
// "<unknown>"; the description is the rest, possibly empty. Lines starting with "rem" are
// comments, as in the WDK's own file, and blank lines are skipped. In a tag, '?' stands for any
// one character and '*' for any characters from there to the end ('Afd?', 'CM??', 'Acp*'). Tags
// are case-sensitive ('Call' and 'call' are different owners).
//
// Which entry names a tag: the entry for exactly that tag; else the wildcard entry with the most
// fixed characters that matches; among equals, the one earlier in the file. The first of two
// entries for the same tag wins (the second is counted as a duplicate). A line that is not an
// entry (no " - ", a tag of more than four characters) is counted and its first line kept, never
// fatal: a list maintained by hand has such lines, and a tag it does not name is only unowned.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/flat_map.hpp"
#include "base/tag.hpp"

namespace fragreplay::trace {

struct TagOwner {
  std::string binary;  // as the list writes it: "afd.sys", "nt!ps", "<unknown>"
  std::string description;
  // The driver module the binary names: "afd.sys", "nt" for "nt!ps"; "" for "<unknown>".
  std::string module() const;
};

class PoolTagList {
 public:
  // Reads `path` (plain, gzip or zstd). Throws Error naming the file if it cannot be read, or if
  // it holds no entry at all (then it is not a pool-tag list).
  static PoolTagList load(const std::string& path);
  // The same over text already in memory; `name` is used in messages.
  static PoolTagList parse(std::string_view text, const std::string& name);

  // The owner the list names for `tag`, or nullptr.
  const TagOwner* find(Tag tag) const;

  std::size_t entries() const { return owners_.size(); }
  std::size_t wildcards() const { return wildcards_.size(); }
  std::uint64_t duplicates() const { return duplicates_; }
  std::uint64_t skipped_lines() const { return skipped_lines_; }
  std::uint64_t first_skipped_line() const { return first_skipped_line_; }  // 0: none

 private:
  struct Wildcard {
    std::uint32_t value = 0;  // the fixed characters, at their places
    std::uint32_t mask = 0;   // 0xFF at each fixed place
    unsigned fixed = 0;       // how many places are fixed
    std::size_t owner = 0;    // index in owners_
  };
  void add(std::string_view tag, TagOwner owner);

  std::vector<TagOwner> owners_;
  FlatMap<std::size_t> exact_;       // tag value -> index in owners_
  std::vector<Wildcard> wildcards_;  // most fixed places first, then file order
  std::uint64_t duplicates_ = 0;
  std::uint64_t skipped_lines_ = 0;
  std::uint64_t first_skipped_line_ = 0;
};

}  // namespace fragreplay::trace
