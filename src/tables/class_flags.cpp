// Class flag lists (audit_control flags/naflags, audit_user, audit_event's
// class column): `[^][+|-]class,...`.
#include "bullion/tables.h"
#include "tables/table_text.h"

namespace bullion::tables {

namespace {

struct FlagItem {
  bool remove = false;  // '^'
  bool success = true;  // no '-' prefix
  bool failure = true;  // no '+' prefix
  std::string_view class_name;
};

// Prefixes in OpenBSM's order: '^' first, then one of '+' / '-'.
FlagItem split_prefixes(std::string_view item) {
  FlagItem flag;
  if (!item.empty() && item.front() == '^') {
    flag.remove = true;
    item.remove_prefix(1);
  }
  if (!item.empty() && (item.front() == '+' || item.front() == '-')) {
    flag.success = item.front() == '+';
    flag.failure = item.front() == '-';
    item.remove_prefix(1);
  }
  flag.class_name = detail::trim(item);
  return flag;
}

void apply(PreselectMask& mask, const FlagItem& flag, uint32_t bits) {
  uint32_t* halves[2] = {flag.success ? &mask.success : nullptr, flag.failure ? &mask.failure : nullptr};
  for (uint32_t* half : halves) {
    if (half == nullptr) continue;
    *half = flag.remove ? (*half & ~bits) : (*half | bits);
  }
}

}  // namespace

Result<PreselectMask> parse_class_flags(std::string_view flags, const ClassTable& classes) {
  PreselectMask mask;
  size_t offset = 0;
  for (std::string_view raw : detail::split_exact(flags, ',')) {
    std::string_view item = detail::trim(raw);
    size_t item_offset = offset;
    offset += raw.size() + 1;
    if (item.empty()) continue;  // "lo,,aa" and a trailing comma, as strtok allows
    FlagItem flag = split_prefixes(item);
    const ClassEntry* entry = classes.find(flag.class_name);
    if (entry == nullptr) {
      return Error{Errc::Parse, item_offset, 0,
                   "unknown audit class '" + std::string(flag.class_name) + "' in '" + std::string(item) + "'"};
    }
    apply(mask, flag, entry->mask);
  }
  return mask;
}

// A class is listed when all its bits are set; '+'/'-' mark a class set on
// one side only. A side with every bit set is written "+all"/"-all" so the
// text parses back to the same mask. (OpenBSM's getauditflagschar means to
// write the prefixes but never does.)
std::string format_class_flags(PreselectMask mask, const ClassTable& classes) {
  constexpr uint32_t kAll = 0xffffffffu;
  if (mask.success == kAll && mask.failure == kAll) return "all";
  std::string text;
  auto append = [&text](char prefix, std::string_view name) {
    if (!text.empty()) text += ',';
    if (prefix) text += prefix;
    text += name;
  };
  bool success_all = mask.success == kAll, failure_all = mask.failure == kAll;
  if (success_all) append('+', "all");
  if (failure_all) append('-', "all");
  for (const ClassEntry& entry : classes.entries()) {
    if (entry.mask == 0 || entry.mask == kAll) continue;
    bool success = !success_all && (mask.success & entry.mask) == entry.mask;
    bool failure = !failure_all && (mask.failure & entry.mask) == entry.mask;
    if (success && failure)
      append(0, entry.name);
    else if (success || failure)
      append(success ? '+' : '-', entry.name);
  }
  return text;
}

}  // namespace bullion::tables
