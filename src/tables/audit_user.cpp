// audit_user(5): `user:always-audit-flags:never-audit-flags`.
#include "bullion/tables.h"
#include "tables/table_text.h"

namespace bullion::tables {

namespace {

// Flags errors carry an offset inside the field; report the line instead.
Result<PreselectMask> parse_field_flags(const detail::Line& line, std::string_view field, std::string_view what,
                                        const ClassTable& classes) {
  auto mask = parse_class_flags(field, classes);
  if (!mask) return detail::line_error(line, std::string(what) + ": " + mask.error().message);
  return mask;
}

// Unlike OpenBSM's strtok reading, an empty field is kept: "root::lo" means
// "never audit lo" rather than a malformed line.
Result<UserEntry> parse_user_line(const detail::Line& line, const ClassTable& classes) {
  auto fields = detail::split_exact(line.text, ':');
  if (fields.size() != 3) return detail::line_error(line, "expected user:always-flags:never-flags");
  std::string_view name = detail::trim(fields[0]);
  if (name.empty()) return detail::line_error(line, "empty user name");
  auto always = parse_field_flags(line, fields[1], "always-audit flags", classes);
  if (!always) return always.error();
  auto never = parse_field_flags(line, fields[2], "never-audit flags", classes);
  if (!never) return never.error();
  return UserEntry{std::string(name), *always, *never};
}

}  // namespace

Result<std::vector<UserEntry>> parse_audit_user(std::string_view text, const ClassTable& classes) {
  std::vector<UserEntry> users;
  for (const detail::Line& line : detail::split_lines(text)) {
    if (detail::is_blank_or_comment(line.text)) continue;
    auto user = parse_user_line(line, classes);
    if (!user) return user.error();
    users.push_back(std::move(*user));
  }
  return users;
}

}  // namespace bullion::tables
