#include <gtest/gtest.h>

#include "tables_test_support.h"

namespace bullion::tables {
namespace {

using testing::corpus_etc;
using testing::read_file;

AuditControl control(std::string_view text) {
  auto parsed = parse_audit_control(text, ClassTable::builtin());
  EXPECT_TRUE(parsed.ok()) << parsed.error().message;
  return parsed.ok() ? *parsed : AuditControl{};
}

TEST(AuditControl, ParsesOpenBsmShippedFile) {
  AuditControl c = control(read_file(corpus_etc("audit_control")));
  ASSERT_EQ(c.dirs.size(), 1u);
  EXPECT_EQ(c.dirs[0], "/var/audit");
  EXPECT_EQ(c.dist, false);
  EXPECT_EQ(c.flags, (PreselectMask{0x3000, 0x3000}));    // lo,aa
  EXPECT_EQ(c.naflags, (PreselectMask{0x3000, 0x3000}));  // lo,aa
  EXPECT_EQ(c.minfree, 5);
  EXPECT_EQ(c.policy, 0x1u | 0x4u);  // cnt,argv
  EXPECT_EQ(c.filesz, 2u * 1024 * 1024);
  EXPECT_EQ(c.expire_after, "10M");
  EXPECT_TRUE(c.host.empty());
  EXPECT_FALSE(c.qsize.has_value());
  EXPECT_TRUE(c.unknown_fields.empty());
}

TEST(AuditControl, CollectsEveryDirInOrder) {
  AuditControl c = control("dir:/var/audit\ndir:/var/audit2\n# dir:/nope\ndir: /var/audit3 \n");
  EXPECT_EQ(c.dirs, (std::vector<std::string>{"/var/audit", "/var/audit2", "/var/audit3"}));
}

TEST(AuditControl, FirstValueWinsForSingleFields) {
  AuditControl c = control("minfree:5\nminfree:20\nflags:lo\nflags:all\n");
  EXPECT_EQ(c.minfree, 5);
  EXPECT_EQ(c.flags, (PreselectMask{0x1000, 0x1000}));
}

TEST(AuditControl, ParsesHostDistQsizeAndSuffixes) {
  AuditControl c = control("host:collector.example.org\ndist:yes\nqsize:1024\nfilesz:512K\n");
  EXPECT_EQ(c.host, "collector.example.org");
  EXPECT_EQ(c.dist, true);
  EXPECT_EQ(c.qsize, 1024);
  EXPECT_EQ(c.filesz, 512u * 1024);
  EXPECT_EQ(control("filesz:0\n").filesz, 0u);
  EXPECT_EQ(control("filesz:1G\n").filesz, 1ull << 30);
  EXPECT_EQ(control("filesz:100B\n").filesz, 100u);
  EXPECT_EQ(control("filesz:4096\n").filesz, 4096u);
}

TEST(AuditControl, KeepsUnknownFieldNames) {
  AuditControl c = control("flags:lo\nfuture-field:x\n");
  EXPECT_EQ(c.unknown_fields, (std::vector<std::string>{"future-field"}));
}

TEST(AuditControl, RejectsUnknownFlagClassNamingLineAndField) {
  auto parsed = parse_audit_control("dir:/var/audit\nflags:lo,zz\n", ClassTable::builtin());
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, Errc::Parse);
  EXPECT_EQ(parsed.error().offset, 15u);
  const std::string& message = parsed.error().message;
  EXPECT_NE(message.find("line 2"), std::string::npos) << message;
  EXPECT_NE(message.find("flags"), std::string::npos) << message;
  EXPECT_NE(message.find("'zz'"), std::string::npos) << message;
}

TEST(AuditControl, RejectsBadValues) {
  const ClassTable& classes = ClassTable::builtin();
  EXPECT_FALSE(parse_audit_control("minfree:101\n", classes).ok());
  EXPECT_FALSE(parse_audit_control("minfree:-1\n", classes).ok());
  EXPECT_FALSE(parse_audit_control("filesz:2X\n", classes).ok());
  EXPECT_FALSE(parse_audit_control("filesz:2d\n", classes).ok());
  EXPECT_FALSE(parse_audit_control("policy:cnt,nope\n", classes).ok());
  EXPECT_FALSE(parse_audit_control("dist:maybe\n", classes).ok());
  EXPECT_FALSE(parse_audit_control("expire-after:10 parsecs\n", classes).ok());
  EXPECT_FALSE(parse_audit_control("dir:\n", classes).ok());
  EXPECT_FALSE(parse_audit_control("no colon here\n", classes).ok());
}

TEST(AuditControl, LenientReadingReportsEveryBadLineWithItsNumber) {
  std::vector<Finding> findings;
  AuditControl c = read_audit_control(
      "dir:/var/audit\nflags:lo,zz\nnaflags:\npolicy:cnt,nope\nminfree:5\nminfree:7\nshiny:1\nno colon\n"
      "filesz:2X\nexpire-after:10 parsecs\n",
      ClassTable::builtin(), findings);
  auto at = [&](int line) -> const Finding* {
    for (const Finding& f : findings) {
      if (f.line == line) return &f;
    }
    return nullptr;
  };
  ASSERT_EQ(findings.size(), 8u);
  EXPECT_EQ(at(2)->name, "unknown-class");
  EXPECT_EQ(at(3)->name, "empty-naflags");
  EXPECT_EQ(at(4)->name, "unknown-policy");
  EXPECT_EQ(at(6)->name, "repeated-field");
  EXPECT_EQ(at(6)->severity, Finding::Severity::Warning);
  EXPECT_NE(at(6)->message.find("line 5"), std::string::npos) << at(6)->message;
  EXPECT_EQ(at(7)->name, "unknown-field");
  EXPECT_EQ(at(8)->name, "bad-line");
  EXPECT_EQ(at(9)->name, "bad-size");
  EXPECT_EQ(at(10)->name, "bad-expire-after");
  for (int line : {2, 3, 4, 8, 9, 10}) EXPECT_EQ(at(line)->severity, Finding::Severity::Error) << line;
  // The good lines still count.
  EXPECT_EQ(c.dirs, std::vector<std::string>{"/var/audit"});
  EXPECT_EQ(c.minfree, 5);
  EXPECT_EQ(c.line_of("minfree"), 5);
  EXPECT_EQ(c.dir_lines, std::vector<int>{1});
}

TEST(ByteSize, ReadsSuffixesAsPowersOf1024) {
  EXPECT_EQ(*parse_byte_size("2M"), 2097152u);
  EXPECT_EQ(*parse_byte_size("512k"), 524288u);
  EXPECT_EQ(*parse_byte_size("3G"), 3ull << 30);
  EXPECT_FALSE(parse_byte_size("").ok());
  EXPECT_FALSE(parse_byte_size("M").ok());
  EXPECT_FALSE(parse_byte_size("99999999999999999999G").ok());
}

}  // namespace
}  // namespace bullion::tables
