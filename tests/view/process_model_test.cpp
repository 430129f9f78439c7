// The process model behind auditview: identity through fork, spawn, exec,
// exit and pid reuse, and what each process did, within its caps.
#include "bullion/view/process_model.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tools/trail_builder.h"

namespace bullion::testing {
namespace {

using tools::Ending;
using tools::Origin;
using view::FileUse;
using view::ProcessModel;

class Model {
 public:
  explicit Model(view::ViewLimits limits = {}) : tables_(*tables::load_tables({})), model_(tables_, limits) {}

  ProcessModel& add(const TrailBuilder& t) {
    for (const auto& record : t.records()) {
      bsm::RecordFacts facts;
      EXPECT_TRUE(bsm::extract_facts(record, facts).ok());
      model_.add(facts);
    }
    return model_;
  }
  const tools::ProcessNode& node(tools::ProcessRef ref) const { return *model_.table().node(ref); }
  const view::ProcessActivity& activity(tools::ProcessRef ref) const { return model_.activity(ref); }
  size_t size() const { return model_.table().size(); }

 private:
  tables::TableSet tables_;
  ProcessModel model_;
};

const FileUse& file(const view::ProcessActivity& a, const std::string& path) {
  const auto it = a.files.find(path);
  EXPECT_NE(it, a.files.end()) << path;
  static const FileUse none;
  return it == a.files.end() ? none : it->second;
}

TEST(ProcessModel, ForkMakesAChildAndExecKeepsTheProcess) {
  TrailBuilder t;
  t.exec(10, "/usr/sbin/sshd", {"sshd", "-D"});  // 1: seen
  t.fork(10, 11);                                // 2: child of 1
  t.exec(11, "/bin/bash", {"-bash"});            // still 2, new program
  t.exec(11, "/usr/bin/id", {"id"});
  Model m;
  m.add(t);
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m.node(1).pid, 10u);
  EXPECT_EQ(m.node(1).origin, Origin::Seen);
  EXPECT_EQ(m.node(2).pid, 11u);
  EXPECT_EQ(m.node(2).parent, 1u);
  EXPECT_EQ(m.node(2).origin, Origin::Fork);
  EXPECT_EQ(m.node(2).program, "/usr/bin/id");
  ASSERT_EQ(m.activity(2).commands.size(), 2u);
  EXPECT_EQ(m.activity(2).commands[0].argv, std::vector<std::string>{"-bash"}) << "argv[0] as recorded";
  EXPECT_EQ(m.activity(2).commands[1].path, "/usr/bin/id");
}

TEST(ProcessModel, ReusedPidAfterExitIsANewProcess) {
  TrailBuilder t;
  t.exec(7, "/bin/cat", {"cat"});
  t.exit(7);
  t.file_event(7, kAueOpenR, "/after");  // someone else with pid 7
  Model m;
  m.add(t);
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m.node(1).ending, Ending::Exit);
  EXPECT_EQ(m.node(1).end_ms, 1700000001000u);
  EXPECT_EQ(m.node(2).pid, 7u);
  EXPECT_EQ(m.node(2).program, "");
  EXPECT_TRUE(m.activity(1).files.contains("/bin/cat"));
  EXPECT_FALSE(m.activity(1).files.contains("/after"));
  EXPECT_TRUE(m.activity(2).files.contains("/after"));
}

TEST(ProcessModel, ForkNamingARunningPidEndsTheOldProcess) {
  TrailBuilder t;
  t.exec(20, "/usr/bin/make", {"make"});  // 1; its exit is never audited
  t.exec(30, "/bin/sh", {"sh"});          // 2
  t.fork(30, 20);                         // 3: pid 20 again
  t.file_event(20, kAueOpenR, "/x");
  Model m;
  m.add(t);
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m.node(1).ending, Ending::Reused);
  EXPECT_EQ(m.node(3).pid, 20u);
  EXPECT_EQ(m.node(3).parent, 2u);
  EXPECT_EQ(m.node(3).program, "/bin/sh") << "a fork child runs its parent's program";
  EXPECT_TRUE(m.activity(3).files.contains("/x"));
}

TEST(ProcessModel, ChildRecordsBeforeTheParentsForkRecordJoinTheChild) {
  TrailBuilder t;
  t.exec(40, "/bin/sh", {"sh"});
  const uint32_t fork_time = t.time++;  // the fork happened here ...
  t.exec(41, "/bin/ls", {"ls"});        // ... but the child's exec was written first
  TrailBuilder late;
  late.time = fork_time;
  late.fork(40, 41);
  Model m;
  m.add(t);
  m.add(late);
  ASSERT_EQ(m.size(), 2u) << "the fork names the process already seen, not a new one";
  EXPECT_EQ(m.node(2).parent, 1u);
  EXPECT_EQ(m.node(2).origin, Origin::Fork);
  EXPECT_EQ(m.node(2).program, "/bin/ls");
  EXPECT_EQ(m.node(2).ending, Ending::Running);
}

