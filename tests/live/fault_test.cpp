// Issue 10, live: faults leave nothing behind. After kill -9 the next start
// restores what the first collector found; two collectors at once restore
// the original when the last one leaves; a reused pid is not taken for a
// live collector. Each test compares the kernel's settings and rules with
// those before (enabled, failure, backlog_limit, backlog_wait_time,
// rate_limit, daemon pid, no bullion-* rule).
#include <libaudit.h>
#include <signal.h>

#include "bullion/live/source.h"
#include "live/state_file_linux.h"
#include "live_helpers.h"

namespace {

using namespace live_test;
namespace la = bullion::live::linux_audit;

void expect_all_restored(ControlChannel& control, const AuditState& before) {
  expect_state_restored(control, before);
  auto after = control.state();
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->failure, before.failure);
  EXPECT_EQ(after->rate_limit, before.rate_limit);
  EXPECT_EQ(access(la::kDefaultStatePath, F_OK), -1) << "state file left behind";
}

struct ToolGuard {
  pid_t pid = -1;
  ~ToolGuard() {
    if (pid > 0) kill(pid, SIGKILL), waitpid(pid, nullptr, 0);
  }
};

// A collector started and stopped in this process: the "next start".
void start_and_stop_a_collector() {
  auto source = bullion::live::open_live_source();
  ASSERT_TRUE(source.ok()) << source.error().message;
  bullion::live::LiveOptions options;
  auto mask = bullion::tables::parse_class_flags("pc", bullion::tables::ClassTable::builtin());
  ASSERT_TRUE(mask.ok());
  options.classes = *mask;
  options.auid = unique_auid();
  auto started = (*source)->start(options);
  ASSERT_TRUE(started.ok()) << started.error().message;
}

TEST(LiveFaults, KillNineThenNextStartRestoresEverything) {
  std::optional<ControlChannel> control;
  AuditState before;
  if (auto why = open_or_skip_reason(control, before); !why.empty()) GTEST_SKIP() << why;
  ScratchDir dir;
  const std::string out = dir.path + "/out.bsm", err = dir.path + "/err.txt";
  {
    ToolGuard tool{spawn_auditpipe({"--timeout", "60", "pc"}, out, err)};
    ASSERT_TRUE(wait_for_rules_of(*control, tool.pid)) << slurp(err);
    auto during = control->state();
    ASSERT_TRUE(during.ok());
    EXPECT_NE(during->backlog_limit + during->backlog_wait_time,
              before.backlog_limit + before.backlog_wait_time);  // it did change the kernel
  }                                                              // SIGKILL: nothing restored, rules and settings stay
  EXPECT_FALSE(bullion_rule_keys(*control).empty());
  start_and_stop_a_collector();
  expect_all_restored(*control, before);
  unlink(out.c_str());
  unlink(err.c_str());
}

TEST(LiveFaults, TwoCollectorsTheLastOneOutRestoresWhatTheFirstFound) {
  std::optional<ControlChannel> control;
  AuditState before;
  if (auto why = open_or_skip_reason(control, before); !why.empty()) GTEST_SKIP() << why;
  ScratchDir dir;
  const std::string out1 = dir.path + "/1.bsm", err1 = dir.path + "/1.txt";
  const std::string out2 = dir.path + "/2.bsm", err2 = dir.path + "/2.txt";
  ToolGuard first{spawn_auditpipe({"--timeout", "60", "pc"}, out1, err1)};
  ASSERT_TRUE(wait_for_rules_of(*control, first.pid)) << slurp(err1);
  ToolGuard second{spawn_auditpipe({"--timeout", "60", "pc"}, out2, err2)};
  ASSERT_TRUE(wait_for_rules_of(*control, second.pid)) << slurp(err2);
  kill(first.pid, SIGTERM);  // the first leaves while the second runs
  waitpid(first.pid, nullptr, 0);
  first.pid = -1;
  auto middle = control->state();
  ASSERT_TRUE(middle.ok());
  EXPECT_NE(middle->enabled, 0u);  // still on for the second one
  kill(second.pid, SIGTERM);
  waitpid(second.pid, nullptr, 0);
  second.pid = -1;
  expect_all_restored(*control, before);
  for (const auto& f : {out1, err1, out2, err2}) unlink(f.c_str());
}

TEST(LiveFaults, AReusedPidIsNotALiveCollector) {
  std::optional<ControlChannel> control;
  AuditState before;
  if (auto why = open_or_skip_reason(control, before); !why.empty()) GTEST_SKIP() << why;
  // A collector that "died" and whose pid now belongs to another process:
  // our parent's pid (alive) with a start time that is not its own, its
  // rule still in the kernel and its changed settings.
  const pid_t reused = getppid();
  la::Settings original{before.enabled, before.failure, before.backlog_limit, before.backlog_wait_time,
                        before.rate_limit};
  {
    auto joined = la::join(la::kDefaultStatePath, original, la::Collector{reused, 1});
    ASSERT_TRUE(joined.ok()) << joined.error().message;
  }
  bullion::live::linux_rules::SyscallRule rule{bullion::live::linux_rules::Outcome::Any, {"openat"}};
  bullion::live::linux_rules::RuleContext ctx;
  ctx.machine = audit_detect_machine();
  ctx.arch = audit_machine_to_elf(ctx.machine);
  ctx.auid = unique_auid();
  ctx.key = bullion::live::linux_rules::make_key(static_cast<uint32_t>(reused));
  ASSERT_TRUE(control->add_exit_rule(bullion::live::linux_rules::encode_rule(rule, ctx)).ok());
  ASSERT_TRUE(control->set_backlog_limit(before.backlog_limit + 1000).ok());

  start_and_stop_a_collector();
  expect_all_restored(*control, before);
}

}  // namespace
