// praudit's text and XML layouts, driven by the token table. Where OpenBSM's
// output has quirks we reproduce them (docs/COMPAT.md lists each one); the
// table flags say where.
#include <arpa/inet.h>

#include <cctype>
#include <cstring>

#include "bullion/bsm/token.h"
#include "text/escape.h"
#include "text/names.h"
#include "text/numbers.h"
#include "text/praudit_printer.h"

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
    : opt_(options), names_(tables), out_(out), buf_(out.buffer()) {}

void PrauditPrinter::begin() {
  if (xml()) put("<?xml version='1.0' ?>\n<audit>\n");
}

void PrauditPrinter::end() {
  if (xml()) put("</audit>\n");
  out_.flush();
}

Status PrauditPrinter::print(const bsm::RecordView& record) {
  bsm::TokenCursor cursor(record.bytes, record.offset, bsm::Dialect::OpenBsm);
  DecodedToken token;
  while (cursor.next(token)) {
    print_token(token);
    if (!opt_.one_line)
      put("\n");
    else if (!xml())
      put(opt_.delimiter);
  }
  if (opt_.one_line) put("\n");
  out_.maybe_flush();
  if (cursor.failed()) return cursor.error();
  return Ok{};
}

void PrauditPrinter::print_token(const DecodedToken& t) {
  const bsm::TokenInfo& info = t.info();
  // OpenBSM swaps the layouts of header32_ex: attributes under -r, the
  // delimited form under -x (COMPAT.md).
  const bool quirk = (info.flags & bsm::TF_HEADER_EX_QUIRK) && (xml() != opt_.raw) && !opt_.strict_xml;
  const bool as_xml = quirk ? !xml() : xml();
  // OpenBSM prints some tokens' attributes with no element around them;
  // well-formed XML needs one.
  const bool bare = xml() && opt_.strict_xml && info.xml_open.empty() && !(info.flags & bsm::TF_UNKNOWN);
  if (bare) {
    put("<"), put(info.enum_name), put(" ");
  } else if (xml()) {
    put(info.xml_open);
    // "<IPC" runs into its first attribute in OpenBSM's output.
    if (opt_.strict_xml && !info.xml_open.empty() && std::isalpha(static_cast<unsigned char>(info.xml_open.back())))
      put(" ");
  }
  else if (opt_.raw)
    append_u64(buf_, t.id);
  else
    put(info.text_name);

  if (info.flags & bsm::TF_ARBITRARY) return print_arbitrary(t);
  if (as_xml) {
    print_xml_fields(t);
    put(bare ? std::string_view("/>") : info.xml_close);
  } else {
    print_text_fields(t);
  }
}

void PrauditPrinter::print_text_fields(const DecodedToken& t) {
  const auto fields = t.info().fields;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (!shown_in_text(fields[i])) continue;
    if (fields[i].show == Show::StringList || fields[i].show == Show::GroupList) {
      print_list(fields[i], t.fields[i], false);
      continue;
    }
    put(opt_.delimiter);
    print_value(fields[i], t.fields[i], false);
  }
}

void PrauditPrinter::print_xml_fields(const DecodedToken& t) {
  const bsm::TokenInfo& info = t.info();
  const auto fields = info.fields;
  // Attributes go inside the start tag while it is open ("<tag " ...).
  bool tag_open = !info.xml_open.empty() && info.xml_open.back() == ' ';
  for (size_t i = 0; i < fields.size(); ++i) {
    if (!shown_in_xml(fields[i])) continue;
    if ((fields[i].flags & bsm::FF_XML_AFTER_NEXT) && i + 1 < fields.size()) {
      print_xml_field(fields[i + 1], t.fields[i + 1], tag_open);
      print_xml_field(fields[i], t.fields[i], tag_open);
      ++i;
      continue;
    }
    print_xml_field(fields[i], t.fields[i], tag_open);
  }
}

