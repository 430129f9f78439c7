#include "view/json_out.h"

#include "text/escape.h"
#include "text/numbers.h"

namespace bullion::view {

bool JsonOut::value() {
  if (scopes_.empty()) return true;
  if (scopes_.back().second) out_ += ',';
  scopes_.back().second = true;
  return true;
}

bool JsonOut::member(std::string_view key) {
  value();
  quoted(key);
  out_ += ':';
  return true;
}

JsonOut::Scope JsonOut::open(bool, char bracket) {
  out_ += bracket;
  scopes_.emplace_back(bracket == '{' ? '}' : ']', false);
  return Scope(*this);
}

void JsonOut::close() {
  out_ += scopes_.back().first;
  scopes_.pop_back();
}

bool JsonOut::quoted(std::string_view s) {
  out_ += '"';
  const bool exact = text::append_json_string(out_, s);
  out_ += '"';
  return exact;
}

void JsonOut::quoted_hex(std::string_view s) {
  out_ += '"';
  text::append_hex_bytes(out_, s);
  out_ += '"';
}

void JsonOut::string_field(std::string_view key, std::string_view v) {
  member(key);
  if (quoted(v)) return;
  member(std::string(key) + "_hex");
  quoted_hex(v);
}

bool JsonOut::string_element(std::string_view s) {
  value();
  return quoted(s);
}

void JsonOut::string_list_field(std::string_view key, std::span<const std::string_view> values) {
  bool exact = true;
  {
    auto list = array(key);
    for (std::string_view v : values) exact = string_element(v) && exact;
  }
  if (exact) return;
  auto list = array(std::string(key) + "_hex");
  for (std::string_view v : values) {
    value();
    quoted_hex(v);
  }
}

}  // namespace bullion::view
