// paudit: the records of a named program and its descendants, byte-exact.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/run.h"
#include "tools/trail_builder.h"

namespace bullion::testing {
namespace {

// The expected output: the chosen records' bytes, concatenated.
std::string records(const TrailBuilder& t, std::vector<size_t> indexes) {
  std::string out;
  for (size_t i : indexes) out.append(t.records()[i].begin(), t.records()[i].end());
  return out;
}

RunResult paudit(const TrailBuilder& t, const std::string& name, std::vector<std::string> names) {
  const std::string trail = t.write(name);
  std::vector<std::string> argv = {"paudit"};
  argv.insert(argv.end(), names.begin(), names.end());
  return run_tool(argv, trail);  // the trail on stdin
}

TEST(Paudit, FollowsChildrenAndGrandchildren) {
  TrailBuilder t;
  t.exec(10, "/usr/sbin/sshd", {"sshd"});      // 0 selected: runs sshd
  t.exec(20, "/bin/other", {"other"});         // 1 not
  t.fork(10, 11);                              // 2 child 11 (return value)
  t.fork(11, 12, kAueVfork);                   // 3 grandchild 12
  t.exec(12, "/bin/sh", {"sh"});               // 4 still followed after exec
  t.fork_with_arg0(12, 13);                    // 5 clone as Linux gives it
  t.file_event(13, kAueOpenR, "/etc/shadow");  // 6
  t.file_event(20, kAueOpenR, "/etc/hosts");   // 7 not
  const auto r = paudit(t, "tree.bsm", {"sshd"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, records(t, {0, 2, 3, 4, 5, 6}));
}

TEST(Paudit, ForgetsAPidAtExitSoAReusedPidIsNotFollowed) {
  TrailBuilder t;
  t.exec(10, "/usr/bin/make", {"make"});   // 0
  t.fork(10, 11);                          // 1
  t.exit(11);                              // 2 the child's exit is still its record
  t.file_event(11, kAueOpenR, "/reused");  // 3 pid 11 now belongs to someone else
  t.fork(99, 10);                          // 4 10's exit was lost, but a fork naming
                                           //   it as a new child means it was reused
  t.file_event(10, kAueOpenR, "/also");    // 5 so the new 10 is not followed either
  const auto r = paudit(t, "reuse.bsm", {"make"});
  EXPECT_EQ(r.out, records(t, {0, 1, 2}));
}

TEST(Paudit, ChildThatRanTheProgramBeforeItsParentsCloneRecordStaysFollowed) {
  TrailBuilder t;
  t.exec(100, "/bin/bash", {"bash"});  // 0 not followed
  const uint32_t clone_time = t.time++;
  t.exec(101, "/usr/sbin/sshd", {"sshd"});  // 1 followed from here
  TrailBuilder clone;                       // 2 bash's clone, written late
  clone.time = clone_time;
  clone.fork_with_arg0(100, 101);
  TrailBuilder after;
  after.time = t.time;
  after.file_event(101, kAueOpenR, "/etc/shadow");  // 3 still sshd's
  std::vector<uint8_t> bytes = t.bytes();
  bytes.insert(bytes.end(), clone.bytes().begin(), clone.bytes().end());
  bytes.insert(bytes.end(), after.bytes().begin(), after.bytes().end());
  const auto r = run_tool({"paudit", "sshd"}, TrailBuilder::write_bytes("paudit_clone.bsm", bytes));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::string expected = records(t, {1});
  expected.append(after.records()[0].begin(), after.records()[0].end());
  EXPECT_EQ(r.out, expected);
}

TEST(Paudit, FollowsAChildKnownOnlyByItsPpid) {
  TrailBuilder t;
  t.exec(10, "/usr/sbin/sshd", {"sshd"});  // 0 followed
  t.ppid = 10;                             // Linux: the clone was not audited
  t.exec(11, "/bin/bash", {"bash"});       // 1 sshd's child
  t.ppid = 1;
  t.exec(12, "/bin/cron", {"cron"});  // 2 not
  EXPECT_EQ(paudit(t, "ppid.bsm", {"sshd"}).out, records(t, {0, 1}));
}

TEST(Paudit, FollowsPosixSpawnChildren) {
  TrailBuilder t;
  t.exec(1, "/usr/libexec/launchd", {"launchd"});        // 0
  t.spawn(1, 2, "/usr/bin/helper", {"helper"});          // 1 child 2 from arg 0
  t.file_event(2, kAueOpenR, "/x");                      // 2
  t.spawn(50, 51, "/usr/libexec/launchd", {"launchd"});  // 3 spawns a launchd: 51 followed
  t.file_event(51, kAueOpenR, "/y");                     // 4
  t.file_event(50, kAueOpenR, "/z");                     // 5 the spawner itself is not
  EXPECT_EQ(paudit(t, "spawn.bsm", {"launchd"}).out, records(t, {0, 1, 2, 3, 4}));
}

TEST(Paudit, FailedForkAndFailedExecFollowNothing) {
  TrailBuilder t;
  t.exec(10, "/usr/bin/make", {"make"}, {}, 2);  // 0 exec failed: ENOENT
  t.file_event(10, kAueOpenR, "/a");             // 1
  t.exec(20, "/usr/bin/make", {"make"});         // 2
  t.fork(20, 21, kAueFork, 35);                  // 3 failed fork: selected (20's), no child
  t.file_event(21, kAueOpenR, "/b");             // 4
  EXPECT_EQ(paudit(t, "failed.bsm", {"make"}).out, records(t, {2, 3}));
}

TEST(Paudit, SeveralNamesAndInputFiles) {
  TrailBuilder t;
  t.exec(1, "/bin/a", {"a"});
  t.exec(2, "/bin/b", {"b"});
  t.exec(3, "/bin/c", {"c"});
  const auto r = run_tool({"paudit", "-i", t.write("names.bsm"), "a", "c"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, records(t, {0, 2}));
}

TEST(Paudit, OutputIsATrailPrauditReads) {
  TrailBuilder t;
  t.exec(1, "/bin/a", {"a", "x y"});
  t.exec(2, "/bin/b", {"b"});
  const auto selected = run_tool({"paudit", "-i", t.write("chain.bsm"), "a"});
  const std::string trail =
      TrailBuilder::write_bytes("chain_out.bsm", std::vector<uint8_t>(selected.out.begin(), selected.out.end()));
  const auto printed = run_tool({"praudit", "-l", trail});
  EXPECT_EQ(printed.exit_code, 0) << printed.err;
  EXPECT_NE(printed.out.find("x y"), std::string::npos) << printed.out;
  EXPECT_EQ(printed.out.find("/bin/b"), std::string::npos) << printed.out;
  const auto json = run_tool({"paudit", "--json", "-i", t.write("json.bsm"), "a"});
  EXPECT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(json.out.front(), '{');
}

TEST(Paudit, DamagedTokenIsReported) {
  TrailBuilder t;
  t.exec(1, "/bin/a", {"a", "b"});
  std::vector<uint8_t> bytes = t.bytes();
  const size_t args_token = 18 + 3 + 7;  // after header32 and the path "/bin/a"
  ASSERT_EQ(bytes[args_token], 0x3c);
  bytes[args_token + 4] = 0x7f;  // the exec args overrun their record
  const auto r = run_tool({"paudit", "a"}, TrailBuilder::write_bytes("paudit_bad.bsm", bytes));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("paudit: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(": offset "), std::string::npos) << r.err;
}

TEST(Paudit, NoNameIsAUsageError) { EXPECT_EQ(run_tool({"paudit"}).exit_code, 2); }

}  // namespace
}  // namespace bullion::testing
