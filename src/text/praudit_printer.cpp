// praudit's text and XML layouts, driven by the token table. Where OpenBSM's
// output has quirks we reproduce them (docs/COMPAT.md lists each one); the
// table flags say where.
#include "text/praudit_printer.h"

#include <arpa/inet.h>

#include <cctype>
#include <cstring>

#include "bullion/bsm/token.h"
#include "text/escape.h"
#include "text/names.h"
#include "text/numbers.h"

namespace bullion::text {
namespace {

using bsm::DecodedToken;
using bsm::FieldInfo;
using bsm::FieldValue;
using bsm::Show;
using bsm::Wire;

constexpr uint32_t kOpenBsmMaxExecStrings = 128;  // AUDIT_MAX_ARGS / AUDIT_MAX_ENV

bool shown_in_text(const FieldInfo& f) { return f.show != Show::Hidden && !(f.flags & bsm::FF_XML_ONLY); }
bool shown_in_xml(const FieldInfo& f) {
  if (f.show == Show::Hidden || (f.flags & bsm::FF_TEXT_ONLY)) return false;
  return f.xml_name != "-" || (f.flags & bsm::FF_XML_JOINED);
}

}  // namespace

PrauditPrinter::PrauditPrinter(const PrintOptions& options, const tables::TableSet& tables, Output& out)
    : opt_(options), names_(tables), out_(out), buf_(out.buffer()) {
  for (size_t k = 0; k < bsm::kTokenKindCount; ++k) compile(static_cast<bsm::TokenKind>(k));
}

void PrauditPrinter::begin() {
  if (xml()) put("<?xml version='1.0' ?>\n<audit>\n");
}

void PrauditPrinter::end() {
  if (xml()) put("</audit>\n");
  out_.flush();
}

Status PrauditPrinter::print(const bsm::RecordView& record) {
  bsm::TokenCursor cursor(record.bytes, record.offset, bsm::Dialect::OpenBsm);
  DecodedToken& token = token_;
  while (cursor.next(token)) {
    print_by_plan(plans_[static_cast<size_t>(token.kind)], buf_, [&](const Step<Act>& step) {
      // The commonest step, kept out of run()'s switch.
      if (step.action == Act::U64) return append_u64(buf_, token.fields[step.field].number);
      run(step, token);
    });
  }
  if (opt_.one_line) put("\n");
  out_.maybe_flush();
  if (cursor.failed()) return cursor.error();
  return Ok{};
}

// ---- plans: what each token kind prints under these options ----------------

void PrauditPrinter::compile(bsm::TokenKind kind) {
  const bsm::TokenInfo& info = bsm::token_info(kind);
  PlanBuilder<Act> b(plans_[static_cast<size_t>(kind)]);
  // OpenBSM swaps the layouts of header32_ex: attributes under -r, the
  // delimited form under -x (COMPAT.md).
  const bool quirk = (info.flags & bsm::TF_HEADER_EX_QUIRK) && (xml() != opt_.raw) && !opt_.strict_xml;
  const bool as_xml = quirk ? !xml() : xml();
  // OpenBSM prints some tokens' attributes with no element around them;
  // well-formed XML needs one.
  const bool bare = xml() && opt_.strict_xml && info.xml_open.empty() && !(info.flags & bsm::TF_UNKNOWN);
  if (bare) {
    b.text("<"), b.text(info.enum_name), b.text(" ");
  } else if (xml()) {
    b.text(info.xml_open);
    // "<IPC" runs into its first attribute in OpenBSM's output.
    if (opt_.strict_xml && !info.xml_open.empty() && std::isalpha(static_cast<unsigned char>(info.xml_open.back())))
      b.text(" ");
  } else if (!opt_.raw) {
    b.text(info.text_name);
  } else if (info.flags & bsm::TF_UNKNOWN) {
    b.step(Act::TokenId);  // the id varies: whatever the record holds
  } else {
    b.text(std::to_string(info.id));
  }

  if (info.flags & bsm::TF_ARBITRARY) {
    b.step(Act::Arbitrary);
  } else if (as_xml) {
    compile_xml_fields(b, info);
    b.text(bare ? std::string_view("/>") : info.xml_close);
  } else {
    compile_text_fields(b, info);
  }
  if (!opt_.one_line)
    b.text("\n");
  else if (!xml())
    b.text(opt_.delimiter);
}

void PrauditPrinter::compile_text_fields(PlanBuilder<Act>& b, const bsm::TokenInfo& info) {
  const auto fields = info.fields;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (!shown_in_text(fields[i])) continue;
    if (fields[i].show == Show::StringList || fields[i].show == Show::GroupList) {
      b.step(fields[i].show == Show::GroupList ? Act::TextGroups : Act::TextList, i);
      continue;
    }
    b.text(opt_.delimiter);
    compile_value(b, fields[i], i, false);
  }
}

