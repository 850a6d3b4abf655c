// The by-call-site rows (see call_site_rows.hpp).
#include "replay/call_site_rows.hpp"

#include <algorithm>
#include <string>
#include <utility>

namespace fragreplay::replay {

std::uint32_t CallSiteRows::add(Results& r, std::uint64_t address, trace::StringId symbol) {
  const auto row = static_cast<std::uint32_t>(r.call_sites.size());
  r.call_sites.push_back(CallSite{address, std::string(), std::string(), false, 0, 0});
  r.by_call_site.emplace_back();
  symbols_.push_back(symbol);
  return row;
}

std::uint32_t CallSiteRows::stack_row(std::uint32_t stack, std::uint32_t tag_row, Results& r) {
  const std::uint64_t key = (std::uint64_t{stack} << 32) | tag_row;  // never all ones: stack > 0
  if (last_stack_row_ != kNoRow && key == last_stack_key_) return last_stack_row_;
  std::uint32_t found = 0;
  if (const std::uint32_t* at = by_stack_.find(key)) {
    found = *at;
  } else {
    found = add(r, 0, 0);
    r.call_sites[found].stack = stack;
    r.call_sites[found].tag_row = tag_row;
    by_stack_.insert(key, found);
  }
  last_stack_key_ = key;
  last_stack_row_ = found;
  return found;
}

std::uint32_t CallSiteRows::row(const trace::Event& e, std::uint32_t tag_row, Results& r) {
  if (e.stack != 0) return stack_row(e.stack, tag_row, r);
  if (e.call_site_symbol != 0) {
    const trace::StringId id = e.call_site_symbol;
    if (id < by_symbol_.size() && by_symbol_[id] != kNoRow) return by_symbol_[id];
    if (id >= by_symbol_.size()) by_symbol_.resize(std::size_t{id} + 1, kNoRow);
    by_symbol_[id] = add(r, 0, id);
    return by_symbol_[id];
  }
  // FlatMap reserves the all-ones key; no code lives there.
  const std::uint64_t address = e.call_site == FlatMap<std::uint32_t>::kEmpty ? 0 : e.call_site;
  if (last_row_ != kNoRow && address == last_address_) return last_row_;
  std::uint32_t found = 0;
  if (const std::uint32_t* at = by_address_.find(address)) {
    found = *at;
  } else {
    found = add(r, address, 0);
    by_address_.insert(address, found);
  }
  last_address_ = address;
  last_row_ = found;
  return found;
}

void CallSiteRows::finish(Results& r, const trace::StringTable& strings) const {
  for (std::size_t i = 0; i < symbols_.size() && i < r.call_sites.size(); ++i) {
    if (symbols_[i] != 0) r.call_sites[i].name = strings.get(symbols_[i]);
  }
}

}  // namespace fragreplay::replay
