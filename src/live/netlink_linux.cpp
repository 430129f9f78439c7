// See netlink_linux.h.
#include "live/netlink_linux.h"

#include <libaudit.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <string>

#include "live/rules_linux.h"

namespace bullion::live::linux_audit {
namespace {

Status check(int rc, std::string_view what) {
  if (rc < 0) return audit_error(rc, what);
  return Ok{};
}

// A reply the kernel sends before or after the one we want: a plain ACK.
bool is_ack(const audit_reply& reply) {
  return reply.type == NLMSG_ERROR && reply.error != nullptr && reply.error->error == 0;
}

std::vector<uint8_t> copy_rule(const audit_reply& reply) {
  const auto* rule = reply.ruledata;
  size_t size = sizeof(audit_rule_data) + rule->buflen;
  const size_t available = reply.len > 0 ? static_cast<size_t>(reply.len) : 0;
  if (size > available && available >= sizeof(audit_rule_data)) size = available;
  const auto* bytes = reinterpret_cast<const uint8_t*>(rule);
  return std::vector<uint8_t>(bytes, bytes + size);
}

}  // namespace

Error audit_error(int negative_errno, std::string_view what) {
  const int err = negative_errno < 0 ? -negative_errno : negative_errno;
  Errc code = Errc::Io;
  if (err == EPERM || err == EACCES || err == ECONNREFUSED) code = Errc::Permission;
  if (err == EPROTONOSUPPORT || err == EAFNOSUPPORT) code = Errc::Unsupported;
  return Error{code, 0, 0, std::string(what) + ": " + std::strerror(err)};
}

Result<ControlChannel> ControlChannel::open() {
  const int fd = audit_open();
  if (fd < 0) return audit_error(errno, "kernel audit (netlink) open");
  // A reply that never comes must not hang the collector or a test.
  timeval timeout{2, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  return ControlChannel(fd);
}

ControlChannel::ControlChannel(ControlChannel&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }

ControlChannel::~ControlChannel() {
  if (fd_ >= 0) audit_close(fd_);
}

Result<AuditState> ControlChannel::state() {
  if (Status sent = check(audit_request_status(fd_), "AUDIT_GET"); !sent) return sent.error();
  audit_reply reply{};
  for (;;) {
    const int rc = audit_get_reply(fd_, &reply, GET_REPLY_BLOCKING, 0);
    if (rc < 0) return audit_error(rc, "AUDIT_GET reply");
    if (reply.type == AUDIT_GET) break;
    if (reply.type == NLMSG_ERROR && !is_ack(reply)) {
      return audit_error(reply.error ? reply.error->error : -EIO, "AUDIT_GET");
    }
  }
  const audit_status& s = *reply.status;
  return AuditState{s.enabled, s.pid, s.backlog_limit, s.backlog_wait_time, s.lost, s.failure, s.rate_limit, s.backlog};
}

Status ControlChannel::set_enabled(uint32_t enabled) { return check(audit_set_enabled(fd_, enabled), "set enabled"); }

Status ControlChannel::set_backlog_limit(uint32_t limit) {
  return check(audit_set_backlog_limit(fd_, limit), "set backlog_limit");
}

Status ControlChannel::set_backlog_wait_time(uint32_t ticks) {
  return check(audit_set_backlog_wait_time(fd_, ticks), "set backlog_wait_time");
}

Status ControlChannel::set_daemon_pid(uint32_t pid) {
  return check(audit_set_pid(fd_, pid, WAIT_YES), "set audit daemon pid");
}

Status ControlChannel::set_rate_limit(uint32_t limit) {
  return check(audit_set_rate_limit(fd_, limit), "set rate_limit");
}

Status ControlChannel::set_failure(uint32_t failure) { return check(audit_set_failure(fd_, failure), "set failure"); }

Status ControlChannel::add_exit_rule(std::vector<uint8_t> rule) {
  auto* data = reinterpret_cast<audit_rule_data*>(rule.data());
  return check(audit_add_rule_data(fd_, data, AUDIT_FILTER_EXIT, AUDIT_ALWAYS), "add rule");
}

Status ControlChannel::delete_rule(std::vector<uint8_t> rule) {
  // A listed rule carries its list (flags) and action; deleting needs both.
  auto* data = reinterpret_cast<audit_rule_data*>(rule.data());
  return check(audit_delete_rule_data(fd_, data, data->flags, data->action), "delete rule");
}

Result<std::vector<std::vector<uint8_t>>> ControlChannel::list_rules() {
  if (Status sent = check(audit_request_rules_list_data(fd_), "list rules"); !sent) {
    return sent.error();
  }
  std::vector<std::vector<uint8_t>> rules;
  audit_reply reply{};
  for (;;) {
    const int rc = audit_get_reply(fd_, &reply, GET_REPLY_BLOCKING, 0);
    if (rc < 0) return audit_error(rc, "list rules reply");
    if (reply.type == NLMSG_DONE) return rules;
    if (reply.type == AUDIT_LIST_RULES) {
      rules.push_back(copy_rule(reply));
    } else if (reply.type == NLMSG_ERROR && !is_ack(reply)) {
      return audit_error(reply.error ? reply.error->error : -EIO, "list rules");
    }
  }
}

Result<size_t> ControlChannel::delete_rules_if(const std::function<bool(std::string_view key)>& doomed) {
  auto rules = list_rules();
  if (!rules) return rules.error();
  size_t deleted = 0;
  for (std::vector<uint8_t>& rule : *rules) {
    auto key = linux_rules::rule_key(rule);
    if (!key || !doomed(*key)) continue;
    if (Status s = delete_rule(std::move(rule)); !s) return s.error();
    ++deleted;
  }
  return deleted;
}

bool is_stale_bullion_key(std::string_view key) {
  auto owner = linux_rules::key_owner(key);
  if (!owner) return false;
  return ::kill(static_cast<pid_t>(*owner), 0) != 0 && errno == ESRCH;
}

}  // namespace bullion::live::linux_audit
