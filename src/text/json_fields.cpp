#include <algorithm>

#include "bullion/text/json.h"
#include "bullion/text/json_writer.h"

namespace bullion::text {
namespace {

// The member text a writer continuing an object writes, without the
// comma it would put first (these helpers leave commas to the caller).
template <class Write>
void member_without_comma(std::string& out, Write&& write) {
  std::string text;
  {
    JsonWriter w(text, JsonWriter<std::string>::ContinueObject{});
    write(w);
  }
  out.append(text, 1);
}

}  // namespace

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

void append_json_field(std::string& out, std::string_view key, std::string_view value) {
  member_without_comma(out, [&](JsonWriter<std::string>& w) { w.string_field(key, value); });
}

void append_json_list(std::string& out, std::string_view key, std::span<const std::string_view> values) {
  member_without_comma(out, [&](JsonWriter<std::string>& w) { w.string_list_field(key, values); });
}

}  // namespace bullion::text
