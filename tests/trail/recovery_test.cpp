#include "bullion/trail/recovery.h"

#include <gtest/gtest.h>

#include "bullion/trail/names.h"
#include "trail_test_support.h"

namespace bullion::trail {
namespace {

using testing::file_token_name;
using testing::list_dir;
using testing::read_trail;
using testing::ScratchDir;
using testing::tagged_record;
using testing::write_bytes;

constexpr Timestamp kNow{1700000100, 0};

std::vector<uint8_t> trail_of(std::initializer_list<std::vector<uint8_t>> parts) {
  std::vector<uint8_t> bytes;
  for (const auto& part : parts) bytes.insert(bytes.end(), part.begin(), part.end());
  return bytes;
}

TEST(Recovery, FindsOpenTrailsOldestFirst) {
  ScratchDir scratch;
  const std::string a = scratch.sub("a"), b = scratch.sub("b");
  write_bytes(a + "/20231114221400.not_terminated", {});
  write_bytes(a + "/20231114221320.not_terminated", {});
  write_bytes(a + "/20231114221320.20231114221330", {});
  write_bytes(b + "/20231114221500.not_terminated", {});
  EXPECT_EQ(find_open_trails({a, b}),
            (std::vector<std::string>{a + "/20231114221320.not_terminated", a + "/20231114221400.not_terminated",
                                      b + "/20231114221500.not_terminated"}));
}

TEST(Recovery, CutsTheTornTailEndsAndRenamesTheTrail) {
  ScratchDir dir;
  const std::string path = dir.path + "/20231114221320.not_terminated";
  auto start = file_token(Timestamp{1700000000, 0}, path);
  auto a = tagged_record(1), b = tagged_record(2), torn = tagged_record(3, 50);
  torn.resize(torn.size() / 2);
  write_bytes(path, trail_of({start, a, b, torn}));
  auto recovered = recover_trail(path, kNow);
  ASSERT_TRUE(recovered.ok()) << recovered.error().message;
  EXPECT_EQ(recovered->to, dir.path + "/20231114221320.crash_recovery");
  EXPECT_EQ(recovered->records, 3u);
  EXPECT_EQ(recovered->cut_bytes, torn.size());
  EXPECT_FALSE(recovered->damaged);
  EXPECT_EQ(list_dir(dir.path), std::vector<std::string>{"20231114221320.crash_recovery"});
  auto items = read_trail(recovered->to);  // reads cleanly to the end
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[1].bytes, a);
  EXPECT_EQ(items[2].bytes, b);
  EXPECT_TRUE(items[3].file_token);
  EXPECT_EQ(file_token_name(items[3].bytes), recovered->to);
}

TEST(Recovery, KeepsAWholeTrailAsItIs) {
  ScratchDir dir;
  const std::string path = dir.path + "/20231114221320.not_terminated";
  auto a = tagged_record(1);
  write_bytes(path, a);
  auto recovered = recover_trail(path, kNow);
  ASSERT_TRUE(recovered.ok());
  EXPECT_EQ(recovered->cut_bytes, 0u);
  auto items = read_trail(recovered->to);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].bytes, a);
}

TEST(Recovery, NeverCutsWholeRecordsAfterDamageInside) {
  ScratchDir dir;
  const std::string path = dir.path + "/20231114221320.not_terminated";
  auto a = tagged_record(1), b = tagged_record(2);
  std::vector<uint8_t> garbage{0xde, 0xad, 0xbe, 0xef};
  write_bytes(path, trail_of({a, garbage, b}));
  auto recovered = recover_trail(path, kNow);
  ASSERT_TRUE(recovered.ok());
  EXPECT_TRUE(recovered->damaged);
  EXPECT_FALSE(recovered->damage.empty());
  EXPECT_EQ(recovered->cut_bytes, 0u);
  EXPECT_EQ(recovered->records, 2u);
}

TEST(Recovery, RefusesAnythingButAnOpenTrail) {
  ScratchDir dir;
  write_bytes(dir.path + "/20231114221320.20231114221330", tagged_record(1));
  EXPECT_FALSE(recover_trail(dir.path + "/20231114221320.20231114221330", kNow).ok());
}

}  // namespace
}  // namespace bullion::trail
