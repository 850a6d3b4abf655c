// Temporary files removed when the process is interrupted. An interrupted `analyze --events-out`
// or `generate` left a temporary file of hundreds of MB beside its target. Each AtomicFile
// registers its temporary file while it exists; on SIGINT, SIGTERM or SIGHUP the handler removes
// every registered file (unlink is async-signal-safe) and re-raises the signal with its default
// action, so the process ends as the signal says (a shell shows exit 130, 143 or 129).
#pragma once

#include <string>

namespace fragreplay::report {

// Registers `path` for removal on a signal; returns its slot, or -1 when every slot is taken
// (the file is then only removed by its owner). Thread-safe.
int register_temporary(const std::string& path);
// Forgets a slot register_temporary() returned (-1 is ignored). Thread-safe.
void unregister_temporary(int slot);
// Installs the handlers for SIGINT, SIGTERM and SIGHUP. Idempotent.
void install_signal_cleanup();

}  // namespace fragreplay::report
