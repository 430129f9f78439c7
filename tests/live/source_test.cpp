// The Linux live source, in process, against the real kernel: a workload
// runs under a unique login uid and its records must come out decoded.
#include "bullion/live/source.h"

#include <libaudit.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "live_helpers.h"

namespace {

using namespace live_test;
using bullion::live::LiveOptions;

LiveOptions options_for(uint32_t auid) {
  const auto& classes = bullion::tables::ClassTable::builtin();
  auto mask = bullion::tables::parse_class_flags(kClasses, classes);
  EXPECT_TRUE(mask.ok());
  LiveOptions options;
  if (mask) options.classes = *mask;
  options.auid = auid;
  return options;
}

TEST(LiveSource, CapturesWorkloadAndRestoresKernelState) {
  std::optional<ControlChannel> control;
  AuditState before;
  if (auto why = open_or_skip_reason(control, before); !why.empty()) GTEST_SKIP() << why;

  const uint32_t auid = unique_auid();
  auto source = bullion::live::open_live_source();
  ASSERT_TRUE(source.ok()) << source.error().message;
  auto started = (*source)->start(options_for(auid));
  ASSERT_TRUE(started.ok()) << started.error().message;
  EXPECT_FALSE(bullion_rule_keys(*control).empty());

  Captured captured;
  std::thread runner([&] {
    auto ran = (*source)->run([&](std::span<const uint8_t> r) { captured.records.emplace_back(r.begin(), r.end()); });
    EXPECT_TRUE(ran.ok()) << ran.error().message;
  });
  ScratchDir dir;
  Listener listener;
  Workload w{dir.path, "bullion-marker-" + std::to_string(getpid()), listener.port};
  EXPECT_EQ(run_workload(w, auid), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  (*source)->request_stop();
  runner.join();

  expect_workload_records(captured, w, auid);
  const auto stats = (*source)->stats();
  EXPECT_EQ(stats.records, captured.records.size());
  EXPECT_EQ(stats.dropped, 0u);
  EXPECT_EQ(stats.kernel_lost, 0u);
  source->reset();
  expect_state_restored(*control, before);
}

// audit -s: the daemon's source takes new classes while it runs, without
// a restart; the failure mode it was given is put back at stop.
TEST(LiveSource, ReconfiguresWhileRunningAndRestoresTheFailureMode) {
  std::optional<ControlChannel> control;
  AuditState before;
  if (auto why = open_or_skip_reason(control, before); !why.empty()) GTEST_SKIP() << why;
  const uint32_t auid = unique_auid();
  LiveOptions options = options_for(auid);
  options.classes = *bullion::tables::parse_class_flags("fd", bullion::tables::ClassTable::builtin());
  // 0 (silent) and 1 (printk) are both harmless; never 2 (panic) in a test.
  options.failure_mode = before.failure == 1 ? 0u : 1u;
  auto source = bullion::live::open_live_source();
  ASSERT_TRUE(source.ok());
  ASSERT_TRUE((*source)->start(options).ok());
  EXPECT_EQ(control->state()->failure, *options.failure_mode);
  // Our rules, as auditctl would list them.
  auto rule_texts = [&] {
    std::string all;
    auto rules = control->list_rules();
    if (!rules) return all;
    for (const auto& rule : *rules) {
      auto key = bullion::live::linux_rules::rule_key(rule);
      if (key && key->starts_with("bullion-")) {
        all += bullion::live::linux_rules::describe_rule(rule, audit_detect_machine()) + "\n";
      }
    }
    return all;
  };
  EXPECT_EQ(rule_texts().find("execve"), std::string::npos);

  Captured captured;
  std::atomic<bool> reconfigure{false}, reconfigured{false};
  std::thread runner([&] {
    auto ran = (*source)->run([&](std::span<const uint8_t> r) { captured.records.emplace_back(r.begin(), r.end()); },
                              [&] {
                                if (!reconfigure.exchange(false)) return;
                                LiveOptions wider = options;
                                wider.classes = *bullion::tables::parse_class_flags(
                                    "fd,pc", bullion::tables::ClassTable::builtin());
                                auto done = (*source)->reconfigure(wider);
                                EXPECT_TRUE(done.ok()) << done.error().message;
                                reconfigured = true;
                              });
    EXPECT_TRUE(ran.ok()) << ran.error().message;
  });
  ScratchDir dir;
  Listener listener;
  Workload first{dir.path, "bullion-before-" + std::to_string(getpid()), listener.port};
  EXPECT_EQ(run_workload(first, auid), 0);
  reconfigure = true;
  for (int i = 0; i < 50 && !reconfigured; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_TRUE(reconfigured);
  EXPECT_NE(rule_texts().find("execve"), std::string::npos) << rule_texts();
  Workload second{dir.path, "bullion-after-" + std::to_string(getpid()), listener.port};
  EXPECT_EQ(run_workload(second, auid), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  (*source)->request_stop();
  runner.join();

  int unlinks = 0;
  bool exec_before = false, exec_after = false;
  for (const auto& f : captured.facts()) {
    unlinks += f.event == 6;
    exec_before |= f.event == 23 && has_exec_arg(f, first.marker);
    exec_after |= f.event == 23 && has_exec_arg(f, second.marker);
  }
  EXPECT_EQ(unlinks, 2);  // one per workload: nothing lost or doubled across the change
  EXPECT_FALSE(exec_before);
  EXPECT_TRUE(exec_after);
  source->reset();
  expect_state_restored(*control, before);
}

TEST(LiveSource, DestroyedWithoutRunStillRestoresKernelState) {
  std::optional<ControlChannel> control;
  AuditState before;
  if (auto why = open_or_skip_reason(control, before); !why.empty()) GTEST_SKIP() << why;
  {
    auto source = bullion::live::open_live_source();
    ASSERT_TRUE(source.ok());
    ASSERT_TRUE((*source)->start(options_for(unique_auid())).ok());
  }
  expect_state_restored(*control, before);
}

TEST(LiveSource, RemovesRulesOfDeadCollectorsAtStart) {
  std::optional<ControlChannel> control;
  AuditState before;
  if (auto why = open_or_skip_reason(control, before); !why.empty()) GTEST_SKIP() << why;

  // A pid that surely is dead: a child we reaped.
  const pid_t dead = fork();
  if (dead == 0) _exit(0);
  waitpid(dead, nullptr, 0);
  bullion::live::linux_rules::SyscallRule rule{bullion::live::linux_rules::Outcome::Any, {"unlinkat"}};
  bullion::live::linux_rules::RuleContext ctx;
  ctx.machine = audit_detect_machine();
  ctx.arch = audit_machine_to_elf(ctx.machine);
  ctx.auid = unique_auid();
  ctx.key = bullion::live::linux_rules::make_key(static_cast<uint32_t>(dead));
  ASSERT_TRUE(control->add_exit_rule(bullion::live::linux_rules::encode_rule(rule, ctx)).ok());
  ASSERT_EQ(bullion_rule_keys(*control), std::vector<std::string>{ctx.key});

  {
    auto source = bullion::live::open_live_source();
    ASSERT_TRUE(source.ok());
    ASSERT_TRUE((*source)->start(options_for(unique_auid())).ok());
    for (const auto& key : bullion_rule_keys(*control)) EXPECT_NE(key, ctx.key);
  }
  expect_state_restored(*control, before);
}

}  // namespace
