#include <gtest/gtest.h>

#include "tables_test_support.h"

namespace bullion::tables {
namespace {

using testing::corpus_etc;
using testing::read_file;

TEST(AuditUser, ParsesOpenBsmShippedFile) {
  auto users = parse_audit_user(read_file(corpus_etc("audit_user")), ClassTable::builtin());
  ASSERT_TRUE(users.ok()) << users.error().message;
  ASSERT_EQ(users->size(), 1u);
  EXPECT_EQ((*users)[0].name, "root");
  EXPECT_EQ((*users)[0].always, (PreselectMask{0x1000, 0x1000}));  // lo
  EXPECT_EQ((*users)[0].never, (PreselectMask{0, 0}));             // no
}

TEST(AuditUser, KeepsEmptyFlagFields) {
  auto users = parse_audit_user("# who\nwww::+fr,-fw\n", ClassTable::builtin());
  ASSERT_TRUE(users.ok()) << users.error().message;
  ASSERT_EQ(users->size(), 1u);
  EXPECT_EQ((*users)[0].always, (PreselectMask{}));
  EXPECT_EQ((*users)[0].never, (PreselectMask{0x1, 0x2}));
}

TEST(AuditUser, RejectsUnknownClassNamingLine) {
  auto users = parse_audit_user("root:lo:no\nbob:qq:no\n", ClassTable::builtin());
  ASSERT_FALSE(users.ok());
  EXPECT_EQ(users.error().code, Errc::Parse);
  EXPECT_NE(users.error().message.find("line 2"), std::string::npos) << users.error().message;
  EXPECT_NE(users.error().message.find("'qq'"), std::string::npos) << users.error().message;
}

TEST(AuditUser, RejectsWrongFieldCount) {
  EXPECT_FALSE(parse_audit_user("root:lo\n", ClassTable::builtin()).ok());
  EXPECT_FALSE(parse_audit_user("root:lo:no:extra\n", ClassTable::builtin()).ok());
}

}  // namespace
}  // namespace bullion::tables
