#include "linux/record_text.h"

#include <gtest/gtest.h>

#include "linux/event.h"

namespace bullion::linuxaudit {
namespace {

TEST(LinuxRecordText, ParsesStamp) {
  Stamp s;
  std::string_view rest;
  ASSERT_FALSE(parse_stamp("audit(1700000000.123:456): arch=c000003e", s, rest));
  EXPECT_EQ(s.seconds, 1700000000u);
  EXPECT_EQ(s.msec, 123u);
  EXPECT_EQ(s.serial, 456u);
  EXPECT_EQ(rest, " arch=c000003e");
  EXPECT_TRUE(parse_stamp("audit(1.2)", s, rest));
  EXPECT_TRUE(parse_stamp("audit(a.b:c):", s, rest));
  EXPECT_TRUE(parse_stamp("audit(1.2000:3):", s, rest));
}

TEST(LinuxRecordText, SplitsNodeTypeAndEnrichedPart) {
  LogLine line;
  ASSERT_FALSE(
      split_log_line("node=work type=CWD msg=audit(1.000:2): cwd=\"/\"\x1d"
                     "UID=\"root\"",
                     line));
  EXPECT_EQ(line.type_name, "CWD");
  EXPECT_EQ(line.payload, "audit(1.000:2): cwd=\"/\"");
  EXPECT_TRUE(split_log_line("# comment", line));
}

TEST(LinuxRecordText, SplitsUserMessageFields) {
  std::vector<Field> fields;
  split_fields("user pid=1 uid=0 msg='op=login acct=\"a b\" res=success' x", fields);
  ASSERT_NE(find_field(fields, "msg"), nullptr);
  EXPECT_EQ(find_field(fields, "pid")->value, "1");
  EXPECT_EQ(find_field(fields, "acct")->value, "\"a b\"");
  EXPECT_EQ(find_field(fields, "res")->value, "success");
}

TEST(LinuxRecordText, DecodesValues) {
  EXPECT_EQ(decode_value("\"/bin/ls\""), "/bin/ls");
  EXPECT_EQ(decode_value("2F62696E"), "/bin");
  EXPECT_EQ(decode_value("(null)"), std::nullopt);
  EXPECT_EQ(decode_value("bash"), "bash");
  EXPECT_EQ(decode_hex("abc"), std::nullopt);
  EXPECT_EQ(decode_hex("zz"), std::nullopt);
}

TEST(LinuxRecordText, MakesPathsAbsolute) {
  EXPECT_EQ(absolute_path("/home/u", "a/b"), "/home/u/a/b");
  EXPECT_EQ(absolute_path("/home/u/", "./a"), "/home/u/a");
  EXPECT_EQ(absolute_path("/x", "/etc//passwd"), "/etc/passwd");
  EXPECT_EQ(absolute_path("/x", "../y"), "/x/../y");
  EXPECT_EQ(absolute_path("", "rel"), "rel");
  EXPECT_EQ(absolute_path("/", "."), "/");
}

}  // namespace
}  // namespace bullion::linuxaudit
