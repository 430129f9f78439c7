#include "bullion/trail/writer.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>

#include "trail_test_support.h"

namespace bullion::trail {
namespace {

using testing::read_bytes;
using testing::read_trail;
using testing::ScratchDir;
using testing::tagged_record;

// A file-size limit makes write() stop part-way with EFBIG, as a full disk
// stops it with ENOSPC: an unprivileged stand-in for a full file system.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    getrlimit(RLIMIT_FSIZE, &saved_);
    old_handler_ = signal(SIGXFSZ, SIG_IGN);
    rlimit limited = saved_;
    limited.rlim_cur = bytes;
    setrlimit(RLIMIT_FSIZE, &limited);
  }
  ~FileSizeLimit() {
    setrlimit(RLIMIT_FSIZE, &saved_);
    signal(SIGXFSZ, old_handler_);
  }

 private:
  rlimit saved_{};
  sighandler_t old_handler_;
};

TEST(TrailWriter, WritesQueuedRecordsOnFlushOnly) {
  ScratchDir dir;
  auto writer = TrailWriter::create(dir.path + "/t", 0640);
  ASSERT_TRUE(writer.ok()) << writer.error().message;
  auto a = tagged_record(1), b = tagged_record(2);
  (*writer)->append(a);
  (*writer)->append(b);
  EXPECT_EQ(read_bytes(dir.path + "/t").size(), 0u);
  EXPECT_EQ((*writer)->size(), a.size() + b.size());
  FlushResult flushed = (*writer)->flush();
  EXPECT_EQ(flushed.error, 0);
  EXPECT_EQ(flushed.records_written, 2u);
  EXPECT_EQ(read_trail(dir.path + "/t").size(), 2u);
  EXPECT_TRUE((*writer)->close().ok());
}

TEST(TrailWriter, RefusesAnExistingFile) {
  ScratchDir dir;
  testing::write_bytes(dir.path + "/t", {1, 2, 3});
  EXPECT_FALSE(TrailWriter::create(dir.path + "/t", 0640).ok());
}

TEST(TrailWriter, CreatesWithTheGivenModeWhateverTheUmask) {
  ScratchDir dir;
  const mode_t old = umask(077);
  auto writer = TrailWriter::create(dir.path + "/t", 0640);
  umask(old);
  ASSERT_TRUE(writer.ok());
  struct stat st {};
  ASSERT_EQ(stat((dir.path + "/t").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
}

TEST(TrailWriter, CutsOffTheRecordAFullFileSystemSplitAndKeepsItQueued) {
  ScratchDir dir;
  auto writer = TrailWriter::create(dir.path + "/t", 0640);
  ASSERT_TRUE(writer.ok());
  auto a = tagged_record(1, 100), b = tagged_record(2, 100), c = tagged_record(3, 100);
  for (auto* r : {&a, &b, &c}) (*writer)->append(*r);
  FlushResult flushed;
  {
    FileSizeLimit limit(a.size() + b.size() / 2);  // b lands half-way
    flushed = (*writer)->flush();
  }
  EXPECT_NE(flushed.error, 0);
  EXPECT_EQ(flushed.records_written, 1u);
  EXPECT_EQ(read_bytes(dir.path + "/t"), a);  // no half record in the file
  EXPECT_EQ((*writer)->queued_records(), 2u);
  // Space again: the queued records follow, whole.
  flushed = (*writer)->flush();
  EXPECT_EQ(flushed.error, 0);
  EXPECT_EQ(flushed.records_written, 2u);
  auto items = read_trail(dir.path + "/t");
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[2].bytes, c);
}

TEST(TrailWriter, TakesQueuedRecordsForAnotherTrail) {
  ScratchDir dir;
  auto first = TrailWriter::create(dir.path + "/1", 0640);
  auto second = TrailWriter::create(dir.path + "/2", 0640);
  ASSERT_TRUE(first.ok() && second.ok());
  (*first)->append(tagged_record(1));
  (*first)->append(tagged_record(2));
  auto queue = (*first)->take_queued();
  EXPECT_EQ(queue.records(), 2u);
  EXPECT_EQ((*first)->queued_records(), 0u);
  (*second)->append_queue(queue);
  EXPECT_EQ((*second)->flush().records_written, 2u);
  EXPECT_EQ(read_trail(dir.path + "/2").size(), 2u);
}

TEST(TrailWriter, AppendsToAnExistingTrail) {
  ScratchDir dir;
  auto a = tagged_record(1);
  testing::write_bytes(dir.path + "/t", a);
  auto writer = TrailWriter::append_to(dir.path + "/t");
  ASSERT_TRUE(writer.ok());
  EXPECT_EQ((*writer)->written_bytes(), a.size());
  (*writer)->append(tagged_record(2));
  ASSERT_TRUE((*writer)->close().ok());
  EXPECT_EQ(read_trail(dir.path + "/t").size(), 2u);
}

}  // namespace
}  // namespace bullion::trail
