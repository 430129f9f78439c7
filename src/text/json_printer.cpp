// JSON Lines: one object per record, every token and field typed. Numbers
// stay numbers; names ride beside the raw ids; strings are always valid
// UTF-8 (a string that was not gets a "<field>_hex" twin with its exact
// bytes). See docs/json.md.
#include "text/json_printer.h"

#include <arpa/inet.h>

#include <cstring>

#include "bullion/bsm/errno.h"
#include "bullion/bsm/facts.h"
#include "bullion/bsm/token.h"
#include "bullion/text/json.h"
#include "text/escape.h"
#include "text/names.h"
#include "text/numbers.h"

namespace bullion::text {
namespace {

using bsm::DecodedToken;
using bsm::FieldInfo;
using bsm::FieldValue;
using bsm::Show;

}  // namespace

JsonPrinter::JsonPrinter(const tables::TableSet& tables, Output& out) : names_(tables), out_(out), buf_(out.buffer()) {
  for (size_t k = 0; k < bsm::kTokenKindCount; ++k) compile(static_cast<bsm::TokenKind>(k));
}

void JsonPrinter::end() { out_.flush(); }

Status JsonPrinter::print(const bsm::RecordView& record) {
  put("{\"offset\":");
  append_u64(buf_, record.offset);
  put(",\"size\":");
  append_u64(buf_, record.bytes.size());
  put(",\"tokens\":[");
  bsm::TokenCursor cursor(record.bytes, record.offset, bsm::Dialect::Full);
  DecodedToken& token = token_;
  bool first = true;
  while (cursor.next(token)) {
    if (!first) buf_.push_back(',');
    first = false;
    print_by_plan(plans_[static_cast<size_t>(token.kind)], buf_, [&](const Step<Act>& step) {
      // The commonest step, kept out of run()'s switch.
      if (step.action == Act::U64) return append_u64(buf_, token.fields[step.field].number);
      run(step, token);
    });
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

namespace {
std::string json_key(std::string_view name, std::string_view suffix = {}) {
  return fmt::format(",\"{}{}\":", name, suffix);
}
}  // namespace

// ---- plans: keys and fixed text are literals, values are steps --------------

void JsonPrinter::compile(bsm::TokenKind kind) {
  const bsm::TokenInfo& info = bsm::token_info(kind);
  PlanBuilder<Act> b(plans_[static_cast<size_t>(kind)]);
  b.text(fmt::format("{{\"type\":\"{}\",\"id\":", info.enum_name));
  if (info.flags & bsm::TF_UNKNOWN)
    b.step(Act::TokenId);
  else
    b.text(std::to_string(info.id));
  for (size_t i = 0; i < info.fields.size(); ++i) compile_field(b, info.fields[i], i);
  b.text("}");
}

void JsonPrinter::compile_field(PlanBuilder<Act>& b, const FieldInfo& f, size_t i) {
  if (f.show == Show::Hidden || f.show == Show::Empty) return;
  b.text(json_key(f.name));
  const std::string hex_key = json_key(f.name, "_hex");
  switch (f.show) {
    case Show::Signed:
      return b.step(Act::I64, i);
    case Show::Octal:
      b.step(Act::U64, i);
      b.text(json_key(f.name, "_octal"));
      b.text("\"");
      b.step(Act::Octal, i);
      return b.text("\"");
    case Show::HexBytes:
      if (f.wire == bsm::Wire::U8) return b.step(Act::U64, i);
      b.text("\"");
      b.step(Act::HexBytes, i);
      return b.text("\"");
    case Show::User:
    case Show::Group: {
      const std::string name_key = std::string(f.name) + "_name";
      return b.step(f.show == Show::User ? Act::User : Act::Group, i, json_key(name_key),
                    json_key(name_key, "_hex") + "\"");
    }
    case Show::Event:
      return b.step(Act::Event, i);
    case Show::IpAddress:
      b.text("\"");
      b.step(Act::Address, i);
      return b.text("\"");
    case Show::ReturnStatus:
      b.step(Act::U64, i);
      b.text(json_key("success"));
      return b.step(Act::Success, i);
    case Show::String:
      return b.step(Act::String, i, {}, hex_key + "\"");
    case Show::StringList:
      return b.step(Act::StringList, i, {}, hex_key + "[");
    case Show::GroupList:
      return b.step(Act::GroupList, i);
    case Show::Uuid:
      b.text("\"");
      b.step(Act::Uuid, i);
      return b.text("\"");
    case Show::PrivStatus:
      return b.step(Act::PrivStatus, i);
    case Show::DataItems:
      return b.step(Act::DataItems, i, {}, hex_key + "\"");
    default:
      return b.step(Act::U64, i);  // Time, Msec, ids, counts, ports: plain numbers
  }
}

// ---- printing ---------------------------------------------------------------

void JsonPrinter::run(const Step<Act>& step, const DecodedToken& t) {
  const FieldValue& v = t.fields[step.field];
  const uint64_t n = v.number;
  switch (step.action) {
    case Act::U64:
      return append_u64(buf_, n);
    case Act::I64:
      return append_i64(buf_, static_cast<int64_t>(n));
    case Act::Octal:
      return append_oct(buf_, n);
    case Act::HexBytes:
      append_hex_bytes(buf_, bsm::as_string(v.bytes));
      return;
    case Act::User:
    case Act::Group:
      return id_with_name(step, static_cast<uint32_t>(n));
    case Act::Event:
      return event(static_cast<uint16_t>(n));
    case Act::Address:
      return address(v);
    case Act::Success:
      return success(static_cast<uint8_t>(n));
    case Act::String:
      return quoted(bsm::trim_nul(v.bytes), step.aux_end);
    case Act::StringList:
      return string_list(v, step.aux_end);
    case Act::GroupList:
      return group_list(v);
    case Act::Uuid:
      return append_uuid(buf_, v.bytes);
    case Act::PrivStatus:
      return put(n ? "\"success\"" : "\"failure\"");
    case Act::DataItems:
      return data_items(t, v, step.aux_end);
    case Act::TokenId:
      return append_u64(buf_, t.id);
  }
}

// A JSON string; when it was not valid UTF-8, `hex_key` (which opens the
// twin's string) and the exact bytes in hex follow.
void JsonPrinter::quoted(std::string_view s, std::string_view hex_key) {
  buf_.push_back('"');
  const bool exact = append_json_string(buf_, s);
  buf_.push_back('"');
  if (exact) return;
  put(hex_key);
  append_hex_bytes(buf_, s);
  buf_.push_back('"');
}

// The uid and, when it has one, its name. Names are quoted once per id and
// kept: the same few users appear in every record.
void JsonPrinter::id_with_name(const Step<Act>& step, uint32_t id) {
  append_u64(buf_, id);
  const bool user = step.action == Act::User;
  if (id < PagedTable<std::string>::kSize) {
    std::string& q = (user ? quoted_users_ : quoted_groups_)[static_cast<uint16_t>(id)];
    if (q.empty()) q = quote_name(user ? names_.user(id) : names_.group(id));
    if (q.size() > 1) {  // "-" marks a name that is missing or needs its "_hex" twin
      put(step.aux);
      return put(q);
    }
  }
  const std::string_view name = user ? names_.user(id) : names_.group(id);
  if (name.empty()) return;
  put(step.aux);
  quoted(name, step.aux_end);
}

// `"name"` when the name is valid UTF-8; "-" when there is none or it needs
// the slow path (which writes the "_hex" twin).
std::string JsonPrinter::quote_name(std::string_view name) {
  std::string q = "\"";
  if (name.empty() || !append_json_string(q, name)) return "-";
  return q + "\"";
}

// The event number, then its name and description from audit_event, built
// once per event number.
void JsonPrinter::event(uint16_t number) {
  append_u64(buf_, number);
  std::string& text = event_text_[number];
  if (text.empty()) {
    text = "-";  // no such event: nothing more to print
    if (const tables::EventEntry* e = names_.event(number)) {
      text = ",";
      append_json_field(text, "event_name", e->name);
      text += ',';
      append_json_field(text, "event_description", e->description);
    }
  }
  if (text.size() > 1) put(text);
}

void JsonPrinter::address(const FieldValue& v) {
  if (v.bytes.size() == 4) return append_ipv4(buf_, v.bytes.data());
  if (v.bytes.size() == 16) return append_ipv6(buf_, v.bytes.data());
  put("invalid");
}

void JsonPrinter::success(uint8_t bsm_errno) {
  put(bsm_errno == 0 ? "true" : "false");
  if (bsm_errno == 0) return;
  const std::string_view err_name = bsm::bsm_errno_name(bsm_errno);
  if (err_name.empty()) return;
  put(",\"error_name\":");
  quoted(err_name, ",\"error_name_hex\":\"");
}

// Exec args/env: all of them (no 128 limit). If any string was not valid
// UTF-8, "<name>_hex" repeats the list with every string's exact bytes.
void JsonPrinter::string_list(const FieldValue& v, std::string_view hex_key) {
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
  put(hex_key);
  bsm::for_each_string(v.bytes, static_cast<uint32_t>(v.number), [&, first = true](std::string_view item) mutable {
    put(first ? "\"" : ",\"");
    first = false;
    append_hex_bytes(buf_, item);
    put("\"");
  });
  put("]");
}

void JsonPrinter::group_list(const FieldValue& v) {
  put("[");
  for (uint64_t i = 0; i < v.number; ++i) {
    if (i) put(",");
    append_u64(buf_, bsm::load_be32_at(v.bytes, i * 4));
  }
  put("]");
}

// Items as numbers in the unit's size, read big-endian (the producer's order
// on the wire), or the bytes as a string when the token says "string".
void JsonPrinter::data_items(const DecodedToken& t, const FieldValue& v, std::string_view hex_key) {
  if (t.fields[0].number == 4 && t.fields[1].number == 0) return quoted(bsm::as_string(v.bytes), hex_key);
  const size_t size = size_t{1} << t.fields[1].number;
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
