// Line and field splitting shared by the table parsers. Internal.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bullion/error.h"

namespace bullion::tables::detail {

struct Line {
  std::string_view text;  // without the newline (and without a trailing '\r')
  uint64_t offset = 0;    // byte offset of the line in the whole text
  int number = 0;         // 1-based
};

// Every line of `text`, including blank and comment lines.
std::vector<Line> split_lines(std::string_view text);

// A line is skipped when blank or when it starts with '#', the rule all of
// OpenBSM's table readers share.
bool is_blank_or_comment(std::string_view line);

// strtok semantics: runs of `delimiter` separate fields and empty fields
// vanish. OpenBSM reads audit_event and audit_class this way.
std::vector<std::string_view> split_collapsing(std::string_view text, char delimiter);

// Every field kept, empty ones too (passwd(5), group(5), audit_user(5)).
std::vector<std::string_view> split_exact(std::string_view text, char delimiter);

std::string_view trim(std::string_view text);

// Whole-string unsigned numbers; nullopt on junk, sign or overflow.
std::optional<uint64_t> parse_decimal(std::string_view text);
// "0x..." hex or plain decimal, as strtoul(..., 0) reads the class masks.
std::optional<uint64_t> parse_c_number(std::string_view text);

// Error{Parse} at a line: "line N: why".
Error line_error(const Line& line, std::string_view why);

// Reads a whole file; the error names the path.
Result<std::string> read_text_file(const std::string& path);

// Prefixes an error's message with the file it came from.
Error in_file(Error error, const std::string& path);

}  // namespace bullion::tables::detail
