// The temporary-file registry and its signal handler (see signal_cleanup.hpp). The registry is a
// fixed array of path buffers, each claimed by an atomic flag, so the handler reads it without a
// lock and without allocating.
#include "report/signal_cleanup.hpp"

#include <unistd.h>

#include <array>
#include <atomic>
#include <csignal>
#include <cstring>

namespace fragreplay::report {
namespace {

constexpr std::size_t kSlots = 64;
constexpr std::size_t kPathMax = 4096;

struct Slot {
  std::atomic<int> state{0};  // 0 free, 1 being filled, 2 registered
  char path[kPathMax];
};
std::array<Slot, kSlots> slots;

extern "C" void remove_temporaries(int sig) {
  for (Slot& s : slots) {
    if (s.state.load(std::memory_order_acquire) == 2) ::unlink(s.path);
  }
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

}  // namespace

int register_temporary(const std::string& path) {
  if (path.size() >= kPathMax) return -1;
  for (std::size_t i = 0; i < kSlots; ++i) {
    int expected = 0;
    if (!slots[i].state.compare_exchange_strong(expected, 1, std::memory_order_acq_rel)) continue;
    std::memcpy(slots[i].path, path.c_str(), path.size() + 1);
    slots[i].state.store(2, std::memory_order_release);
    return static_cast<int>(i);
  }
  return -1;
}

void unregister_temporary(int slot) {
  if (slot < 0 || static_cast<std::size_t>(slot) >= kSlots) return;
  slots[static_cast<std::size_t>(slot)].state.store(0, std::memory_order_release);
}

void install_signal_cleanup() {
  static const bool installed = [] {
    struct sigaction action {};
    action.sa_handler = remove_temporaries;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND;
    for (const int sig : {SIGINT, SIGTERM, SIGHUP}) sigaction(sig, &action, nullptr);
    return true;
  }();
  (void)installed;
}

}  // namespace fragreplay::report
