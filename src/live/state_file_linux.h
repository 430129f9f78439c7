// The kernel audit settings as the first collector found them, kept in a
// file under /run so that they survive a collector killed with -9, and
// shared by collectors running at once. The file holds the settings and
// one line per collector (pid and start time, so a reused pid is not taken
// for a live collector). Every access holds an flock on the file.
//
//   join():  a collector starts. With no file, the current settings are
//            the original. With a file whose collectors all died, their
//            original is handed back to be restored now (kill -9 recovery).
//   leave(): a collector stops. The last one out gets the original back to
//            restore, and the file goes away; others leave settings alone.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bullion/error.h"

namespace bullion::live::linux_audit {

struct Settings {
  uint32_t enabled = 0, failure = 0, backlog_limit = 0, backlog_wait_time = 0, rate_limit = 0;
  bool operator==(const Settings&) const = default;
};

struct Collector {
  pid_t pid = 0;
  uint64_t start_time = 0;  // /proc/PID/stat field 22: tells a reused pid apart
};

inline const char* kDefaultStatePath = "/run/bullion/live-audit.state";

// This process as a collector entry.
Collector self_collector();
// True while that process runs (same pid and same start time).
bool collector_alive(const Collector& c);

struct Joined {
  Settings original;                // what to restore when the last collector leaves
  std::optional<Settings> restore;  // set when dead collectors left their changes behind
  std::vector<Collector> others;    // live collectors besides us
};
Result<Joined> join(const std::string& path, const Settings& current, const Collector& self);

// The original settings when we were the last collector, else nothing.
Result<std::optional<Settings>> leave(const std::string& path, const Collector& self);

// Pids of live collectors listed in the file (empty without a file).
std::vector<Collector> live_collectors(const std::string& path);

}  // namespace bullion::live::linux_audit
