// The Linux live source: kernel audit over netlink, translated to BSM.
//
// start(): save the audit state, remove rules left by crashed collectors,
// become the audit daemon (or listen on the read-only multicast group when
// another daemon holds that role), raise the backlog, add our syscall rules
// (key bullion-<pid>, never our own pid), enable auditing, start the reader.
// run(): translate until stopped; then undo everything in the order the
// kernel needs (rules, drain, unregister, settings). See docs/live.md.
#include <libaudit.h>
#include <linux/netlink.h>
#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <thread>

#include "bullion/live/source.h"
#include "live/netlink_linux.h"
#include "live/preselect.h"
#include "live/record_queue.h"
#include "live/rules_linux.h"
#include "live/state_file_linux.h"
#include "live/translator_linux.h"

namespace bullion::live {
namespace {

using linux_audit::AuditState;
using linux_audit::ControlChannel;

// One netlink datagram holds one audit record (MAX_AUDIT_MESSAGE_LENGTH).
constexpr size_t kDatagramBytes = 16384;
constexpr int kPollMillis = 100;
constexpr auto kMaxDrain = std::chrono::seconds(1);
// How often the consumer asks the kernel for its lost counter and whether
// we are still the audit daemon.
constexpr auto kStatusEvery = std::chrono::seconds(1);
constexpr uint32_t kFirstAuditType = 1000;  // below: netlink control messages
// Queue entries that are not records: the reader's notes to the consumer.
constexpr uint32_t kOverrunMarker = 0xffff0001;  // ENOBUFS on the socket

class LinuxLiveSource final : public LiveSource {
 public:
  LinuxLiveSource(ControlChannel control, int stop_fd) : control_(std::move(control)), stop_fd_(stop_fd) {}
  ~LinuxLiveSource() override;

  Status start(const LiveOptions& options) override;
  using LiveSource::run;
  Status run(const RecordSink& sink, const std::function<void()>& batch_done) override;
  void request_stop() override;
  LiveStats stats() const override;

 private:
  Status open_data_socket();
  Status raise_backlog(const LiveOptions& options);
  Status add_rules(const LiveOptions& options);
  void reader_loop();
  bool read_datagrams();
  void shutdown_kernel_side();
  void check_kernel(BsmTranslator& translator);
  void restore_settings();
  static linux_audit::Settings settings_of(const AuditState& s);
  void apply_settings(const linux_audit::Settings& want);
  bool rule_is_stale(std::string_view key);

