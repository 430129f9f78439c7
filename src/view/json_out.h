// A small JSON writer for auditview's document, with the call shapes of the
// project's JSON writer proposal (object/array scopes, string_field with a
// "_hex" twin, string_list_field), so auditview moves to the shared writer
// without rewriting its document code once that lands.
// TODO(view): replace with bullion/text/json_writer.h when it is on main.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace bullion::view {

class JsonOut {
 public:
  explicit JsonOut(std::string& out) : out_(out) {}

  class [[nodiscard]] Scope {
   public:
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;
    ~Scope() { writer_.close(); }

   private:
    friend class JsonOut;
    explicit Scope(JsonOut& w) : writer_(w) {}
    JsonOut& writer_;
  };

  Scope object() { return open(value(), '{'); }
  Scope array() { return open(value(), '['); }
  Scope object(std::string_view key) { return open(member(key), '{'); }
  Scope array(std::string_view key) { return open(member(key), '['); }

  template <class Int, class = std::enable_if_t<std::is_integral_v<Int> && !std::is_same_v<Int, bool>>>
  void field(std::string_view key, Int v) {
    member(key);
    out_ += std::to_string(v);
  }
  void bool_field(std::string_view key, bool v) {
    member(key);
    out_ += v ? "true" : "false";
  }
  void string_field(std::string_view key, std::string_view v);
  void string_list_field(std::string_view key, std::span<const std::string_view> values);
  template <class Int, class = std::enable_if_t<std::is_integral_v<Int> && !std::is_same_v<Int, bool>>>
  void element(Int v) {
    value();
    out_ += std::to_string(v);
  }
  bool string_element(std::string_view s);

 private:
  bool value();
  bool member(std::string_view key);
  Scope open(bool, char bracket);
  void close();
  bool quoted(std::string_view s);
  void quoted_hex(std::string_view s);

  std::string& out_;
  std::vector<std::pair<char, bool>> scopes_;  // closing bracket, has members
};

}  // namespace bullion::view