void PrauditPrinter::compile_xml_fields(PlanBuilder<Act>& b, const bsm::TokenInfo& info) {
  const auto fields = info.fields;
  // Attributes go inside the start tag while it is open ("<tag " ...).
  bool tag_open = !info.xml_open.empty() && info.xml_open.back() == ' ';
  for (size_t i = 0; i < fields.size(); ++i) {
    if (!shown_in_xml(fields[i])) continue;
    if ((fields[i].flags & bsm::FF_XML_AFTER_NEXT) && i + 1 < fields.size()) {
      compile_xml_field(b, fields[i + 1], i + 1, tag_open);
      compile_xml_field(b, fields[i], i, tag_open);
      ++i;
      continue;
    }
    compile_xml_field(b, fields[i], i, tag_open);
  }
}

void PrauditPrinter::compile_xml_field(PlanBuilder<Act>& b, const FieldInfo& f, size_t i, bool& tag_open) {
  if (f.show == Show::GroupList) return b.step(Act::XmlGroups, i);
  if (f.show == Show::StringList)
    return b.step(Act::XmlList, i, fmt::format("<{}>", f.xml_name), fmt::format("</{}>", f.xml_name));
  if (f.xml_name.empty()) {  // element body
    if (tag_open) b.text(">");
    tag_open = false;
    return compile_value(b, f, i, true);
  }
  if (!(f.flags & bsm::FF_XML_JOINED)) {
    b.text(f.xml_name);
    b.text("=\"");
  }
  compile_value(b, f, i, true);
  if (f.flags & bsm::FF_XML_JOIN_SPACE)
    b.text(" ");
  else if (!(f.flags & bsm::FF_XML_JOIN))
    b.text("\" ");
}

// How one field's value is spelt under these options: fixed text goes into
// the plan's literals, the rest becomes a step.
void PrauditPrinter::compile_value(PlanBuilder<Act>& b, const FieldInfo& f, size_t i, bool as_xml) {
  const bool names = !opt_.raw && !opt_.no_resolve;
  switch (f.show) {
    case Show::Hidden:
    case Show::Empty:
      return;
    case Show::Unsigned:
      return b.step(Act::U64, i);
    case Show::Signed:
      return b.step(Act::I64, i);
    case Show::Hex:
      b.text("0x");
      return b.step(Act::Hex, i);
    case Show::AltHex:
      return b.step(Act::AltHex, i);
    case Show::Octal:
      return b.step(Act::Octal, i);
    case Show::HexBytes:
      if (f.wire != Wire::U8) return b.step(Act::HexBytes, i);
      b.text("0x");
      return b.step(Act::HexByte, i);
    case Show::User:
      return b.step(names ? Act::User : Act::Id, i);
    case Show::Group:
      return b.step(names ? Act::Group : Act::Id, i);
    case Show::Event:
      if (opt_.raw) return b.step(Act::U64, i);
      return b.step(opt_.short_events ? Act::EventName : Act::EventDescription, i);
    case Show::Time:
      return b.step(opt_.raw ? Act::U32 : Act::Ctime, i);
    case Show::Msec:
      if (opt_.raw) return b.step(Act::U32, i);
      b.text(" + ");
      b.step(Act::U32, i);
      return b.text(" msec");
    case Show::IpAddress:
      return b.step(Act::Address, i);
    case Show::ReturnStatus:
      return b.step(opt_.raw ? Act::U64 : Act::Status, i);
    case Show::ExitStatus:
      b.text("Error ");
      return b.step(Act::U32, i);
    case Show::IpcType:
      return b.step(opt_.raw ? Act::U64 : Act::IpcType, i);
    case Show::String:
      if (as_xml && opt_.strict_xml) return b.step(Act::StrictXmlString, i);
      return b.step(opt_.terminal_safe ? Act::TerminalSafeString : Act::String, i);
    case Show::Uuid:
      return b.step(Act::Uuid, i);
    case Show::PrivStatus:
      return b.step(Act::PrivStatus, i);
    case Show::StringList:
    case Show::GroupList:
    case Show::HowToPrint:
    case Show::UnitName:
    case Show::DataItems:
      return;  // lists and arbitrary data have steps of their own
  }
}