  ControlChannel control_;
  int stop_fd_ = -1;
  int data_fd_ = -1;
  bool registered_ = false;  // we are the audit daemon (else multicast)
  std::optional<AuditState> saved_;
  bool settings_changed_ = false;
  std::string key_;
  std::shared_ptr<const tables::EventTable> events_;
  std::optional<Preselector> preselector_;
  std::unique_ptr<RecordQueue> queue_;
  std::thread reader_;
  std::atomic<bool> draining_{false};
  Error reader_error_;
  std::atomic<bool> reader_failed_{false};
  std::atomic<uint64_t> records_{0};
  uint64_t kernel_lost_ = 0;
  uint32_t last_lost_ = 0;  // the kernel's lost counter when last reported
  std::map<std::string, uint64_t> lost_;
  uint64_t skipped_ = 0;
  uint64_t reregistered_ = 0;
  std::string state_path_ = linux_audit::kDefaultStatePath;
  linux_audit::Collector self_ = linux_audit::self_collector();
  bool joined_ = false;  // we are listed in the state file
};

LinuxLiveSource::~LinuxLiveSource() {
  // run() normally did all of this; a source destroyed without run() (or
  // after a failed start) must still leave the kernel as it found it.
  if (reader_.joinable()) {
    (void)control_.delete_rules_if([&](std::string_view key) { return key == key_; });
    draining_ = true;
    reader_.join();
  }
  shutdown_kernel_side();
  if (data_fd_ >= 0) ::close(data_fd_);
  if (stop_fd_ >= 0) ::close(stop_fd_);
}

Status LinuxLiveSource::start(const LiveOptions& options) {
  auto state = control_.state();
  if (!state) return state.error();
  if (state->enabled == 2) {
    return Error{Errc::Permission, 0, 0, "kernel audit rules are locked (enabled=2)"};
  }
  saved_ = *state;
  last_lost_ = state->lost;
  key_ = linux_rules::make_key(static_cast<uint32_t>(::getpid()));
  // Settings as the first collector found them, shared through the state
  // file: restored now if collectors died without restoring (kill -9).
  auto joined = linux_audit::join(state_path_, settings_of(*state), self_);
  if (!joined) return joined.error();
  joined_ = true;
  if (joined->restore) apply_settings(*joined->restore);
  auto stale = control_.delete_rules_if([&](std::string_view key) { return rule_is_stale(key); });
  if (!stale) return stale.error();
  queue_ = std::make_unique<RecordQueue>(options.queue_bytes);
  int rcvbuf = static_cast<int>(options.socket_buffer_bytes);
  Status s = open_data_socket();
  if (s) setsockopt(data_fd_, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf);
  if (s) s = raise_backlog(options);
  if (s) s = add_rules(options);
  if (s && saved_->enabled == 0) s = control_.set_enabled(1);
  if (!s) {
    shutdown_kernel_side();
    return s;
  }
  reader_ = std::thread([this] { reader_loop(); });
  return Ok{};
}

// The audit daemon's socket receives every record by unicast. Only one
// process may be the daemon; when one already is, the read-only multicast
// group delivers the same records beside it.
Status LinuxLiveSource::open_data_socket() {
  data_fd_ = audit_open();
  if (data_fd_ < 0) return linux_audit::audit_error(errno, "kernel audit (netlink) open");
  const int rc = audit_set_pid(data_fd_, static_cast<uint32_t>(::getpid()), WAIT_YES);
  settings_changed_ = true;
  if (rc >= 0) {
    registered_ = true;
    return Ok{};
  }
  if (rc != -EEXIST) return linux_audit::audit_error(rc, "register as audit daemon");
  int group = AUDIT_NLGRP_READLOG;
  if (setsockopt(data_fd_, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group, sizeof group) != 0) {
    return linux_audit::audit_error(errno, "join AUDIT_NLGRP_READLOG");
  }
  return Ok{};
}

Status LinuxLiveSource::raise_backlog(const LiveOptions& options) {
  if (options.backlog_limit > saved_->backlog_limit) {
    if (Status s = control_.set_backlog_limit(options.backlog_limit); !s) return s;
  }
  return control_.set_backlog_wait_time(options.backlog_wait_ticks);
}

Status LinuxLiveSource::add_rules(const LiveOptions& options) {
  events_ = options.events;  // the preselector refers to it until we die
  const tables::EventTable& events = events_ ? *events_ : tables::EventTable::builtin();
  preselector_.emplace(options.classes, events, options.auid);
  auto syscall_events = BsmTranslator::syscall_events();
  if (syscall_events.empty()) {
    return Error{Errc::Unsupported, 0, 0, "this build has no Linux syscall -> BSM table"};
  }
  const auto planned = linux_rules::plan_rules(options.classes, events, syscall_events);
  linux_rules::RuleContext ctx;
  ctx.exclude_pid = static_cast<uint32_t>(::getpid());
  ctx.auid = options.auid;
  ctx.key = key_;
  const int native = audit_detect_machine();
  const int compat = audit_determine_machine("b32");
  size_t added = 0;
  for (int machine : {native, compat}) {
    if (machine < 0 || (machine == compat && (compat == native || !options.include_32bit))) {
      continue;
    }
    ctx.machine = machine;
    ctx.arch = audit_machine_to_elf(machine);
    for (const linux_rules::SyscallRule& rule : planned) {
      auto bytes = linux_rules::encode_rule(rule, ctx);
      if (bytes.empty()) continue;
      if (Status s = control_.add_exit_rule(std::move(bytes)); !s) return s;
      ++added;
    }
  }
  if (added == 0) {
    return Error{Errc::InvalidArgument, 0, 0, "the classes select no Linux syscall"};
  }
  return Ok{};
}

// Reads datagrams until the consumer asks to drain and the socket has been
// quiet for one poll period (or, when others' rules keep it busy, for at
// most kMaxDrain). Never waits on the consumer.
void LinuxLiveSource::reader_loop() {
  pollfd fds[2] = {{data_fd_, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
  bool stop_seen = false;
  std::optional<std::chrono::steady_clock::time_point> drain_start;
  for (;;) {
    const int n = ::poll(fds, stop_seen ? 1 : 2, kPollMillis);
    if (n < 0 && errno != EINTR) break;
    if (draining_ && !drain_start) drain_start = std::chrono::steady_clock::now();
    if (draining_ && (n == 0 || std::chrono::steady_clock::now() - *drain_start > kMaxDrain)) {
      break;
    }
    if (!stop_seen && (fds[1].revents & POLLIN)) {
      uint64_t count = 0;
      (void)!::read(stop_fd_, &count, sizeof count);
      stop_seen = true;
      queue_->signal_stop();
    }
    if ((fds[0].revents & POLLIN) && !read_datagrams()) break;
  }
  queue_->close();
}

// Unicast records carry an nlmsg_len without the 16-byte header, so the
// datagram size, not the header, says where the payload ends.
bool LinuxLiveSource::read_datagrams() {
  alignas(nlmsghdr) uint8_t buffer[kDatagramBytes];
  for (int i = 0; i < 256; ++i) {
    const ssize_t got = ::recv(data_fd_, buffer, sizeof buffer, MSG_DONTWAIT);
    if (got < 0) {
      if (errno == EAGAIN || errno == EINTR) return true;
      if (errno == ENOBUFS) {
        // The socket overflowed and records were dropped for us; how many
        // shows as a serial gap, which the consumer reports as "socket".
        queue_->push(kOverrunMarker, {});
        continue;
      }
      reader_error_ = linux_audit::audit_error(errno, "read audit records");
      reader_failed_ = true;
      return false;
    }
    if (static_cast<size_t>(got) < NLMSG_HDRLEN) continue;
    const auto* header = reinterpret_cast<const nlmsghdr*>(buffer);
    // Acks of our own requests (AUDIT_SET when registering again) are no records.
    if (header->nlmsg_type < kFirstAuditType) continue;
    size_t size = static_cast<size_t>(got) - NLMSG_HDRLEN;
    while (size > 0 && buffer[NLMSG_HDRLEN + size - 1] == 0) --size;
    queue_->push(header->nlmsg_type, std::span<const uint8_t>(buffer + NLMSG_HDRLEN, size));
  }
  return true;
}

Status LinuxLiveSource::run(const RecordSink& sink, const std::function<void()>& batch_done) {
  if (!reader_.joinable()) return Error{Errc::InvalidArgument, 0, 0, "run() before start()"};
  auto translator = BsmTranslator::create([&](std::span<const uint8_t> record) {
    if (!preselector_->wanted(record)) return;
    records_.fetch_add(1, std::memory_order_relaxed);
    sink(record);
  });
  if (!translator) {
    request_stop();
    draining_ = true;
  }
  std::vector<uint8_t> batch;
  auto next_status = std::chrono::steady_clock::now() + kStatusEvery;
  for (;;) {
    const RecordQueue::Batch got = queue_->pop_all(batch, std::chrono::milliseconds(200));
    if (translator) {
      RecordQueue::for_each(batch, [&](uint32_t type, std::span<const uint8_t> bytes) {
        if (type == kOverrunMarker) return (*translator)->note_overrun();
        (*translator)->feed(type, {reinterpret_cast<const char*>(bytes.data()), bytes.size()});
      });
      if (const uint64_t dropped = queue_->take_unreported_drops()) (*translator)->report_loss(dropped, "queue");
    }
    if (translator && batch.empty()) (*translator)->expire();
    if (translator && std::chrono::steady_clock::now() >= next_status) {
      check_kernel(**translator);
      next_status = std::chrono::steady_clock::now() + kStatusEvery;
    }
    if (batch_done) batch_done();
    if (got.stop_requested && !draining_) {
      // Rules go first so the drain has an end; the reader then empties the
      // socket: records left there at exit would be lost uncounted.
      (void)control_.delete_rules_if([&](std::string_view key) { return key == key_; });
      draining_ = true;
    }
    if (got.closed) break;
  }
  reader_.join();
  if (translator) {
    if (const uint64_t dropped = queue_->take_unreported_drops()) (*translator)->report_loss(dropped, "queue");
    check_kernel(**translator);
    (*translator)->flush();
    lost_ = (*translator)->lost();
    skipped_ = (*translator)->skipped();
  }
  if (batch_done) batch_done();
  shutdown_kernel_side();
  if (!translator) return translator.error();
  if (reader_failed_) return reader_error_;
  return Ok{};
}

// The kernel's side of losses, asked once a second: its `lost` counter
// (records it dropped: backlog full, rate limit) goes into the stream as it
// grows; and if the kernel dropped us as the audit daemon (a consumer that
// stalled too long), we register again. The events missed meanwhile show
// as a serial gap.
void LinuxLiveSource::check_kernel(BsmTranslator& translator) {
  auto now = control_.state();
  if (!now) return;
  const uint32_t grown = now->lost - last_lost_;  // wraps like the kernel's u32
  if (grown != 0) {
    translator.report_loss(grown, "kernel");
    last_lost_ = now->lost;
  }
  const auto self = static_cast<uint32_t>(::getpid());
  if (registered_ && now->pid != self && (now->pid == 0 || ::kill(static_cast<pid_t>(now->pid), 0) != 0)) {
    // WAIT_NO: the ack arrives on the data socket, where the reader skips it.
    if (audit_set_pid(data_fd_, self, WAIT_NO) >= 0) ++reregistered_;
  }
}

// Idempotent: our rules, then the daemon role, then the saved settings.
void LinuxLiveSource::shutdown_kernel_side() {
  if (!saved_) return;
  (void)control_.delete_rules_if([&](std::string_view key) { return key == key_; });
  if (registered_) {
    (void)control_.set_daemon_pid(0);
    registered_ = false;
  }
  restore_settings();
  saved_.reset();
}

// The last collector out puts back the settings the first one found (the
// state file says which we are); others leave them for the ones still running.
void LinuxLiveSource::restore_settings() {
  if (auto now = control_.state()) kernel_lost_ = static_cast<uint32_t>(now->lost - saved_->lost);
  if (!joined_) return;
  joined_ = false;
  auto original = linux_audit::leave(state_path_, self_);
  if (original && *original) apply_settings(**original);
  settings_changed_ = false;
}

linux_audit::Settings LinuxLiveSource::settings_of(const AuditState& s) {
  return linux_audit::Settings{s.enabled, s.failure, s.backlog_limit, s.backlog_wait_time, s.rate_limit};
}

// Only what differs is set. failure is never set to 2 (it panics the kernel).
void LinuxLiveSource::apply_settings(const linux_audit::Settings& want) {
  auto now = control_.state();
  if (!now) return;
  if (now->backlog_limit != want.backlog_limit) (void)control_.set_backlog_limit(want.backlog_limit);
  if (now->backlog_wait_time != want.backlog_wait_time) (void)control_.set_backlog_wait_time(want.backlog_wait_time);
  if (now->rate_limit != want.rate_limit) (void)control_.set_rate_limit(want.rate_limit);
  if (now->failure != want.failure && want.failure < 2) (void)control_.set_failure(want.failure);
  if (now->enabled != want.enabled && now->enabled != 2) (void)control_.set_enabled(want.enabled);
}

// A bullion-<pid> rule whose collector is gone: its pid is dead, or (pid
// reuse) no live collector of the state file has it.
bool LinuxLiveSource::rule_is_stale(std::string_view key) {
  auto owner = linux_rules::key_owner(key);
  if (!owner || key == key_) return false;
  if (linux_audit::is_stale_bullion_key(key)) return true;
  for (const linux_audit::Collector& c : linux_audit::live_collectors(state_path_)) {
    if (static_cast<uint32_t>(c.pid) == *owner) return false;
  }
  return true;
}

void LinuxLiveSource::request_stop() {
  const uint64_t one = 1;
  (void)!::write(stop_fd_, &one, sizeof one);
}

LiveStats LinuxLiveSource::stats() const {
  LiveStats stats{records_.load(std::memory_order_relaxed), queue_ ? queue_->dropped() : 0, kernel_lost_};
  stats.lost = lost_;
  stats.skipped = skipped_;
  stats.reregistered = reregistered_;
  return stats;
}

}  // namespace

Result<std::unique_ptr<LiveSource>> open_live_source() {
  auto control = ControlChannel::open();
  if (!control) return control.error();
  const int stop_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (stop_fd < 0) return linux_audit::audit_error(errno, "eventfd");
  return std::unique_ptr<LiveSource>(new LinuxLiveSource(std::move(*control), stop_fd));
}

}  // namespace bullion::live
