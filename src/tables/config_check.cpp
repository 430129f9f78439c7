// auditconf check: the table parsers read one line at a time here, so one
// bad line does not hide the next; each problem becomes a named finding.
#include "bullion/config_check.h"

#include <sys/stat.h>

#include <algorithm>
#include <map>
#include <utility>

#include "tables/table_text.h"

namespace bullion::tables {

namespace {

Finding error_at(const detail::Line& line, std::string name, std::string message) {
  return Finding{Finding::Severity::Error, std::move(name), line.number, std::move(message)};
}

Finding warning_at(const detail::Line& line, std::string name, std::string message) {
  return Finding{Finding::Severity::Warning, std::move(name), line.number, std::move(message)};
}

// The parsers number lines from 1; fed one line they say "line 1: ...".
std::string without_line_prefix(std::string message) {
  constexpr std::string_view kPrefix = "line 1: ";
  if (message.starts_with(kPrefix)) message.erase(0, kPrefix.size());
  return message;
}

// Calls `each(line)` for every line that is not blank or a comment.
template <class Each>
void for_each_entry(std::string_view text, Each each) {
  for (const detail::Line& line : detail::split_lines(text)) {
    if (!detail::is_blank_or_comment(line.text)) each(line);
  }
}

bool is_directory(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// "given twice" findings share one shape: the first line wins.
void note_repeat(std::map<std::string, int>& seen, const std::string& key, const detail::Line& line,
                 const std::string& what, std::vector<Finding>& out) {
  auto [it, fresh] = seen.emplace(key, line.number);
  if (fresh) return;
  out.push_back(warning_at(line, "repeated-entry",
                           what + " is given again; line " + std::to_string(it->second) + " is the one used"));
}

}  // namespace

std::vector<Finding> check_audit_control(std::string_view text, const ClassTable& classes) {
  std::vector<Finding> findings;
  AuditControl control = read_audit_control(text, classes, findings);
  for (Finding& finding : advise(control)) findings.push_back(std::move(finding));
  for (size_t i = 0; i < control.dirs.size(); ++i) {
    const std::string& dir = control.dirs[i];
    if (dir.empty() || dir.front() != '/' || is_directory(dir)) continue;
    findings.push_back(Finding{Finding::Severity::Error, "dir-missing", control.dir_lines[i],
                               "dir: '" + dir + "' does not exist or is not a directory"});
  }
  // In file order; findings about the file as a whole come last.
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    return std::make_pair(a.line == 0, a.line) < std::make_pair(b.line == 0, b.line);
  });
  return findings;
}

std::vector<Finding> check_audit_class(std::string_view text) {
  std::vector<Finding> findings;
  std::map<std::string, int> names, masks;
  for_each_entry(text, [&](const detail::Line& line) {
    auto table = ClassTable::parse(line.text);
    if (!table) {
      findings.push_back(error_at(line, "bad-line", without_line_prefix(table.error().message)));
      return;
    }
    const ClassEntry& entry = table->entries().front();
    note_repeat(names, entry.name, line, "class '" + entry.name + "'", findings);
    note_repeat(masks, std::to_string(entry.mask), line, "class mask of '" + entry.name + "'", findings);
  });
  return findings;
}

std::vector<Finding> check_audit_event(std::string_view text, const ClassTable& classes) {
  std::vector<Finding> findings;
  std::map<std::string, int> numbers, names;
  for_each_entry(text, [&](const detail::Line& line) {
    auto table = EventTable::parse(line.text, classes);
    if (!table) {
      findings.push_back(error_at(line, "bad-line", without_line_prefix(table.error().message)));
      return;
    }
    for (const std::string& warning : table->warnings()) {
      findings.push_back(warning_at(line, "unknown-class", without_line_prefix(warning)));
    }
    const EventEntry& entry = table->entries().front();
    note_repeat(numbers, std::to_string(entry.number), line, "event number " + std::to_string(entry.number), findings);
    note_repeat(names, entry.name, line, "event name " + entry.name, findings);
  });
  return findings;
}

std::vector<Finding> check_audit_user(std::string_view text, const ClassTable& classes, Accounts& accounts) {
  std::vector<Finding> findings;
  std::map<std::string, int> users;
  for_each_entry(text, [&](const detail::Line& line) {
    auto entries = parse_audit_user(line.text, classes);
    if (!entries) {
      const std::string why = without_line_prefix(entries.error().message);
      const bool class_problem = why.find("unknown audit class") != std::string::npos;
      findings.push_back(error_at(line, class_problem ? "unknown-class" : "bad-line", why));
      return;
    }
    const UserEntry& entry = entries->front();
    note_repeat(users, entry.name, line, "user '" + entry.name + "'", findings);
    if (!accounts.user_id(entry.name)) {
      findings.push_back(warning_at(line, "unknown-user", "no user '" + entry.name + "' on this host"));
    }
  });
  return findings;
}

int findings_status(const std::vector<Finding>& findings) {
  int status = 0;
  for (const Finding& finding : findings) {
    status = std::max(status, finding.severity == Finding::Severity::Error ? 2 : 1);
  }
  return status;
}

}  // namespace bullion::tables
