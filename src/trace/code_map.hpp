// What a trace says about code: the call stacks its events carry (stack_table.hpp) and the
// images (driver modules) loaded where those stacks' addresses point, from ETW Image events or
// frame names a text export printed. Readers that see no code (most) have none; a reader keeps
// the images of the whole trace because the kernel logger lists loaded images at its end
// (rundown), after the events whose stacks point into them.
//
// Which frame of a stack is its caller, and what a module is called in the reports, is decided at
// the end of a replay (replay/stack_rows.hpp), once every image is known.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "trace/stack_table.hpp"

namespace fragreplay::trace {

// One loaded image: [base, base + size), named by its file name without directories
// ("tcpip.sys"; the trace's full path is not kept).
struct ImageRange {
  std::uint64_t base = 0;
  std::uint64_t size = 0;
  std::string name;
  friend bool operator==(const ImageRange&, const ImageRange&) = default;
};

// The images by address. An image listed twice (loaded, then named again by the rundown) is kept
// once; an image that overlaps one already known is counted and not added (the first wins).
//
// Invariants: the images are disjoint; find(a) is the image holding a, or null.
class ModuleMap {
 public:
  // Adds an image; returns false (and counts it) if it overlaps another or is empty.
  bool add(std::uint64_t base, std::uint64_t size, std::string_view name);
  const ImageRange* find(std::uint64_t address) const;
  std::size_t size() const { return images_.size(); }
  std::uint64_t overlapping() const { return overlapping_; }
  const std::vector<ImageRange>& images() const { return images_; }

 private:
  std::vector<ImageRange> images_;  // sorted by base
  std::uint64_t overlapping_ = 0;
};

// The file name of a path as ETW logs it ("\SystemRoot\system32\drivers\tcpip.sys" -> "tcpip.sys").
std::string_view image_file_name(std::string_view path);

struct CodeMap {
  StackTable stacks;
  ModuleMap modules;
  // Names a text export printed for frame addresses ("tcpip.sys!TcpCreateEndpoint"), when it
  // printed no image list: the module is the text before '!'.
  std::unordered_map<std::uint64_t, std::string> frame_names;
  // The pointer size of the code that logged the stacks (4 or 8; 0 = not known): it says where
  // kernel space starts.
  unsigned pointer_size = 0;
};

}  // namespace fragreplay::trace
