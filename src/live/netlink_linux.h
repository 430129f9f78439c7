// The kernel audit control channel (netlink, through libaudit): status,
// settings and rules. Records never arrive on this socket; the live source
// reads them on a second one, so replies and records cannot interleave.
#pragma once

#include <linux/audit.h>

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "bullion/error.h"

namespace bullion::live::linux_audit {

// The parts of struct audit_status the live source saves and restores.
struct AuditState {
  uint32_t enabled = 0;  // 0 off, 1 on, 2 locked (rules immutable)
  uint32_t pid = 0;      // the registered audit daemon, 0 none
  uint32_t backlog_limit = 0;
  uint32_t backlog_wait_time = 0;
  uint32_t lost = 0;
  uint32_t failure = 0;     // 0 silent, 1 printk, 2 panic: set only when LiveOptions::failure_mode asks
  uint32_t rate_limit = 0;  // records per second, 0 = none
  uint32_t backlog = 0;     // records waiting in the kernel now (status only)
};

// Maps a negative errno from libaudit (or errno) to an Error; EPERM, EACCES
// and ECONNREFUSED (no CAP_AUDIT_CONTROL, or not the initial namespace)
// become Errc::Permission so callers can skip or explain.
Error audit_error(int negative_errno, std::string_view what);

class ControlChannel {
 public:
  static Result<ControlChannel> open();
  ControlChannel(ControlChannel&& other) noexcept;
  ControlChannel& operator=(ControlChannel&&) = delete;
  ~ControlChannel();

  Result<AuditState> state();
  Status set_enabled(uint32_t enabled);
  Status set_backlog_limit(uint32_t limit);
  Status set_backlog_wait_time(uint32_t ticks);
  Status set_daemon_pid(uint32_t pid);
  Status set_rate_limit(uint32_t limit);
  Status set_failure(uint32_t failure);

  // Rules are struct audit_rule_data with their buffer, as encode_rule makes.
  Status add_exit_rule(std::vector<uint8_t> rule);
  Result<std::vector<std::vector<uint8_t>>> list_rules();
  Status delete_rule(std::vector<uint8_t> rule);
  // Deletes every listed rule whose key satisfies `doomed`; returns how many.
  Result<size_t> delete_rules_if(const std::function<bool(std::string_view key)>& doomed);

 private:
  explicit ControlChannel(int fd) : fd_(fd) {}
  int fd_ = -1;
};

// Keys of rules left by bullion collectors that died without cleaning up:
// "bullion-<pid>" where <pid> no longer runs.
bool is_stale_bullion_key(std::string_view key);

}  // namespace bullion::live::linux_audit
