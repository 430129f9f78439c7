#include "bullion/trail/keeper.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>

#include "bullion/bsm/facts.h"
#include "bullion/trail/names.h"
#include "trail_test_support.h"

namespace bullion::trail {
namespace {

using testing::FakeClock;
using testing::FakeSpace;
using testing::file_token_name;
using testing::list_dir;
using testing::read_trail;
using testing::RecordingWarner;
using testing::ScratchDir;
using testing::tagged_record;

// Every test keeps its trails in scratch dirs and its time, space and
// warnings in fakes, so each case is exact and instant.
class KeeperTest : public ::testing::Test {
 protected:
  ScratchDir scratch;
  FakeClock clock;
  FakeSpace space;
  RecordingWarner warner;
  std::vector<std::string> log;
  bool stop_waiting = false;
  std::function<void()> while_waiting;  // runs each time a wait asks whether to stop

  KeeperEnvironment environment() {
    return KeeperEnvironment{clock,
                             space,
                             warner,
                             [this](LogLevel, std::string_view m) { log.emplace_back(m); },
                             DaemonIdentity{0, 0, 0, 0, 4242},
                             [this] {
                               if (while_waiting) while_waiting();
                               return stop_waiting;
                             }};
  }

  KeeperOptions options(std::vector<std::string> dirs, uint64_t filesz = 0) {
    KeeperOptions o;
    o.dirs = std::move(dirs);
    o.filesz = filesz;
    o.minfree = 5;
    return o;
  }

  // Every record (not file token) in the trails of `dir`, in name order.
  std::vector<std::vector<uint8_t>> records_in(const std::string& dir) {
    std::vector<std::vector<uint8_t>> records;
    for (const std::string& name : list_dir(dir)) {
      if (!parse_trail_name(name)) continue;
      for (auto& item : read_trail(dir + "/" + name)) {
        if (!item.file_token) records.push_back(std::move(item.bytes));
      }
    }
    return records;
  }

