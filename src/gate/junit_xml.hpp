// `fragreplay check --junit FILE`: the verdict as JUnit XML, which every CI system shows as test
// results. One <testsuite> for the limits file, one <testcase> per rule; a violated rule carries a
// <failure> whose message is the rule's summary and whose text lists every violation; a rule
// skipped while the baseline is rewritten carries <skipped>. Nothing time- or host-dependent is
// written (time="0", no timestamp), so the same run gives the same file. Follows the common JUnit
// schema (testsuites/testsuite/testcase/failure as Ant, Jenkins and Surefire read it);
// tests/junit.xsd states what is checked.
#pragma once

#include <string>
#include <string_view>

#include "gate/check_report.hpp"

namespace fragreplay::gate {

std::string junit_xml(const CheckReport& check);

// Escapes for XML 1.0 attribute values (or, with `attribute` false, character data): & < > " '
// as references (report/escape.hpp's html_escape, valid XML too); carriage return, and in
// attributes tab and line feed, as character references (so a parser keeps them); other control
// characters as the text \xNN; bytes that are not UTF-8 as U+FFFD.
std::string xml_escape(std::string_view text, bool attribute = true);

}  // namespace fragreplay::gate
