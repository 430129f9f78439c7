// Unprivileged: the serial-gap finder on made-up sequences.
#include "live/serial_gaps.h"

#include <gtest/gtest.h>

namespace bullion::live {
namespace {

TEST(SerialGaps, InOrderAndRepeatedSerialsLoseNothing) {
  SerialGaps gaps(4);
  std::vector<SerialRange> lost;
  for (uint64_t s : {10, 10, 11, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 20}) gaps.saw(s, lost);
  gaps.finish(lost);
  EXPECT_TRUE(lost.empty());
}

TEST(SerialGaps, LateSerialsFillTheirHole) {
  SerialGaps gaps(4);
  std::vector<SerialRange> lost;
  for (uint64_t s : {1, 2, 4, 5, 3, 6, 7, 8, 9, 10, 11}) gaps.saw(s, lost);
  gaps.finish(lost);
  EXPECT_TRUE(lost.empty());
}

TEST(SerialGaps, AHoleIsLostOnceTheStreamIsFarPastIt) {
  SerialGaps gaps(4);
  std::vector<SerialRange> lost;
  for (uint64_t s : {100, 101, 150, 151, 152, 153}) gaps.saw(s, lost);
  ASSERT_TRUE(lost.empty());  // 149 is 4 behind: a late record may still come
  gaps.saw(154, lost);
  ASSERT_EQ(lost.size(), 1u);
  EXPECT_EQ(lost[0].first, 102u);
  EXPECT_EQ(lost[0].last, 149u);
  EXPECT_EQ(lost[0].count(), 48u);
}

TEST(SerialGaps, HolesStillOpenAtTheEndAreLost) {
  SerialGaps gaps(1000);
  std::vector<SerialRange> lost;
  for (uint64_t s : {1, 2, 5, 3, 9}) gaps.saw(s, lost);
  gaps.finish(lost);
  ASSERT_EQ(lost.size(), 2u);
  EXPECT_EQ(lost[0].first, 4u);
  EXPECT_EQ(lost[0].last, 4u);
  EXPECT_EQ(lost[1].first, 6u);
  EXPECT_EQ(lost[1].last, 8u);
}

}  // namespace
}  // namespace bullion::live
