#include "bullion/trail/volume.h"

#include <gtest/gtest.h>

#include "bullion/bsm/encoder.h"

namespace bullion::trail {
namespace {

constexpr uint16_t kAueOpenR = 72;   // fr
constexpr uint16_t kAueOpenW = 76;   // fw
constexpr uint16_t kAueExecve = 23;  // pc,ex
constexpr uint32_t kDay = 86400;
constexpr uint32_t kStart = 1700000000;

// A record of `event` at `when`, success or failure, attributable to auid
// 1000 or to nobody (auid -1), padded so its size is known.
std::vector<uint8_t> record(uint16_t event, uint32_t when, bool failed = false, uint32_t auid = 1000) {
  bsm::RecordBuilder builder;
  builder.begin_header32(event, 0, when, 0);
  bsm::Subject subject;
  subject.auid = auid;
  builder.subject32_ex(subject);
  builder.return32(failed ? 13 : 0, 0);
  auto bytes = builder.finish();
  return std::vector<uint8_t>(bytes.begin(), bytes.end());
}

// Two days: 200 read opens (100 failed), 100 write opens, 20 execs, 10
// read opens by nobody; every record the same size.
VolumeSample two_day_sample(size_t& record_size) {
  VolumeSample sample;
  record_size = record(kAueOpenR, kStart).size();
  for (uint32_t i = 0; i < 200; ++i) EXPECT_TRUE(sample.add(record(kAueOpenR, kStart + i, i % 2 == 1)).ok());
  for (uint32_t i = 0; i < 100; ++i) EXPECT_TRUE(sample.add(record(kAueOpenW, kStart + 1000 + i)).ok());
  for (uint32_t i = 0; i < 20; ++i) EXPECT_TRUE(sample.add(record(kAueExecve, kStart + 5000 + i)).ok());
  for (uint32_t i = 0; i < 10; ++i) EXPECT_TRUE(sample.add(record(kAueOpenR, kStart + 6000 + i, false, ~0u)).ok());
  EXPECT_TRUE(sample.add(record(kAueExecve, kStart + 2 * kDay)).ok());  // the last one: 2 days span
  return sample;
}

const ClassRate& class_named(const VolumeAdvice& advice, std::string_view name) {
  for (const ClassRate& c : advice.classes) {
    if (c.name == name) return c;
  }
  ADD_FAILURE() << name;
  static ClassRate none;
  return none;
}

TEST(VolumeSample, CountsEventsByOutcomeAndAttribution) {
  size_t size = 0;
  VolumeSample sample = two_day_sample(size);
  EXPECT_EQ(sample.span_seconds(), 2 * kDay);
  EXPECT_EQ(sample.total().records, 331u);
  EXPECT_EQ(sample.total().bytes, 331u * size);
  const EventVolume& reads = sample.events().at(kAueOpenR);
  EXPECT_EQ(reads.success.records, 100u);
  EXPECT_EQ(reads.failure.records, 100u);
  EXPECT_EQ(reads.na_success.records, 10u);
  EXPECT_EQ(reads.total().records, 210u);
}

TEST(VolumeSample, RefusesWhatDoesNotDecode) {
  VolumeSample sample;
  EXPECT_FALSE(sample.add(std::vector<uint8_t>{0x14, 0, 0}).ok());
  EXPECT_EQ(sample.total().records, 0u);
}

TEST(VolumeAdvice, RatesEveryClassAndEventPerDay) {
  size_t size = 0;
  VolumeSample sample = two_day_sample(size);
  auto advice = rate_sample(sample, 2.0, tables::EventTable::builtin(), tables::ClassTable::builtin());
  EXPECT_DOUBLE_EQ(class_named(advice, "fr").rate.records, 105.0);  // 210 over 2 days
  EXPECT_DOUBLE_EQ(class_named(advice, "fr").rate.bytes, 105.0 * size);
  EXPECT_DOUBLE_EQ(class_named(advice, "fw").rate.records, 50.0);
  EXPECT_DOUBLE_EQ(class_named(advice, "pc").rate.records, 10.5);  // execve is pc and ex
  EXPECT_DOUBLE_EQ(class_named(advice, "ex").rate.records, 10.5);
  EXPECT_DOUBLE_EQ(class_named(advice, "lo").rate.records, 0.0);
  ASSERT_EQ(advice.events.size(), 3u);
  EXPECT_EQ(advice.events[0].name, "AUE_OPEN_R");  // largest first
  EXPECT_EQ(advice.classes.front().name, "fr");
}

TEST(VolumeAdvice, ProjectsWhatAConfigurationKeeps) {
  size_t size = 0;
  VolumeSample sample = two_day_sample(size);
  tables::AuditControl control;
  control.dirs = {"/var/audit"};
  control.flags = tables::PreselectMask{0, 0x1};    // -fr: failed reads only
  control.naflags = tables::PreselectMask{0x1, 0};  // +fr for nobody
  control.filesz = 512 * 1024;
  control.expire_after = "10K";
  control.minfree = 10;
  const SpaceInfo disk{1, 1000000, 300000};  // 300000 free, 100000 the floor
  Projection p = project(sample, 2.0, tables::EventTable::builtin(), control, {}, disk);
  // 100 failed reads + 10 reads by nobody, over two days.
  EXPECT_DOUBLE_EQ(p.daily.records, 55.0);
  EXPECT_DOUBLE_EQ(p.daily.bytes, 55.0 * size);
  ASSERT_TRUE(p.trails_per_day);
  EXPECT_DOUBLE_EQ(*p.trails_per_day, 55.0 * size / (512 * 1024));
  ASSERT_TRUE(p.days_kept);
  EXPECT_DOUBLE_EQ(*p.days_kept, 10240.0 / (55.0 * size));
  // expire-after 10K is far below the 200000 usable bytes: never reached.
  EXPECT_TRUE(p.bounded_by_expiry);
  EXPECT_FALSE(p.days_to_minfree);

  // Adding fw (both outcomes) and expiring by age only: minfree is reached.
  control.expire_after = "30d";
  p = project(sample, 2.0, tables::EventTable::builtin(), control, tables::PreselectMask{0x2, 0x2}, disk);
  EXPECT_DOUBLE_EQ(p.daily.records, 105.0);
  ASSERT_TRUE(p.days_kept);
  EXPECT_DOUBLE_EQ(*p.days_kept, 30.0);
  ASSERT_TRUE(p.days_to_minfree);
  EXPECT_DOUBLE_EQ(*p.days_to_minfree, 200000.0 / (105.0 * size));
}

TEST(VolumeAdvice, ExpiryJoinsPickTheLongerOrTheShorterKeep) {
  size_t size = 0;
  VolumeSample sample = two_day_sample(size);
  tables::AuditControl control;
  control.flags = tables::PreselectMask{0xffffffffu, 0xffffffffu};
  control.naflags = control.flags;
  const double daily = 331.0 / 2 * size;
  control.expire_after = "1d AND 100K";
  Projection both = project(sample, 2.0, tables::EventTable::builtin(), control, {}, std::nullopt);
  control.expire_after = "1d OR 100K";
  Projection either = project(sample, 2.0, tables::EventTable::builtin(), control, {}, std::nullopt);
  const double by_size = 102400.0 / daily;
  EXPECT_DOUBLE_EQ(*both.days_kept, std::max(1.0, by_size));
  EXPECT_DOUBLE_EQ(*either.days_kept, std::min(1.0, by_size));
  EXPECT_FALSE(both.trails_per_day);  // filesz unset: never rotates
}

TEST(VolumeAdvice, FileszBelowTheMinimumIsProjectedAsTheDaemonUsesIt) {
  size_t size = 0;
  VolumeSample sample = two_day_sample(size);
  tables::AuditControl control;
  control.flags = tables::PreselectMask{0xffffffffu, 0xffffffffu};
  control.filesz = 1000;
  Projection p = project(sample, 2.0, tables::EventTable::builtin(), control, {}, std::nullopt);
  EXPECT_EQ(p.filesz, tables::kMinimumFilesz);
}

}  // namespace
}  // namespace bullion::trail
