#include <gtest/gtest.h>

#include "tables_test_support.h"

namespace bullion::tables {
namespace {

using testing::corpus_etc;
using testing::read_file;

EventTable parse_corpus_events() {
  auto table = EventTable::parse(read_file(corpus_etc("audit_event")), ClassTable::builtin());
  EXPECT_TRUE(table.ok()) << table.error().message;
  return table.ok() ? std::move(*table) : EventTable{};
}

TEST(EventTable, ParsesEveryLineOfOpenBsmAuditEvent) {
  EventTable table = parse_corpus_events();
  // 718 lines, 41 of them comments.
  EXPECT_EQ(table.entries().size(), 677u);
}

TEST(EventTable, FindsExecveByNumberAndName) {
  const EventTable& table = EventTable::builtin();
  const EventEntry* execve = table.find(uint16_t{23});
  ASSERT_NE(execve, nullptr);
  EXPECT_EQ(execve->name, "AUE_EXECVE");
  EXPECT_EQ(execve->description, "execve(2)");
  EXPECT_EQ(execve->class_mask, 0x80u | 0x40000000u);  // pc,ex
  EXPECT_EQ(table.find("AUE_EXECVE"), execve);
}

TEST(EventTable, KeepsDescriptionsWithSpacesAndPunctuation) {
  const EventEntry* open = EventTable::builtin().find(uint16_t{3});
  ASSERT_NE(open, nullptr);
  EXPECT_EQ(open->description, "open(2) - attr only");
  EXPECT_EQ(open->class_mask, 0x4u);
}

TEST(EventTable, FirstEntryWinsForDuplicateNumbers) {
  const EventTable& table = EventTable::builtin();
  EXPECT_EQ(table.find(uint16_t{301})->name, "AUE_PORTFS");
  EXPECT_EQ(table.find(uint16_t{6168})->name, "AUE_shutdown");
  EXPECT_EQ(table.find(uint16_t{6171})->name, "AUE_ftpd_logout");
  // The later duplicate is still reachable by name.
  ASSERT_NE(table.find("AUE_DARWIN_GETFSSTAT"), nullptr);
  EXPECT_EQ(table.find("AUE_DARWIN_GETFSSTAT")->number, 301);
}

TEST(EventTable, UnknownNumberAndNameAreNotFound) {
  const EventTable& table = EventTable::builtin();
  EXPECT_EQ(table.find(uint16_t{65535}), nullptr);
  EXPECT_EQ(table.find(uint16_t{2048}), nullptr);
  EXPECT_EQ(table.find("AUE_NO_SUCH_EVENT"), nullptr);
  EXPECT_EQ(table.find("aue_execve"), nullptr);  // names are exact
}

TEST(EventTable, DefaultConstructedTableFindsNothing) {
  EventTable empty;
  EXPECT_EQ(empty.find(uint16_t{23}), nullptr);
}

TEST(EventTable, UnknownClassGetsMaskZeroWithWarningAsOpenBsmDoes) {
  // OpenBSM's own table lists class `ua`, which its audit_class lacks.
  const EventTable& table = EventTable::builtin();
  const EventEntry* kadmind = table.find("AUE_kadmind_auth");
  ASSERT_NE(kadmind, nullptr);
  EXPECT_EQ(kadmind->number, 6214);
  EXPECT_EQ(kadmind->class_mask, 0u);
  ASSERT_EQ(table.warnings().size(), 2u);
  EXPECT_NE(table.warnings()[0].find("line 666"), std::string::npos) << table.warnings()[0];
  EXPECT_NE(table.warnings()[0].find("'ua'"), std::string::npos) << table.warnings()[0];
}

TEST(EventTable, BuiltinEqualsCorpusFile) {
  EXPECT_EQ(builtin_audit_event_text(), read_file(corpus_etc("audit_event")));
  EventTable parsed = parse_corpus_events();
  const EventTable& builtin = EventTable::builtin();
  // OpenBSM's rows first, in order; bullion's AUE_LINUX_* rows follow.
  auto linux_only = EventTable::parse(builtin_linux_audit_event_text(), ClassTable::builtin());
  ASSERT_TRUE(linux_only.ok());
  ASSERT_EQ(builtin.entries().size(), parsed.entries().size() + linux_only->entries().size());
  for (size_t i = 0; i < parsed.entries().size(); ++i) {
    EXPECT_EQ(builtin.entries()[i].number, parsed.entries()[i].number);
    EXPECT_EQ(builtin.entries()[i].name, parsed.entries()[i].name);
    EXPECT_EQ(builtin.entries()[i].description, parsed.entries()[i].description);
    EXPECT_EQ(builtin.entries()[i].class_mask, parsed.entries()[i].class_mask);
  }
}

TEST(EventTable, EveryIndexedNumberPointsAtItsFirstEntry) {
  const EventTable& table = EventTable::builtin();
  for (const EventEntry& entry : table.entries()) {
    const EventEntry* found = table.find(entry.number);
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(found->number, entry.number);
    EXPECT_LE(found, &entry);
  }
}

TEST(EventTable, SplitsFieldsLikeStrtok) {
  // Empty fields collapse and a fifth field is ignored, as in eventfromstr.
  auto table = EventTable::parse("::42::AUE_X:desc, with commas:pc,ex:extra\n", ClassTable::builtin());
  ASSERT_TRUE(table.ok()) << table.error().message;
  const EventEntry* entry = table->find(uint16_t{42});
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->name, "AUE_X");
  EXPECT_EQ(entry->description, "desc, with commas");
  EXPECT_EQ(entry->class_mask, 0x40000080u);
}

TEST(EventTable, RejectsShortLineNamingIt) {
  auto table = EventTable::parse("1:AUE_EXIT:exit(2):pc\n2:AUE_FORK:fork(2)\n", ClassTable::builtin());
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.error().code, Errc::Parse);
  EXPECT_EQ(table.error().offset, 22u);
  EXPECT_NE(table.error().message.find("line 2"), std::string::npos) << table.error().message;
}

TEST(EventTable, RejectsNumberOutsideSixteenBits) {
  auto table = EventTable::parse("65536:AUE_BIG:too big:pc\n", ClassTable::builtin());
  ASSERT_FALSE(table.ok());
  EXPECT_NE(table.error().message.find("65536"), std::string::npos);
  auto junk = EventTable::parse("12x:AUE_X:junk:pc\n", ClassTable::builtin());
  EXPECT_FALSE(junk.ok());
}

TEST(EventTable, AcceptsHighestEventNumber) {
  auto table = EventTable::parse("65535:AUE_TOP:top:ot\n", ClassTable::builtin());
  ASSERT_TRUE(table.ok());
  ASSERT_NE(table->find(uint16_t{65535}), nullptr);
  EXPECT_EQ(table->find(uint16_t{65535})->class_mask, 0x80000000u);
}

TEST(EventTable, WithClassMaskChangesOneEventInACopy) {
  const EventTable& builtin = EventTable::builtin();
  EventTable changed = builtin.with_class_mask(72, 0x2);  // AUE_OPEN_R: fr -> fw
  EXPECT_EQ(changed.find(72)->class_mask, 0x2u);
  EXPECT_EQ(changed.find("AUE_OPEN_R")->class_mask, 0x2u);
  EXPECT_EQ(builtin.find(72)->class_mask, 0x1u);
  EXPECT_EQ(changed.find(23)->class_mask, builtin.find(23)->class_mask);
}

}  // namespace
}  // namespace bullion::tables