  std::vector<std::string> trails_in(const std::string& dir) {
    std::vector<std::string> trails;
    for (const std::string& name : list_dir(dir)) {
      if (parse_trail_name(name)) trails.push_back(name);
    }
    return trails;
  }
};

std::string text_of(const std::vector<uint8_t>& record) {
  bsm::RecordFacts facts;
  EXPECT_TRUE(bsm::extract_facts(record, facts).ok());
  return std::string(facts.text);
}

TEST_F(KeeperTest, RotatesBeforeFileszAndKeepsEveryRecordExactlyOnce) {
  const std::string dir = scratch.sub("audit");
  constexpr uint64_t kFilesz = 4096;
  std::vector<std::vector<uint8_t>> sent;
  {
    TrailKeeper keeper(options({dir}, kFilesz), environment());
    ASSERT_TRUE(keeper.open().ok());
    for (uint32_t i = 0; i < 200; ++i) {
      sent.push_back(tagged_record(i, i % 7 * 30));
      keeper.write(sent.back());
      clock.advance(200);  // a trail fills in a few seconds
      if (i % 25 == 0) keeper.tick();
    }
    ASSERT_TRUE(keeper.close().ok());
    EXPECT_EQ(keeper.stats().lost, 0u);
  }
  auto trails = trails_in(dir);
  ASSERT_GT(trails.size(), 5u);
  for (const std::string& name : trails) {
    auto parsed = parse_trail_name(name);
    EXPECT_EQ(parsed->state, TrailName::State::Closed) << name;
    const std::string path = dir + "/" + name;
    EXPECT_LE(testing::read_bytes(path).size(), kFilesz) << name;
    // A start token naming the trail as it was written, an end token
    // naming it as it is now.
    auto items = read_trail(path);
    ASSERT_GE(items.size(), 3u);
    EXPECT_TRUE(items.front().file_token);
    EXPECT_EQ(file_token_name(items.front().bytes), dir + "/" + open_trail_name(parsed->start));
    EXPECT_TRUE(items.back().file_token);
    EXPECT_EQ(file_token_name(items.back().bytes), path);
  }
  EXPECT_EQ(records_in(dir), sent);
  EXPECT_EQ(list_dir(dir).size(), trails.size());  // no `current` once closed
}

TEST_F(KeeperTest, ATrailFullWithinItsFirstSecondGoesOnToTheNextSecond) {
  const std::string dir = scratch.sub("audit");
  TrailKeeper keeper(options({dir}, 2048), environment());
  ASSERT_TRUE(keeper.open().ok());
  const std::string first = keeper.open_path();
  for (uint32_t i = 0; i < 40; ++i) keeper.write(tagged_record(i, 100));  // ~6K, all in one second
  EXPECT_EQ(keeper.open_path(), first);
  EXPECT_EQ(clock.time.seconds, 1700000000);  // nobody waited
  clock.advance(1000);
  keeper.write(tagged_record(40, 100));
  EXPECT_NE(keeper.open_path(), first);  // the next second: rotated before the record
  ASSERT_TRUE(keeper.close().ok());
  EXPECT_EQ(records_in(dir).size(), 41u);
}

TEST_F(KeeperTest, TrailsStartingInTheSameSecondWaitForTheNext) {
  const std::string dir = scratch.sub("audit");
  TrailKeeper keeper(options({dir}), environment());
  ASSERT_TRUE(keeper.open().ok());
  const int64_t first = clock.time.seconds;
  ASSERT_TRUE(keeper.rotate().ok());
  ASSERT_TRUE(keeper.rotate().ok());
  ASSERT_TRUE(keeper.close().ok());
  auto trails = trails_in(dir);
  ASSERT_EQ(trails.size(), 3u);
  EXPECT_EQ(parse_trail_name(trails[0])->start, first);
  EXPECT_EQ(parse_trail_name(trails[1])->start, first + 1);
  EXPECT_EQ(parse_trail_name(trails[2])->start, first + 2);
}

TEST_F(KeeperTest, CurrentLinkNamesTheOpenTrail) {
  const std::string dir = scratch.sub("audit");
  TrailKeeper keeper(options({dir}), environment());
  ASSERT_TRUE(keeper.open().ok());
  char target[4096] = {};
  ASSERT_GT(readlink((dir + "/current").c_str(), target, sizeof target - 1), 0);
  EXPECT_EQ(std::string(target), keeper.open_path());
  EXPECT_TRUE(keeper.open_path().ends_with(".not_terminated"));
  clock.advance(2000);
  ASSERT_TRUE(keeper.rotate().ok());
  std::fill(std::begin(target), std::end(target), 0);
  ASSERT_GT(readlink((dir + "/current").c_str(), target, sizeof target - 1), 0);
  EXPECT_EQ(std::string(target), keeper.open_path());
}

TEST_F(KeeperTest, RunsAuditWarnCloseFileForEachClosedTrail) {
  const std::string dir = scratch.sub("audit");
  TrailKeeper keeper(options({dir}), environment());
  ASSERT_TRUE(keeper.open().ok());
  clock.advance(5000);
  ASSERT_TRUE(keeper.rotate().ok());
  ASSERT_TRUE(keeper.close().ok());
  auto trails = trails_in(dir);
  ASSERT_EQ(trails.size(), 2u);
  for (const std::string& name : trails) EXPECT_TRUE(warner.saw("closefile " + dir + "/" + name)) << name;
}

TEST_F(KeeperTest, ExpiresOldestTrailsBySizeAfterRotationButNeverTheOpenOne) {
  const std::string dir = scratch.sub("audit");
  KeeperOptions o = options({dir}, 2048);
  o.expire = tables::ExpireAfter{std::nullopt, 6000, tables::ExpireAfter::Join::None};
  TrailKeeper keeper(o, environment());
  ASSERT_TRUE(keeper.open().ok());
  std::vector<std::vector<uint8_t>> sent;
  for (uint32_t i = 0; i < 200; ++i) {
    sent.push_back(tagged_record(i, 100));
    keeper.write(sent.back());
    clock.advance(200);
  }
  keeper.tick();
  EXPECT_GT(keeper.stats().expired, 0u);
  EXPECT_EQ(warner.count("expired"), keeper.stats().expired);
  uint64_t total = 0;
  for (const std::string& name : trails_in(dir)) total += testing::read_bytes(dir + "/" + name).size();
  EXPECT_LE(total, 6000u + 2048u);  // the limit, plus the open trail
  EXPECT_TRUE(std::filesystem::exists(keeper.open_path()));
  // The newest records survive, in order, each once.
  auto kept = records_in(dir);
  ASSERT_FALSE(kept.empty());
  EXPECT_TRUE(std::equal(kept.begin(), kept.end(), sent.end() - static_cast<ptrdiff_t>(kept.size())));
}

TEST_F(KeeperTest, StartsInTheNextDirWhenTheFirstIsUnderMinfree) {
  const std::string a = scratch.sub("a"), b = scratch.sub("b");
  space.set_free_percent(a, 3);  // minfree 5
  TrailKeeper keeper(options({a, b}), environment());
  ASSERT_TRUE(keeper.open().ok());
  EXPECT_TRUE(warner.saw("soft " + a));
  EXPECT_EQ(keeper.open_path().rfind(b + "/", 0), 0u) << keeper.open_path();
  EXPECT_FALSE(warner.saw("allsoft"));
}

TEST_F(KeeperTest, MovesOnWhenTheOpenDirFallsUnderMinfreeThenWarnsAllSoft) {
  const std::string a = scratch.sub("a"), b = scratch.sub("b");
  TrailKeeper keeper(options({a, b}), environment());
  ASSERT_TRUE(keeper.open().ok());
  ASSERT_EQ(keeper.open_path().rfind(a + "/", 0), 0u);
  keeper.write(tagged_record(1));
  space.set_free_percent(a, 4);
  clock.advance(1500);
  keeper.tick();
  EXPECT_TRUE(warner.saw("soft " + a));
  EXPECT_EQ(keeper.open_path().rfind(b + "/", 0), 0u) << keeper.open_path();
  keeper.write(tagged_record(2));
  space.set_free_percent(b, 2);
  clock.advance(1500);
  keeper.tick();
  EXPECT_TRUE(warner.saw("soft " + b));
  EXPECT_EQ(warner.count("allsoft"), 1u);
  keeper.write(tagged_record(3));  // soft is a warning: records still go in
  ASSERT_TRUE(keeper.close().ok());
  auto all = records_in(a);
  for (auto& r : records_in(b)) all.push_back(r);
  EXPECT_EQ(all.size(), 3u);
}

// RLIMIT_FSIZE makes writes past a size fail part-way (EFBIG), as a full
// disk makes them fail with ENOSPC.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    getrlimit(RLIMIT_FSIZE, &saved_);
    old_ = signal(SIGXFSZ, SIG_IGN);
    rlimit limited = saved_;
    limited.rlim_cur = bytes;
    setrlimit(RLIMIT_FSIZE, &limited);
  }
  ~FileSizeLimit() { lift(); }
  void lift() {
    if (lifted_) return;
    setrlimit(RLIMIT_FSIZE, &saved_);
    signal(SIGXFSZ, old_);
    lifted_ = true;
  }

