// The caller frame of a stack (see stack_caller.hpp).
#include "replay/stack_caller.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>

namespace fragreplay::replay {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The kernel image's names across builds (uniprocessor, multiprocessor, PAE, 5-level paging),
// and KMDF's runtime, which allocates pool on its drivers' behalf.
constexpr std::array<std::string_view, 8> kKernelImages{
    "ntoskrnl.exe", "ntkrnlmp.exe",   "ntkrnlpa.exe", "ntkrpamp.exe",
    "ntkrla57.exe", "ntkrnlla57.exe", "wdf01000.sys", "wdfldr.sys"};

bool kernel_space(std::uint64_t address, unsigned pointer_size) {
  if (pointer_size == 8) return address >= 0xFFFF800000000000ULL;
  if (pointer_size == 4) return address >= 0x80000000ULL;
  return true;  // not known: every frame counts
}

}  // namespace

bool is_kernel_image(std::string_view name, const CallerRules& rules) {
  const std::string n = lower(name);
  if (std::find(kKernelImages.begin(), kKernelImages.end(), n) != kKernelImages.end()) return true;
  if (n.starts_with("hal") && n.ends_with(".dll")) return true;  // hal.dll, halmacpi.dll, ...
  return std::any_of(rules.pool_wrappers.begin(), rules.pool_wrappers.end(),
                     [&](const std::string& w) { return lower(w) == n; });
}

std::string frame_module(std::uint64_t address, const trace::CodeMap& code) {
  if (const trace::ImageRange* m = code.modules.find(address)) return m->name;
  const auto it = code.frame_names.find(address);
  if (it == code.frame_names.end()) return {};
  return it->second.substr(0, it->second.find('!'));
}

std::string frame_label(std::uint64_t address, const trace::CodeMap& code) {
  char buf[48];
  if (const trace::ImageRange* m = code.modules.find(address)) {
    std::snprintf(buf, sizeof buf, "+0x%llx", static_cast<unsigned long long>(address - m->base));
    return m->name + buf;
  }
  const auto it = code.frame_names.find(address);
  if (it != code.frame_names.end()) return it->second;
  std::snprintf(buf, sizeof buf, code.pointer_size == 4 ? "0x%08llx" : "0x%016llx",
                static_cast<unsigned long long>(address));
  return buf;
}

std::string frame_label(std::uint64_t address, const trace::CodeMap& code,
                        const CallerRules& rules) {
  if (rules.symbols) {
    if (const trace::ImageRange* m = code.modules.find(address)) {
      std::string named = rules.symbols->describe(m->name, address - m->base);
      if (!named.empty()) return named;
    }
  }
  return frame_label(address, code);
}

Caller find_caller(std::span<const std::uint64_t> frames, const trace::CodeMap& code,
                   const CallerRules& rules) {
  std::size_t last_kernel = 0;
  for (std::size_t i = 0; i < frames.size(); ++i) {
    if (!kernel_space(frames[i], code.pointer_size)) break;
    const std::string module = frame_module(frames[i], code);
    if (module.empty() || !is_kernel_image(module, rules)) return Caller{i, false};
    last_kernel = i;
  }
  return Caller{last_kernel, true};
}

}  // namespace fragreplay::replay
