// The one process table: identity through fork, spawn, exec, exit and pid
// reuse, as the hand tools and auditview see it.
#include "bullion/tools/process_table.h"

#include <gtest/gtest.h>

#include "bullion/tables.h"
#include "tools/trail_builder.h"

namespace bullion::testing {
namespace {

using tools::Ending;
using tools::Origin;
using tools::ProcessStep;
using tools::ProcessTable;

class Table {
 public:
  // auditview's table keeps ended nodes and has a node for every pid; the
  // hand tools' (the default here) has neither.
  explicit Table(bool keep_ended = false, bool every_pid = false)
      : tables_(*tables::load_tables({})),
        kinds_(*tables_.events),
        table_(kinds_, {.keep_ended = keep_ended, .track_every_pid = every_pid}) {}

  // Observes the builder's records from `from` on; returns the last step.
  ProcessStep add(const TrailBuilder& t, size_t from = 0) {
    ProcessStep step;
    for (size_t i = from; i < t.records().size(); ++i) {
      bsm::RecordFacts facts;
      EXPECT_TRUE(bsm::extract_facts(t.records()[i], facts).ok());
      step = table_.observe(facts);
    }
    return step;
  }
  ProcessTable& operator*() { return table_; }
  ProcessTable* operator->() { return &table_; }

 private:
  tables::TableSet tables_;
  tools::EventKinds kinds_;
  ProcessTable table_;
};

TEST(ProcessTable, LinuxCloneWrittenAfterTheChildsExecKeepsTheChildsProgram) {
  // Linux writes the clone record when the parent returns; the child may
  // have exec'd and be audited before that.
  TrailBuilder t;
  t.exec(100, "/bin/bash", {"bash"});
  const uint32_t clone_time = t.time++;
  t.exec(101, "/bin/ls", {"ls"});
  TrailBuilder clone;
  clone.time = clone_time;
  clone.fork_with_arg0(100, 101);
  Table table;
  table.add(t);
  const ProcessStep step = table.add(clone);
  const auto* child = table->running(101);
  ASSERT_NE(child, nullptr);
  EXPECT_EQ(step.child, child->ref);
  EXPECT_EQ(step.replaced, 0u) << "not a reuse: the same process";
  EXPECT_EQ(child->program, "/bin/ls");
  EXPECT_EQ(child->parent, table->running(100)->ref);
}

TEST(ProcessTable, AForkNamingAnOlderRunningPidEndsIt) {
  TrailBuilder t;
  t.exec(7, "/usr/bin/old", {"old"});
  t.exec(1, "/sbin/init", {"init"});
  t.fork(1, 7);
  Table table(true);
  const ProcessStep step = table.add(t);
  EXPECT_NE(step.replaced, 0u);
  EXPECT_EQ(table->node(step.replaced)->ending, Ending::Reused);
  EXPECT_EQ(table->running(7)->program, "/sbin/init");
  EXPECT_EQ(table->running(7)->origin, Origin::Fork);
}

TEST(ProcessTable, ExitEndsTheNodeAndTheNextRecordWithThePidIsANewOne) {
  TrailBuilder t;
  t.exec(9, "/bin/cat", {"cat"});
  t.exit(9);
  Table table(true, true);
  const ProcessStep exit = table.add(t);
  EXPECT_TRUE(exit.ended);
  EXPECT_EQ(table->running(9), nullptr);
  t.file_event(9, kAueOpenR, "/x");
  const ProcessStep next = table.add(t, 2);
  EXPECT_TRUE(next.actor_is_new);
  EXPECT_NE(next.actor, exit.actor);
  EXPECT_EQ(table->node(exit.actor)->ending, Ending::Exit);
}

TEST(ProcessTable, WithoutKeepEndedEndedNodesAreForgotten) {
  TrailBuilder t;
  for (uint32_t pid = 10; pid < 1010; ++pid) {
    t.exec(pid, "/bin/true", {"true"});
    t.exit(pid);
  }
  Table table;
  table.add(t);
  EXPECT_LE(table->size(), 1u) << "memory follows running processes, not the trail";
}

TEST(ProcessTable, SpawnChildRunsTheSpawnedProgramAndFailedCallsMakeNoChild) {
  TrailBuilder t;
  t.exec(1, "/sbin/launchd", {"launchd"});
  t.spawn(1, 50, "/usr/bin/helper", {"helper"});
  t.fork(1, 60, kAueFork, 35);  // EAGAIN
  Table table;
  table.add(t);
  ASSERT_NE(table->running(50), nullptr);
  EXPECT_EQ(table->running(50)->program, "/usr/bin/helper");
  EXPECT_EQ(table->running(50)->origin, Origin::Spawn);
  EXPECT_EQ(table->running(60), nullptr);
}

TEST(ProcessTable, ForTheHandToolsAPidWithNothingToRememberCostsNoNode) {
  TrailBuilder t;
  for (uint32_t pid = 100; pid < 1100; ++pid) t.file_event(pid, kAueOpenR, "/x");
  t.exec(5, "/bin/sh", {"sh"});
  t.fork(5, 6);
  t.fork(7, 8);  // an unknown parent: its child has no program to inherit
  Table lean;
  lean.add(t);
  EXPECT_EQ(lean->size(), 2u) << "the shell and its child only";
  EXPECT_EQ(lean->running(6)->program, "/bin/sh");
  Table every(false, true);
  every.add(t);
  EXPECT_EQ(every->size(), 1004u);
}

TEST(ProcessTable, LinuxPpidPutsAProcessUnderItsParentWhenTheCloneWasNotAudited) {
  TrailBuilder t;
  t.exec(100, "/usr/sbin/sshd", {"sshd"});
  t.ppid = 100;  // only execve is audited: no clone record
  t.exec(101, "/bin/bash", {"-bash"});
  t.ppid = 4242;  // a parent the trail never saw
  t.exec(102, "/bin/ls", {"ls"});
  Table table(true, true);
  table.add(t);
  const auto* child = table->running(101);
  ASSERT_NE(child, nullptr);
  EXPECT_EQ(child->parent, table->running(100)->ref);
  EXPECT_EQ(child->origin, Origin::Ppid);
  EXPECT_EQ(table->running(102)->parent, 0u);
  EXPECT_EQ(table->running(102)->origin, Origin::Seen);
}

TEST(ProcessTable, RecordsWithoutSubjectHaveNoActor) {
  TrailBuilder t;
  t.without_subject(kAueOpenR, "/etc/hosts");
  Table table;
  const ProcessStep step = table.add(t);
  EXPECT_EQ(step.actor, 0u);
  EXPECT_EQ(table->size(), 0u);
}

}  // namespace
}  // namespace bullion::testing