 private:
  rlimit saved_{};
  sighandler_t old_;
  bool lifted_ = false;
};

TEST_F(KeeperTest, FullFileSystemWithCntCountsLossesAndWritesThemIntoTheTrail) {
  const std::string dir = scratch.sub("audit");
  KeeperOptions o = options({dir});
  o.buffer_bytes = 1;  // write each record at once
  TrailKeeper keeper(o, environment());
  ASSERT_TRUE(keeper.open().ok());
  std::vector<std::vector<uint8_t>> written_before;
  uint32_t tag = 0;
  {
    FileSizeLimit limit(3000);
    for (; tag < 40; ++tag) {
      keeper.write(tagged_record(tag, 100));
      clock.advance(100);
    }
    EXPECT_TRUE(warner.saw("hard " + dir));
    EXPECT_EQ(warner.count("allhard"), 1u);
    EXPECT_GT(keeper.stats().lost, 0u);
    limit.lift();
    space.set_free_percent(dir, 95);  // space is back
    clock.advance(2000);
    for (; tag < 45; ++tag) keeper.write(tagged_record(tag, 100));
  }
  ASSERT_TRUE(keeper.close().ok());
  const uint64_t lost = keeper.stats().lost;
  auto records = records_in(dir);  // every trail reads cleanly: nothing torn
  // Exactly one loss record, carrying the count; every other record is one
  // of ours, and written + lost = sent.
  size_t loss_records = 0, ours = 0;
  for (const auto& r : records) {
    if (text_of(r) == "lost=" + std::to_string(lost) + " where=writer") {
      ++loss_records;
    } else {
      ++ours;
    }
  }
  EXPECT_EQ(loss_records, 1u);
  EXPECT_EQ(ours + lost, 45u);
}

TEST_F(KeeperTest, WithoutCntWaitsForSpaceAndLosesNothing) {
  const std::string dir = scratch.sub("audit");
  KeeperOptions o = options({dir});
  o.cnt = false;
  o.buffer_bytes = 1;
  TrailKeeper keeper(o, environment());
  ASSERT_TRUE(keeper.open().ok());
  int waits = 0;
  {
    FileSizeLimit limit(1500);
    while_waiting = [&] {
      if (++waits == 3) {  // space comes back after three seconds
        limit.lift();
        space.set_free_percent(dir, 95);
      }
    };
    for (uint32_t tag = 0; tag < 20; ++tag) keeper.write(tagged_record(tag, 100));
  }
  ASSERT_TRUE(keeper.close().ok());
  EXPECT_GE(waits, 3);
  EXPECT_EQ(keeper.stats().lost, 0u);
  EXPECT_EQ(records_in(dir).size(), 20u);
}

