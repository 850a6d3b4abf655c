// The by-call-site rows of Results: which row of Results::by_call_site an event counts in. A Linux
// kmem record names the kernel code that called the allocator (trace::Event::call_site, or the
// symbol the trace printed); that is its attribution key, as the tag is a Windows pool
// allocation's. Events without a call site share one row (address 0), so the rows add up to the
// totals like every other row group; reports show the group only when some row has a call site.
// An ETW allocation with a stack (trace::Event::stack) counts in the row of its (stack, tag row)
// pair; replay/stack_rows.hpp folds those rows into their callers once the images are known.
// A lookup allocates nothing once the site has a row: a one-entry cache, then a FlatMap by
// address or by (stack, tag row), or a table by the symbol's string id.
#pragma once

#include <cstdint>
#include <vector>

#include "base/flat_map.hpp"
#include "replay/results.hpp"
#include "trace/event.hpp"
#include "trace/string_table.hpp"

namespace fragreplay::replay {

class CallSiteRows {
 public:
  // The row of `e`'s call site in r.by_call_site, appending one (and its r.call_sites entry) the
  // first time a site is met.
  std::uint32_t row(const trace::Event& e, std::uint32_t tag_row, Results& r);
  // Names the rows of symbolised sites from the reader's strings (complete once it has read
  // everything; a replay running beside the reader sees only a snapshot of them).
  void finish(Results& r, const trace::StringTable& strings) const;

 private:
  static constexpr std::uint32_t kNoRow = ~std::uint32_t{0};
  std::uint32_t add(Results& r, std::uint64_t address, trace::StringId symbol);
  std::uint32_t stack_row(std::uint32_t stack, std::uint32_t tag_row, Results& r);

  FlatMap<std::uint32_t> by_address_;
  std::vector<std::uint32_t> by_symbol_;  // by string id; kNoRow = no row yet
  std::vector<trace::StringId> symbols_;  // by row; 0 = a numeric site
  std::uint64_t last_address_ = 0;
  std::uint32_t last_row_ = kNoRow;  // the row of last_address_ (numeric sites only)
  FlatMap<std::uint32_t> by_stack_;  // (stack << 32 | tag row) -> row
  std::uint64_t last_stack_key_ = 0;
  std::uint32_t last_stack_row_ = kNoRow;
};

}  // namespace fragreplay::replay
