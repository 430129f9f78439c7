// Records come out as they arrive: a tool reading a pipe prints each record
// before the next one is written (output is flushed whenever the input
// would block), and --follow keeps reading a growing trail, also across a
// rotation of auditd's `current` link, like tail -F.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <fstream>

#include "pipeline/pipeline_helpers.h"
#include "tools/trail_builder.h"

namespace bullion::testing {
namespace {

using std::chrono::seconds;

// Records of a small trail with execs (for the hand tools) and a file event.
std::vector<std::string> exec_records() {
  TrailBuilder t;
  t.exec(100, "/usr/bin/first", {"first", "one"});
  t.exec(101, "/usr/bin/second", {"second", "two"});
  t.exec(102, "/usr/bin/third", {"third", "three"});
  t.exec(103, "/usr/bin/fourth", {"fourth", "four"});
  std::vector<std::string> records;
  for (const auto& r : t.records()) records.emplace_back(r.begin(), r.end());
  return records;
}

struct Streamed {
  std::vector<std::string> argv;
  std::string first, second;  // what the output holds after each record
};

void PrintTo(const Streamed& s, std::ostream* os) { *os << s.argv[0]; }

class FirstRecordBeforeTheNext : public ::testing::TestWithParam<Streamed> {};

TEST_P(FirstRecordBeforeTheNext, IsPrintedWhileTheWriterWaits) {
  const auto records = exec_records();
  Child::Options o;
  o.stdin_pipe = true;
  Child child(GetParam().argv, o);
  ASSERT_TRUE(child.write_stdin(records[0]));
  // The writer has not finished: the record must come out now.
  EXPECT_TRUE(child.read_until(GetParam().first, 1, seconds(10))) << "output: " << child.out() << child.err();
  ASSERT_TRUE(child.write_stdin(records[1]));
  EXPECT_TRUE(child.read_until(GetParam().second, 1, seconds(10))) << "output: " << child.out() << child.err();
  const RunResult done = child.wait(seconds(30));
  EXPECT_EQ(done.exit_code, 0) << done.err;
}

INSTANTIATE_TEST_SUITE_P(Tools, FirstRecordBeforeTheNext,
                         ::testing::Values(Streamed{{"praudit", "-l"}, "/usr/bin/first", "/usr/bin/second"},
                                           Streamed{{"commands", "-"}, "first one\n", "second two\n"},
                                           Streamed{{"filewatcher", "-a", "--color=never", "-"}, "first", "second"},
                                           Streamed{{"paudit", "--json", "first", "second"}, "first", "second"}));

TEST(Streaming, AuditreduceWritesEachSelectedRecordBeforeTheNextArrives) {
  const auto records = exec_records();
  Child::Options o;
  o.stdin_pipe = true;
  Child child({"auditreduce", "-m", "AUE_EXECVE"}, o);
  ASSERT_TRUE(child.write_stdin(records[0]));
  EXPECT_TRUE(child.read_until(records[0], 1, seconds(10)));
  ASSERT_TRUE(child.write_stdin(records[1]));
  EXPECT_TRUE(child.read_until(records[1], 1, seconds(10)));
  EXPECT_EQ(child.wait(seconds(30)).exit_code, 0);
}

void append(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::app).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

TEST(Follow, GrowingTrailIsReadAsItGrows) {
  ScratchDir dir;
  const auto records = exec_records();
  const std::string path = dir / "growing.bsm";
  write_file(path, records[0]);
  Child child({"praudit", "-l", "--follow", path}, {});
  EXPECT_TRUE(child.read_until("/usr/bin/first", 1, seconds(10))) << child.err();
  append(path, records[1]);
  EXPECT_TRUE(child.read_until("/usr/bin/second", 1, seconds(10))) << child.err();
  append(path, records[2]);
  EXPECT_TRUE(child.read_until("/usr/bin/third", 1, seconds(10))) << child.err();
  child.signal(SIGTERM);
  const RunResult done = child.wait(seconds(10));
  EXPECT_EQ(count_lines(done.out), 3u) << done.out;
}

// auditd's rotation: the open trail is closed and renamed START.END, a new
// START.not_terminated is created and `current` is pointed at it.
void rotate(const ScratchDir& dir, const std::string& old_name, const std::string& closed_name,
            const std::string& new_name, const std::string& first_record) {
  fs::rename(dir.path() / old_name, dir.path() / closed_name);
  write_file(dir / new_name, first_record);
  fs::create_symlink(new_name, dir.path() / "current.new");
  fs::rename(dir.path() / "current.new", dir.path() / "current");
}

class FollowRotation : public ::testing::TestWithParam<std::string> {};

TEST_P(FollowRotation, GoesOnInTheNewTrail) {
  ScratchDir dir;
  const auto records = exec_records();
  write_file(dir / "20240101000000.not_terminated", records[0]);
  fs::create_symlink("20240101000000.not_terminated", dir.path() / "current");
  const std::string target = GetParam() == "current" ? dir / "current" : dir.path().string();
  Child child({"praudit", "-l", "--follow", target}, {});
  EXPECT_TRUE(child.read_until("/usr/bin/first", 1, seconds(10))) << child.err();
  append(dir / "20240101000000.not_terminated", records[1]);
  EXPECT_TRUE(child.read_until("/usr/bin/second", 1, seconds(10))) << child.err();
  rotate(dir, "20240101000000.not_terminated", "20240101000000.20240102000000", "20240102000000.not_terminated",
         records[2]);
  EXPECT_TRUE(child.read_until("/usr/bin/third", 1, seconds(10))) << child.out() << child.err();
  append(dir / "20240102000000.not_terminated", records[3]);
  EXPECT_TRUE(child.read_until("/usr/bin/fourth", 1, seconds(10))) << child.out() << child.err();
  child.signal(SIGTERM);
  const RunResult done = child.wait(seconds(10));
  EXPECT_EQ(count_lines(done.out), 4u) << done.out;
}

INSTANTIATE_TEST_SUITE_P(Paths, FollowRotation, ::testing::Values("current", "directory"));

}  // namespace
}  // namespace bullion::testing
