// Picks each table's source: explicit file, then --root, then the host's
// /etc/security, then the built-in copy.
#include <filesystem>

#include "bullion/tables.h"
#include "tables/table_text.h"

namespace bullion::tables {

namespace {

namespace fs = std::filesystem;

bool file_exists(const std::string& path) {
  std::error_code ignored;
  return fs::is_regular_file(path, ignored);
}

// The file to read for one table, or "" for the fallback. An explicit
// option always wins (and must exist); under a root only present files
// count; with neither, `host_default` is used when present.
std::string choose(const std::string& explicit_path, const std::string& root, std::string_view relative,
                   const std::string& host_default) {
  if (!explicit_path.empty()) return explicit_path;
  if (!root.empty()) {
    std::string under_root = (fs::path(root) / relative).string();
    return file_exists(under_root) ? under_root : std::string();
  }
  return file_exists(host_default) ? host_default : std::string();
}

template <class Parse>
auto parse_file(const std::string& path, Parse parse) -> decltype(parse(std::string_view())) {
  auto text = detail::read_text_file(path);
  if (!text) return text.error();
  auto table = parse(*text);
  if (!table) return detail::in_file(table.error(), path);
  return table;
}

Result<std::shared_ptr<const ClassTable>> load_classes(const std::string& path) {
  if (path.empty()) return std::shared_ptr<const ClassTable>(&ClassTable::builtin(), [](const ClassTable*) {});
  auto table = parse_file(path, [](std::string_view text) { return ClassTable::parse(text); });
  if (!table) return table.error();
  return std::shared_ptr<const ClassTable>(std::make_shared<ClassTable>(std::move(*table)));
}

// The built-in events are re-read against a class table from a file, so
// masks follow the classes actually in use. Our Linux events follow every
// table, a site's file included: its rows come first and so win (an
// EventTable keeps the first row of a number).
Result<std::shared_ptr<const EventTable>> load_events(const std::string& path,
                                                      const std::shared_ptr<const ClassTable>& classes) {
  auto parse = [&classes](std::string_view text) { return EventTable::parse(with_linux_events(text), *classes); };
  if (path.empty() && classes.get() == &ClassTable::builtin()) {
    return std::shared_ptr<const EventTable>(&EventTable::builtin(), [](const EventTable*) {});
  }
  auto table = path.empty() ? parse(builtin_audit_event_text()) : parse_file(path, parse);
  if (!table) return table.error();
  return std::shared_ptr<const EventTable>(std::make_shared<EventTable>(std::move(*table)));
}

Result<std::shared_ptr<Accounts>> load_accounts(const TableOptions& options) {
  std::string passwd = choose(options.passwd, options.root, "etc/passwd", "");
  std::string group = choose(options.group, options.root, "etc/group", "");
  if (passwd.empty() && group.empty()) return std::shared_ptr<Accounts>(Accounts::system());
  auto accounts = Accounts::from_files(passwd, group);
  if (!accounts) return accounts.error();
  return std::shared_ptr<Accounts>(std::move(*accounts));
}

Status check_root(const std::string& root) {
  std::error_code ignored;
  if (root.empty() || fs::is_directory(root, ignored)) return Ok{};
  return Error{Errc::NotFound, 0, 0, root + ": root is not a directory"};
}

}  // namespace

Result<TableSet> load_tables(const TableOptions& options) {
  if (auto root = check_root(options.root); !root) return root.error();
  auto classes =
      load_classes(choose(options.audit_class, options.root, "etc/security/audit_class", "/etc/security/audit_class"));
  if (!classes) return classes.error();
  auto events = load_events(
      choose(options.audit_event, options.root, "etc/security/audit_event", "/etc/security/audit_event"), *classes);
  if (!events) return events.error();
  auto accounts = load_accounts(options);
  if (!accounts) return accounts.error();
  return TableSet{std::move(*classes), std::move(*events), std::move(*accounts)};
}

}  // namespace bullion::tables
