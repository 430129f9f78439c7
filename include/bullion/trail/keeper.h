// TrailKeeper: keeps audit trails the way OpenBSM's auditd does, for any
// record source. Records go into the open trail in the first usable trail
// directory; the keeper rotates before a trail would pass filesz (a record
// is never split; a trail that fills within the second it began in goes on
// to the next second, as names have one-second resolution), moves to the next directory when one falls under
// minfree, runs audit_warn, expires old trails, and keeps a `current` link.
//
// When no directory can take a record: with policy cnt the record is
// dropped and counted, and a loss record ("lost=N where=writer") is written
// as soon as a trail can be written again; without cnt the keeper waits
// for space (the caller stops reading, so the kernel holds audited
// processes) until space returns or `should_stop` says to give up.
//
// Single-threaded: every call comes from the thread that consumes records.
// The library prints nothing: what happens goes to the `log` callback.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bullion/error.h"
#include "bullion/tables.h"
#include "bullion/trail/records.h"
#include "bullion/trail/space.h"
#include "bullion/trail/warn.h"
#include "bullion/trail/writer.h"

namespace bullion::trail {

struct KeeperOptions {
  std::vector<std::string> dirs;  // in audit_control order
  uint64_t filesz = 0;            // 0 = never rotate on size
  std::optional<tables::ExpireAfter> expire;
  int minfree = 0;  // percent
  bool cnt = true;  // policy cnt: drop and count when nothing can be written
  mode_t mode = 0640;
  std::chrono::milliseconds sync_interval{1000};
  std::chrono::milliseconds space_check_interval{1000};
  size_t buffer_bytes = 256 * 1024;
};

// Time for names and tokens, and waiting; a fake one in tests.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() = 0;
  virtual void sleep_for(std::chrono::milliseconds duration) = 0;
  static Clock& system();
};

enum class LogLevel : uint8_t { Debug, Info, Notice, Warning, Error };
using LogFunction = std::function<void(LogLevel, std::string_view)>;

struct KeeperEnvironment {
  Clock& clock;
  SpaceProbe& space;
  Warner& warner;
  LogFunction log;
  DaemonIdentity identity;
  // Asked while waiting for space without cnt: true ends the wait.
  std::function<bool()> should_stop;
};

struct KeeperStats {
  uint64_t records = 0;  // records handed to write()
  uint64_t written = 0;  // records (and daemon records) in trails
  uint64_t lost = 0;     // records dropped for want of space (cnt)
  uint64_t trails_opened = 0;
  uint64_t trails_closed = 0;
  uint64_t expired = 0;  // trails deleted by expire-after
};

class TrailKeeper {
 public:
  TrailKeeper(KeeperOptions options, KeeperEnvironment environment);
  ~TrailKeeper();  // closes the open trail, as close()
  TrailKeeper(const TrailKeeper&) = delete;
  TrailKeeper& operator=(const TrailKeeper&) = delete;

  // Opens the first trail. An error when no directory can hold one (every
  // directory missing, unwritable or full) and policy has no cnt.
  Status open();
  // One whole record.
  void write(std::span<const uint8_t> record);
  // A record the daemon writes about itself (startup, shutdown, recovery).
  void write_daemon_record(uint16_t event, std::string_view text, std::string_view path = {});
  // Periodic work (call at least every few hundred ms): write out what is
  // queued, sync on the interval, check space, retry a full directory.
  void tick();
  // Closes the open trail and opens the next (audit -n), then expires.
  Status rotate();
  // New settings (audit -s): a new trail under them, then expiry.
  Status reconfigure(KeeperOptions options);
  // New settings without a new trail (SIGHUP): filesz, expiry, minfree and
  // policy apply at once, new directories at the next trail.
  void set_options(KeeperOptions options);
  // expire-after now (audit -e).
  void expire();
  // Ends the open trail (end file token, START.END name, link removed).
  Status close();

  const KeeperStats& stats() const { return stats_; }
  // The open trail's path, empty when none.
  std::string open_path() const;

 private:
  struct Dir {
    std::string path;
    SpaceState state = SpaceState::Ok;
    bool unusable = false;  // a trail could not be created there
    // A write failed for want of space with this much free: the directory
    // stays full until more than that is free again (statvfs alone may
    // still show a few blocks that cannot hold a record).
    std::optional<uint64_t> full_at_free_bytes;
  };

  void log(LogLevel level, const std::string& message);
  void warn(std::string_view reason, std::string_view file = {});
  void refresh_space(bool warn_each);
  std::optional<size_t> choose_dir();
  Status open_trail();
  bool open_in_best_dir();
  Status open_trail_in(size_t index);
  void close_writer(std::unique_ptr<TrailWriter> writer, int64_t start, Timestamp at);
  void update_current_link();
  void remove_current_link();
  bool would_pass_filesz(size_t bytes) const;
  bool can_rotate_now() const;
  void append(std::span<const uint8_t> record);
  void flush();
  void on_write_failure(int error);
  void hold_or_drop(std::span<const uint8_t> record);
  bool wait_for_space();
  void write_held();
  bool reopen();
  void count_lost(uint64_t records);
  void write_pending_loss();
  Status rotate_trail();
  void check_space();

  KeeperOptions options_;
  KeeperEnvironment env_;
  std::vector<Dir> dirs_;
  std::unique_ptr<TrailWriter> writer_;
  size_t writer_dir_ = 0;
  int64_t writer_start_ = 0;
  int64_t last_start_ = 0;  // start second of the newest trail opened
  uint64_t pending_loss_ = 0;
  TrailWriter::Queue held_;  // records waiting for space (no cnt)
  bool all_soft_warned_ = false;
  bool all_hard_warned_ = false;
  int64_t last_sync_ms_ = 0;
  int64_t last_space_check_ms_ = 0;
  KeeperStats stats_;
};

}  // namespace bullion::trail
