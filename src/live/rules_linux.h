// Class preselection -> Linux kernel audit syscall rules, and the rule
// encoding the kernel expects (struct audit_rule_data). Pure functions: no
// netlink here, so everything is testable without privilege.
//
// Classes map to syscalls through two tables: audit_event (AUE event ->
// classes) and the translator's syscall -> AUE table, inverted. Passing the
// latter in keeps one syscall table in the project (src/linux owns it).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bullion/tables.h"

namespace bullion::live::linux_rules {

// One row of the translator's table: Linux syscall name -> BSM event. An
// open-family call becomes one of several events by its flags (read, write,
// create, truncate variants); each variant is a row of its own carrying the
// flags it stands for and the argument register (a0..a3) holding them, so
// a class that wants only some variants can ask the kernel for only those.
// flags_arg is -1 when no register holds the flags (openat2 passes them in
// a struct the kernel's rule filter cannot read) or the row is no variant.
struct SyscallEvent {
  std::string_view syscall;
  uint16_t event = 0;
  int8_t flags_arg = -1;
  uint32_t flags = 0;
};

// Which outcomes a rule keeps: BSM `+class` is success only, `-class`
// failure only, a plain class both.
enum class Outcome { Any, SuccessOnly, FailureOnly };

// Only calls whose argument a<arg> has one of the bits of `mask` set
// (the kernel's AUDIT_BIT_MASK operator). arg < 0: no filter.
struct ArgFilter {
  int8_t arg = -1;
  uint32_t mask = 0;
  auto operator<=>(const ArgFilter&) const = default;
};

struct SyscallRule {
  Outcome outcome = Outcome::Any;
  std::vector<std::string_view> syscalls;  // sorted, unique
  ArgFilter filter;
};

// Groups the syscalls whose events fall in the preselected classes by the
// outcomes wanted, and by argument filter: an open-family call whose wanted
// variants share a flag bit the others lack (O_CREAT for fc, O_WRONLY|O_RDWR
// for fw) gets a rule that asks the kernel for those calls only. Rules
// without a filter come first, one per outcome; none when nothing matches.
std::vector<SyscallRule> plan_rules(tables::PreselectMask classes, const tables::EventTable& events,
                                    std::span<const SyscallEvent> syscall_events);

// Everything a kernel rule carries besides its syscalls.
struct RuleContext {
  uint32_t arch = 0;             // AUDIT_ARCH_* (arch= field)
  int machine = 0;               // libaudit machine, for syscall numbers
  uint32_t exclude_pid = 0;      // pid!= (the collector itself); 0 = none
  uint32_t only_pid = 0;         // pid= (one process's own classes); 0 = none
  std::optional<uint32_t> auid;  // auid= filter
  std::string key;               // key= (bullion-<pid>)
};

// The tightest flag filter that keeps every variant in `wanted`: the set of
// bits (among those the variants of `all` use) hitting each wanted variant
// and as few others as possible. {-1, 0} when no bit set can (a wanted
// variant has none of the bits, e.g. a plain O_RDONLY open) or none is
// needed (every variant is wanted).
uint32_t flag_mask(std::span<const uint32_t> wanted, std::span<const uint32_t> all);

// struct audit_rule_data followed by its string buffer, ready for
// audit_add_rule_data(). Syscalls unknown on ctx.machine are skipped; an
// empty result means none of them exists there.
std::vector<uint8_t> encode_rule(const SyscallRule& rule, const RuleContext& ctx);

// A rule as auditctl -l would show it ("-a always,exit -F arch=b64 -S
// openat,unlinkat -F success=1 -F pid!=42 -F key=bullion-42"), for dry runs.
std::string describe_rule(std::span<const uint8_t> rule, int machine);

// The key of a rule as the kernel lists it (AUDIT_FILTERKEY field), or
// nothing. `rule` is a struct audit_rule_data with `size` bytes in all.
std::optional<std::string_view> rule_key(std::span<const uint8_t> rule);

// Our keys: "bullion-<pid>". Returns the pid, or nothing for other keys.
std::string make_key(uint32_t pid);
std::optional<uint32_t> key_owner(std::string_view key);

}  // namespace bullion::live::linux_rules
