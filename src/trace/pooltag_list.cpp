// The pool-tag list behind --pooltag (see pooltag_list.hpp).
#include "trace/pooltag_list.hpp"

#include <algorithm>

#include "base/error.hpp"
#include "trace/side_file.hpp"

namespace fragreplay::trace {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_comment(std::string_view line) {
  const std::string_view t = trim(line);
  if (t.size() < 3) return false;
  const auto lower = [](char c) { return static_cast<char>(c | 0x20); };
  if (lower(t[0]) != 'r' || lower(t[1]) != 'e' || lower(t[2]) != 'm') return false;
  return t.size() == 3 || t[3] == ' ' || t[3] == '\t';
}

// The position of the first '-' that follows a space or tab in `s` at or after `from`, or npos:
// the separator of the list's fields ("nt!cm        -internal ..." has none after the dash).
std::size_t separator(std::string_view s, std::size_t from) {
  for (std::size_t i = std::max<std::size_t>(from, 1); i < s.size(); ++i) {
    if (s[i] == '-' && (s[i - 1] == ' ' || s[i - 1] == '\t')) return i;
  }
  return std::string_view::npos;
}

}  // namespace

std::string TagOwner::module() const {
  if (binary.empty() || binary == "<unknown>") return {};
  const std::size_t bang = binary.find('!');
  return bang == std::string::npos ? binary : binary.substr(0, bang);
}

void PoolTagList::add(std::string_view tag, TagOwner owner) {
  const bool wild = tag.find_first_of("?*") != std::string_view::npos;
  if (!wild) {
    const Tag t = Tag::from_chars(tag);
    if (exact_.find(t.value) != nullptr) {
      ++duplicates_;
      return;
    }
    exact_.insert(t.value, owners_.size());
    owners_.push_back(std::move(owner));
    return;
  }
  Wildcard w;
  for (unsigned i = 0; i < 4; ++i) {
    const char c = i < tag.size() ? tag[i] : ' ';
    if (c == '*') break;  // the rest matches anything
    if (c == '?') continue;
    w.value |= static_cast<std::uint32_t>(static_cast<unsigned char>(c)) << (8 * i);
    w.mask |= 0xFFu << (8 * i);
    ++w.fixed;
  }
  for (const Wildcard& o : wildcards_) {
    if (o.value == w.value && o.mask == w.mask) {
      ++duplicates_;
      return;
    }
  }
  w.owner = owners_.size();
  owners_.push_back(std::move(owner));
  // Most fixed places first; a stable insertion keeps file order among equals.
  const auto at =
      std::upper_bound(wildcards_.begin(), wildcards_.end(), w,
                       [](const Wildcard& a, const Wildcard& b) { return a.fixed > b.fixed; });
  wildcards_.insert(at, w);
}

PoolTagList PoolTagList::parse(std::string_view text, const std::string& name) {
  PoolTagList list;
  TextLines lines(text);
  std::string_view line;
  while (lines.next(line)) {
    if (trim(line).empty() || is_comment(line)) continue;
    const std::size_t first = line.find(" - ");
    const std::string_view tag =
        first == std::string_view::npos ? std::string_view{} : trim(line.substr(0, first));
    if (tag.empty() || tag.size() > 4 || line.front() == ' ' || line.front() == '\t') {
      if (list.skipped_lines_++ == 0) list.first_skipped_line_ = lines.number();
      continue;
    }
    const std::string_view rest = line.substr(first + 3);
    const std::size_t second = separator(rest, 0);
    TagOwner owner;
    owner.binary = std::string(trim(rest.substr(0, second)));
    if (second != std::string_view::npos)
      owner.description = std::string(trim(rest.substr(second + 1)));
    list.add(tag, std::move(owner));
  }
  if (list.owners_.empty()) {
    throw Error(Position{name, 0, 0, false},
                "no pool-tag entry \"Tag - driver.sys - description\" in this file (the format of "
                "the WDK's pooltag.txt, docs/formats.md §9)");
  }
  return list;
}

PoolTagList PoolTagList::load(const std::string& path) { return parse(read_side_file(path), path); }

const TagOwner* PoolTagList::find(Tag tag) const {
  if (const std::size_t* i = exact_.find(tag.value)) return &owners_[*i];
  for (const Wildcard& w : wildcards_) {
    if ((tag.value & w.mask) == w.value) return &owners_[w.owner];
  }
  return nullptr;
}

}  // namespace fragreplay::trace
