#include "bullion/input.h"

#include <dirent.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "bsm/linux_input.h"

namespace bullion::input {
namespace {

bool digits(std::string_view s, size_t n) {
  return s.size() >= n &&
         std::all_of(s.begin(), s.begin() + n, [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

bool is_directory(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace

bool is_trail_file_name(std::string_view name) {
  if (name.size() < 16 || !digits(name, 14) || name[14] != '.') return false;
  const std::string_view end = name.substr(15);
  return end == "not_terminated" || end == "crash_recovery" || (end.size() == 14 && digits(end, 14));
}

namespace {

bool is_regular_file(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string real_path(const std::string& path) {
  char buf[PATH_MAX];
  return realpath(path.c_str(), buf) ? std::string(buf) : std::string();
}

// auditd's `current` link names the live trail. It is read once: skipped
// when it points at a trail already listed, added last (it is the newest)
// when it points elsewhere. A dangling link is ignored.
void add_current_link(const std::string& dir, std::vector<std::string>& paths) {
  const std::string link = dir + "/current";
  struct stat st {};
  if (lstat(link.c_str(), &st) != 0 || !S_ISLNK(st.st_mode) || !is_regular_file(link)) return;
  const std::string target = real_path(link);
  for (const std::string& p : paths)
    if (real_path(p) == target) return;
  paths.push_back(link);
}

}  // namespace

Result<std::vector<std::string>> expand_trail_paths(const std::string& path) {
  if (!is_directory(path)) return std::vector<std::string>{path};
  DIR* dir = opendir(path.c_str());
  if (!dir) return Error{Errc::Io, 0, 0, std::strerror(errno)};
  std::vector<std::string> names;
  while (dirent* e = readdir(dir))
    if (is_trail_file_name(e->d_name)) names.emplace_back(e->d_name);
  closedir(dir);
  // The 14-digit start time leads every name, so name order is time order;
  // for one start time, START.END sorts before crash_recovery and
  // not_terminated (digits sort before letters), which is also write order.
  std::sort(names.begin(), names.end());
  std::vector<std::string> paths;
  for (const std::string& n : names) {
    std::string full = path + "/" + n;
    if (is_regular_file(full)) paths.push_back(std::move(full));  // not a directory named like a trail
  }
  add_current_link(path, paths);
  return paths;
}

namespace {

void report(std::string_view tool, const std::string& name, const std::string& why, const ReadOptions& options,
            bool damage = true) {
  if (options.before_report) options.before_report();
  const std::string_view shown = name == "-" ? std::string_view("stdin") : std::string_view(name);
  fmt::print(stderr, "{}: {}: {}\n", tool, shown, why);
  if (options.on_report) options.on_report(shown, why, damage);
}

// Reads one trail; clears outcome.clean when anything was damaged.
void read_one(std::string_view tool, bsm::RecordReader& reader, const RecordCallback& on_record,
              const ReadOptions& options, ReadOutcome& outcome) {
  bsm::RecordView record;
  for (;;) {
    const auto next = reader.next(record);
    if (next == bsm::RecordReader::Next::End) break;
    if (next == bsm::RecordReader::Next::Record) {
      if (on_record(record)) continue;
      outcome.stopped = true;
      return;
    }
    report(tool, reader.name(), reader.error().describe(), options);
    outcome.clean = false;
    if (!options.resync || !reader.resync()) break;
  }
  const std::string summary = reader.summary();
  // A log's summary is damage when it says something was lost.
  if (!summary.empty()) report(tool, reader.name(), summary, options, reader.lost_anything());
  if (reader.lost_anything()) outcome.clean = false;
}

}  // namespace

ReadOutcome read_trails(std::string_view tool, const std::vector<std::string>& inputs, const RecordCallback& on_record,
                        const ReadOptions& options) {
  ReadOutcome outcome;
  const std::vector<std::string> stdin_only{"-"};
  for (const std::string& input : inputs.empty() ? stdin_only : inputs) {
    auto paths = expand_trail_paths(input);
    if (!paths) {
      report(tool, input, paths.error().message, options);
      outcome.clean = false;
      continue;
    }
    for (const std::string& path : *paths) {
      auto reader = open_trail(path);
      if (!reader) {
        report(tool, path, reader.error().message, options);
        outcome.clean = false;
        continue;
      }
      read_one(tool, **reader, on_record, options, outcome);
      if (outcome.stopped) return outcome;
    }
  }
  return outcome;
}

Result<std::unique_ptr<bsm::RecordReader>> open_trail(const std::string& path) {
  if (path != "-" && looks_like_linux_audit_file(path)) return open_linux_audit_log(path);
  return bsm::RecordReader::open(path);
}

}  // namespace bullion::input
