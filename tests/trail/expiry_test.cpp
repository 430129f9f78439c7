#include "bullion/trail/expiry.h"

#include <gtest/gtest.h>

#include "trail_test_support.h"

namespace bullion::trail {
namespace {

using Join = tables::ExpireAfter::Join;
constexpr int64_t kNow = 1700000000;
constexpr int64_t kDay = 86400;

std::vector<TrailFile> three_days() {
  return {
      {"/a/day1", kNow - 3 * kDay, 400, false},
      {"/b/day2", kNow - 2 * kDay, 400, false},
      {"/a/day3", kNow - 1 * kDay, 400, false},
      {"/a/open", kNow, 400, true},
  };
}

TEST(Expiry, BySizeDeletesOldestUntilTheTotalFits) {
  // 1600 bytes in all, limit 900: day1 and day2 go (the open trail counts).
  tables::ExpireAfter limit{std::nullopt, 900, Join::None};
  EXPECT_EQ(plan_expiry(three_days(), limit, kNow), (std::vector<std::string>{"/a/day1", "/b/day2"}));
}

TEST(Expiry, ByAgeDeletesTrailsEndedBeforeTheLimit) {
  tables::ExpireAfter limit{36 * 3600, std::nullopt, Join::None};
  EXPECT_EQ(plan_expiry(three_days(), limit, kNow), (std::vector<std::string>{"/a/day1", "/b/day2"}));
}

TEST(Expiry, NeverDeletesTheOpenTrail) {
  auto trails = three_days();
  tables::ExpireAfter limit{std::nullopt, 1, Join::None};
  auto doomed = plan_expiry(trails, limit, kNow);
  EXPECT_EQ(doomed.size(), 3u);
  EXPECT_EQ(std::count(doomed.begin(), doomed.end(), "/a/open"), 0);
}

TEST(Expiry, AndNeedsBothOrNeedsEither) {
  // Older than 2.5 days: only day1. Above 900 bytes: day1, day2.
  tables::ExpireAfter both{60 * 3600, 900, Join::And};
  EXPECT_EQ(plan_expiry(three_days(), both, kNow), (std::vector<std::string>{"/a/day1"}));
  tables::ExpireAfter either{60 * 3600, 900, Join::Or};
  EXPECT_EQ(plan_expiry(three_days(), either, kNow), (std::vector<std::string>{"/a/day1", "/b/day2"}));
  // OR with a roomy size: the age alone decides.
  tables::ExpireAfter age_decides{30 * 3600, 1 << 30, Join::Or};
  EXPECT_EQ(plan_expiry(three_days(), age_decides, kNow), (std::vector<std::string>{"/a/day1", "/b/day2"}));
}

TEST(Expiry, GoesOldestFirstWhateverTheListingOrder) {
  auto trails = three_days();
  std::reverse(trails.begin(), trails.end());
  tables::ExpireAfter limit{std::nullopt, 1300, Join::None};
  EXPECT_EQ(plan_expiry(trails, limit, kNow), (std::vector<std::string>{"/a/day1"}));
}

TEST(Expiry, ListsTrailFilesByNameAcrossDirectories) {
  testing::ScratchDir scratch;
  const std::string a = scratch.sub("a"), b = scratch.sub("b");
  testing::write_bytes(a + "/20231114221320.20231114221400", std::vector<uint8_t>(10));
  testing::write_bytes(b + "/20231114221500.not_terminated", std::vector<uint8_t>(20));
  testing::write_bytes(a + "/notes.txt", std::vector<uint8_t>(30));
  auto files = list_trail_files({a, b}, b + "/20231114221500.not_terminated");
  ASSERT_EQ(files.size(), 2u);
  auto closed = std::find_if(files.begin(), files.end(), [](const TrailFile& f) { return !f.open; });
  EXPECT_EQ(closed->time, 1700000040);  // the end time in the name
  EXPECT_EQ(closed->size, 10u);
}

}  // namespace
}  // namespace bullion::trail
