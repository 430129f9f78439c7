// See rules_linux.h. The rule layout is the kernel's ABI (linux/audit.h);
// syscall numbers come from libaudit's per-machine tables.
#include "live/rules_linux.h"

#include <libaudit.h>
#include <linux/audit.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <string>

namespace bullion::live::linux_rules {
namespace {

// Classes of one event split by the outcomes the preselection wants.
Outcome outcome_for(uint32_t class_mask, tables::PreselectMask classes, bool& wanted) {
  const bool on_success = (class_mask & classes.success) != 0;
  const bool on_failure = (class_mask & classes.failure) != 0;
  wanted = on_success || on_failure;
  if (on_success && on_failure) return Outcome::Any;
  return on_success ? Outcome::SuccessOnly : Outcome::FailureOnly;
}

// A syscall wanted for one outcome by one event and another by a second
// event (two AUE events share a syscall) must be audited for both.
Outcome merge(Outcome a, Outcome b) { return a == b ? a : Outcome::Any; }

void add_field(audit_rule_data& rule, uint32_t field, uint32_t op, uint32_t value) {
  const uint32_t n = rule.field_count++;
  rule.fields[n] = field;
  rule.fieldflags[n] = op;
  rule.values[n] = value;
}

// Fields whose value is a length and whose text sits in rule.buf, in order.
bool is_string_field(uint32_t field) {
  return (field >= AUDIT_SUBJ_USER && field <= AUDIT_OBJ_LEV_HIGH) || field == AUDIT_WATCH || field == AUDIT_DIR ||
         field == AUDIT_FILTERKEY || field == AUDIT_EXE;
}

constexpr std::string_view kKeyPrefix = "bullion-";

}  // namespace

std::vector<SyscallRule> plan_rules(tables::PreselectMask classes, const tables::EventTable& events,
                                    std::span<const SyscallEvent> syscall_events) {
  // syscall -> outcome wanted; a small sorted vector keeps it deterministic.
  std::vector<std::pair<std::string_view, Outcome>> wanted_syscalls;
  for (const SyscallEvent& row : syscall_events) {
    const tables::EventEntry* entry = events.find(row.event);
    if (entry == nullptr) continue;
    bool wanted = false;
    const Outcome outcome = outcome_for(entry->class_mask, classes, wanted);
    if (!wanted) continue;
    auto it = std::find_if(wanted_syscalls.begin(), wanted_syscalls.end(),
                           [&](const auto& p) { return p.first == row.syscall; });
    if (it == wanted_syscalls.end()) {
      wanted_syscalls.emplace_back(row.syscall, outcome);
    } else {
      it->second = merge(it->second, outcome);
    }
  }
  std::sort(wanted_syscalls.begin(), wanted_syscalls.end());
  std::vector<SyscallRule> rules;
  for (Outcome outcome : {Outcome::Any, Outcome::SuccessOnly, Outcome::FailureOnly}) {
    SyscallRule rule{outcome, {}};
    for (const auto& [name, o] : wanted_syscalls) {
      if (o == outcome) rule.syscalls.push_back(name);
    }
    if (!rule.syscalls.empty()) rules.push_back(std::move(rule));
  }
  return rules;
}

std::vector<uint8_t> encode_rule(const SyscallRule& rule, const RuleContext& ctx) {
  std::vector<uint8_t> bytes(sizeof(audit_rule_data) + ctx.key.size(), 0);
  auto& data = *reinterpret_cast<audit_rule_data*>(bytes.data());
  bool any = false;
  for (std::string_view name : rule.syscalls) {
    const int nr = audit_name_to_syscall(std::string(name).c_str(), ctx.machine);
    if (nr < 0 || nr >= AUDIT_BITMASK_SIZE * 32) continue;
    data.mask[nr / 32] |= 1u << (nr % 32);
    any = true;
  }
  if (!any) return {};
  // arch first: the kernel reads syscall numbers in the rule's arch.
  add_field(data, AUDIT_ARCH, AUDIT_EQUAL, ctx.arch);
  if (rule.outcome != Outcome::Any) {
    add_field(data, AUDIT_SUCCESS, AUDIT_EQUAL, rule.outcome == Outcome::SuccessOnly ? 1 : 0);
  }
  if (ctx.exclude_pid != 0) add_field(data, AUDIT_PID, AUDIT_NOT_EQUAL, ctx.exclude_pid);
  if (ctx.only_pid != 0) add_field(data, AUDIT_PID, AUDIT_EQUAL, ctx.only_pid);
  if (ctx.auid) add_field(data, AUDIT_LOGINUID, AUDIT_EQUAL, *ctx.auid);
  if (!ctx.key.empty()) {
    add_field(data, AUDIT_FILTERKEY, AUDIT_EQUAL, static_cast<uint32_t>(ctx.key.size()));
    std::memcpy(data.buf, ctx.key.data(), ctx.key.size());
    data.buflen = static_cast<uint32_t>(ctx.key.size());
  }
  return bytes;
}

namespace {

// Syscall names of the rule's mask, comma-separated ("all" when every bit).
std::string syscall_list(const audit_rule_data& data, int machine) {
  std::string names;
  bool all = true;
  for (int nr = 0; nr < AUDIT_BITMASK_SIZE * 32; ++nr) {
    if ((data.mask[nr / 32] & (1u << (nr % 32))) == 0) {
      all = false;
      continue;
    }
    const char* name = audit_syscall_to_name(nr, machine);
    if (!names.empty()) names += ',';
    names += name ? std::string(name) : std::to_string(nr);
  }
  return all ? std::string("all") : names;
}

std::string field_text(const audit_rule_data& data, uint32_t i, size_t& buf_offset) {
  const char* name = audit_field_to_name(static_cast<int>(data.fields[i]));
  const char* op = audit_operator_to_symbol(static_cast<int>(data.fieldflags[i]));
  std::string text = std::string(" -F ") + (name ? name : std::to_string(data.fields[i]).c_str()) + (op ? op : "?");
  if (!is_string_field(data.fields[i])) {
    if (data.fields[i] == AUDIT_ARCH) {
      const int machine = audit_elf_to_machine(data.values[i]);
      const char* arch = machine >= 0 ? audit_machine_to_name(machine) : nullptr;
      return text + (arch ? arch : std::to_string(data.values[i]));
    }
    return text + std::to_string(data.values[i]);
  }
  const size_t length = std::min<size_t>(data.values[i], data.buflen - std::min<size_t>(buf_offset, data.buflen));
  text += std::string(data.buf + buf_offset, length);
  buf_offset += length;
  return text;
}

}  // namespace

std::string describe_rule(std::span<const uint8_t> rule, int machine) {
  if (rule.size() < sizeof(audit_rule_data)) return "(short rule)";
  const auto& data = *reinterpret_cast<const audit_rule_data*>(rule.data());
  std::string text = "-a always,exit";
  size_t buf_offset = 0;
  const uint32_t count = std::min<uint32_t>(data.field_count, AUDIT_MAX_FIELDS);
  // auditctl shows arch first, then the syscalls, then the other fields.
  for (uint32_t i = 0; i < count; ++i) {
    if (data.fields[i] == AUDIT_ARCH) text += field_text(data, i, buf_offset);
  }
  text += " -S " + syscall_list(data, machine);
  for (uint32_t i = 0; i < count; ++i) {
    if (data.fields[i] != AUDIT_ARCH) text += field_text(data, i, buf_offset);
  }
  return text;
}

std::optional<std::string_view> rule_key(std::span<const uint8_t> rule) {
  if (rule.size() < sizeof(audit_rule_data)) return std::nullopt;
  const auto& data = *reinterpret_cast<const audit_rule_data*>(rule.data());
  const size_t buf_size = std::min<size_t>(data.buflen, rule.size() - sizeof(audit_rule_data));
  const uint32_t count = std::min<uint32_t>(data.field_count, AUDIT_MAX_FIELDS);
  size_t offset = 0;
  for (uint32_t i = 0; i < count; ++i) {
    if (!is_string_field(data.fields[i])) continue;
    const size_t length = data.values[i];
    if (offset + length > buf_size) return std::nullopt;
    if (data.fields[i] == AUDIT_FILTERKEY) return std::string_view(data.buf + offset, length);
    offset += length;
  }
  return std::nullopt;
}

std::string make_key(uint32_t pid) { return std::string(kKeyPrefix) + std::to_string(pid); }

std::optional<uint32_t> key_owner(std::string_view key) {
  if (!key.starts_with(kKeyPrefix)) return std::nullopt;
  key.remove_prefix(kKeyPrefix.size());
  uint32_t pid = 0;
  auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), pid);
  if (ec != std::errc() || end != key.data() + key.size() || pid == 0) return std::nullopt;
  return pid;
}

}  // namespace bullion::live::linux_rules
