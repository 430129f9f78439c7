// JSON names shared by the writers: token field keys, and two helpers kept
// for code not yet moved to JsonWriter (bullion/text/json_writer.h).
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "bullion/bsm/token.h"

namespace bullion::text {

// Every token object starts with these keys (praudit --json, docs/json.md).
inline constexpr std::string_view kTokenEnvelopeKeys[] = {"type", "id"};

// The JSON key of a token's field: its name in tokens.def, except that a
// name equal to an envelope key gets the token's text name in front
// ("socket_type", "ipc_id", "ip_id", "privilege_type"), so a field can
// never hide the token's kind. Decided here, once, for every token,
// including ones added later.
std::string json_field_key(const bsm::TokenInfo& token, const bsm::FieldInfo& field);

// Older helpers (bsmtrace alerts still use them): they append a member
// with its comma handled by the caller; JsonWriter::string_field and
// string_list_field write the same text and check keys.

// Appends "key":"value"; bytes that are not UTF-8 become U+FFFD and an
// extra "<key>_hex":"..." field follows with the value's exact bytes.
void append_json_field(std::string& out, std::string_view key, std::string_view value);
// Appends "key":["a","b"]; a "<key>_hex" list follows when any entry is not UTF-8.
void append_json_list(std::string& out, std::string_view key, std::span<const std::string_view> values);

}  // namespace bullion::text