void PrauditPrinter::print_xml_field(const FieldInfo& f, const FieldValue& v, bool& tag_open) {
  if (f.show == Show::StringList || f.show == Show::GroupList) return print_list(f, v, true);
  if (f.xml_name.empty()) {  // element body
    if (tag_open) put(">");
    tag_open = false;
    return print_value(f, v, true);
  }
  if (!(f.flags & bsm::FF_XML_JOINED)) {
    put(f.xml_name);
    put("=\"");
  }
  print_value(f, v, true);
  if (f.flags & bsm::FF_XML_JOIN_SPACE)
    put(" ");
  else if (!(f.flags & bsm::FF_XML_JOIN))
    put("\" ");
}

void PrauditPrinter::print_list(const FieldInfo& f, const FieldValue& v, bool as_xml) {
  if (f.show == Show::GroupList) {
    for (uint64_t i = 0; i < v.number; ++i) {
      const uint32_t gid = bsm::load_be32_at(v.bytes, i * 4);
      put(as_xml ? "<gid>" : opt_.delimiter);
      print_id(gid, false);
      // OpenBSM closes <group> after every gid; well-formed XML closes it once.
      if (as_xml) put(opt_.strict_xml ? "</gid>" : "</gid></group>");
    }
    if (as_xml && opt_.strict_xml) put("</group>");
    return;
  }
  uint64_t limit = v.number;
  if (!opt_.all_exec_strings && limit > kOpenBsmMaxExecStrings) limit = kOpenBsmMaxExecStrings;
  size_t pos = 0;
  for (uint64_t i = 0; i < limit && pos < v.bytes.size(); ++i) {
    const char* s = reinterpret_cast<const char*>(v.bytes.data() + pos);
    const std::string_view item(s, strnlen(s, v.bytes.size() - pos));
    pos += item.size() + 1;
    if (!as_xml) {
      put(opt_.delimiter);
      put(item);
      continue;
    }
    fmt::format_to(std::back_inserter(buf_), "<{}>", f.xml_name);
    if (opt_.strict_xml)
      append_xml_strict(buf_, item);
    else
      append_vis_xml(buf_, item);
    fmt::format_to(std::back_inserter(buf_), "</{}>", f.xml_name);
  }
}

void PrauditPrinter::print_id(uint32_t id, bool user) {
  if (!opt_.raw && !opt_.no_resolve) {
    const std::string_view name = user ? names_.user(id) : names_.group(id);
    if (!name.empty()) return put(name);
  }
  append_i64(buf_, static_cast<int32_t>(id));
}

void PrauditPrinter::print_string(std::string_view s, bool as_xml) {
  if (as_xml && opt_.strict_xml)
    append_xml_strict(buf_, s);
  else
    append_without_nuls(buf_, s);
}

void PrauditPrinter::print_address(const FieldValue& v) {
  if (v.bytes.size() == 4) return append_ipv4(buf_, v.bytes.data());
  if (v.bytes.size() != 16) return put("invalid");
  // inet_ntop formats through sprintf; terminals repeat, so keep the last one.
  if (std::memcmp(last_v6_, v.bytes.data(), 16) != 0 || last_v6_text_[0] == 0) {
    std::memcpy(last_v6_, v.bytes.data(), 16);
    inet_ntop(AF_INET6, v.bytes.data(), last_v6_text_, sizeof last_v6_text_);
  }
  put(last_v6_text_);
}

