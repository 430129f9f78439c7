// auditconf check: every finding of every configuration file, one line
// each ("FILE:LINE: error: why [name]"), or one JSON object.
#include <sys/stat.h>

#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "auditconf.h"
#include "bullion/config_check.h"
#include "bullion/text/json_writer.h"
#include "bullion/tools/tool_support.h"

namespace auditconf {

namespace {

namespace tables = bullion::tables;

struct CheckedFile {
  std::string path;
  std::vector<tables::Finding> findings;
};

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

// An explicit option names a file to check; under --root, the ones present.
std::string chosen(const Options& options, const std::string& explicit_path, const std::string& name) {
  if (!explicit_path.empty()) return explicit_path;
  if (!options.tables.root.empty() && exists(security_path(options, name))) return security_path(options, name);
  return {};
}

// A file that cannot be read is itself a finding, so the others still get checked.
CheckedFile check_file(const std::string& path,
                       const std::function<std::vector<tables::Finding>(std::string_view)>& check) {
  auto text = read_text(path);
  if (!text)
    return CheckedFile{path,
                       {tables::Finding{tables::Finding::Severity::Error, "unreadable", 0, text.error().message}}};
  return CheckedFile{path, check(*text)};
}

std::unique_ptr<tables::Accounts> accounts_for(const Options& options) {
  const std::string root = options.tables.root;
  std::string passwd = options.tables.passwd, group = options.tables.group;
  if (passwd.empty() && !root.empty() && exists(root + "/etc/passwd")) passwd = root + "/etc/passwd";
  if (group.empty() && !root.empty() && exists(root + "/etc/group")) group = root + "/etc/group";
  if (!passwd.empty() || !group.empty()) {
    if (auto accounts = tables::Accounts::from_files(passwd, group)) return std::move(*accounts);
  }
  return tables::Accounts::system();
}

std::string_view severity_name(tables::Finding::Severity severity) {
  return severity == tables::Finding::Severity::Error ? "error" : "warning";
}

void print_text(const std::vector<CheckedFile>& files) {
  size_t errors = 0, warnings = 0;
  std::string out;
  for (const CheckedFile& file : files) {
    for (const tables::Finding& f : file.findings) {
      (f.severity == tables::Finding::Severity::Error ? errors : warnings) += 1;
      // File text may hold anything: it is escaped for the terminal.
      bullion::tools::append_terminal_safe(out, file.path);
      if (f.line > 0) out += ":" + std::to_string(f.line);
      out += ": " + std::string(severity_name(f.severity)) + ": ";
      bullion::tools::append_terminal_safe(out, f.message);
      out += " [" + f.name + "]\n";
    }
  }
  out += std::to_string(files.size()) + (files.size() == 1 ? " file" : " files") +
         " checked: " + std::to_string(errors) + (errors == 1 ? " error, " : " errors, ") + std::to_string(warnings) +
         (warnings == 1 ? " warning\n" : " warnings\n");
  std::fputs(out.c_str(), stdout);
}

void print_json(const std::vector<CheckedFile>& files, int status) {
  std::string out;
  bullion::text::JsonWriter<std::string> w(out);
  {
    auto top = w.object();
    w.field("status", status);
    auto list = w.array("files");
    for (const CheckedFile& file : files) {
      auto entry = w.object();
      w.string_field("path", file.path);
      auto findings = w.array("findings");
      for (const tables::Finding& f : file.findings) {
        auto finding = w.object();
        w.string_field("name", f.name);
        w.string_field("severity", severity_name(f.severity));
        w.field("line", f.line);
        w.string_field("message", f.message);
      }
    }
  }
  out += '\n';
  std::fputs(out.c_str(), stdout);
}

}  // namespace

int check(const Options& options) {
  std::vector<CheckedFile> files;
  // The classes the other files are read with: the given audit_class when
  // it is sound, else OpenBSM's.
  std::shared_ptr<const tables::ClassTable> classes(&tables::ClassTable::builtin(), [](const tables::ClassTable*) {});
  if (std::string path = chosen(options, options.tables.audit_class, "audit_class"); !path.empty()) {
    files.push_back(check_file(path, [](std::string_view text) { return tables::check_audit_class(text); }));
    auto text = read_text(path);
    if (text && tables::findings_status(files.back().findings) < 2) {
      if (auto parsed = tables::ClassTable::parse(*text)) classes = std::make_shared<tables::ClassTable>(*parsed);
    }
  }
  const std::string control = options.control.empty() ? security_path(options, "audit_control") : options.control;
  files.push_back(
      check_file(control, [&](std::string_view text) { return tables::check_audit_control(text, *classes); }));
  if (std::string path = chosen(options, options.tables.audit_event, "audit_event"); !path.empty()) {
    files.push_back(check_file(path, [&](std::string_view text) { return tables::check_audit_event(text, *classes); }));
  }
  if (std::string path = chosen(options, options.audit_user, "audit_user"); !path.empty()) {
    auto accounts = accounts_for(options);
    files.push_back(
        check_file(path, [&](std::string_view text) { return tables::check_audit_user(text, *classes, *accounts); }));
  }
  int status = 0;
  for (const CheckedFile& file : files) status = std::max(status, tables::findings_status(file.findings));
  if (options.json) {
    print_json(files, status);
  } else {
    print_text(files);
  }
  return status;
}

}  // namespace auditconf
