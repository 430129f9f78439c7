// The one JSON writer: every tool and printer that writes JSON writes it
// through this header (praudit --json, auditpipe --json, the hand tools,
// bsmtrace alerts). The shape follows LLVM's JSONScopedPrinter: objects and
// arrays are RAII scopes, so a scope cannot be left open or closed twice,
// and separators are the writer's business, never the caller's.
//
// What it guarantees:
// - Strict UTF-8 out. Strings are escaped: quote, backslash, every control
//   byte and DEL, and U+2028/U+2029 (legal JSON, but they end a line in
//   JavaScript and break JSON pasted into HTML <script>). A byte that is not
//   UTF-8 becomes U+FFFD, and string fields get a "<key>_hex" twin with the
//   exact bytes in hex, so nothing is lost (docs/json.md).
// - No key twice in one object: every key of an open object is remembered
//   and a repeat is a programming error that aborts with the key named.
//   Keys a caller writes later or only sometimes (a "_hex" twin, a name
//   beside an id) are declared up front with declare_key() so that a clash
//   shows on the first run, not on the first odd input.
//
// Typical use (a tool's JSON Lines):
//
//   std::string line;
//   bullion::text::JsonWriter w(line);
//   {
//     auto event = w.object();
//     w.field("pid", pid);
//     w.string_field("path", path);  // adds "path_hex" when not UTF-8
//     auto argv = w.array("argv");
//     for (auto a : args) w.string_element(a);
//   }                                 // closes ] then }
//   line += '\n';
//
// Hot paths (praudit --json) record the writer's output once and replay it:
// JsonPrinter compiles each token kind's keys and literals with a writer
// over a std::string (checking every key, declared ones included) and then
// only splices values in per record. key() and detached_key() exist for
// that: they write or return a key whose value the caller supplies.
//
// Buf is std::string, fmt::memory_buffer or bullion::text::OutBuf (the
// string escaper is compiled for those three, in src/text/escape.cpp).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace bullion::text {

// ---- single values (no separators): for code that splices values in ------

// A string's body (no quotes) with the escaping above; false when a byte
// had to be replaced by U+FFFD. Defined in src/text/escape.cpp.
template <class Buf>
bool append_json_string(Buf& out, std::string_view s);
// "..." : the quoted string; false when a byte was replaced (the caller
// then owes the exact bytes, see string_field()).
template <class Buf>
inline bool write_json_string(Buf& out, std::string_view s) {
  out.push_back('"');
  const bool exact = append_json_string(out, s);
  out.push_back('"');
  return exact;
}
// "0a1b..." : every byte as two lower-case hex digits.
template <class Buf>
void write_json_hex(Buf& out, std::string_view bytes);
template <class Buf>
void write_json_number(Buf& out, uint64_t v);
template <class Buf>
void write_json_number(Buf& out, int64_t v);

// Aborts with a message naming the key: two equal keys in one object, or
// a scope closed out of order. Not for bad input (input never makes keys).
[[noreturn]] void json_usage_error(std::string_view what, std::string_view key);

template <class Buf>
class JsonWriter {
 public:
  // At the start of a line: any number of values may follow (one per JSON
  // Lines record; the caller writes the newlines).
  explicit JsonWriter(Buf& out) : out_(out) {}
  // Members for an object someone else opened and already wrote members of
  // (a cached fragment spliced into a record): a first member gets a comma.
  struct ContinueObject {};
  JsonWriter(Buf& out, ContinueObject) : out_(out) { scopes_.push_back({true, true, 0}); }
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  // An open object or array; closes it when it goes out of scope.
  class [[nodiscard]] Scope {
   public:
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;
    ~Scope() { writer_.close(depth_); }

   private:
    friend class JsonWriter;
    Scope(JsonWriter& w, size_t depth) : writer_(w), depth_(depth) {}
    JsonWriter& writer_;
    size_t depth_;
  };

  // A value where a value may stand: at the top level or in an array.
  Scope object() {
    value_position();
    return open('{', true);
  }
  Scope array() {
    value_position();
    return open('[', false);
  }
  // A member of the current object.
  Scope object(std::string_view key) {
    member(key);
    return open('{', true);
  }
  Scope array(std::string_view key) {
    member(key);
    return open('[', false);
  }