TEST(ProcessModel, SpawnedChildGetsTheCommandAndTheSpawnerKeepsItsOwn) {
  TrailBuilder t;
  t.exec(1, "/sbin/launchd", {"launchd"});
  t.spawn(1, 77, "/usr/bin/helper", {"helper", "--run"});
  Model m;
  m.add(t);
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m.node(2).pid, 77u);
  EXPECT_EQ(m.node(2).origin, Origin::Spawn);
  EXPECT_EQ(m.node(2).program, "/usr/bin/helper");
  ASSERT_EQ(m.activity(2).commands.size(), 1u);
  EXPECT_EQ(m.activity(2).commands[0].argv, (std::vector<std::string>{"helper", "--run"}));
  EXPECT_EQ(m.activity(1).commands.size(), 1u) << "only launchd's own exec";
  EXPECT_EQ(m.node(1).program, "/sbin/launchd");
}

TEST(ProcessModel, RecordsWithExecArgumentsAreCommandsFailedOnesWithTheirError) {
  TrailBuilder t;
  t.command(5, kAueSudo, "", {"sudo", "-u", "nobody", "id"});
  t.exec(5, "/bin/rm", {"rm", "-rf", "/"}, {}, 13);  // EACCES
  Model m;
  m.add(t);
  const auto& commands = m.activity(1).commands;
  ASSERT_EQ(commands.size(), 2u);
  EXPECT_EQ(commands[0].event, kAueSudo);
  EXPECT_EQ(commands[0].argv.size(), 4u);
  EXPECT_FALSE(commands[1].succeeded);
  EXPECT_EQ(commands[1].bsm_errno, 13);
  EXPECT_EQ(m.node(1).program, "") << "neither sudo's record nor a failed exec changes the program";
  EXPECT_EQ(file(m.activity(1), "/bin/rm").counts[FileUse::Failed], 1u);
}

TEST(ProcessModel, FilesAreCountedByKindWithFirstAndLastTime) {
  TrailBuilder t;
  t.file_event(3, kAueOpenR, "/etc/passwd");
  t.file_event(3, kAueOpenR, "/etc/passwd");
  t.file_event(3, kAueOpenW, "/tmp/out");
  t.file_event(3, kAueUnlink, "/tmp/gone");
  t.file_event(3, kAueRename, "/tmp/evil", 0, "/etc/passwd");
  t.file_event(3, kAueLink, "/etc/shadow", 0, "/tmp/sh");
  t.file_event(3, kAueOpenR, "/root/secret", 13);
  t.file_event(3, kAueChmod, "/tmp/out");
  Model m;
  m.add(t);
  const auto& a = m.activity(1);
  const FileUse& passwd = file(a, "/etc/passwd");
  EXPECT_EQ(passwd.counts[FileUse::Read], 2u);
  EXPECT_EQ(passwd.counts[FileUse::Rename], 1u) << "renamed onto";
  EXPECT_EQ(passwd.first_ms, 1700000000000u);
  EXPECT_EQ(passwd.last_ms, 1700000004000u);
  EXPECT_EQ(file(a, "/tmp/out").counts[FileUse::Write], 1u);
  EXPECT_EQ(file(a, "/tmp/out").counts[FileUse::Other], 1u);
  EXPECT_EQ(file(a, "/tmp/gone").counts[FileUse::Delete], 1u);
  EXPECT_EQ(file(a, "/tmp/evil").renamed_to, "/etc/passwd");
  EXPECT_EQ(file(a, "/tmp/sh").counts[FileUse::Create], 1u);
  EXPECT_EQ(file(a, "/root/secret").counts[FileUse::Failed], 1u);
  EXPECT_EQ(file(a, "/root/secret").counts[FileUse::Read], 0u);
}

TEST(ProcessModel, FailuresAreGroupedByErrorWithExamplePaths) {
  TrailBuilder t;
  t.file_event(3, kAueOpenR, "/a", 13);
  t.file_event(3, kAueOpenR, "/b", 13);
  t.file_event(3, kAueUnlink, "/c", 2);
  t.file_event(3, kAueOpenR, "/a", 13);
  Model m;
  m.add(t);
  const auto& failures = m.activity(1).failures;
  ASSERT_EQ(failures.size(), 2u);
  EXPECT_EQ(failures[0].bsm_errno, 13);
  EXPECT_EQ(failures[0].tally.count, 3u);
  EXPECT_EQ(failures[0].paths, (std::vector<std::string>{"/a", "/b"}));
  EXPECT_EQ(failures[1].bsm_errno, 2);
}

TEST(ProcessModel, PeersCountConnections) {
  TrailBuilder t;
  t.connect(9, {10, 0, 0, 7}, 22);
  t.connect(9, {10, 0, 0, 7}, 22, 61);  // ECONNREFUSED
  t.connect(9, {192, 168, 1, 1}, 443);
  Model m;
  m.add(t);
  const auto& peers = m.activity(1).peers;
  ASSERT_EQ(peers.size(), 2u);
  const auto& ssh = peers.at("inet 10.0.0.7 22");
  EXPECT_EQ(ssh.tally.count, 2u);
  EXPECT_EQ(ssh.failed, 1u);
  EXPECT_EQ(ssh.port, 22);
}

