// JSON Lines printer (see json_printer.cpp and docs/json.md).
#pragma once

#include "bullion/bsm/token.h"
#include "bullion/text/printer.h"
#include "text/names.h"

namespace bullion::text {

class JsonPrinter final : public RecordPrinter {
 public:
  JsonPrinter(const tables::TableSet& tables, Output& out);
  void begin() override {}
  Status print(const bsm::RecordView& record) override;
  void end() override;

 private:
  [[gnu::always_inline]] void put(std::string_view s) { buf_.append(s.data(), s.data() + s.size()); }
  void key(std::string_view name, std::string_view suffix = {});
  void string_value(std::string_view name, std::string_view s);
  void print_token(const bsm::DecodedToken& t);
  void print_field(const bsm::DecodedToken& t, const bsm::FieldInfo& f, const bsm::FieldValue& v);
  void id_with_name(std::string_view name, uint32_t id, std::string_view resolved);
  void event(std::string_view name, uint16_t number);
  void time(std::string_view name, uint64_t seconds);
  void address(std::string_view name, const bsm::FieldValue& v);
  void return_status(std::string_view name, uint8_t bsm_errno);
  void string_list(std::string_view name, const bsm::FieldValue& v);
  void group_list(std::string_view name, const bsm::FieldValue& v);
  void uuid(std::string_view name, std::span<const uint8_t> b);
  void data_items(const bsm::DecodedToken& t, std::string_view name, const bsm::FieldValue& v);

  Names names_;
  Output& out_;
  OutBuf& buf_;
};

}  // namespace bullion::text
