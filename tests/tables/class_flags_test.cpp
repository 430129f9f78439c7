#include <gtest/gtest.h>

#include "tables_test_support.h"

namespace bullion::tables {
namespace {

constexpr uint32_t kFr = 0x1, kFw = 0x2, kFc = 0x10, kPc = 0x80, kLo = 0x1000, kAa = 0x2000;

PreselectMask flags(std::string_view text) {
  auto mask = parse_class_flags(text, ClassTable::builtin());
  EXPECT_TRUE(mask.ok()) << text << ": " << mask.error().message;
  return mask.ok() ? *mask : PreselectMask{};
}

TEST(ClassFlags, ParsesPlainClassesForSuccessAndFailure) {
  EXPECT_EQ(flags("pc,fc"), (PreselectMask{kPc | kFc, kPc | kFc}));
  EXPECT_EQ(flags("lo,aa"), (PreselectMask{kLo | kAa, kLo | kAa}));
}

TEST(ClassFlags, ParsesClassFlagsWithSuccessOnly) { EXPECT_EQ(flags("+pc"), (PreselectMask{kPc, 0})); }

TEST(ClassFlags, ParsesClassFlagsWithFailureOnly) { EXPECT_EQ(flags("-fr,-fw"), (PreselectMask{0, kFr | kFw})); }

TEST(ClassFlags, CaretRemovesFromAll) {
  EXPECT_EQ(flags("all,^-fr"), (PreselectMask{0xffffffffu, 0xffffffffu & ~kFr}));
  EXPECT_EQ(flags("all,^fr"), (PreselectMask{~kFr, ~kFr}));
}

TEST(ClassFlags, CaretPlusRemovesSuccessOnly) {
  EXPECT_EQ(flags("fc,^+fc"), (PreselectMask{0, kFc}));
  EXPECT_EQ(flags("^+fc"), (PreselectMask{0, 0}));
}

TEST(ClassFlags, ToleratesWhitespaceAndEmptyItems) {
  EXPECT_EQ(flags(" lo , aa "), (PreselectMask{kLo | kAa, kLo | kAa}));
  EXPECT_EQ(flags("lo,,aa,"), (PreselectMask{kLo | kAa, kLo | kAa}));
  EXPECT_EQ(flags(""), (PreselectMask{0, 0}));
  EXPECT_EQ(flags("+ pc"), (PreselectMask{kPc, 0}));
}

TEST(ClassFlags, RejectsUnknownClassNamingTheItem) {
  auto mask = parse_class_flags("lo,-xx", ClassTable::builtin());
  ASSERT_FALSE(mask.ok());
  EXPECT_EQ(mask.error().code, Errc::Parse);
  EXPECT_EQ(mask.error().offset, 3u);
  EXPECT_NE(mask.error().message.find("'xx'"), std::string::npos) << mask.error().message;
  EXPECT_NE(mask.error().message.find("-xx"), std::string::npos);
}

TEST(ClassFlags, RejectsBarePrefix) {
  EXPECT_FALSE(parse_class_flags("^", ClassTable::builtin()).ok());
  EXPECT_FALSE(parse_class_flags("+", ClassTable::builtin()).ok());
}

TEST(ClassFlags, ClassNamesAreCaseSensitive) { EXPECT_FALSE(parse_class_flags("LO", ClassTable::builtin()).ok()); }

TEST(ClassFlags, FormatsWithPrefixesForOneSidedClasses) {
  const ClassTable& classes = ClassTable::builtin();
  EXPECT_EQ(format_class_flags(PreselectMask{kPc, kFr | kLo}, classes), "-fr,+pc,-lo");
  EXPECT_EQ(format_class_flags(PreselectMask{kLo | kAa, kLo | kAa}, classes), "lo,aa");
  EXPECT_EQ(format_class_flags(PreselectMask{0xffffffffu, 0xffffffffu}, classes), "all");
  EXPECT_EQ(format_class_flags(PreselectMask{}, classes), "");
}

TEST(ClassFlags, FormatThenParseRoundTrips) {
  const ClassTable& classes = ClassTable::builtin();
  for (std::string_view text : {"lo,aa", "+pc,-fr,-fw", "fc,^+fc", "-all", "ex,+io,ot"}) {
    PreselectMask mask = flags(text);
    EXPECT_EQ(flags(format_class_flags(mask, classes)), mask) << text;
  }
}

}  // namespace
}  // namespace bullion::tables
