// Rule planning and encoding, and the reader queue: no privilege needed.
#include <gtest/gtest.h>
#include <libaudit.h>
#include <linux/audit.h>

#include <atomic>
#include <thread>

#include "live/preselect.h"
#include "live/record_queue.h"
#include "live/rules_linux.h"

namespace {

using namespace bullion::live;
using linux_rules::Outcome;
using linux_rules::SyscallEvent;

const SyscallEvent kTable[] = {
    {"unlink", 6},    // AUE_UNLINK: fd
    {"execve", 23},   // AUE_EXECVE: pc,ex
    {"connect", 32},  // AUE_CONNECT: nt
    {"openat", 270},  // AUE_OPENAT_R: fr
    {"openat", 275},  // AUE_OPENAT_WC: fc,fw,fa,fm
};

bullion::tables::PreselectMask flags(const char* text) {
  auto mask = bullion::tables::parse_class_flags(text, bullion::tables::ClassTable::builtin());
  EXPECT_TRUE(mask.ok());
  return mask ? *mask : bullion::tables::PreselectMask{};
}

TEST(PlanRules, GroupsSyscallsByWantedOutcome) {
  const auto rules = linux_rules::plan_rules(flags("+pc,-fd,nt"), bullion::tables::EventTable::builtin(), kTable);
  ASSERT_EQ(rules.size(), 3u);
  EXPECT_EQ(rules[0].outcome, Outcome::Any);
  EXPECT_EQ(rules[0].syscalls, std::vector<std::string_view>{"connect"});
  EXPECT_EQ(rules[1].outcome, Outcome::SuccessOnly);
  EXPECT_EQ(rules[1].syscalls, std::vector<std::string_view>{"execve"});
  EXPECT_EQ(rules[2].outcome, Outcome::FailureOnly);
  EXPECT_EQ(rules[2].syscalls, std::vector<std::string_view>{"unlink"});
}

TEST(PlanRules, SyscallOfTwoEventsTakesTheUnionOfOutcomes) {
  // openat is AUE_OPENAT_R (fr) on success only and AUE_OPENAT_WC (fw) on
  // failure only: the one kernel rule must keep both outcomes.
  const auto rules = linux_rules::plan_rules(flags("+fr,-fw"), bullion::tables::EventTable::builtin(), kTable);
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0].outcome, Outcome::Any);
  EXPECT_EQ(rules[0].syscalls, std::vector<std::string_view>{"openat"});
}

TEST(PlanRules, NoClassesNoRules) {
  EXPECT_TRUE(linux_rules::plan_rules({}, bullion::tables::EventTable::builtin(), kTable).empty());
}

TEST(EncodeRule, CarriesArchOutcomePidAuidAndKey) {
  linux_rules::RuleContext ctx;
  ctx.machine = MACH_86_64;
  ctx.arch = AUDIT_ARCH_X86_64;
  ctx.exclude_pid = 4242;
  ctx.auid = 3000000001u;
  ctx.key = linux_rules::make_key(4242);
  const auto bytes = linux_rules::encode_rule({Outcome::FailureOnly, {"unlink", "nosuchcall"}}, ctx);
  ASSERT_EQ(bytes.size(), sizeof(audit_rule_data) + ctx.key.size());
  const auto& rule = *reinterpret_cast<const audit_rule_data*>(bytes.data());
  const int unlink_nr = audit_name_to_syscall("unlink", MACH_86_64);
  EXPECT_NE(rule.mask[unlink_nr / 32] & (1u << (unlink_nr % 32)), 0u);
  ASSERT_EQ(rule.field_count, 5u);
  EXPECT_EQ(rule.fields[0], static_cast<uint32_t>(AUDIT_ARCH));  // first: numbers are per arch
  EXPECT_EQ(rule.values[0], AUDIT_ARCH_X86_64);
  EXPECT_EQ(rule.fields[1], static_cast<uint32_t>(AUDIT_SUCCESS));
  EXPECT_EQ(rule.values[1], 0u);
  EXPECT_EQ(rule.fields[2], static_cast<uint32_t>(AUDIT_PID));
  EXPECT_EQ(rule.fieldflags[2], static_cast<uint32_t>(AUDIT_NOT_EQUAL));
  EXPECT_EQ(rule.values[3], 3000000001u);
  EXPECT_EQ(linux_rules::rule_key(bytes), std::optional<std::string_view>("bullion-4242"));
}

TEST(EncodeRule, EmptyWhenNoSyscallExistsOnTheMachine) {
  linux_rules::RuleContext ctx;
  ctx.machine = MACH_86_64;
  EXPECT_TRUE(linux_rules::encode_rule({Outcome::Any, {"nosuchcall"}}, ctx).empty());
}

