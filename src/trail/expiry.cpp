#include "bullion/trail/expiry.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>

#include "bullion/trail/names.h"

namespace bullion::trail {

namespace {

bool expired(const TrailFile& trail, uint64_t total, const tables::ExpireAfter& limit, int64_t now) {
  const bool too_big = limit.size_bytes && *limit.size_bytes > 0 && total > *limit.size_bytes;
  const bool too_old =
      limit.age_seconds && *limit.age_seconds > 0 && trail.time < now - static_cast<int64_t>(*limit.age_seconds);
  if (limit.join == tables::ExpireAfter::Join::And) return too_big && too_old;
  return too_big || too_old;
}

}  // namespace

std::vector<std::string> plan_expiry(std::vector<TrailFile> trails, const tables::ExpireAfter& limit, int64_t now) {
  uint64_t total = 0;
  for (const TrailFile& trail : trails) total += trail.size;
  std::stable_sort(trails.begin(), trails.end(),
                   [](const TrailFile& a, const TrailFile& b) { return a.time < b.time; });
  std::vector<std::string> doomed;
  for (const TrailFile& trail : trails) {
    if (trail.open || !expired(trail, total, limit, now)) continue;
    doomed.push_back(trail.path);
    total -= trail.size;
  }
  return doomed;
}

std::vector<TrailFile> list_trail_files(const std::vector<std::string>& dirs, const std::string& open_path) {
  std::vector<TrailFile> trails;
  for (const std::string& dir : dirs) {
    DIR* stream = opendir(dir.c_str());
    if (stream == nullptr) continue;
    while (const dirent* entry = readdir(stream)) {
      auto name = parse_trail_name(entry->d_name);
      if (!name) continue;
      std::string path = dir + "/" + entry->d_name;
      struct stat st {};
      if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
      const int64_t time = name->state == TrailName::State::Closed ? name->end : st.st_mtime;
      trails.push_back(TrailFile{path, time, static_cast<uint64_t>(st.st_size), path == open_path});
    }
    closedir(stream);
  }
  return trails;
}

}  // namespace bullion::trail
