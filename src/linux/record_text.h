// Reading the text of one Linux audit record: the audit(SEC.MSEC:SERIAL)
// stamp, the key=value fields, and the value encodings (quoted, hex, null).
//
// We split the text ourselves rather than through libauparse: auparse wants
// whole events (it groups with its own timer and drops lines it cannot
// parse without telling the caller), while the translator must group by
// serial itself, count every line, and work on views without copying. The
// format is small: space-separated key=value, values quoted "..." (literal),
// '...' (a user-space message, itself key=value), or bare; a bare value of
// a field that may hold arbitrary text is hex (auditd's escaping).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bullion::linuxaudit {

struct Stamp {
  uint64_t seconds = 0;
  uint32_t msec = 0;
  uint64_t serial = 0;
};

// Parses "audit(SEC.MSEC:SERIAL):" at the start of `text`; on success
// `rest` is the text after the colon. Returns a reason on failure.
std::optional<std::string_view> parse_stamp(std::string_view text, Stamp& stamp, std::string_view& rest);

struct LogLine {
  std::string_view type_name;  // "SYSCALL", "UNKNOWN[1334]", "1300" (kernel log)
  std::string_view payload;    // from "audit(" on, ENRICHED part removed
};
// Splits "[node=N ]type=NAME msg=audit(...): ..." into type and payload; also
// the kernel's printk form "... audit: type=1300 audit(...): ..." (dmesg,
// journal), whose type_name is the number.
std::optional<std::string_view> split_log_line(std::string_view line, LogLine& out);

struct Field {
  std::string_view key;
  std::string_view value;  // raw: quotes kept, so decode() can tell encodings apart
};

// Appends the fields of `body`. Words without '=' are ignored (the "user"
// and "avc:" prefixes); the content of a '...' value is split too and its
// fields appended after the outer one, so msg='op=login res=success'
// yields msg, op and res.
void split_fields(std::string_view body, std::vector<Field>& out);

const Field* find_field(std::span<const Field> fields, std::string_view key);

// Decodes a value that may be encoded: "text" -> text, (null) or ? ->
// nothing, bare hex -> its bytes, other bare words -> themselves.
std::optional<std::string> decode_value(std::string_view raw);
// Hex digits -> bytes; nothing when the text is not even-length hex.
std::optional<std::string> decode_hex(std::string_view hex);
// The value without surrounding double or single quotes.
std::string_view unquote(std::string_view raw);

std::optional<uint64_t> parse_unsigned(std::string_view text, int base);
std::optional<int64_t> parse_signed(std::string_view text);

}  // namespace bullion::linuxaudit
