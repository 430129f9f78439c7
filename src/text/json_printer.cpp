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
#include "bullion/text/json_writer.h"
#include "text/escape.h"
#include "text/names.h"
#include "text/numbers.h"

namespace bullion::text {
namespace {

using bsm::DecodedToken;
using bsm::FieldInfo;
using bsm::FieldValue;
using bsm::Show;

constexpr std::string_view kRecordOpen = "{\"offset\":", kRecordSize = ",\"size\":", kRecordTokens = ",\"tokens\":[",
                           kRecordTokensEnd = "]", kRecordClose = "}\n";

}  // namespace

JsonPrinter::JsonPrinter(const tables::TableSet& tables, Output& out) : names_(tables), out_(out), buf_(out.buffer()) {
  check_envelope();
  for (size_t k = 0; k < bsm::kTokenKindCount; ++k) compile(static_cast<bsm::TokenKind>(k));
}

void JsonPrinter::end() { out_.flush(); }

Status JsonPrinter::print(const bsm::RecordView& record) {
  put(kRecordOpen);
  append_u64(buf_, record.offset);
  put(kRecordSize);
  append_u64(buf_, record.bytes.size());
  put(kRecordTokens);
  bsm::TokenCursor cursor(record.bytes, record.offset, bsm::Dialect::Full);
  DecodedToken& token = token_;
  bool first = true;
  while (cursor.next(token)) {
    if (!first) buf_.push_back(',');  // the array's separator, as JsonWriter writes it
    first = false;
    print_by_plan(plans_[static_cast<size_t>(token.kind)], buf_, [&](const Step<Act>& step) {
      // The commonest step, kept out of run()'s switch.
      if (step.action == Act::U64) return append_u64(buf_, token.fields[step.field].number);
      run(step, token);
    });
  }
  put(kRecordTokensEnd);
  if (cursor.failed()) {
    JsonWriter w(buf_, JsonWriter<OutBuf>::ContinueObject{});
    auto error = w.object("error");
    w.field("offset", cursor.error().offset);
    w.string_field("message", cursor.error().describe());
  }
  put(kRecordClose);
  out_.maybe_flush();
  if (cursor.failed()) return cursor.error();
  return Ok{};
}

// ---- plans: JsonWriter's output, recorded once and replayed per record ------
//
// Each piece of fixed text below is what a JsonWriter wrote; print() and the
// steps only splice values between the pieces. The writer checks every key
// of an object, including those a step writes only sometimes (declared), so
// a clash between a field and the envelope or a derived key ("_hex",
// "_name", "event_name" ...) aborts the first run of any test.

// The record object around the tokens. Its pieces are constants in print()
// (fixed-size copies, cheaper than replaying recorded text once per record);
// here they are checked against what JsonWriter writes for the same object.
void JsonPrinter::check_envelope() {
  std::string text;
  const auto expect = [&text](std::string_view piece) {
    if (text != piece) json_usage_error("praudit's record envelope differs from the writer's", piece);
    text.clear();
  };
  JsonWriter w(text);
  {
    auto record = w.object();
    w.key("offset");
    expect(kRecordOpen);
    w.key("size");
    expect(kRecordSize);
    {
      auto tokens = w.array("tokens");
      expect(kRecordTokens);
    }
    w.declare_key("error");  // written by print() when a token fails
    expect(kRecordTokensEnd);
  }
  text += '\n';  // JSON Lines
  expect(kRecordClose);
}

// A JsonWriter whose output becomes a plan's literal runs: value steps
// are spliced in where the writer was given a key and no value.
class JsonPrinter::Recorder {
 public:
  explicit Recorder(TokenPlan<Act>& plan) : b_(plan) {}
  ~Recorder() { b_.text(text_); }
  JsonWriter<std::string>& writer() { return w_; }
  // Ends the literal run with a step that writes one value.
  void step(Act act, size_t field = 0, std::string aux = {}, std::string aux_end = {}) {
    b_.text(std::exchange(text_, std::string()));
    b_.step(act, field, std::move(aux), std::move(aux_end));
  }
  // A step whose digits or text form a JSON string.
  void quoted_step(Act act, size_t field) {
    text_ += '"';
    step(act, field);
    text_ += '"';
  }

