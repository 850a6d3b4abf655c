// The ETL fixture files of tests/data/etl are what the fixture builder writes (etl_fixtures.hpp):
// if one changes without the other, this fails (regenerate with make_etl_fixtures).
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "etl_fixtures.hpp"

namespace fragreplay::testing {
namespace {

TEST(EtlFixtures, FilesMatchTheirBuilder) {
  for (const EtlFixture& f : etl_fixtures()) {
    std::ifstream in(std::string(FRAGREPLAY_SOURCE_DIR) + "/tests/data/etl/" + f.name,
                     std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(bytes, f.bytes) << f.name << " differs from etl_fixtures.cpp";
  }
}

}  // namespace
}  // namespace fragreplay::testing