TEST_F(KeeperTest, WithoutCntGivesUpWaitingWhenToldToStopAndCountsWhatItHeld) {
  const std::string dir = scratch.sub("audit");
  KeeperOptions o = options({dir});
  o.cnt = false;
  o.buffer_bytes = 1;
  TrailKeeper keeper(o, environment());
  ASSERT_TRUE(keeper.open().ok());
  FileSizeLimit limit(600);
  stop_waiting = true;
  for (uint32_t tag = 0; tag < 5; ++tag) keeper.write(tagged_record(tag, 100));
  limit.lift();
  EXPECT_GT(keeper.stats().lost, 0u);
  EXPECT_EQ(keeper.stats().lost + records_in(dir).size(), 5u);
}

TEST_F(KeeperTest, MovesQueuedRecordsToTheNextDirWhenOneFills) {
  const std::string a = scratch.sub("a"), b = scratch.sub("b");
  KeeperOptions o = options({a, b});
  o.buffer_bytes = 1;
  TrailKeeper keeper(o, environment());
  ASSERT_TRUE(keeper.open().ok());
  {
    // Files in a may not pass 1000 bytes; b's trail is opened under the
    // same limit, so lift it as soon as the move happened.
    FileSizeLimit limit(1000);
    for (uint32_t tag = 0; tag < 12; ++tag) {
      keeper.write(tagged_record(tag, 100));
      if (keeper.open_path().rfind(b + "/", 0) == 0) limit.lift();
    }
  }
  ASSERT_TRUE(keeper.close().ok());
  EXPECT_TRUE(warner.saw("hard " + a)) << ::testing::PrintToString(warner.calls);
  EXPECT_FALSE(warner.saw("allhard"));
  EXPECT_EQ(keeper.stats().lost, 0u);
  auto all = records_in(a);
  for (auto& r : records_in(b)) all.push_back(r);
  ASSERT_EQ(all.size(), 12u);
  for (uint32_t tag = 0; tag < 12; ++tag) EXPECT_EQ(all[tag], tagged_record(tag, 100));
}

TEST_F(KeeperTest, WritesDaemonRecordsIntoTheTrail) {
  const std::string dir = scratch.sub("audit");
  {
    TrailKeeper keeper(options({dir}), environment());
    ASSERT_TRUE(keeper.open().ok());
    keeper.write_daemon_record(kAueAuditStartup, "bsmauditd::Audit startup");
    keeper.write(tagged_record(1));
    keeper.write_daemon_record(kAueAuditShutdown, "bsmauditd::Audit shutdown");
  }
  auto records = records_in(dir);
  ASSERT_EQ(records.size(), 3u);
  bsm::RecordFacts facts;
  ASSERT_TRUE(bsm::extract_facts(records[0], facts).ok());
  EXPECT_EQ(facts.event, kAueAuditStartup);
  EXPECT_EQ(facts.text, "bsmauditd::Audit startup");
  EXPECT_EQ(facts.subject.pid, 4242u);
  EXPECT_EQ(text_of(records[2]), "bsmauditd::Audit shutdown");
}

TEST_F(KeeperTest, ReconfigureStartsATrailInTheNewDir) {
  const std::string a = scratch.sub("a"), b = scratch.sub("b");
  TrailKeeper keeper(options({a}), environment());
  ASSERT_TRUE(keeper.open().ok());
  keeper.write(tagged_record(1));
  ASSERT_TRUE(keeper.reconfigure(options({b})).ok());
  EXPECT_EQ(keeper.open_path().rfind(b + "/", 0), 0u);
  keeper.write(tagged_record(2));
  ASSERT_TRUE(keeper.close().ok());
  EXPECT_EQ(records_in(a).size(), 1u);
  EXPECT_EQ(records_in(b).size(), 1u);
  EXPECT_EQ(trails_in(a).size(), 1u);
  EXPECT_EQ(parse_trail_name(trails_in(a)[0])->state, TrailName::State::Closed);
}

TEST_F(KeeperTest, OpenFailsWithoutAnyDirectory) {
  TrailKeeper keeper(options({}), environment());
  EXPECT_FALSE(keeper.open().ok());
  TrailKeeper missing(options({scratch.path + "/missing"}), environment());
  EXPECT_FALSE(missing.open().ok());
}

}  // namespace
}  // namespace bullion::trail
