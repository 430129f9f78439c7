// audit_control(5) policy names <-> the kernel's AUDIT_* policy bits.
#include <array>
#include <cstdio>

#include "bullion/tables.h"
#include "tables/table_text.h"

namespace bullion::tables {

namespace {

struct PolicyName {
  uint32_t bit;
  std::string_view name;
};

// One row per policy; both directions read this list.
constexpr std::array<PolicyName, 14> kPolicies{{
    {0x0001, "cnt"},
    {0x0002, "ahlt"},
    {0x0004, "argv"},
    {0x0008, "arge"},
    {0x0010, "seq"},
    {0x0020, "windata"},
    {0x0040, "user"},
    {0x0080, "group"},
    {0x0100, "trail"},
    {0x0200, "path"},
    {0x0400, "scnt"},
    {0x0800, "public"},
    {0x1000, "zonename"},
    {0x2000, "perzone"},
}};

std::optional<uint32_t> policy_bit(std::string_view name) {
  if (name == "none") return 0u;  // an explicit empty policy
  for (const PolicyName& policy : kPolicies) {
    if (policy.name == name) return policy.bit;
  }
  return std::nullopt;
}

}  // namespace

Result<uint32_t> parse_policy(std::string_view text) {
  uint32_t bits = 0;
  size_t offset = 0;
  for (std::string_view raw : detail::split_exact(text, ',')) {
    std::string_view name = detail::trim(raw);
    size_t name_offset = offset;
    offset += raw.size() + 1;
    if (name.empty()) continue;
    auto bit = policy_bit(name);
    if (!bit) return Error{Errc::Parse, name_offset, 0, "unknown policy '" + std::string(name) + "'"};
    bits |= *bit;
  }
  return bits;
}

// Unknown bits are shown in hex so nothing the kernel reports is hidden.
std::string format_policy(uint32_t bits) {
  if (bits == 0) return "none";
  std::string text;
  auto append = [&text](std::string_view part) {
    if (!text.empty()) text += ',';
    text += part;
  };
  for (const PolicyName& policy : kPolicies) {
    if (bits & policy.bit) append(policy.name);
    bits &= ~policy.bit;
  }
  if (bits != 0) {
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%x", bits);
    append(hex);
  }
  return text;
}

}  // namespace bullion::tables