  // Members with a plain value.
  template <class Int, class = std::enable_if_t<std::is_integral_v<Int> && !std::is_same_v<Int, bool>>>
  void field(std::string_view key, Int v) {
    member(key);
    number(v);
  }
  void bool_field(std::string_view key, bool v) {
    member(key);
    append(v ? "true" : "false");
  }
  // A string member; when it was not UTF-8, "<key>_hex" follows with the
  // exact bytes.
  void string_field(std::string_view key, std::string_view value) {
    member(key);
    if (write_json_string(out_, value)) return;
    member(hex_key(key));
    write_json_hex(out_, value);
  }
  // An array of strings; when any was not UTF-8, "<key>_hex" follows with
  // every string's exact bytes.
  void string_list_field(std::string_view key, std::span<const std::string_view> values) {
    bool exact = true;
    {
      auto list = array(key);
      for (std::string_view v : values) exact = string_element(v) && exact;
    }
    if (exact) return;
    auto list = array(hex_key(key));
    for (std::string_view v : values) {
      value_position();
      write_json_hex(out_, v);
    }
  }
  // A member whose text is already JSON (a value recorded from a writer).
  void raw_field(std::string_view key, std::string_view json) {
    member(key);
    append(json);
  }

  // Elements of the current array.
  template <class Int, class = std::enable_if_t<std::is_integral_v<Int> && !std::is_same_v<Int, bool>>>
  void element(Int v) {
    value_position();
    number(v);
  }
  // False when a byte was replaced (arrays have no room for a twin: use
  // string_list_field, or keep the exact bytes yourself).
  bool string_element(std::string_view s) {
    value_position();
    return write_json_string(out_, s);
  }

  // For recorded output: writes the separator and the key; the caller must
  // write exactly one JSON value right after.
  void key(std::string_view key) { member(key); }
  // Claims `key` in the current object without writing it, and returns the
  // text that writes it later (`,"key":`). The object must already have a
  // member, so the comma is right wherever the text lands after it.
  std::string detached_key(std::string_view key) {
    if (scopes_.empty() || !scopes_.back().is_object || !scopes_.back().has_members)
      json_usage_error("detached key before the object's first member", key);
    claim(key);
    std::string text = ",";
    write_json_string(text, key);
    text += ':';
    return text;
  }
  // Claims a key that a recorded value may write (so a clash shows now).
  void declare_key(std::string_view key) {
    if (scopes_.empty() || !scopes_.back().is_object) json_usage_error("key outside an object", key);
    claim(key);
  }
  static std::string hex_key(std::string_view key) { return std::string(key) + "_hex"; }

  size_t depth() const { return scopes_.size(); }

 private:
  struct Open {
    bool is_object;
    bool has_members;
    size_t first_key;  // index into keys_ of this object's first key
  };

  void append(std::string_view s) { out_.append(s.data(), s.data() + s.size()); }
  void number(uint64_t v) { write_json_number(out_, v); }
  void number(int64_t v) { write_json_number(out_, v); }
  template <class Int>
  void number(Int v) {
    if constexpr (std::is_signed_v<Int>)
      write_json_number(out_, static_cast<int64_t>(v));
    else
      write_json_number(out_, static_cast<uint64_t>(v));
  }

  // Before a value in an array or at the top level.
  void value_position() {
    if (scopes_.empty()) return;
    Open& top = scopes_.back();
    if (top.is_object) json_usage_error("value without a key inside an object", "");
    if (top.has_members) out_.push_back(',');
    top.has_members = true;
  }
  // Before a member's value: separator, key, colon.
  void member(std::string_view key) {
    if (scopes_.empty() || !scopes_.back().is_object) json_usage_error("key outside an object", key);
    claim(key);
    Open& top = scopes_.back();
    if (top.has_members) out_.push_back(',');
    top.has_members = true;
    write_json_string(out_, key);
    out_.push_back(':');
  }
  void claim(std::string_view key) {
    const size_t first = scopes_.back().first_key;
    for (size_t i = first; i < keys_.size(); ++i)
      if (keys_[i] == key) json_usage_error("key written twice in one object", key);
    keys_.emplace_back(key);
  }
  Scope open(char bracket, bool is_object) {
    out_.push_back(bracket);
    scopes_.push_back({is_object, false, keys_.size()});
    return Scope(*this, scopes_.size());
  }
  void close(size_t depth) {
    if (depth != scopes_.size()) json_usage_error("scope closed out of order", "");
    out_.push_back(scopes_.back().is_object ? '}' : ']');
    keys_.resize(scopes_.back().first_key);
    scopes_.pop_back();
  }

  Buf& out_;
  std::vector<Open> scopes_;
  std::vector<std::string> keys_;  // keys of every open object, outermost first
};

}  // namespace bullion::text
