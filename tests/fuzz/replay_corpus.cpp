// Replays a fuzz target's corpus as an ordinary test: every file given, and every file under the
// directories given, goes through LLVMFuzzerTestOneInput once. Linked with one target in place of
// libFuzzer's main.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
  std::size_t files = 0;
  for (int i = 1; i < argc; ++i) {
    std::vector<std::filesystem::path> paths;
    if (std::filesystem::is_directory(argv[i])) {
      for (const auto& e : std::filesystem::recursive_directory_iterator(argv[i])) {
        if (e.is_regular_file()) paths.push_back(e.path());
      }
    } else {
      paths.emplace_back(argv[i]);  // one input, such as a crash to reproduce
    }
    std::sort(paths.begin(), paths.end());
    for (const auto& p : paths) {
      std::ifstream f(p, std::ios::binary);
      const std::string bytes((std::istreambuf_iterator<char>(f)), {});
      LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
      ++files;
    }
  }
  std::printf("replayed %zu corpus files\n", files);
  return files == 0 ? 1 : 0;
}