TEST(ProcessModel, CapsCountWhatTheyLeaveOut) {
  view::ViewLimits limits;
  limits.max_files = 2;
  limits.max_commands = 1;
  limits.max_processes = 2;
  limits.max_argv_bytes = 7;
  TrailBuilder t;
  t.exec(1, "/bin/echo", {"echo", "abc", "defgh"});  // "echo" and "abc" fit in 7 bytes, "defgh" not
  t.file_event(1, kAueOpenR, "/one");                // with /bin/echo: the cap of 2 paths is reached
  t.exec(1, "/bin/true", {"true"});                  // over both caps
  t.file_event(1, kAueOpenR, "/two");
  t.file_event(1, kAueOpenR, "/one");  // a kept path: still counted
  t.file_event(2, kAueOpenR, "/x");
  t.file_event(3, kAueOpenR, "/y");  // a third process: over max_processes
  Model m(limits);
  auto& model = m.add(t);
  const auto& a = m.activity(1);
  ASSERT_EQ(a.commands.size(), 1u);
  EXPECT_EQ(a.commands[0].argv, (std::vector<std::string>{"echo", "abc"}));
  EXPECT_EQ(a.commands[0].argv_omitted, 1u);
  EXPECT_EQ(a.commands_omitted, 1u);
  EXPECT_EQ(a.files.size(), 2u);
  EXPECT_EQ(file(a, "/one").counts[FileUse::Read], 2u);
  EXPECT_EQ(a.file_events_omitted, 2u) << "/bin/true's exec and /two";
  EXPECT_TRUE(a.files.contains("/bin/echo"));
  EXPECT_EQ(model.table().size(), 2u);
  EXPECT_EQ(model.table().untracked_processes(), 1u);
  EXPECT_EQ(model.table().untracked_records(), 1u);
}

TEST(ProcessModel, MemoryLimitRefusesNewEntriesAndCountsThem) {
  view::ViewLimits limits;
  limits.max_memory_bytes = 300;  // two file entries of about 130 bytes each
  TrailBuilder t;
  t.file_event(1, kAueOpenR, "/a");
  t.file_event(1, kAueOpenR, "/b");
  t.file_event(1, kAueOpenR, "/c");
  t.file_event(1, kAueOpenR, "/a");
  Model m(limits);
  auto& model = m.add(t);
  EXPECT_EQ(m.activity(1).files.size(), 2u);
  EXPECT_EQ(file(m.activity(1), "/a").counts[FileUse::Read], 2u);
  EXPECT_EQ(m.activity(1).file_events_omitted, 1u);
  EXPECT_EQ(model.memory_refusals(), 1u);
}

TEST(ProcessModel, RecordsWithoutSubjectAreNotAttributed) {
  TrailBuilder t;
  t.without_subject(kAueOpenR, "/etc/hosts");
  t.file_event(3, kAueOpenR, "/x");
  Model m;
  auto& model = m.add(t);
  EXPECT_EQ(model.records(), 2u);
  EXPECT_EQ(model.non_attributable(), 1u);
  EXPECT_EQ(m.size(), 1u);
  EXPECT_EQ(m.node(1).pid, 3u) << "no process 0 made up for the subject-less record";
}

TEST(ProcessModel, SerialOfTheFirstRecordIsKept) {
  TrailBuilder t;
  t.serial = 500;
  t.exec(4, "/bin/a", {"a"});
  t.fork(4, 5);
  Model m;
  m.add(t);
  EXPECT_TRUE(m.node(1).has_serial);
  EXPECT_EQ(m.node(1).serial, 500u);
  EXPECT_EQ(m.node(2).serial, 501u) << "the child began with its parent's fork record";
}

TEST(Histogram, WidensToHoldEveryTimeInTheSameBuckets) {
  view::Histogram h;
  h.add(1000);
  h.add(1001);
  h.add(1000 + 10 * 1000 * 1000);  // ten thousand seconds later
  h.add(500);                      // earlier than the first
  EXPECT_EQ(h.total(), 4u);
  uint64_t sum = 0;
  for (size_t i = 0; i < h.used(); ++i) sum += h.count(i);
  EXPECT_EQ(sum, 4u);
  EXPECT_LE(h.used(), view::Histogram::kBuckets);
  EXPECT_LE(h.origin_ms(), 500u);
  EXPECT_GT(h.origin_ms() + h.width_ms() * h.used(), 1000u + 10 * 1000 * 1000);
  EXPECT_EQ(h.count(0), 3u) << "500, 1000 and 1001 share the first wide bucket";
  EXPECT_EQ(h.count(h.used() - 1), 1u);
}

}  // namespace
}  // namespace bullion::testing
