#include "linux/record_text.h"

#include <charconv>

namespace bullion::linuxaudit {
namespace {

constexpr char kEnrichedSeparator = '\x1d';  // log_format=ENRICHED appends names after it
constexpr std::string_view kStampOpen = "audit(";

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// Length of a value starting at s[0]: through the closing quote for quoted
// values (to the end when unclosed), else up to the next space.
size_t value_length(std::string_view s) {
  if (!s.empty() && (s[0] == '"' || s[0] == '\'')) {
    size_t close = s.find(s[0], 1);
    return close == std::string_view::npos ? s.size() : close + 1;
  }
  size_t space = s.find(' ');
  return space == std::string_view::npos ? s.size() : space;
}

// Nested user messages are split one level deep only: their own quoted
// values are never split again, so hostile nesting cannot recurse.
void split_level(std::string_view body, std::vector<Field>& out, bool nested) {
  size_t pos = 0;
  while (pos < body.size()) {
    if (body[pos] == ' ') {
      ++pos;
      continue;
    }
    std::string_view rest = body.substr(pos);
    size_t word_end = rest.find_first_of(" =");
    if (word_end == std::string_view::npos || rest[word_end] == ' ') {  // bare word
      pos += word_end == std::string_view::npos ? rest.size() : word_end;
      continue;
    }
    std::string_view key = rest.substr(0, word_end);
    std::string_view value = rest.substr(word_end + 1);
    value = value.substr(0, value_length(value));
    out.push_back({key, value});
    if (!nested && value.size() >= 2 && value.front() == '\'') split_level(unquote(value), out, true);
    pos += word_end + 1 + value.size();
  }
}

}  // namespace

std::optional<uint64_t> parse_unsigned(std::string_view text, int base) {
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

std::optional<int64_t> parse_signed(std::string_view text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, 10);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

std::optional<std::string_view> parse_stamp(std::string_view text, Stamp& stamp, std::string_view& rest) {
  text = trim(text);
  if (!text.starts_with(kStampOpen)) return "no audit( stamp";
  text.remove_prefix(kStampOpen.size());
  const size_t dot = text.find('.'), colon = text.find(':'), close = text.find(')');
  if (dot == std::string_view::npos || colon == std::string_view::npos || close == std::string_view::npos ||
      !(dot < colon && colon < close))
    return "malformed audit( stamp";
  auto seconds = parse_unsigned(text.substr(0, dot), 10);
  auto msec = parse_unsigned(text.substr(dot + 1, colon - dot - 1), 10);
  auto serial = parse_unsigned(text.substr(colon + 1, close - colon - 1), 10);
  if (!seconds || !msec || !serial || *msec > 999 || *seconds > UINT32_MAX) return "malformed audit( stamp";
  stamp = {*seconds, static_cast<uint32_t>(*msec), *serial};
  rest = text.substr(close + 1);
  if (rest.starts_with(':')) rest.remove_prefix(1);
  return std::nullopt;
}

// The kernel's own printk of a record, as dmesg and the journal show it when
// no audit daemon listens: "[ 12.3] audit: type=1300 audit(...): fields",
// possibly after a syslog prefix ("Dec  2 07:00:00 host kernel: ").
std::optional<std::string_view> split_kernel_log_line(std::string_view line, LogLine& out) {
  constexpr std::string_view kMarker = "audit: type=";
  const size_t at = line.find(kMarker);
  if (at == std::string_view::npos) return "not an audit record line";
  line.remove_prefix(at + kMarker.size());
  const size_t space = line.find(' ');
  if (space == std::string_view::npos || space == 0) return "kernel audit line without audit( stamp";
  out.type_name = line.substr(0, space);
  if (out.type_name.find_first_not_of("0123456789") != std::string_view::npos)
    return "kernel audit line type not a number";
  out.payload = trim(line.substr(space));
  if (!out.payload.starts_with(kStampOpen)) return "kernel audit line without audit( stamp";
  return std::nullopt;
}

std::optional<std::string_view> split_log_line(std::string_view line, LogLine& out) {
  if (size_t gs = line.find(kEnrichedSeparator); gs != std::string_view::npos) line = line.substr(0, gs);
  line = trim(line);
  if (!line.starts_with("node=") && !line.starts_with("type=")) return split_kernel_log_line(line, out);
  if (line.starts_with("node=")) {
    size_t space = line.find(' ');
    if (space == std::string_view::npos) return "node= without type=";
    line = trim(line.substr(space));
  }
  if (!line.starts_with("type=")) return "not an audit record line";
  line.remove_prefix(5);
  size_t space = line.find(' ');
  if (space == std::string_view::npos || space == 0) return "type= without msg=";
  out.type_name = line.substr(0, space);
  line = trim(line.substr(space));
  if (!line.starts_with("msg=")) return "type= without msg=";
  out.payload = line.substr(4);
  return std::nullopt;
}

void split_fields(std::string_view body, std::vector<Field>& out) { split_level(body, out, false); }

const Field* find_field(std::span<const Field> fields, std::string_view key) {
  for (const Field& f : fields)
    if (f.key == key) return &f;
  return nullptr;
}

std::string_view unquote(std::string_view raw) {
  if (raw.size() >= 1 && (raw.front() == '"' || raw.front() == '\'')) {
    raw.remove_prefix(1);
    if (!raw.empty() && (raw.back() == '"' || raw.back() == '\'')) raw.remove_suffix(1);
  }
  return raw;
}

std::optional<std::string> decode_hex(std::string_view hex) {
  if (hex.empty() || hex.size() % 2 != 0) return std::nullopt;
  std::string bytes;
  bytes.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int high = hex_digit(hex[i]), low = hex_digit(hex[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    bytes.push_back(static_cast<char>(high * 16 + low));
  }
  return bytes;
}

std::optional<std::string> decode_value(std::string_view raw) {
  if (raw.starts_with('"') || raw.starts_with('\'')) return std::string(unquote(raw));
  if (raw.empty() || raw == "(null)" || raw == "?" || raw == "(none)") return std::nullopt;
  if (auto bytes = decode_hex(raw)) return bytes;
  return std::string(raw);
}

}  // namespace bullion::linuxaudit