 private:
  PlanBuilder<Act> b_;
  std::string text_;
  JsonWriter<std::string> w_{text_};
};

void JsonPrinter::compile(bsm::TokenKind kind) {
  const bsm::TokenInfo& info = bsm::token_info(kind);
  Recorder r(plans_[static_cast<size_t>(kind)]);
  JsonWriter<std::string>& w = r.writer();
  auto token = w.object();
  w.string_field("type", info.enum_name);
  if (info.flags & bsm::TF_UNKNOWN) {
    w.key("id");
    r.step(Act::TokenId);
  } else {
    w.field("id", info.id);
  }
  for (size_t i = 0; i < info.fields.size(); ++i) compile_field(r, info, i);
}

void JsonPrinter::compile_field(Recorder& r, const bsm::TokenInfo& info, size_t i) {
  const FieldInfo& f = info.fields[i];
  if (f.show == Show::Hidden || f.show == Show::Empty) return;
  JsonWriter<std::string>& w = r.writer();
  const std::string key = json_field_key(info, f);
  w.key(key);
  switch (f.show) {
    case Show::Signed:
      return r.step(Act::I64, i);
    case Show::Octal:
      r.step(Act::U64, i);
      w.key(key + "_octal");
      return r.quoted_step(Act::Octal, i);
    case Show::HexBytes:
      if (f.wire == bsm::Wire::U8) return r.step(Act::U64, i);
      return r.quoted_step(Act::HexBytes, i);
    case Show::User:
    case Show::Group: {
      std::string name_key = w.detached_key(key + "_name");
      std::string hex_key = w.detached_key(key + "_name_hex");
      return r.step(f.show == Show::User ? Act::User : Act::Group, i, std::move(name_key), std::move(hex_key));
    }
    case Show::Event:
      r.step(Act::Event, i);
      // event() writes these from a cache when the event table knows the number.
      for (const char* k : {"event_name", "event_name_hex", "event_description", "event_description_hex"})
        w.declare_key(k);
      return;
    case Show::IpAddress:
      return r.quoted_step(Act::Address, i);
    case Show::ReturnStatus: {
      r.step(Act::U64, i);
      w.key("success");
      std::string name_key = w.detached_key("error_name");
      std::string hex_key = w.detached_key("error_name_hex");
      return r.step(Act::Success, i, std::move(name_key), std::move(hex_key));
    }
    case Show::String:
      return r.step(Act::String, i, {}, w.detached_key(key + "_hex"));
    case Show::StringList:
      return r.step(Act::StringList, i, {}, w.detached_key(key + "_hex"));
    case Show::GroupList:
      return r.step(Act::GroupList, i);
    case Show::Uuid:
      return r.quoted_step(Act::Uuid, i);
    case Show::PrivStatus:
      return r.step(Act::PrivStatus, i);
    case Show::DataItems:
      return r.step(Act::DataItems, i, {}, w.detached_key(key + "_hex"));
    default:
      return r.step(Act::U64, i);  // Time, Msec, ids, counts, ports: plain numbers
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
      return success(step, static_cast<uint8_t>(n));
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

// A JSON string; when it was not valid UTF-8, `hex_key` (the twin's
// detached key) and the exact bytes in hex follow.
void JsonPrinter::quoted(std::string_view s, std::string_view hex_key) {
  if (write_json_string(buf_, s)) return;
  put(hex_key);
  write_json_hex(buf_, s);
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
  std::string q;
  if (name.empty() || !write_json_string(q, name)) return "-";
  return q;
}

// The event number, then its name and description from audit_event, built
// once per event number.
void JsonPrinter::event(uint16_t number) {
  append_u64(buf_, number);
  std::string& text = event_text_[number];
  if (text.empty()) text = event_members(number);
  if (text.size() > 1) put(text);
}

// `,"event_name":...,"event_description":...`, or "-" when the table does
// not know the number.
std::string JsonPrinter::event_members(uint16_t number) {
  const tables::EventEntry* e = names_.event(number);
  if (!e) return "-";
  std::string text;
  JsonWriter w(text, JsonWriter<std::string>::ContinueObject{});
  w.string_field("event_name", e->name);
  w.string_field("event_description", e->description);
  return text;
}

void JsonPrinter::address(const FieldValue& v) {
  if (v.bytes.size() == 4) return append_ipv4(buf_, v.bytes.data());
  if (v.bytes.size() == 16) return append_ipv6(buf_, v.bytes.data());
  put("invalid");
}

void JsonPrinter::success(const Step<Act>& step, uint8_t bsm_errno) {
  put(bsm_errno == 0 ? "true" : "false");
  if (bsm_errno == 0) return;
  const std::string_view err_name = bsm::bsm_errno_name(bsm_errno);
  if (err_name.empty()) return;
  put(step.aux);
  quoted(err_name, step.aux_end);
}

// Exec args/env: all of them (no 128 limit). If any string was not valid
// UTF-8, "<name>_hex" repeats the list with every string's exact bytes.
void JsonPrinter::string_list(const FieldValue& v, std::string_view hex_key) {
  put("[");
  bool exact = true;
  bsm::for_each_string(v.bytes, static_cast<uint32_t>(v.number), [&, first = true](std::string_view item) mutable {
    if (!first) buf_.push_back(',');
    first = false;
    exact = write_json_string(buf_, item) && exact;
  });
  put("]");
  if (exact) return;
  put(hex_key);
  put("[");
  bsm::for_each_string(v.bytes, static_cast<uint32_t>(v.number), [&, first = true](std::string_view item) mutable {
    if (!first) buf_.push_back(',');
    first = false;
    write_json_hex(buf_, item);
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
