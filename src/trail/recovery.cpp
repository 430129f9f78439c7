#include "bullion/trail/recovery.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "bullion/bsm/reader.h"
#include "bullion/trail/names.h"
#include "bullion/trail/writer.h"

namespace bullion::trail {

namespace {

struct Scan {
  uint64_t records = 0;
  uint64_t whole_end = 0;  // offset after the last whole record
  bool damaged_inside = false;
  std::string damage;
};

// Reads the trail up to its last whole record. Damage followed by more
// whole records is not a torn tail (a crash cannot cause it): it is kept
// and reported, never cut.
Result<Scan> scan_trail(const std::string& path) {
  auto reader = bsm::RecordReader::open(path);
  if (!reader) return reader.error();
  Scan scan;
  bsm::RecordView view;
  for (;;) {
    const auto next = (*reader)->next(view);
    if (next == bsm::RecordReader::Next::End) break;
    if (next == bsm::RecordReader::Next::Record) {
      ++scan.records;
      scan.whole_end = view.offset + view.bytes.size();
      continue;
    }
    const std::string damage = (*reader)->error().describe();
    if (!(*reader)->resync()) break;  // nothing whole after it: a torn tail
    scan.damaged_inside = true;
    if (scan.damage.empty()) scan.damage = damage;
  }
  return scan;
}

Error io_error(const std::string& what) { return Error{Errc::Io, 0, 0, what + ": " + std::strerror(errno)}; }

}  // namespace

std::vector<std::string> find_open_trails(const std::vector<std::string>& dirs) {
  std::vector<std::string> paths;
  for (const std::string& dir : dirs) {
    DIR* stream = opendir(dir.c_str());
    if (stream == nullptr) continue;
    std::vector<std::string> names;
    while (const dirent* entry = readdir(stream)) {
      auto name = parse_trail_name(entry->d_name);
      if (name && name->state == TrailName::State::Open) names.emplace_back(entry->d_name);
    }
    closedir(stream);
    std::sort(names.begin(), names.end());
    for (const std::string& name : names) paths.push_back(dir + "/" + name);
  }
  return paths;
}

Result<RecoveredTrail> recover_trail(const std::string& path, Timestamp now) {
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);
  auto name = parse_trail_name(slash == std::string::npos ? path : path.substr(slash + 1));
  if (!name || name->state != TrailName::State::Open) {
    return Error{Errc::InvalidArgument, 0, 0, path + ": not a not_terminated trail"};
  }
  auto scan = scan_trail(path);
  if (!scan) return scan.error();
  RecoveredTrail recovered;
  recovered.from = path;
  recovered.to = dir + "/" + crashed_trail_name(name->start);
  recovered.records = scan->records;
  recovered.damaged = scan->damaged_inside;
  recovered.damage = scan->damage;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return io_error(path);
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  if (size > scan->whole_end) {
    if (::truncate(path.c_str(), static_cast<off_t>(scan->whole_end)) != 0) return io_error(path + ": cut torn tail");
    recovered.cut_bytes = size - scan->whole_end;
  }
  auto writer = TrailWriter::append_to(path);
  if (!writer) return writer.error();
  (*writer)->append(file_token(now, recovered.to));
  if (Status closed = (*writer)->close(); !closed) return closed.error();
  if (::access(recovered.to.c_str(), F_OK) == 0) {
    return Error{Errc::InvalidArgument, 0, 0, recovered.to + " exists already; " + path + " left as it is"};
  }
  if (::rename(path.c_str(), recovered.to.c_str()) != 0) return io_error("rename " + path);
  return recovered;
}

}  // namespace bullion::trail
