// Rule planning and encoding, and the reader queue: no privilege needed.
#include <gtest/gtest.h>
#include <libaudit.h>
#include <linux/audit.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

#include "linux/mapping.h"
#include "live/preselect.h"
#include "live/record_queue.h"
#include "live/rules_linux.h"
#include "live/translator_linux.h"

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

// ---- argument filters on open flags (fc, fw) ----------------------------

using linux_rules::ArgFilter;
using linux_rules::SyscallRule;

constexpr uint32_t kCreat = 0100, kTrunc = 01000, kWriteModes = 03;

std::vector<SyscallRule> plan(const char* classes) {
  return linux_rules::plan_rules(flags(classes), bullion::tables::EventTable::builtin(),
                                 BsmTranslator::syscall_events());
}

// The rules (by outcome) that ask the kernel for `syscall`.
std::vector<SyscallRule> rules_with(const std::vector<SyscallRule>& rules, std::string_view syscall) {
  std::vector<SyscallRule> found;
  for (const SyscallRule& r : rules) {
    if (std::find(r.syscalls.begin(), r.syscalls.end(), syscall) != r.syscalls.end()) found.push_back(r);
  }
  return found;
}

TEST(PlanRules, FileCreateAsksOnlyForOpensWithOCreat) {
  const auto rules = plan("fc");
  auto openat = rules_with(rules, "openat");
  ASSERT_EQ(openat.size(), 1u);
  EXPECT_EQ(openat[0].filter, (ArgFilter{2, kCreat}));  // openat(dirfd, path, flags, mode)
  EXPECT_EQ(openat[0].outcome, Outcome::Any);
  auto open = rules_with(rules, "open");
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].filter, (ArgFilter{1, kCreat}));  // open(path, flags, mode)
  // creat always creates; openat2's flags sit in a struct no rule can read.
  for (const char* whole : {"creat", "openat2", "mkdir", "mknod", "symlink", "link"}) {
    auto found = rules_with(rules, whole);
    ASSERT_EQ(found.size(), 1u) << whole;
    EXPECT_EQ(found[0].filter, ArgFilter{}) << whole;
  }
}

TEST(PlanRules, FileWriteAsksOnlyForOpensForWriting) {
  const auto rules = plan("fw");
  auto openat = rules_with(rules, "openat");
  ASSERT_EQ(openat.size(), 1u);
  EXPECT_EQ(openat[0].filter, (ArgFilter{2, kWriteModes}));  // O_WRONLY | O_RDWR
  EXPECT_EQ(rules_with(rules, "open")[0].filter, (ArgFilter{1, kWriteModes}));
  EXPECT_EQ(rules_with(rules, "openat2")[0].filter, ArgFilter{});
}

TEST(PlanRules, FileReadAndWriteTogetherNeedEveryOpen) {
  // O_RDONLY without O_CREAT/O_TRUNC has no bit to test: fr takes all opens.
  EXPECT_EQ(rules_with(plan("fr"), "openat")[0].filter, ArgFilter{});
  EXPECT_EQ(rules_with(plan("fr,fc"), "openat")[0].filter, ArgFilter{});
  EXPECT_EQ(rules_with(plan("fc,fw"), "openat")[0].filter, (ArgFilter{2, kCreat | kWriteModes}));
  EXPECT_EQ(rules_with(plan("fc,fd"), "openat")[0].filter, (ArgFilter{2, kCreat | kTrunc}));
}

TEST(PlanRules, EachOutcomeGetsItsOwnFilter) {
  const auto openat = rules_with(plan("+fc,-fw"), "openat");
  ASSERT_EQ(openat.size(), 2u);
  EXPECT_EQ(openat[0].outcome, Outcome::SuccessOnly);
  EXPECT_EQ(openat[0].filter, (ArgFilter{2, kCreat}));
  EXPECT_EQ(openat[1].outcome, Outcome::FailureOnly);
  EXPECT_EQ(openat[1].filter, (ArgFilter{2, kWriteModes}));
}

// The kernel must never drop an open the classes want: for every class and
// every combination of the flag bits that matter (and some that do not),
// when the translator's event for the flags is in the class, the planned
// filter lets the call through.
TEST(PlanRules, FiltersNeverDropAnOpenTheClassWants) {
  const auto& events = bullion::tables::EventTable::builtin();
  const uint32_t bits[] = {01, 02, kCreat, kTrunc, 02000000 /*O_CLOEXEC*/, 020200000 /*O_TMPFILE*/, 0200 /*O_EXCL*/};
  for (const char* name : {"fr", "fw", "fa", "fm", "fc", "fd", "cl", "all", "fc,fw", "fd,fc", "+fc,-fw"}) {
    const auto mask = flags(name);
    const auto rules = plan(name);
    for (const auto& [syscall, base, arg] : {std::tuple{"open", 72, 1}, std::tuple{"openat", 270, 2}}) {
      for (uint32_t combo = 0; combo < (1u << std::size(bits)); ++combo) {
        uint32_t open_flags = 0;
        for (size_t i = 0; i < std::size(bits); ++i)
          if (combo & (1u << i)) open_flags |= bits[i];
        const auto* entry = events.find(bullion::linuxaudit::open_event(static_cast<uint16_t>(base), open_flags));
        ASSERT_NE(entry, nullptr);
        for (bool success : {true, false}) {
          const bool wanted = (entry->class_mask & (success ? mask.success : mask.failure)) != 0;
          bool asked = false;
          for (const SyscallRule& r : rules_with(rules, syscall)) {
            const bool outcome_ok = r.outcome == Outcome::Any || (r.outcome == Outcome::SuccessOnly) == success;
            const bool filter_ok = r.filter.arg < 0 || (open_flags & r.filter.mask) != 0;
            EXPECT_TRUE(r.filter.arg < 0 || r.filter.arg == arg);
            asked |= outcome_ok && filter_ok;
          }
          if (wanted) {
            EXPECT_TRUE(asked) << name << " " << syscall << " flags 0" << std::oct << open_flags;
          }
        }
      }
    }
  }
}