// ---- printing ---------------------------------------------------------------

void PrauditPrinter::run(const Step<Act>& step, const DecodedToken& t) {
  const FieldValue& v = t.fields[step.field];
  const uint64_t n = v.number;
  switch (step.action) {
    case Act::U64:
      return append_u64(buf_, n);
    case Act::U32:
      return append_u64(buf_, static_cast<uint32_t>(n));
    case Act::I64:
      return append_i64(buf_, static_cast<int64_t>(n));
    case Act::Hex:
      return append_hex(buf_, n);
    case Act::AltHex:
      if (n != 0) put("0x");
      return append_hex(buf_, n);
    case Act::Octal:
      return append_oct(buf_, n);
    case Act::HexByte:
      return append_hex2(buf_, static_cast<uint8_t>(n));
    case Act::HexBytes:
      if (v.bytes.empty()) return;
      put("0x");
      append_hex_bytes(buf_, bsm::as_string(v.bytes));
      return;
    case Act::User:
    case Act::Group:
      return print_name_or_id(static_cast<uint32_t>(n), step.action == Act::User);
    case Act::Id:
      return append_i64(buf_, static_cast<int32_t>(n));
    case Act::EventName:
    case Act::EventDescription: {
      const tables::EventEntry* e = names_.event(static_cast<uint16_t>(n));
      if (!e) return append_u64(buf_, static_cast<uint16_t>(n));
      return put_name(step.action == Act::EventName ? e->name : e->description);
    }
    case Act::Ctime:
      return put(names_.ctime(n));
    case Act::Address:
      return print_address(v);
    case Act::Status:
      return put(names_.return_status(static_cast<uint8_t>(n)));
    case Act::IpcType:
      return print_ipc_type(static_cast<uint8_t>(n));
    case Act::String:
      return append_without_nuls(buf_, bsm::as_string(v.bytes));
    case Act::StrictXmlString:
      return append_xml_strict(buf_, bsm::as_string(v.bytes));
    case Act::TerminalSafeString:
      return append_terminal_safe(buf_, bsm::as_string(v.bytes));
    case Act::Uuid:
      return append_uuid(buf_, v.bytes);
    case Act::PrivStatus:
      return put(n ? "successful use of priv" : "failed use of priv");
    case Act::TextList:
    case Act::XmlList:
      return print_strings(step, v);
    case Act::TextGroups:
    case Act::XmlGroups:
      return print_groups(v, step.action == Act::XmlGroups);
    case Act::Arbitrary:
      return print_arbitrary(t);
    case Act::TokenId:
      return append_u64(buf_, t.id);
  }
}

void PrauditPrinter::print_groups(const FieldValue& v, bool as_xml) {
  for (uint64_t i = 0; i < v.number; ++i) {
    const uint32_t gid = bsm::load_be32_at(v.bytes, i * 4);
    put(as_xml ? "<gid>" : opt_.delimiter);
    print_id(gid, false);
    // OpenBSM closes <group> after every gid; well-formed XML closes it once.
    if (as_xml) put(opt_.strict_xml ? "</gid>" : "</gid></group>");
  }
  if (as_xml && opt_.strict_xml) put("</group>");
}

