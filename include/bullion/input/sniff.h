// Telling what an input holds from its first bytes, so that an input is
// opened once and read once: stdin, a pipe or <(...) cannot be opened again.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace bullion::input {

class ByteSource;

enum class Format : uint8_t {
  Bsm,            // a BSM trail, or bytes that are nothing else (the framer reports them)
  LinuxAuditLog,  // Linux audit.log text: "[node=N ]type=T msg=audit(SEC.MSEC:SERIAL): ..."
  Gzip,           // gzip-compressed: the content is sniffed again once inflated
};

// The format of a stream that starts with `head`, or nothing when more
// bytes are needed to tell (`at_end`: no more will come). A BSM record or
// file token id in the first byte decides at once, so a live stream of
// records is never held back; text needs its first record line (comment
// and blank lines before it are skipped), at most kSniffLimit bytes.
std::optional<Format> sniff(std::span<const uint8_t> head, bool at_end);
inline constexpr size_t kSniffLimit = 16 * 1024;

// Reads from `source` (without consuming anything) until sniff() decides.
Format sniff(ByteSource& source);

// True for an audit.log record line: "[node=N ]type=NAME msg=audit(DIGIT...".
bool looks_like_audit_log_line(std::string_view line);

}  // namespace bullion::input
