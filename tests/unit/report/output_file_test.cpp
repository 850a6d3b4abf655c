// Report files never harm their target (report/output_file.hpp): a regular file is replaced
// atomically with its permissions kept, a symlink keeps pointing at the new report, a device or a
// FIFO is written through and stays what it was, a link planted under the old predictable
// temporary name is never followed, a failed write is an error, and a signal removes the
// temporary file. Devices and FIFOs are made inside a scratch directory (mknod needs root or
// CAP_MKNOD: those cases are skipped without it, outside CI).
#include "report/output_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "base/error.hpp"
#include "report/signal_cleanup.hpp"
#include "scratch_dir.hpp"

namespace fragreplay::report {
namespace {

namespace fs = std::filesystem;

using testing::Scratch;

std::string slurp(const std::string& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

mode_t mode_of(const std::string& p) {
  struct stat st {};
  EXPECT_EQ(::lstat(p.c_str(), &st), 0) << p;
  return st.st_mode;
}

// A character device like the system's (1,3 = null, 1,7 = full), or false without the right.
bool make_device(const std::string& p, unsigned minor) {
  return ::mknod(p.c_str(), S_IFCHR | 0666, makedev(1, minor)) == 0;
}

bool in_ci() { return std::getenv("CI") != nullptr; }

TEST(OutputFile, ReplacesARegularFileKeepingItsPermissions) {
  Scratch s;
  const std::string p = s.path("r.json");
  std::ofstream(p) << "old";
  ASSERT_EQ(::chmod(p.c_str(), 0640), 0);
  write_file_atomically(p, "new report\n");
  EXPECT_EQ(slurp(p), "new report\n");
  EXPECT_EQ(mode_of(p) & 07777, 0640u);
  EXPECT_EQ(s.names(), std::vector<std::string>{"r.json"}) << "no temporary file is left";
}

TEST(OutputFile, ANewFileGetsTheUsualPermissions) {
  Scratch s;
  const mode_t mask = ::umask(022);
  write_file_atomically(s.path("n.json"), "x");
  ::umask(mask);
  EXPECT_EQ(mode_of(s.path("n.json")) & 07777, 0644u) << "0666 less the umask, as open(2) gives";
}

TEST(OutputFile, ASymlinkKeepsPointingAtTheNewReport) {
  Scratch s;
  std::ofstream(s.path("real.json")) << "old";
  fs::create_symlink("real.json", s.path("link.json"));
  write_file_atomically(s.path("link.json"), "new");
  EXPECT_TRUE(S_ISLNK(mode_of(s.path("link.json"))));
  EXPECT_EQ(slurp(s.path("real.json")), "new");
  // A dangling link: the file it names is created, the link stays.
  fs::create_symlink("sub/made.json", s.path("dangling.json"));
  fs::create_directories(s.path("sub"));
  write_file_atomically(s.path("dangling.json"), "made");
  EXPECT_TRUE(S_ISLNK(mode_of(s.path("dangling.json"))));
  EXPECT_EQ(slurp(s.path("sub/made.json")), "made");
  EXPECT_EQ(s.names(),
            (std::vector<std::string>{"dangling.json", "link.json", "real.json", "sub"}));
}

// The old writer used "<path>.tmp.<pid>": a link planted there sent the report into the victim.
TEST(OutputFile, ALinkPlantedUnderThePredictableNameIsNotFollowed) {
  Scratch s;
  std::ofstream(s.path("victim.txt")) << "precious";
  const std::string report = s.path("r.json");
  fs::create_symlink("victim.txt", report + ".tmp." + std::to_string(::getpid()));
  write_file_atomically(report, "report");
  EXPECT_EQ(slurp(s.path("victim.txt")), "precious");
  EXPECT_EQ(slurp(report), "report");
}

TEST(OutputFile, AFifoIsWrittenThroughAndStaysAFifo) {
  Scratch s;
  const std::string fifo = s.path("pipe");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string got;
  std::thread reader([&] { got = slurp(fifo); });
  write_file_atomically(fifo, "through the pipe\n");
  reader.join();
  EXPECT_EQ(got, "through the pipe\n");
  EXPECT_TRUE(S_ISFIFO(mode_of(fifo)));
  EXPECT_EQ(s.names(), std::vector<std::string>{"pipe"});
}

TEST(OutputFile, ADeviceIsWrittenThroughAndAFullOneIsAnError) {
  Scratch s;
  const std::string null_dev = s.path("null");
  const std::string full_dev = s.path("full");
  if (!make_device(null_dev, 3) || !make_device(full_dev, 7)) {
    if (in_ci()) FAIL() << "CI runs as root: mknod must work";
    GTEST_SKIP() << "mknod needs root or CAP_MKNOD";
  }
  write_file_atomically(null_dev, "gone");
  EXPECT_TRUE(S_ISCHR(mode_of(null_dev))) << "the device was replaced by a regular file";
  try {
    write_file_atomically(full_dev, std::string(100000, 'x'));
    ADD_FAILURE() << "a write to a full device succeeded";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), full_dev + ": cannot write: No space left on device");
  }
  EXPECT_TRUE(S_ISCHR(mode_of(full_dev)));
  EXPECT_EQ(s.names(), (std::vector<std::string>{"full", "null"}));
}

TEST(OutputFile, ADirectoryIsRefused) {
  Scratch s;
  fs::create_directories(s.path("d"));
  try {
    write_file_atomically(s.path("d"), "x");
    ADD_FAILURE() << "wrote over a directory";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              s.path("d") + ": cannot write a report over a directory: Is a directory");
  }
}

TEST(OutputFile, AnUncommittedFileLeavesNothing) {
  Scratch s;
  {
    AtomicFile f(s.path("events.csv"));
    std::fputs("half", f.get());
  }
  EXPECT_TRUE(s.names().empty());
}

// A child writing a file is sent SIGTERM: it dies of the signal and its temporary file is gone.
TEST(OutputFile, ASignalRemovesTheTemporaryFile) {
  Scratch s;
  const std::string p = s.path("big.csv");
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    install_signal_cleanup();
    AtomicFile f(p);
    std::fputs("partial", f.get());
    std::fflush(f.get());
    (void)!::write(ready[1], "r", 1);
    for (;;) ::pause();
  }
  char c = 0;
  ASSERT_EQ(::read(ready[0], &c, 1), 1);
  EXPECT_EQ(s.names().size(), 1u) << "the temporary file exists while the child writes";
  ::kill(child, SIGTERM);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM) << status;
  EXPECT_TRUE(s.names().empty()) << "the temporary file was left behind";
  ::close(ready[0]);
  ::close(ready[1]);
}

}  // namespace
}  // namespace fragreplay::report
