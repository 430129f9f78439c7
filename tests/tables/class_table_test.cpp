#include <gtest/gtest.h>

#include <set>

#include "tables_test_support.h"

namespace bullion::tables {
namespace {

using testing::corpus_etc;
using testing::read_file;

TEST(ClassTable, ParsesOpenBsmAuditClass) {
  auto table = ClassTable::parse(read_file(corpus_etc("audit_class")));
  ASSERT_TRUE(table.ok()) << table.error().message;
  EXPECT_EQ(table->entries().size(), 20u);
  ASSERT_NE(table->find("pc"), nullptr);
  EXPECT_EQ(table->find("pc")->mask, 0x80u);
  EXPECT_EQ(table->find("pc")->description, "process");
  EXPECT_EQ(table->find("ex")->mask, 0x40000000u);
  EXPECT_EQ(table->find("all")->mask, 0xffffffffu);
  EXPECT_EQ(table->find("aa")->description, "authentication and authorization");
}

TEST(ClassTable, BuiltinEqualsCorpusFile) {
  EXPECT_EQ(builtin_audit_class_text(), read_file(corpus_etc("audit_class")));
  auto parsed = ClassTable::parse(read_file(corpus_etc("audit_class")));
  ASSERT_TRUE(parsed.ok());
  const ClassTable& builtin = ClassTable::builtin();
  ASSERT_EQ(builtin.entries().size(), parsed->entries().size());
  for (size_t i = 0; i < parsed->entries().size(); ++i) {
    EXPECT_EQ(builtin.entries()[i].mask, parsed->entries()[i].mask);
    EXPECT_EQ(builtin.entries()[i].name, parsed->entries()[i].name);
    EXPECT_EQ(builtin.entries()[i].description, parsed->entries()[i].description);
  }
}

TEST(ClassTable, BuiltinNamesAndMasksAreUnique) {
  std::set<std::string> names;
  std::set<uint32_t> masks;
  for (const ClassEntry& entry : ClassTable::builtin().entries()) {
    EXPECT_TRUE(names.insert(entry.name).second) << entry.name;
    EXPECT_TRUE(masks.insert(entry.mask).second) << entry.name;
  }
}

TEST(ClassTable, FindsByExactMask) {
  const ClassTable& table = ClassTable::builtin();
  ASSERT_NE(table.find_mask(0x1000), nullptr);
  EXPECT_EQ(table.find_mask(0x1000)->name, "lo");
  EXPECT_EQ(table.find_mask(0x0), table.find("no"));
  EXPECT_EQ(table.find_mask(0x1001), nullptr);
  EXPECT_EQ(table.find("zz"), nullptr);
}

TEST(ClassTable, AcceptsDecimalMaskCommentsAndBlankLines) {
  auto table = ClassTable::parse("# comment\n\n16:fc:file create\r\n");
  ASSERT_TRUE(table.ok()) << table.error().message;
  ASSERT_EQ(table->entries().size(), 1u);
  EXPECT_EQ(table->entries()[0].mask, 0x10u);
  EXPECT_EQ(table->entries()[0].description, "file create");
}

TEST(ClassTable, RejectsBadMaskNamingTheLine) {
  auto table = ClassTable::parse("0x1:fr:file read\nzz:fw:file write\n");
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.error().code, Errc::Parse);
  EXPECT_EQ(table.error().offset, 17u);
  EXPECT_NE(table.error().message.find("line 2"), std::string::npos) << table.error().message;
}

TEST(ClassTable, RejectsLineWithTooFewFields) {
  auto table = ClassTable::parse("0x1:fr\n");
  ASSERT_FALSE(table.ok());
  EXPECT_NE(table.error().message.find("line 1"), std::string::npos);
}

}  // namespace
}  // namespace bullion::tables
