#include <algorithm>

#include "bullion/text/json.h"

namespace bullion::text {

std::string json_field_key(const bsm::TokenInfo& token, const bsm::FieldInfo& field) {
  const bool clashes = std::find(std::begin(kTokenEnvelopeKeys), std::end(kTokenEnvelopeKeys), field.name) !=
                       std::end(kTokenEnvelopeKeys);
  if (!clashes) return std::string(field.name);
  std::string key;
  for (char c : token.text_name) {
    const bool letter = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    key += letter ? c : (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : '_';
  }
  return key + "_" + std::string(field.name);
}

}  // namespace bullion::text
