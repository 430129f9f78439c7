#include "bullion/text/json.h"
#include "text/escape.h"
#include "text/numbers.h"

namespace bullion::text {
namespace {

void key(std::string& out, std::string_view name, std::string_view suffix = {}) {
  out += '"';
  out += name;
  out += suffix;
  out += "\":";
}

// The quoted string; false when a byte had to be replaced.
bool quoted(std::string& out, std::string_view value) {
  out += '"';
  const bool exact = append_json_string(out, value);
  out += '"';
  return exact;
}

void quoted_hex(std::string& out, std::string_view value) {
  out += '"';
  append_hex_bytes(out, value);
  out += '"';
}

}  // namespace

void append_json_field(std::string& out, std::string_view name, std::string_view value) {
  key(out, name);
  if (quoted(out, value)) return;
  out += ',';
  key(out, name, "_hex");
  quoted_hex(out, value);
}

void append_json_list(std::string& out, std::string_view name, std::span<const std::string_view> values) {
  key(out, name);
  out += '[';
  bool exact = true;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    exact = quoted(out, values[i]) && exact;
  }
  out += ']';
  if (exact) return;
  out += ',';
  key(out, name, "_hex");
  out += '[';
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    quoted_hex(out, values[i]);
  }
  out += ']';
}

}  // namespace bullion::text
