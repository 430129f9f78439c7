// See rules_linux.h. The rule layout is the kernel's ABI (linux/audit.h);
// syscall numbers come from libaudit's per-machine tables.
#include "live/rules_linux.h"

#include <libaudit.h>
#include <linux/audit.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <tuple>

namespace bullion::live::linux_rules {
namespace {

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

// What one syscall is wanted for, on success and on failure: the whole call
// (any row without flags), or only some of its flag variants.
struct SyscallWants {
  std::string_view name;
  int8_t flags_arg = -1;
  bool whole[2] = {false, false};      // [0] success, [1] failure
  std::vector<uint32_t> variants[2];   // wanted flag variants
  std::vector<uint32_t> all_variants;  // every variant of the call
};

// The filter for one outcome of one call; nullopt when it is not wanted.
std::optional<ArgFilter> filter_for(const SyscallWants& w, int side) {
  if (w.whole[side]) return ArgFilter{};
  if (w.variants[side].empty()) return std::nullopt;
  const uint32_t mask = flag_mask(w.variants[side], w.all_variants);
  return mask == 0 ? ArgFilter{} : ArgFilter{w.flags_arg, mask};
}

}  // namespace

uint32_t flag_mask(std::span<const uint32_t> wanted, std::span<const uint32_t> all) {
  uint32_t bits = 0;
  for (uint32_t v : all) bits |= v;
  auto admitted = [&](uint32_t mask) {
    return static_cast<size_t>(std::count_if(all.begin(), all.end(), [&](uint32_t v) { return (v & mask) != 0; }));
  };
  uint32_t best = 0;
  size_t best_admitted = all.size();  // no filter admits everything
  // Every subset of the bits the variants use (a handful: access mode,
  // O_CREAT, O_TRUNC), smallest admitted set first, then the smaller mask.
  for (uint32_t mask = bits; mask != 0; mask = (mask - 1) & bits) {
    const bool keeps_wanted = std::all_of(wanted.begin(), wanted.end(), [&](uint32_t v) { return (v & mask) != 0; });
    if (!keeps_wanted) continue;
    const size_t n = admitted(mask);
    if (n < best_admitted || (n == best_admitted && best != 0 && mask < best)) best = mask, best_admitted = n;
  }
  return best_admitted < all.size() ? best : 0;
}

std::vector<SyscallRule> plan_rules(tables::PreselectMask classes, const tables::EventTable& events,
                                    std::span<const SyscallEvent> syscall_events) {
  std::vector<SyscallWants> calls;
  for (const SyscallEvent& row : syscall_events) {
    auto it = std::find_if(calls.begin(), calls.end(), [&](const SyscallWants& w) { return w.name == row.syscall; });
    if (it == calls.end()) it = calls.insert(calls.end(), SyscallWants{row.syscall, row.flags_arg, {}, {}, {}});
    if (row.flags_arg >= 0) it->all_variants.push_back(row.flags);
    const tables::EventEntry* entry = events.find(row.event);
    if (entry == nullptr) continue;
    const bool wanted[2] = {(entry->class_mask & classes.success) != 0, (entry->class_mask & classes.failure) != 0};
    for (int side : {0, 1}) {
      if (!wanted[side]) continue;
      if (row.flags_arg >= 0) {
        it->variants[side].push_back(row.flags);
      } else {
        it->whole[side] = true;
      }
    }
  }
  // (filtered?, outcome, filter) -> syscalls; std::map keeps the order
  // deterministic: unfiltered rules first, each kind by outcome.
  using Key = std::tuple<bool, Outcome, ArgFilter>;
  std::map<Key, std::vector<std::string_view>> groups;
  auto group = [&](const ArgFilter& f, Outcome o) -> auto& { return groups[Key{f.arg >= 0, o, f}]; };
  for (const SyscallWants& w : calls) {
    const auto success = filter_for(w, 0), failure = filter_for(w, 1);
    if (success && failure && *success == *failure) {
      group(*success, Outcome::Any).push_back(w.name);
      continue;
    }
    if (success) group(*success, Outcome::SuccessOnly).push_back(w.name);
    if (failure) group(*failure, Outcome::FailureOnly).push_back(w.name);
  }
  std::vector<SyscallRule> rules;
  for (auto& [key, names] : groups) {
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    rules.push_back(SyscallRule{std::get<1>(key), std::move(names), std::get<2>(key)});
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
  if (rule.filter.arg >= 0 && rule.filter.arg <= 3) {
    add_field(data, AUDIT_ARG0 + static_cast<uint32_t>(rule.filter.arg), AUDIT_BIT_MASK, rule.filter.mask);
  }
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
    if (data.fields[i] >= AUDIT_ARG0 && data.fields[i] <= AUDIT_ARG3) {
      char hex[16];
      std::snprintf(hex, sizeof hex, "0x%x", data.values[i]);  // argument bits read best in hex, as auditctl -l
      return text + hex;
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
