#include "bullion/input.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "bsm/linux_input.h"

namespace bullion::input {
namespace {

bool digits(std::string_view s, size_t n) {
  return s.size() >= n && std::all_of(s.begin(), s.begin() + n, [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
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

Result<std::vector<std::string>> expand_trail_paths(const std::string& path) {
  if (!is_directory(path)) return std::vector<std::string>{path};
  DIR* dir = opendir(path.c_str());
  if (!dir) return Error{Errc::Io, 0, 0, std::strerror(errno)};
  std::vector<std::string> names;
  while (dirent* e = readdir(dir))
    if (is_trail_file_name(e->d_name)) names.emplace_back(e->d_name);
  closedir(dir);
  // The 14-digit start time leads every name, so name order is time order.
  std::sort(names.begin(), names.end());
  for (std::string& n : names) n = path + "/" + n;
  return names;
}

Result<std::unique_ptr<bsm::RecordReader>> open_trail(const std::string& path) {
  if (path != "-" && looks_like_linux_audit_file(path)) return open_linux_audit_log(path);
  return bsm::RecordReader::open(path);
}

}  // namespace bullion::input
