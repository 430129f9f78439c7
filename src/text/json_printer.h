// JSON Lines printer (see json_printer.cpp and docs/json.md).
#pragma once

#include <string>
#include <vector>

#include "bullion/bsm/token.h"
#include "bullion/text/json_writer.h"
#include "bullion/text/printer.h"
#include "text/names.h"
#include "text/numbers.h"
#include "text/plan.h"

namespace bullion::text {

class JsonPrinter final : public RecordPrinter {
 public:
  JsonPrinter(const tables::TableSet& tables, Output& out);
  void begin() override {}
  Status print(const bsm::RecordView& record) override;
  void end() override;

 private:
  enum class Act : uint8_t {
    U64,
    I64,
    Octal,
    HexBytes,
    User,
    Group,
    Event,
    Address,
    Success,
    String,
    StringList,
    GroupList,
    Uuid,
    PrivStatus,
    DataItems,
    TokenId,
  };
  [[gnu::always_inline]] void put(std::string_view s) { buf_.append(s.data(), s.data() + s.size()); }
  class Recorder;
  static void check_envelope();
  void compile(bsm::TokenKind kind);
  void compile_field(Recorder& r, const bsm::TokenInfo& info, size_t i);
  void run(const Step<Act>& step, const bsm::DecodedToken& t);
  void quoted(std::string_view s, std::string_view hex_key);
  void id_with_name(const Step<Act>& step, uint32_t id);
  static std::string quote_name(std::string_view name);
  void event(uint16_t number);
  std::string event_members(uint16_t number);
  void address(const bsm::FieldValue& v);
  void success(const Step<Act>& step, uint8_t bsm_errno);
  void string_list(const bsm::FieldValue& v, std::string_view hex_key);
  void group_list(const bsm::FieldValue& v);
  void data_items(const bsm::DecodedToken& t, const bsm::FieldValue& v, std::string_view hex_key);

  Names names_;
  Output& out_;
  OutBuf& buf_;
  PlanSet<Act> plans_;
  // Reused for every token: a fresh one per record would be zeroed each time.
  bsm::DecodedToken token_;
  // Rendered names, filled on first use ("" = not yet).
  PagedTable<std::string> quoted_users_, quoted_groups_, event_text_;
};

}  // namespace bullion::text
