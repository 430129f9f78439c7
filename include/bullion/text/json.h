// JSON fields for the tools' own JSON Lines (commands, filewatcher, pwait,
// bsmtrace alerts), spelt as praudit --json spells strings: always valid
// UTF-8, and when a value was not, a "<key>_hex" twin with its exact bytes.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace bullion::text {

// Appends "key":"value"; bytes that are not UTF-8 become U+FFFD and an
// extra "<key>_hex":"..." field follows with the value's exact bytes.
void append_json_field(std::string& out, std::string_view key, std::string_view value);
// Appends "key":["a","b"]; a "<key>_hex" list follows when any entry is not UTF-8.
void append_json_list(std::string& out, std::string_view key, std::span<const std::string_view> values);

}  // namespace bullion::text
