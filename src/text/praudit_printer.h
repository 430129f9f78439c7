// praudit's text and XML printer (see praudit_printer.cpp).
#pragma once

#include "bullion/bsm/token.h"
#include "bullion/text/printer.h"
#include "text/names.h"

namespace bullion::text {

class PrauditPrinter final : public RecordPrinter {
 public:
  PrauditPrinter(const PrintOptions& options, const tables::TableSet& tables, Output& out);
  void begin() override;
  Status print(const bsm::RecordView& record) override;
  void end() override;

 private:
  bool xml() const { return opt_.format == Format::Xml; }
  [[gnu::always_inline]] void put(std::string_view s) { buf_.append(s.data(), s.data() + s.size()); }
  void print_token(const bsm::DecodedToken& t);
  void print_text_fields(const bsm::DecodedToken& t);
  void print_xml_fields(const bsm::DecodedToken& t);
  void print_xml_field(const bsm::FieldInfo& f, const bsm::FieldValue& v, bool& tag_open);
  void print_list(const bsm::FieldInfo& f, const bsm::FieldValue& v, bool as_xml);
  void print_value(const bsm::FieldInfo& f, const bsm::FieldValue& v, bool as_xml);
  void print_id(uint32_t id, bool user);
  void print_string(std::string_view s, bool as_xml);
  void print_address(const bsm::FieldValue& v);
  void print_hex_bytes(const bsm::FieldInfo& f, const bsm::FieldValue& v);
  void print_event(uint16_t number);
  void print_ipc_type(uint8_t type);
  void print_uuid(std::span<const uint8_t> b);
  void print_arbitrary(const bsm::DecodedToken& t);
  void print_arbitrary_item(uint64_t how, uint32_t v);

  PrintOptions opt_;
  Names names_;
  Output& out_;
  OutBuf& buf_;
  uint8_t last_v6_[16] = {};
  char last_v6_text_[46] = {};
};

}  // namespace bullion::text
