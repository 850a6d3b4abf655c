// --pooltag: lists in the format of the WDK's pooltag.txt ("Tag - binary - description", "rem"
// comments, '?' and '*' wildcards; docs/formats.md §9). Which entry names a tag: its own entry,
// else the matching wildcard with the most fixed characters, else the earlier of equals.
#include <gtest/gtest.h>

#include <string>

#include "base/error.hpp"
#include "base/tag.hpp"
#include "trace/pooltag_list.hpp"

namespace fragreplay::trace {
namespace {

std::string owner_of(const PoolTagList& list, const char* tag) {
  const TagOwner* o = list.find(Tag::from_chars(tag));
  return o == nullptr ? "(none)" : o->binary;
}

TEST(PoolTagList, ReadsEntriesAsTheWdkFileWritesThem) {
  const PoolTagList list = PoolTagList::parse(
      "rem\r\n"
      "rem    Pooltag.txt: <PoolTag> - <binary-name> - <Description>\r\n"
      "\r\n"
      "AfdB - afd.sys      -     Afd data buffer\r\n"
      "Ps   - nt!ps        - general ps allocations\r\n"
      "Dh 0 - <unknown>    - DirectDraw/3D default object\r\n"
      "CMAl - nt!cm        -internal registry memory allocator pool tag\r\n"
      "Cont - <unknown>    - Contiguous physical memory allocations for device drivers\r\n"
      "call - <unknown>\r\n",
      "pooltag.txt");
  EXPECT_EQ(list.entries(), 6u);
  EXPECT_EQ(list.skipped_lines(), 0u);
  const TagOwner* afd = list.find(Tag::from_chars("AfdB"));
  ASSERT_NE(afd, nullptr);
  EXPECT_EQ(afd->binary, "afd.sys");
  EXPECT_EQ(afd->description, "Afd data buffer") << "the description's own indent is trimmed";
  EXPECT_EQ(afd->module(), "afd.sys");
  const TagOwner* ps = list.find(Tag::from_chars("Ps"));  // the kernel's 'Ps  '
  ASSERT_NE(ps, nullptr) << "a short tag is padded with spaces, as the kernel pads it";
  EXPECT_EQ(ps->binary, "nt!ps");
  EXPECT_EQ(ps->module(), "nt") << "a kernel component names module nt";
  EXPECT_EQ(owner_of(list, "Dh 0"), "<unknown>") << "a tag may hold a space";
  EXPECT_EQ(list.find(Tag::from_chars("Dh 0"))->module(), "") << "<unknown> is no module";
  EXPECT_EQ(list.find(Tag::from_chars("CMAl"))->description,
            "internal registry memory allocator pool tag")
      << "no space after the last dash";
  EXPECT_EQ(list.find(Tag::from_chars("call"))->description, "") << "no description at all";
  EXPECT_EQ(owner_of(list, "Call"), "(none)") << "tags are case-sensitive";
  EXPECT_EQ(owner_of(list, "Afd"), "(none)") << "'Afd ' is not 'AfdB'";
}

TEST(PoolTagList, TheMostSpecificEntryNamesATag) {
  const PoolTagList list = PoolTagList::parse(
      "Afd? - afd.sys      - AFD objects\n"
      "AfdB - afdb.sys     - its own entry, after the wildcard\n"
      "Af*  - af.sys       - two fixed characters\n"
      "A??? - a.sys        - one fixed character\n"
      "?fdQ - q.sys        - three fixed characters, listed after Afd?\n"
      "CM?? - nt!cm        - Internal Configuration manager allocations\n",
      "list");
  EXPECT_EQ(list.wildcards(), 5u);
  EXPECT_EQ(owner_of(list, "AfdB"), "afdb.sys") << "an exact entry beats every wildcard";
  EXPECT_EQ(owner_of(list, "AfdX"), "afd.sys") << "Afd? (3 fixed) beats Af* (2) and A??? (1)";
  EXPECT_EQ(owner_of(list, "AfdQ"), "afd.sys") << "of two with 3 fixed, the earlier in the file";
  EXPECT_EQ(owner_of(list, "BfdQ"), "q.sys");
  EXPECT_EQ(owner_of(list, "Afxy"), "af.sys") << "'*' matches the rest, whatever it is";
  EXPECT_EQ(owner_of(list, "Af"), "af.sys") << "and matches the padding of a short tag";
  EXPECT_EQ(owner_of(list, "Axyz"), "a.sys");
  EXPECT_EQ(owner_of(list, "CMkb"), "nt!cm");
  EXPECT_EQ(owner_of(list, "C"), "(none)") << "'?' needs a character: 'C   ' is not CM??";
  EXPECT_EQ(owner_of(list, "Bxyz"), "(none)");
}

TEST(PoolTagList, CountsDuplicatesAndLinesThatAreNotEntries) {
  const PoolTagList list = PoolTagList::parse(
      "NicS - first.sys - the first entry for a tag wins\n"
      "NicS - second.sys - a duplicate\n"
      "Nic* - a.sys - a wildcard\n"
      "Nic* - b.sys - the same wildcard again\n"
      "       <unknown>\n"
      "NicTooLong - x.sys - more than four characters\n"
      "no separator on this line\n"
      "remark - r.sys - 'rem' only starts a comment as a word of its own\n",
      "list");
  EXPECT_EQ(owner_of(list, "NicS"), "first.sys");
  EXPECT_EQ(owner_of(list, "NicQ"), "a.sys");
  EXPECT_EQ(list.duplicates(), 2u);
  EXPECT_EQ(list.skipped_lines(), 4u);
  EXPECT_EQ(list.first_skipped_line(), 5u);
}

TEST(PoolTagList, RefusesAFileWithNoEntry) {
  try {
    PoolTagList::parse("rem only comments\n\nc104de00 T kmem_cache_alloc\n", "System.map");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "System.map: no pool-tag entry \"Tag - driver.sys - description\" in this file "
                 "(the format of the WDK's pooltag.txt, docs/formats.md §9)");
  }
}

TEST(PoolTagList, LoadsTheTestsListFromDisk) {
  const PoolTagList list =
      PoolTagList::load(std::string(FRAGREPLAY_SOURCE_DIR) + "/tests/data/pooltag/nic-pooltag.txt");
  EXPECT_EQ(list.entries(), 7u);
  EXPECT_EQ(owner_of(list, "NicP"), "samplenic.sys");
  EXPECT_EQ(owner_of(list, "NicJ"), "nicjumbo.sys");
  EXPECT_EQ(list.skipped_lines(), 2u);
  EXPECT_EQ(list.first_skipped_line(), 13u);
}

}  // namespace
}  // namespace fragreplay::trace
