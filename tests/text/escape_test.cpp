#include "text/escape.h"

#include <gtest/gtest.h>

#include <string>

namespace bullion::text {
namespace {

std::string vis(std::string_view s) {
  std::string out;
  append_vis_xml(out, s);
  return out;
}
std::string strict(std::string_view s) {
  std::string out;
  append_xml_strict(out, s);
  return out;
}
std::string json(std::string_view s, bool* exact = nullptr) {
  std::string out;
  const bool e = append_json_string(out, s);
  if (exact) *exact = e;
  return out;
}

TEST(VisXml, EscapesEntitiesAndBackslashLikeOpenBsm) {
  EXPECT_EQ(vis("X=<&>\"'"), "X=&lt;&amp;&gt;&quot;&apos;");
  EXPECT_EQ(vis("PS1=\\u"), "PS1=\\\\u");
}

TEST(VisXml, PassesTabNewlineAndSpace) { EXPECT_EQ(vis("a\tb\nc d"), "a\tb\nc d"); }

TEST(VisXml, EncodesHighAndControlBytesInCStyle) {
  EXPECT_EQ(vis("Gr\xc3\xbc\xc3\x9f"
                "e"),
            "Gr\\M-C\\M-<\\M-C\\M^_e");
  EXPECT_EQ(vis("\xa0nbsp"), "\\240nbsp");
  EXPECT_EQ(vis("ctl\x01\x02\x7f"), "ctl\\^A\\^B\\^?");
  EXPECT_EQ(vis("\x07\x1b\r"), "\\a\\^[\\r");
  EXPECT_EQ(vis("\xff\xfe"), "\\M^?\\M-~");
}

TEST(VisXml, StopsAtNul) { EXPECT_EQ(vis(std::string_view("ab\0cd", 5)), "ab"); }

TEST(StrictXml, EscapesEverythingAndReplacesInvalidBytes) {
  EXPECT_EQ(strict("/tmp/<x>&\"'"), "/tmp/&lt;x&gt;&amp;&quot;&apos;");
  EXPECT_EQ(strict("a\nb"), "a&#10;b");
  EXPECT_EQ(strict("\xff"), "\xef\xbf\xbd");
  EXPECT_EQ(strict("\x01"), "\xef\xbf\xbd");
  EXPECT_EQ(strict("caf\xc3\xa9"), "caf\xc3\xa9");
}

TEST(Json, EscapesQuotesControlsAndKeepsUtf8) {
  bool exact = false;
  EXPECT_EQ(json("a\"b\\c\nd\te\x01", &exact), "a\\\"b\\\\c\\nd\\te\\u0001");
  EXPECT_TRUE(exact);
  EXPECT_EQ(json("\xf0\x9f\x98\x80"), "\xf0\x9f\x98\x80");
}

TEST(Json, InvalidUtf8BecomesReplacementAndIsReported) {
  bool exact = true;
  EXPECT_EQ(json("a\xffz", &exact), "a\\ufffdz");
  EXPECT_FALSE(exact);
  EXPECT_EQ(json("\xc3(", &exact), "\\ufffd(");                      // truncated sequence
  EXPECT_EQ(json("\xed\xa0\x80", &exact), "\\ufffd\\ufffd\\ufffd");  // surrogate
  EXPECT_EQ(json("\xc0\xaf", &exact), "\\ufffd\\ufffd");             // overlong
}

// The escapers copy runs of plain bytes eight at a time. A byte that needs
// escaping must be caught wherever it sits in a long string: the result has
// to equal the escaped byte alone with the plain text around it.
TEST(Escapers, SpecialByteAtEveryPositionOfALongString) {
  const std::string kSpecial[] = {std::string(1, '\0'),
                                  "\x01",
                                  "\x1f",
                                  "\x7f",
                                  "\x80",
                                  "\xff",
                                  "\"",
                                  "\\",
                                  "&",
                                  "<",
                                  ">",
                                  "'",
                                  "\n",
                                  "\t",
                                  "\xc3\xa9"};
  for (const std::string& special : kSpecial) {
    for (size_t at = 0; at <= 24; ++at) {
      const std::string before(at, 'a'), after(24 - at, 'z');
      const std::string s = before + special + after;
      EXPECT_EQ(json(s), before + json(special) + after) << at;
      EXPECT_EQ(strict(s), before + strict(special) + after) << at;
    }
  }
  const std::string plain = "the quick brown fox: ~!@#$%^*()_+{}|[]=-`/?.,;:";
  EXPECT_EQ(json(plain), plain);
  EXPECT_EQ(strict(plain), plain);
}

TEST(NoNuls, DropsNulBytesLikePraudit) {
  std::string out;
  append_without_nuls(out, std::string_view("a\0b\0", 4));
  EXPECT_EQ(out, "ab");
}

}  // namespace
}  // namespace bullion::text