void PrauditPrinter::print_strings(const Step<Act>& step, const FieldValue& v) {
  const bool as_xml = step.action == Act::XmlList;
  uint64_t limit = v.number;
  if (!opt_.all_exec_strings && limit > kOpenBsmMaxExecStrings) limit = kOpenBsmMaxExecStrings;
  size_t pos = 0;
  for (uint64_t i = 0; i < limit && pos < v.bytes.size(); ++i) {
    const char* s = reinterpret_cast<const char*>(v.bytes.data() + pos);
    const std::string_view item(s, strnlen(s, v.bytes.size() - pos));
    pos += item.size() + 1;
    if (!as_xml) {
      put(opt_.delimiter);
      put_name(item);
      continue;
    }
    put(step.aux);
    if (opt_.strict_xml)
      append_xml_strict(buf_, item);
    else
      append_vis_xml(buf_, item);
    put(step.aux_end);
  }
}

void PrauditPrinter::print_id(uint32_t id, bool user) {
  if (!opt_.raw && !opt_.no_resolve) return print_name_or_id(id, user);
  append_i64(buf_, static_cast<int32_t>(id));
}

// The user or group name; the id (as %d prints it) when there is none.
void PrauditPrinter::print_name_or_id(uint32_t id, bool user) {
  const std::string_view name = user ? names_.user(id) : names_.group(id);
  if (!name.empty()) return put_name(name);
  append_i64(buf_, static_cast<int32_t>(id));
}

void PrauditPrinter::print_address(const FieldValue& v) {
  if (v.bytes.size() == 4) return append_ipv4(buf_, v.bytes.data());
  if (v.bytes.size() != 16) return put("invalid");
  append_ipv6(buf_, v.bytes.data());
}

void PrauditPrinter::print_ipc_type(uint8_t type) {
  static constexpr std::string_view kNames[] = {"", "Message IPC", "Semaphore IPC", "Shared Memory IPC"};
  if (!opt_.raw && type >= 1 && type <= 3)
    put(kNames[type]);
  else
    append_u64(buf_, type);
}

// Arbitrary data: how to print, unit, count, then the items. The items are
// read in host (little-endian) order and through a 32-bit conversion, which
// is what OpenBSM's printf calls do (COMPAT.md).
void PrauditPrinter::print_arbitrary(const DecodedToken& t) {
  static constexpr std::string_view kHow[] = {"binary", "octal", "decimal", "hex", "string"};
  static constexpr std::string_view kUnit[] = {"byte", "short", "int", "int64"};
  const uint64_t how = t.fields[0].number, unit = t.fields[1].number, count = t.fields[2].number;
  if (!xml()) put(opt_.delimiter);
  if (how > 4) {
    if (xml() && opt_.strict_xml) put("/>");  // OpenBSM leaves the tag open
    return;
  }
  const size_t size = size_t{1} << unit;
  if (xml()) {
    put("print=\""), put(kHow[how]), put("\" type=\""), append_u64(buf_, size);
    put("\" count=\""), append_u64(buf_, count), put("\" >");
  } else {
    put(kHow[how]), put(opt_.delimiter), put(kUnit[unit]), put(opt_.delimiter);
    append_u64(buf_, count), put(opt_.delimiter);
  }
  const auto data = t.fields[3].bytes;
  for (size_t off = 0; off + size <= data.size(); off += size) {
    uint32_t v = 0;
    std::memcpy(&v, data.data() + off, std::min<size_t>(size, 4));
    print_arbitrary_item(how, v);
  }
  if (xml()) put(t.info().xml_close);
}

void PrauditPrinter::print_arbitrary_item(uint64_t how, uint32_t v) {
  const char c = static_cast<char>(v);
  if ((how == 0 || how == 4) && ((xml() && opt_.strict_xml) || opt_.terminal_safe)) {  // raw bytes: escape them
    if (how == 0) put(" ");
    if (xml() && opt_.strict_xml) return append_xml_strict(buf_, std::string_view(&c, 1));
    return append_terminal_safe(buf_, std::string_view(&c, 1));
  }
  switch (how) {
    case 0:
      put(" ");
      buf_.push_back(static_cast<char>(v));
      return;
    case 1:
      put(" ");
      return append_oct(buf_, v);
    case 2:
      put(" ");
      return append_i64(buf_, static_cast<int32_t>(v));
    case 3:
      put(" ");
      return append_hex(buf_, v);
    default:
      buf_.push_back(static_cast<char>(v));
      return;
  }
}

}  // namespace bullion::text
