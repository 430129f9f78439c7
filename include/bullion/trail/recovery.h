// Crash recovery: a daemon that died (kill -9, power loss) leaves its trail
// named START.not_terminated, perhaps ending in half a record. At the next
// start each such trail is closed as OpenBSM's auditd closes it, renamed
// START.crash_recovery, after cutting off a torn tail and appending the end
// file token, so the recovered trail reads cleanly to its last whole record.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bullion/error.h"
#include "bullion/trail/records.h"

namespace bullion::trail {

struct RecoveredTrail {
  std::string from;        // the not_terminated path
  std::string to;          // the crash_recovery path
  uint64_t records = 0;    // whole records (and file tokens) kept
  uint64_t cut_bytes = 0;  // torn tail removed
  bool damaged = false;    // damage before the end, kept as found (only a tail is cut)
  std::string damage;      // what the reader said about it
};

// The START.not_terminated files in `dirs`, oldest first.
std::vector<std::string> find_open_trails(const std::vector<std::string>& dirs);

Result<RecoveredTrail> recover_trail(const std::string& path, Timestamp now);

}  // namespace bullion::trail
