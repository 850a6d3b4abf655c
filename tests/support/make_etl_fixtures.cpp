// Writes the pool-event ETL fixtures (etl_fixtures.hpp) into a directory:
//   ninja -C build/dev make_etl_fixtures && build/dev/tests/make_etl_fixtures tests/data/etl
#include <cstdio>
#include <fstream>

#include "etl_fixtures.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_etl_fixtures DIR\n");
    return 2;
  }
  for (const auto& f : fragreplay::testing::etl_fixtures()) {
    const std::string path = std::string(argv[1]) + "/" + f.name;
    std::ofstream(path, std::ios::binary) << f.bytes;
    std::printf("%s: %zu bytes\n", path.c_str(), f.bytes.size());
  }
  return 0;
}