TEST(EncodeRule, OnlyPidSelectsOneProcess) {
  linux_rules::RuleContext ctx;
  ctx.machine = MACH_86_64;
  ctx.arch = AUDIT_ARCH_X86_64;
  ctx.only_pid = 777;
  const auto bytes = linux_rules::encode_rule({Outcome::Any, {"unlink"}}, ctx);
  const auto& rule = *reinterpret_cast<const audit_rule_data*>(bytes.data());
  ASSERT_EQ(rule.field_count, 2u);
  EXPECT_EQ(rule.fields[1], static_cast<uint32_t>(AUDIT_PID));
  EXPECT_EQ(rule.fieldflags[1], static_cast<uint32_t>(AUDIT_EQUAL));
  EXPECT_EQ(rule.values[1], 777u);
}

TEST(DescribeRule, SpellsRulesAsAuditctlLists) {
  linux_rules::RuleContext ctx;
  ctx.machine = MACH_86_64;
  ctx.arch = AUDIT_ARCH_X86_64;
  ctx.exclude_pid = 4242;
  ctx.auid = 1000;
  ctx.key = linux_rules::make_key(4242);
  const auto bytes = linux_rules::encode_rule({Outcome::SuccessOnly, {"unlink", "execve"}}, ctx);
  // libaudit names the syscalls in number order (execve 59, unlink 87).
  EXPECT_EQ(linux_rules::describe_rule(bytes, MACH_86_64),
            "-a always,exit -F arch=x86_64 -S execve,unlink -F success=1 -F pid!=4242 -F auid=1000 "
            "-F key=bullion-4242");
}

TEST(RuleKeys, OnlyBullionPidKeysHaveOwners) {
  EXPECT_EQ(linux_rules::key_owner("bullion-123"), std::optional<uint32_t>(123));
  EXPECT_FALSE(linux_rules::key_owner("bullion-"));
  EXPECT_FALSE(linux_rules::key_owner("bullion-12x"));
  EXPECT_FALSE(linux_rules::key_owner("bullion-0"));
  EXPECT_FALSE(linux_rules::key_owner("other-123"));
}

TEST(RecordQueue, DropsAndCountsWhenFullInsteadOfWaiting) {
  RecordQueue queue(64);
  const uint8_t payload[20] = {};
  EXPECT_TRUE(queue.push(1300, payload));
  EXPECT_TRUE(queue.push(1302, payload));
  EXPECT_FALSE(queue.push(1320, payload));  // 3 x 28 bytes > 64
  EXPECT_EQ(queue.dropped(), 1u);
  std::vector<uint8_t> batch;
  queue.pop_all(batch, std::chrono::milliseconds(0));
  std::vector<uint32_t> types;
  RecordQueue::for_each(batch, [&](uint32_t type, std::span<const uint8_t> bytes) {
    types.push_back(type);
    EXPECT_EQ(bytes.size(), 20u);
  });
  EXPECT_EQ(types, (std::vector<uint32_t>{1300, 1302}));
  EXPECT_TRUE(queue.push(1320, payload));  // room again after the swap
}

TEST(RecordQueue, WaitingPushWaitsForRoomInsteadOfDropping) {
  RecordQueue queue(64);
  const uint8_t payload[20] = {};
  std::atomic<bool> give_up{false};
  EXPECT_TRUE(queue.push_waiting(1, payload, give_up));
  EXPECT_TRUE(queue.push_waiting(2, payload, give_up));
  std::atomic<bool> pushed{false};
  std::thread reader([&] { pushed = queue.push_waiting(3, payload, give_up); });
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  EXPECT_FALSE(pushed);  // still waiting: the queue is full
  std::vector<uint8_t> batch;
  queue.pop_all(batch, std::chrono::milliseconds(0));
  reader.join();
  EXPECT_TRUE(pushed);
  EXPECT_EQ(queue.dropped(), 0u);
}

TEST(RecordQueue, WaitingPushGivesUpWhenAskedAndCounts) {
  RecordQueue queue(40);
  const uint8_t payload[20] = {};
  std::atomic<bool> give_up{false};
  EXPECT_TRUE(queue.push_waiting(1, payload, give_up));
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    give_up = true;
  });
  EXPECT_FALSE(queue.push_waiting(2, payload, give_up));
  stopper.join();
  EXPECT_EQ(queue.dropped(), 1u);
}

TEST(RecordQueue, ReportsStopOnceAndCloseWhenEmpty) {
  RecordQueue queue(1024);
  std::vector<uint8_t> batch;
  queue.signal_stop();
  EXPECT_TRUE(queue.pop_all(batch, std::chrono::milliseconds(0)).stop_requested);
  EXPECT_FALSE(queue.pop_all(batch, std::chrono::milliseconds(0)).stop_requested);
  const uint8_t payload[4] = {};
  EXPECT_TRUE(queue.push(1, payload));
  queue.close();
  EXPECT_FALSE(queue.pop_all(batch, std::chrono::milliseconds(0)).closed);  // records first
  EXPECT_TRUE(queue.pop_all(batch, std::chrono::milliseconds(0)).closed);
}

}  // namespace
