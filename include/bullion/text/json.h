// JSON names of BSM tokens, shared by everything that writes tokens as JSON
// (the writer itself is bullion/text/json_writer.h).
#pragma once

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

}  // namespace bullion::text
