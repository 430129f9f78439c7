// audit_control(5): `name:value` lines.
#include <array>
#include <cctype>
#include <map>

#include "bullion/tables.h"
#include "tables/table_text.h"

namespace bullion::tables {

namespace {

// A field handler stores `value` or says why it can't.
using Store = std::optional<std::string> (*)(AuditControl&, std::string_view, const ClassTable&);

std::optional<std::string> store_flags(PreselectMask& out, std::string_view value, const ClassTable& classes) {
  auto mask = parse_class_flags(value, classes);
  if (!mask) return mask.error().message;
  out = *mask;
  return std::nullopt;
}

std::optional<std::string> store_int(std::optional<int>& out, std::string_view value, uint64_t max) {
  auto number = detail::parse_decimal(value);
  if (!number || *number > max) return "want a whole number from 0 to " + std::to_string(max);
  out = static_cast<int>(*number);
  return std::nullopt;
}

std::optional<std::string> store_dist(std::optional<bool>& out, std::string_view value) {
  std::string lower;
  for (char c : value) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "on" || lower == "yes") {
    out = true;
  } else if (lower == "off" || lower == "no") {
    out = false;
  } else {
    return "want on, yes, off or no";
  }
  return std::nullopt;
}

struct Field {
  std::string_view name;
  Store store;
};

// Every field of audit_control(5); unknown names are kept, not refused,
// because OpenBSM ignores them.
const std::array<Field, 10> kFields{{
    {"dir",
     [](AuditControl& c, std::string_view v, const ClassTable&) -> std::optional<std::string> {
       c.dirs.emplace_back(v);
       return std::nullopt;
     }},
    {"flags", [](AuditControl& c, std::string_view v, const ClassTable& t) { return store_flags(c.flags, v, t); }},
    {"naflags", [](AuditControl& c, std::string_view v, const ClassTable& t) { return store_flags(c.naflags, v, t); }},
    {"minfree", [](AuditControl& c, std::string_view v, const ClassTable&) { return store_int(c.minfree, v, 100); }},
    {"policy",
     [](AuditControl& c, std::string_view v, const ClassTable&) -> std::optional<std::string> {
       auto bits = parse_policy(v);
       if (!bits) return bits.error().message;
       c.policy = *bits;
       return std::nullopt;
     }},
    {"filesz",
     [](AuditControl& c, std::string_view v, const ClassTable&) -> std::optional<std::string> {
       auto bytes = parse_byte_size(v);
       if (!bytes) return bytes.error().message;
       c.filesz = *bytes;
       return std::nullopt;
     }},
    {"expire-after",
     [](AuditControl& c, std::string_view v, const ClassTable&) -> std::optional<std::string> {
       // Kept as text so tools can echo it; checked now so mistakes surface early.
       auto expire = parse_expire_after(v);
       if (!expire) return expire.error().message;
       c.expire_after = std::string(v);
       return std::nullopt;
     }},
    {"host",
     [](AuditControl& c, std::string_view v, const ClassTable&) -> std::optional<std::string> {
       c.host = std::string(v);
       return std::nullopt;
     }},
    {"dist", [](AuditControl& c, std::string_view v, const ClassTable&) { return store_dist(c.dist, v); }},
    {"qsize", [](AuditControl& c, std::string_view v, const ClassTable&) { return store_int(c.qsize, v, 0x7fffffff); }},
}};

const Field* find_field(std::string_view name) {
  for (const Field& field : kFields) {
    if (field.name == name) return &field;
  }
  return nullptr;
}

// Checkers name findings by what went wrong, so a script can tell an
// unknown class from an unknown policy without reading the sentence.
std::string finding_name(std::string_view field) {
  if (field == "flags" || field == "naflags") return "unknown-class";
  if (field == "policy") return "unknown-policy";
  if (field == "expire-after") return "bad-expire-after";
  if (field == "filesz") return "bad-size";
  return "bad-value";
}

// One line's verdict: nothing (stored), or a finding.
std::optional<Finding> read_line(const detail::Line& line, AuditControl& control, std::map<std::string, int>& seen,
                                 const ClassTable& classes) {
  auto error = [&line](std::string name, std::string why) {
    return Finding{Finding::Severity::Error, std::move(name), line.number, std::move(why)};
  };
  size_t colon = line.text.find(':');
  if (colon == std::string_view::npos) return error("bad-line", "expected name:value");
  std::string name(detail::trim(line.text.substr(0, colon)));
  std::string_view value = detail::trim(line.text.substr(colon + 1));
  const Field* field = find_field(name);
  if (field == nullptr) {
    control.unknown_fields.push_back(name);
    return Finding{Finding::Severity::Warning, "unknown-field", line.number, "unknown field '" + name + "' is ignored"};
  }
  // OpenBSM's reader treats `name:` with nothing after it as a parse error;
  // an empty naflags stops its auditd from starting (OpenBSM issue #6).
  if (value.empty()) return error(name == "naflags" ? "empty-naflags" : "empty-value", name + ": empty value");
  if (name != "dir") {
    auto [first, fresh] = seen.emplace(name, line.number);
    if (!fresh) {
      return Finding{Finding::Severity::Warning, "repeated-field", line.number,
                     name + ": given again; the value on line " + std::to_string(first->second) + " wins"};
    }
  }
  if (auto why = field->store(control, value, classes)) return error(finding_name(name), name + ": " + *why);
  if (name == "dir") {
    control.dir_lines.push_back(line.number);
  } else {
    control.field_lines.emplace_back(name, line.number);
  }
  return std::nullopt;
}

}  // namespace

int AuditControl::line_of(std::string_view field) const {
  for (const auto& [name, line] : field_lines) {
    if (name == field) return line;
  }
  return 0;
}

// The value is everything after the first ':' (a host or dir may hold one).
AuditControl read_audit_control(std::string_view text, const ClassTable& classes, std::vector<Finding>& findings) {
  AuditControl control;
  std::map<std::string, int> seen;  // field -> first line
  for (const detail::Line& line : detail::split_lines(text)) {
    if (detail::is_blank_or_comment(line.text)) continue;
    if (auto finding = read_line(line, control, seen, classes)) findings.push_back(std::move(*finding));
  }
  return control;
}

// Strict: the first error ends the reading, as OpenBSM's getac* fail.
Result<AuditControl> parse_audit_control(std::string_view text, const ClassTable& classes) {
  std::vector<Finding> findings;
  AuditControl control = read_audit_control(text, classes, findings);
  for (const Finding& finding : findings) {
    if (finding.severity != Finding::Severity::Error) continue;
    const auto lines = detail::split_lines(text);
    const detail::Line& line = lines[static_cast<size_t>(finding.line - 1)];
    return detail::line_error(line, finding.message);
  }
  return control;
}

}  // namespace bullion::tables
