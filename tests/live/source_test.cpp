// The Linux live source, in process, against the real kernel: a workload
// runs under a unique login uid and its records must come out decoded.
#include "bullion/live/source.h"

#include <libaudit.h>

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
