// bsmauditd's body: reads the configuration, captures live records through
// the platform's live source, keeps only what preselection wants, writes
// them into trails kept by a TrailKeeper, and answers audit(8) triggers,
// SIGHUP / SIGTERM and auditon(8) requests. The tool adds options,
// daemonizing and logging; nothing here prints.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bullion/error.h"
#include "bullion/live/source.h"
#include "bullion/tables.h"
#include "bullion/trail/control.h"
#include "bullion/trail/keeper.h"
#include "bullion/trail/selection.h"

namespace bullion::trail {

struct DaemonConfig {
  tables::TableSet tables;
  tables::AuditControl control;
  Selection selection;
  KeeperOptions keeper;
  std::vector<std::string> notes;  // adjustments worth a log line ("filesz 100K is below 512K: 512K used")
};

// Reads ROOT/etc/security/audit_control, audit_user (when present) and the
// tables (as load_tables with that root). A configuration error is an error:
// a daemon must not run on half a configuration.
Result<DaemonConfig> load_daemon_config(const DaemonPaths& paths, std::chrono::milliseconds sync_interval);

// What the live source is asked for under a selection and policy: the
// union of classes, the per-process rule sets, the kernel failure mode for
// ahlt, and a reader that waits instead of dropping without cnt.
live::LiveOptions live_options_for(const TrailSelector& selector, std::optional<uint32_t> auid = std::nullopt);

struct DaemonOptions {
  std::string root;  // "" = the host
  std::chrono::milliseconds sync_interval{1000};
  // False: never touch kernel audit; the settings and rules that would be
  // applied are logged at start and at every change (--no-kernel).
  bool use_kernel = true;
  // Only events of processes with this login uid (--auid): tests use it so
  // that nothing else on the machine is captured or slowed down.
  std::optional<uint32_t> auid;
  LogFunction log;
};

class Daemon {
 public:
  // Pid file, configuration, live capture, crash recovery, the first trail
  // and its startup record. audit_warn hears ebusy / tmpfile / nostart when
  // one of those fails.
  static Result<std::unique_ptr<Daemon>> start(const DaemonOptions& options);
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // Captures until a stop is requested, then writes the shutdown record,
  // closes the trail and puts the kernel back. An error when capture failed.
  Status run();

  // Async-signal-safe requests (the tool's signal handlers call these).
  void request_stop();
  void request_trigger(Trigger trigger);
  void request_reload();  // SIGHUP

  struct Totals {
    live::LiveStats capture;
    KeeperStats trails;
    uint64_t selected = 0;  // records preselection kept
  };
  Totals totals() const;

 private:
  struct State;
  explicit Daemon(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// Stops, triggers and reloads a daemon from signals: SIGTERM and SIGINT
// stop, SIGHUP reloads, the trigger signal carries audit(8)'s requests.
// One daemon per process.
class DaemonSignals {
 public:
  // Call before Daemon::start: those signals wait (blocked) until the
  // handlers are in place, instead of killing a daemon that is starting,
  // and threads started meanwhile (the live source's reader) keep them
  // blocked, so handlers run on the capture thread.
  static void hold();
  // Installs the handlers, then lets held signals through.
  explicit DaemonSignals(Daemon& daemon);
  ~DaemonSignals();
  DaemonSignals(const DaemonSignals&) = delete;
  DaemonSignals& operator=(const DaemonSignals&) = delete;
};

}  // namespace bullion::trail
