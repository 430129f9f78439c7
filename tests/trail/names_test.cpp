#include "bullion/trail/names.h"

#include <gtest/gtest.h>

namespace bullion::trail {
namespace {

TEST(TrailNames, FormatsUtcSeconds) {
  EXPECT_EQ(format_trail_time(0), "19700101000000");
  EXPECT_EQ(format_trail_time(1707863844), "20240213223724");
}

TEST(TrailNames, ParsesOnlyRealTimes) {
  EXPECT_EQ(parse_trail_time("20240213223724"), 1707863844);
  EXPECT_FALSE(parse_trail_time("20241313223724"));  // month 13
  EXPECT_FALSE(parse_trail_time("20240230000000"));  // 30 February
  EXPECT_FALSE(parse_trail_time("2024021322372"));   // 13 digits
  EXPECT_FALSE(parse_trail_time("2024021322372x"));
}

TEST(TrailNames, NamesTheThreeStates) {
  EXPECT_EQ(open_trail_name(1707863844), "20240213223724.not_terminated");
  EXPECT_EQ(closed_trail_name(1707863844, 1707863900), "20240213223724.20240213223820");
  EXPECT_EQ(crashed_trail_name(1707863844), "20240213223724.crash_recovery");
}

TEST(TrailNames, ReadsNamesBack) {
  auto closed = parse_trail_name("20240213223724.20240213223820");
  ASSERT_TRUE(closed);
  EXPECT_EQ(closed->state, TrailName::State::Closed);
  EXPECT_EQ(closed->start, 1707863844);
  EXPECT_EQ(closed->end, 1707863900);
  EXPECT_EQ(parse_trail_name("20240213223724.not_terminated")->state, TrailName::State::Open);
  EXPECT_EQ(parse_trail_name("20240213223724.crash_recovery")->state, TrailName::State::Crashed);
  EXPECT_FALSE(parse_trail_name("current"));
  EXPECT_FALSE(parse_trail_name("20240213223724"));
  EXPECT_FALSE(parse_trail_name("20240213223724.not_terminated.old"));
  EXPECT_FALSE(parse_trail_name("20240213223724.2024021322382"));
}

}  // namespace
}  // namespace bullion::trail
