#include "bullion/input/paths.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

namespace bullion::input {
namespace {

bool digits(std::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

std::string_view without_gz(std::string_view name) {
  if (name.ends_with(".gz")) name.remove_suffix(3);
  return name;
}

bool is_directory(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool is_regular_file(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string real_path(const std::string& path) {
  char buf[PATH_MAX];
  return realpath(path.c_str(), buf) ? std::string(buf) : std::string();
}

// The N of audit.log.N (0 for audit.log itself): larger is older.
unsigned long log_generation(std::string_view name) {
  name = without_gz(name);
  if (name == "audit.log") return 0;
  return std::strtoul(std::string(name.substr(10)).c_str(), nullptr, 10);
}

// auditd's `current` link names the live trail. It is read once: skipped
// when it points at a trail already listed (or, following, put in that
// trail's place), added last when it points elsewhere. A dangling link is
// ignored.
void add_current_link(const std::string& dir, std::vector<std::string>& paths, bool follow) {
  const std::string link = dir + "/current";
  struct stat st {};
  if (lstat(link.c_str(), &st) != 0 || !S_ISLNK(st.st_mode) || !is_regular_file(link)) return;
  const std::string target = real_path(link);
  for (std::string& p : paths) {
    if (real_path(p) != target) continue;
    if (follow && &p == &paths.back()) p = link;
    return;
  }
  paths.push_back(link);
}

}  // namespace

bool is_trail_file_name(std::string_view name) {
  name = without_gz(name);
  if (name.size() < 16 || !digits(name.substr(0, 14)) || name[14] != '.') return false;
  const std::string_view end = name.substr(15);
  return end == "not_terminated" || end == "crash_recovery" || (end.size() == 14 && digits(end));
}

bool is_audit_log_name(std::string_view name) {
  name = without_gz(name);
  return name == "audit.log" || (name.starts_with("audit.log.") && digits(name.substr(10)));
}

Result<std::vector<std::string>> expand_input(const std::string& path, bool follow) {
  if (!is_directory(path)) return std::vector<std::string>{path};
  DIR* dir = opendir(path.c_str());
  if (!dir) return Error{Errc::CannotOpen, 0, 0, std::strerror(errno), path};
  std::vector<std::string> trails, logs;
  while (dirent* e = readdir(dir)) {
    if (is_trail_file_name(e->d_name)) trails.emplace_back(e->d_name);
    if (is_audit_log_name(e->d_name)) logs.emplace_back(e->d_name);
  }
  closedir(dir);
  // The 14-digit start time leads every trail name, so name order is time
  // order; for one start time, START.END sorts before crash_recovery and
  // not_terminated (digits before letters), which is also write order.
  std::sort(trails.begin(), trails.end());
  std::sort(logs.begin(), logs.end(), [](const std::string& a, const std::string& b) {
    const unsigned long ga = log_generation(a), gb = log_generation(b);
    return ga != gb ? ga > gb : a < b;
  });
  std::vector<std::string> paths;
  for (const std::string& n : trails) {
    std::string full = path + "/" + n;
    if (is_regular_file(full)) paths.push_back(std::move(full));  // not a directory named like a trail
  }
  add_current_link(path, paths, follow);
  for (const std::string& n : logs) {
    std::string full = path + "/" + n;
    if (is_regular_file(full)) paths.push_back(std::move(full));
  }
  return paths;
}

Result<std::vector<std::string>> expand_trail_paths(const std::string& path) { return expand_input(path, false); }

}  // namespace bullion::input