TEST(FlagMask, TightestBitsOrNone) {
  const uint32_t all[] = {0, 1, 2, kCreat, kCreat | 1};
  EXPECT_EQ(linux_rules::flag_mask(std::vector<uint32_t>{kCreat, kCreat | 1}, all), kCreat);
  EXPECT_EQ(linux_rules::flag_mask(std::vector<uint32_t>{1, 2, kCreat | 1}, all), 3u);
  EXPECT_EQ(linux_rules::flag_mask(std::vector<uint32_t>{0, 1}, all), 0u);  // O_RDONLY has no bit
  EXPECT_EQ(linux_rules::flag_mask(all, all), 0u);                          // everything: no filter
}

TEST(EncodeRule, FilterIsABitMaskOnTheFlagsArgumentAfterArch) {
  linux_rules::RuleContext ctx;
  for (int machine : {MACH_86_64, MACH_X86, MACH_AARCH64}) {
    ctx.machine = machine;
    ctx.arch = audit_machine_to_elf(machine);
    const auto bytes = linux_rules::encode_rule({Outcome::Any, {"openat"}, ArgFilter{2, kCreat}}, ctx);
    ASSERT_FALSE(bytes.empty()) << machine;
    const auto& rule = *reinterpret_cast<const audit_rule_data*>(bytes.data());
    ASSERT_EQ(rule.field_count, 2u);
    EXPECT_EQ(rule.fields[0], static_cast<uint32_t>(AUDIT_ARCH));
    EXPECT_EQ(rule.values[0], static_cast<uint32_t>(ctx.arch));
    EXPECT_EQ(rule.fields[1], static_cast<uint32_t>(AUDIT_ARG2));
    EXPECT_EQ(rule.fieldflags[1], static_cast<uint32_t>(AUDIT_BIT_MASK));
    EXPECT_EQ(rule.values[1], kCreat);
    const int nr = audit_name_to_syscall("openat", machine);
    ASSERT_GE(nr, 0);
    EXPECT_NE(rule.mask[nr / 32] & (1u << (nr % 32)), 0u);
  }
  ctx.machine = MACH_86_64;
  ctx.arch = AUDIT_ARCH_X86_64;
  EXPECT_EQ(
      linux_rules::describe_rule(
          linux_rules::encode_rule({Outcome::Any, {"openat"}, ArgFilter{2, kCreat | kWriteModes}}, ctx), MACH_86_64),
      "-a always,exit -F arch=x86_64 -S openat -F a2&0x43");
  // aarch64 has no open(2): a filter on its a1 makes no rule there.
  ctx.machine = MACH_AARCH64;
  EXPECT_TRUE(linux_rules::encode_rule({Outcome::Any, {"open"}, ArgFilter{1, kCreat}}, ctx).empty());
}

// ---- what each class costs in kernel rules (docs/live.md) -----------------

// Kernel rules a class asks for on one machine and its 32-bit companion.
size_t kernel_rules(const std::vector<SyscallRule>& rules, std::initializer_list<int> machines) {
  size_t n = 0;
  for (int machine : machines) {
    linux_rules::RuleContext ctx;
    ctx.machine = machine;
    ctx.arch = audit_machine_to_elf(machine);
    for (const SyscallRule& r : rules) n += linux_rules::encode_rule(r, ctx).empty() ? 0 : 1;
  }
  return n;
}

std::string rule_cost_table() {
  std::string out =
      "| classes | kernel rules, x86_64 (b64 + b32) | aarch64 (+ arm32) | open-family calls asked for |\n";
  out += "|---|---|---|---|\n";
  for (const char* name :
       {"fr", "fw", "fc", "fd", "fa", "fm", "cl", "pc", "nt", "ex", "ad", "fc,fw", "fr,fw,fc,fd,pc,nt", "all"}) {
    const auto rules = plan(name);
    std::string opens;
    for (const char* call : {"open", "openat", "openat2"}) {
      for (const SyscallRule& r : rules_with(rules, call)) {
        char filter[32] = "";
        if (r.filter.arg >= 0) std::snprintf(filter, sizeof filter, " a%d&0%o", r.filter.arg, r.filter.mask);
        opens += std::string(opens.empty() ? "" : ", ") + call + (r.filter.arg >= 0 ? filter : " (all)");
      }
    }
    if (opens.empty()) opens = "none";
    out += "| " + std::string(name) + " | " + std::to_string(kernel_rules(rules, {MACH_86_64, MACH_X86})) + " | " +
           std::to_string(kernel_rules(rules, {MACH_AARCH64, MACH_ARM})) + " | " + opens + " |\n";
  }
  return out;
}

TEST(PlanRules, DocsShowWhatEachClassCostsInKernelRules) {
  constexpr std::string_view kBegin = "<!-- rule-costs: generated by tests/live/rules_test.cpp -->\n";
  constexpr std::string_view kEnd = "<!-- rule-costs end -->";
  std::ifstream in(std::string(BULLION_SOURCE_DIR) + "/docs/live.md");
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  const size_t begin = doc.find(kBegin), end = doc.find(kEnd);
  ASSERT_NE(begin, std::string::npos) << "docs/live.md lacks the rule-costs markers";
  ASSERT_NE(end, std::string::npos);
  const std::string table = rule_cost_table();
  EXPECT_EQ(doc.substr(begin + kBegin.size(), end - begin - kBegin.size()), table) << "put this in docs/live.md:\n"
                                                                                   << table;
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
