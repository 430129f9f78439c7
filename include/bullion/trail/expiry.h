// expire-after: which closed trails to delete, as OpenBSM's auditd decides.
//
// Every trail file in the trail directories counts toward the total size,
// the open one included; the open one is never deleted. The others go
// oldest first (by the end time in their name, else their modification
// time) while the condition holds: total size above the limit, age above
// the limit, or both (AND) / either (OR) when both are given.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bullion/error.h"
#include "bullion/tables.h"

namespace bullion::trail {

struct TrailFile {
  std::string path;
  int64_t time = 0;  // end time from the name, or mtime
  uint64_t size = 0;
  bool open = false;  // the trail being written: counted, never deleted
};

// Paths to delete, oldest first.
std::vector<std::string> plan_expiry(std::vector<TrailFile> trails, const tables::ExpireAfter& limit, int64_t now);

// The trail files (by name, see names.h) in `dirs`, with `open_path` marked
// open. Unreadable directories are skipped, as auditd does.
std::vector<TrailFile> list_trail_files(const std::vector<std::string>& dirs, const std::string& open_path);

}  // namespace bullion::trail