void PrauditPrinter::print_value(const FieldInfo& f, const FieldValue& v, bool as_xml) {
  const uint64_t n = v.number;
  switch (f.show) {
    case Show::Hidden:
    case Show::Empty: return;
    case Show::Unsigned: return append_u64(buf_, n);
    case Show::Signed: return append_i64(buf_, static_cast<int64_t>(n));
    case Show::Hex: put("0x"); return append_hex(buf_, n);
    case Show::AltHex:
      if (n != 0) put("0x");
      return append_hex(buf_, n);
    case Show::Octal: return append_oct(buf_, n);
    case Show::HexBytes: return print_hex_bytes(f, v);
    case Show::User: return print_id(static_cast<uint32_t>(n), true);
    case Show::Group: return print_id(static_cast<uint32_t>(n), false);
    case Show::Event: return print_event(static_cast<uint16_t>(n));
    case Show::Time:
      if (opt_.raw) append_u64(buf_, static_cast<uint32_t>(n));
      else put(names_.ctime(n));
      return;
    case Show::Msec:
      if (!opt_.raw) put(" + ");
      append_u64(buf_, static_cast<uint32_t>(n));
      if (!opt_.raw) put(" msec");
      return;
    case Show::IpAddress: return print_address(v);
    case Show::ReturnStatus:
      if (opt_.raw) append_u64(buf_, n);
      else put(names_.return_status(static_cast<uint8_t>(n)));
      return;
    case Show::ExitStatus: put("Error "); return append_u64(buf_, static_cast<uint32_t>(n));
    case Show::IpcType: return print_ipc_type(static_cast<uint8_t>(n));
    case Show::String: return print_string(bsm::as_string(v.bytes), as_xml);
    case Show::Uuid: return print_uuid(v.bytes);
    case Show::PrivStatus: put(n ? "successful use of priv" : "failed use of priv"); return;
    case Show::StringList:
    case Show::GroupList:
    case Show::HowToPrint:
    case Show::UnitName:
    case Show::DataItems: return;  // printed by print_list / print_arbitrary
  }
}

void PrauditPrinter::print_hex_bytes(const FieldInfo& f, const FieldValue& v) {
  if (f.wire == Wire::U8) {
    put("0x");
    return append_hex2(buf_, static_cast<uint8_t>(v.number));
  }
  if (v.bytes.empty()) return;
  put("0x");
  for (uint8_t b : v.bytes) append_hex2(buf_, b);
}

void PrauditPrinter::print_event(uint16_t number) {
  const tables::EventEntry* e = names_.event(number);
  if (!e || opt_.raw)
    append_u64(buf_, number);
  else
    put(opt_.short_events ? e->name : e->description);
}

void PrauditPrinter::print_ipc_type(uint8_t type) {
  static constexpr std::string_view kNames[] = {"", "Message IPC", "Semaphore IPC", "Shared Memory IPC"};
  if (!opt_.raw && type >= 1 && type <= 3)
    put(kNames[type]);
  else
    fmt::format_to(std::back_inserter(buf_), "{}", type);
}

void PrauditPrinter::print_uuid(std::span<const uint8_t> b) {
  auto out = std::back_inserter(buf_);
  for (size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out = '-';
    fmt::format_to(out, "{:02x}", b[i]);
  }
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
    fmt::format_to(std::back_inserter(buf_), "print=\"{}\" type=\"{}\" count=\"{}\" >", kHow[how], size, count);
  } else {
    fmt::format_to(std::back_inserter(buf_), "{}{}{}{}{}{}", kHow[how], opt_.delimiter, kUnit[unit], opt_.delimiter,
                   count, opt_.delimiter);
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
  auto out = std::back_inserter(buf_);
  if ((how == 0 || how == 4) && xml() && opt_.strict_xml) {  // raw bytes: escape them
    if (how == 0) put(" ");
    const char c = static_cast<char>(v);
    return append_xml_strict(buf_, std::string_view(&c, 1));
  }
  switch (how) {
    case 0: put(" "); buf_.push_back(static_cast<char>(v)); return;
    case 1: fmt::format_to(out, " {:o}", v); return;
    case 2: fmt::format_to(out, " {}", static_cast<int32_t>(v)); return;
    case 3: fmt::format_to(out, " {:x}", v); return;
    default: buf_.push_back(static_cast<char>(v)); return;
  }
}

}  // namespace bullion::text
