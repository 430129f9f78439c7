// praudit's text and XML printer (see praudit_printer.cpp).
#pragma once

#include "bullion/bsm/token.h"
#include "bullion/text/printer.h"
#include "text/escape.h"
#include "text/names.h"
#include "text/numbers.h"
#include "text/plan.h"

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
  // Text from the trail or the tables (names, exec args).
  void put_name(std::string_view s) {
    if (opt_.terminal_safe) return append_terminal_safe(buf_, s);
    put(s);
  }
  // The primitives a plan's steps call on (see compile_value for which
  // option picks which).
  enum class Act : uint8_t {
    U64,
    U32,
    I64,
    Hex,
    AltHex,
    Octal,
    HexByte,
    HexBytes,
    User,
    Group,
    Id,
    EventName,
    EventDescription,
    Ctime,
    Address,
    Status,
    IpcType,
    String,
    StrictXmlString,
    TerminalSafeString,
    Uuid,
    PrivStatus,
    TextList,
    XmlList,
    TextGroups,
    XmlGroups,
    Arbitrary,
    TokenId,
  };
  void compile(bsm::TokenKind kind);
  void compile_text_fields(PlanBuilder<Act>& b, const bsm::TokenInfo& info);
  void compile_xml_fields(PlanBuilder<Act>& b, const bsm::TokenInfo& info);
  void compile_xml_field(PlanBuilder<Act>& b, const bsm::FieldInfo& f, size_t i, bool& tag_open);
  void compile_value(PlanBuilder<Act>& b, const bsm::FieldInfo& f, size_t i, bool as_xml);
  void run(const Step<Act>& step, const bsm::DecodedToken& t);
  void print_strings(const Step<Act>& step, const bsm::FieldValue& v);
  void print_groups(const bsm::FieldValue& v, bool as_xml);
  void print_id(uint32_t id, bool user);
  void print_name_or_id(uint32_t id, bool user);
  void print_address(const bsm::FieldValue& v);
  void print_ipc_type(uint8_t type);
  void print_arbitrary(const bsm::DecodedToken& t);
  void print_arbitrary_item(uint64_t how, uint32_t v);

  PrintOptions opt_;
  Names names_;
  Output& out_;
  OutBuf& buf_;
  PlanSet<Act> plans_;
  // Reused for every token: a fresh one per record would be zeroed each time.
  bsm::DecodedToken token_;
};

}  // namespace bullion::text
