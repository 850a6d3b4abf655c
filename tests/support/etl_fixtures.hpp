// The pool-event ETL fixtures of the test suite, built with the ETL writer: a 64-bit trace and a
// 32-bit one, each with several CPUs' buffers interleaved out of time order in the file, session
// events, rundown snapshots at the start and the end, pool-page events, an allocation that
// failed, non-pool events of other header types, and (64-bit) a compressed buffer; plus the 64-bit
// trace cut short. tests/data/etl/ holds them as files (make_etl_fixtures writes them; a test
// checks they still match), for the golden tests and the fuzz corpus.
#pragma once

#include <string>
#include <vector>

namespace fragreplay::testing {

struct EtlFixture {
  std::string name;   // file name
  std::string bytes;  // the file
};

std::vector<EtlFixture> etl_fixtures();

// The bytes of the fixture named `name`. REQUIRES: it is one of etl_fixtures().
std::string etl_fixture(const std::string& name);

}  // namespace fragreplay::testing
