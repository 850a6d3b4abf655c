// Interned strings of a trace (process and thread names, DMA adapter names). Events carry a
// StringId, so reading a trace allocates once per distinct string, not once per event.
#pragma once

#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>

#include "trace/event.hpp"

namespace fragreplay::trace {

class StringTable {
 public:
  StringTable() { strings_.emplace_back(); }

  // Returns the id of `s`, adding it if new. The empty string is always id 0.
  StringId intern(std::string_view s) {
    if (s.empty()) return 0;
    auto it = index_.find(s);
    if (it != index_.end()) return it->second;
    const auto id = static_cast<StringId>(strings_.size());
    strings_.emplace_back(s);
    index_.emplace(std::string_view(strings_.back()), id);
    return id;
  }

  // REQUIRES: id was returned by intern() on this table.
  const std::string& get(StringId id) const { return strings_[id]; }
  std::size_t size() const { return strings_.size(); }

 private:
  std::deque<std::string> strings_;  // deque: element addresses stay valid for index_ keys
  std::unordered_map<std::string_view, StringId> index_;
};

}  // namespace fragreplay::trace
