#include "bullion/input/sniff.h"

#include <algorithm>
#include <cstring>
#include <string_view>

#include "bullion/input/byte_source.h"

namespace bullion::input {
namespace {

bool is_bsm_start(uint8_t id) { return id == 0x11 || id == 0x14 || id == 0x15 || id == 0x74 || id == 0x79; }

bool is_text_start(uint8_t c) { return c == '#' || c == '\n' || c == '\r' || c == 't' || c == 'n'; }

bool skip_word(std::string_view& s) {
  const size_t space = s.find(' ');
  if (space == 0 || space == std::string_view::npos) return false;
  s.remove_prefix(space);
  while (!s.empty() && s[0] == ' ') s.remove_prefix(1);
  return true;
}

}  // namespace

bool looks_like_audit_log_line(std::string_view line) {
  if (line.starts_with("node=") && !skip_word(line)) return false;
  if (!line.starts_with("type=") || !skip_word(line)) return false;
  // A short sample may cut the stamp off: its opening is enough.
  return line.starts_with("msg=audit(") && line.size() > 10 && line[10] >= '0' && line[10] <= '9';
}

std::optional<Format> sniff(std::span<const uint8_t> head, bool at_end) {
  if (head.empty()) return at_end ? std::optional(Format::Bsm) : std::nullopt;
  // 't' is also the id of a 64-bit header: "type=" read as that header's
  // size would be nearly 2 GB, so those five bytes tell the two apart.
  if (head[0] == 't') {
    const std::string_view type = "type=";
    const size_t n = std::min(head.size(), type.size());
    if (std::memcmp(head.data(), type.data(), n) != 0) return Format::Bsm;
    if (n < type.size()) return at_end ? std::optional(Format::Bsm) : std::nullopt;
  } else if (is_bsm_start(head[0])) {
    return Format::Bsm;
  }
  if (head[0] == 0x1f) {
    if (head.size() < 2) return at_end ? std::optional(Format::Bsm) : std::nullopt;
    return head[1] == 0x8b ? Format::Gzip : Format::Bsm;
  }
  if (!is_text_start(head[0])) return Format::Bsm;
  std::string_view text(reinterpret_cast<const char*>(head.data()), std::min(head.size(), kSniffLimit));
  const bool complete = at_end || head.size() >= kSniffLimit;
  // Saved logs often start with a comment or a blank line: look past them.
  for (;;) {
    const size_t newline = text.find('\n');
    if (newline == std::string_view::npos && !complete) return std::nullopt;
    std::string_view line = text.substr(0, newline);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#') {
      if (newline == std::string_view::npos) return Format::Bsm;  // nothing but comments
      text.remove_prefix(newline + 1);
      continue;
    }
    return looks_like_audit_log_line(line) ? Format::LinuxAuditLog : Format::Bsm;
  }
}

Format sniff(ByteSource& source) {
  std::span<const uint8_t> head = source.ensure(1);
  for (;;) {
    if (auto format = sniff(head, source.at_end())) return *format;
    head = source.ensure(head.size() + 1);
  }
}

}  // namespace bullion::input
