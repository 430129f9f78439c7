// JSON Lines: one object per record, every token and field typed. Numbers
// stay numbers; names ride beside the raw ids; strings are always valid
// UTF-8 (a string that was not gets a "<field>_hex" twin with its exact
// bytes). See docs/json.md.
#include <arpa/inet.h>

#include <cstring>

#include "bullion/bsm/errno.h"
#include "bullion/bsm/facts.h"
#include "bullion/bsm/token.h"
#include "text/escape.h"
#include "text/names.h"
#include "text/json_printer.h"
#include "text/numbers.h"

namespace bullion::text {
namespace {

using bsm::DecodedToken;
using bsm::FieldInfo;
using bsm::FieldValue;
using bsm::Show;

}  // namespace

JsonPrinter::JsonPrinter(const tables::TableSet& tables, Output& out)
    : names_(tables), out_(out), buf_(out.buffer()) {}

void JsonPrinter::end() { out_.flush(); }

Status JsonPrinter::print(const bsm::RecordView& record) {
  put("{\"offset\":");
  append_u64(buf_, record.offset);
  put(",\"size\":");
  append_u64(buf_, record.bytes.size());
  put(",\"tokens\":[");
  bsm::TokenCursor cursor(record.bytes, record.offset, bsm::Dialect::Full);
  DecodedToken token;
  bool first = true;
  while (cursor.next(token)) {
    if (!first) put(",");
    first = false;
    print_token(token);
  }
  put("]");
  if (cursor.failed()) {
    fmt::format_to(std::back_inserter(buf_), ",\"error\":{{\"offset\":{},\"message\":\"", cursor.error().offset);
    append_json_string(buf_, cursor.error().describe());
    put("\"}");
  }
  put("}\n");
  out_.maybe_flush();
  if (cursor.failed()) return cursor.error();
  return Ok{};
}

void JsonPrinter::print_token(const DecodedToken& t) {
  const bsm::TokenInfo& info = t.info();
  put("{\"type\":\"");
  put(info.enum_name);
  put("\",\"id\":");
  append_u64(buf_, t.id);
  for (size_t i = 0; i < info.fields.size(); ++i) {
    const FieldInfo& f = info.fields[i];
    if (f.show == Show::Hidden || f.show == Show::Empty) continue;
    print_field(t, f, t.fields[i]);
  }
  put("}");
}

void JsonPrinter::key(std::string_view name, std::string_view suffix) {
  put(",\"");
  put(name);
  put(suffix);
  put("\":");
}

void JsonPrinter::string_value(std::string_view name, std::string_view s) {
  key(name);
  put("\"");
  const bool exact = append_json_string(buf_, s);
  put("\"");
  if (exact) return;
  key(name, "_hex");
  put("\"");
  for (char c : s) append_hex2(buf_, static_cast<uint8_t>(c));
  put("\"");
}

void JsonPrinter::print_field(const DecodedToken& t, const FieldInfo& f, const FieldValue& v) {
  const uint64_t n = v.number;
  switch (f.show) {
    case Show::Hidden:
    case Show::Empty: return;
    case Show::Signed: key(f.name); return append_i64(buf_, static_cast<int64_t>(n));
    case Show::Octal:
      key(f.name);
      append_u64(buf_, n);
      key(f.name, "_octal");
      put("\"");
      append_oct(buf_, n);
      put("\"");
      return;
    case Show::HexBytes:
      key(f.name);
      if (f.wire == bsm::Wire::U8) return append_u64(buf_, n);
      put("\"");
      for (uint8_t b : v.bytes) append_hex2(buf_, b);
      put("\"");
      return;
    case Show::User: return id_with_name(f.name, static_cast<uint32_t>(n), names_.user(static_cast<uint32_t>(n)));
    case Show::Group: return id_with_name(f.name, static_cast<uint32_t>(n), names_.group(static_cast<uint32_t>(n)));
    case Show::Event: return event(f.name, static_cast<uint16_t>(n));
    case Show::Time: return time(f.name, n);
    case Show::IpAddress: return address(f.name, v);
    case Show::ReturnStatus: return return_status(f.name, static_cast<uint8_t>(n));
    case Show::String: return string_value(f.name, bsm::trim_nul(v.bytes));
    case Show::StringList: return string_list(f.name, v);
    case Show::GroupList: return group_list(f.name, v);
    case Show::Uuid: return uuid(f.name, v.bytes);
    case Show::PrivStatus: key(f.name); put(n ? "\"success\"" : "\"failure\""); return;
    case Show::HowToPrint:
    case Show::UnitName: key(f.name); return append_u64(buf_, n);
    case Show::DataItems: return data_items(t, f.name, v);
    default: key(f.name); return append_u64(buf_, n);
  }
}

void JsonPrinter::id_with_name(std::string_view name, uint32_t id, std::string_view resolved) {
  key(name);
  append_u64(buf_, id);
  if (resolved.empty()) return;
  string_value(std::string(name) + "_name", resolved);
}

void JsonPrinter::event(std::string_view name, uint16_t number) {
  key(name);
  append_u64(buf_, number);
  if (const tables::EventEntry* e = names_.event(number)) {
    string_value("event_name", e->name);
    string_value("event_description", e->description);
  }
}

void JsonPrinter::time(std::string_view name, uint64_t seconds) {
  key(name);
  append_u64(buf_, seconds);
}

void JsonPrinter::address(std::string_view name, const FieldValue& v) {
  key(name);
  put("\"");
  if (v.bytes.size() == 4) {
    append_ipv4(buf_, v.bytes.data());
  } else {
    char text[INET6_ADDRSTRLEN] = "invalid";
    if (v.bytes.size() == 16) inet_ntop(AF_INET6, v.bytes.data(), text, sizeof text);
    put(text);
  }
  put("\"");
}

void JsonPrinter::return_status(std::string_view name, uint8_t bsm_errno) {
  key(name);
  append_u64(buf_, bsm_errno);
  key("success");
  put(bsm_errno == 0 ? "true" : "false");
  if (bsm_errno == 0) return;
  const std::string_view err_name = bsm::bsm_errno_name(bsm_errno);
  if (!err_name.empty()) string_value("error_name", err_name);
}

// Exec args/env: all of them (no 128 limit). If any string was not valid
// UTF-8, "<name>_hex" repeats the list with every string's exact bytes.
void JsonPrinter::string_list(std::string_view name, const FieldValue& v) {
  key(name);
  put("[");
  bool exact = true;
  bsm::for_each_string(v.bytes, static_cast<uint32_t>(v.number), [&, first = true](std::string_view item) mutable {
    put(first ? "\"" : ",\"");
    first = false;
    exact = append_json_string(buf_, item) && exact;
    put("\"");
  });
  put("]");
  if (exact) return;
  key(name, "_hex");
  put("[");
  bsm::for_each_string(v.bytes, static_cast<uint32_t>(v.number), [&, first = true](std::string_view item) mutable {
    put(first ? "\"" : ",\"");
    first = false;
    for (char c : item) append_hex2(buf_, static_cast<uint8_t>(c));
    put("\"");
  });
  put("]");
}

void JsonPrinter::group_list(std::string_view name, const FieldValue& v) {
  key(name);
  put("[");
  for (uint64_t i = 0; i < v.number; ++i) {
    if (i) put(",");
    append_u64(buf_, bsm::load_be32_at(v.bytes, i * 4));
  }
  put("]");
}

void JsonPrinter::uuid(std::string_view name, std::span<const uint8_t> b) {
  key(name);
  put("\"");
  for (size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) put("-");
    append_hex2(buf_, b[i]);
  }
  put("\"");
}

// Items as numbers in the unit's size, read big-endian (the producer's order
// on the wire), or the bytes as a string when the token says "string".
void JsonPrinter::data_items(const DecodedToken& t, std::string_view name, const FieldValue& v) {
  if (t.fields[0].number == 4 && t.fields[1].number == 0) return string_value(name, bsm::as_string(v.bytes));
  const size_t size = size_t{1} << t.fields[1].number;
  key(name);
  put("[");
  for (size_t off = 0; off + size <= v.bytes.size(); off += size) {
    uint64_t x = 0;
    for (size_t k = 0; k < size; ++k) x = x << 8 | v.bytes[off + k];
    if (off) put(",");
    append_u64(buf_, x);
  }
  put("]");
}

}  // namespace bullion::text
