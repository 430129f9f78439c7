#include "bullion/trail/sinks.h"

#include <gtest/gtest.h>

#include "bullion/bsm/facts.h"
#include "bullion/pipeline/read.h"
#include "bullion/trail/names.h"
#include "trail_test_support.h"

namespace bullion::trail {
namespace {

using testing::FakeClock;
using testing::FakeSpace;
using testing::RecordingWarner;
using testing::ScratchDir;

// Any record source can feed trails: a saved trail read through the
// pipeline into preselection and the keeper.
TEST(TrailSinks, ATrailReadThroughThePipelineKeepsWhatPreselectionWants) {
  ScratchDir scratch;
  const std::string dir = scratch.sub("audit");
  // Input: a file token, then records of two events, then half a record.
  std::vector<uint8_t> input = file_token(Timestamp{1700000000, 0}, "/elsewhere/x.not_terminated");
  for (uint32_t i = 0; i < 10; ++i) {
    auto r = testing::tagged_record(i, 0, i % 2 == 0 ? 6 : 23);  // AUE_UNLINK (fd), AUE_EXECVE (pc,ex)
    input.insert(input.end(), r.begin(), r.end());
  }
  auto torn = testing::tagged_record(99, 0, 6);
  input.insert(input.end(), torn.begin(), torn.begin() + 10);
  testing::write_bytes(scratch.path + "/input.bsm", input);

  FakeClock clock;
  FakeSpace space;
  RecordingWarner warner;
  std::vector<std::string> log;
  KeeperOptions options;
  options.dirs = {dir};
  TrailKeeper keeper(
      options,
      KeeperEnvironment{clock, space, warner, [&](LogLevel, std::string_view m) { log.emplace_back(m); }, {}, {}});
  ASSERT_TRUE(keeper.open().ok());
  TrailSink trails(keeper, [&](LogLevel, std::string_view m) { log.emplace_back(m); });
  // The records have no subject: naflags decides.
  const auto fd = *tables::parse_class_flags("fd", tables::ClassTable::builtin());
  TrailSelector selector(Selection{fd, fd, {}, {}, 0}, nullptr);
  SelectionSink selection(selector, trails);
  pipeline::read_inputs({scratch.path + "/input.bsm"}, selection);
  ASSERT_TRUE(keeper.close().ok());

  EXPECT_EQ(selection.kept(), 5u);
  EXPECT_EQ(trails.damaged(), 1u);  // the torn record reached the trail sink as damage
  std::vector<uint16_t> events;
  size_t file_tokens = 0;
  for (const std::string& name : testing::list_dir(dir)) {
    if (!parse_trail_name(name)) continue;
    for (const auto& item : testing::read_trail(dir + "/" + name)) {
      if (item.file_token) {
        ++file_tokens;
        EXPECT_NE(testing::file_token_name(item.bytes), "/elsewhere/x.not_terminated");
        continue;
      }
      bsm::RecordFacts f;
      ASSERT_TRUE(bsm::extract_facts(item.bytes, f).ok());
      events.push_back(f.event);
    }
  }
  EXPECT_EQ(events, std::vector<uint16_t>(5, 6));
  EXPECT_EQ(file_tokens, 2u);  // the trail's own start and end
}

}  // namespace
}  // namespace bullion::trail
