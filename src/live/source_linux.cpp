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

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

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

// One encoded rule and the libaudit machine it is for.
struct PlannedRule {
  int machine = 0;
  std::vector<uint8_t> bytes;
};

// The classes a source's preselector must let through: everyone's, plus
// what single processes are audited for.
tables::PreselectMask all_classes(const LiveOptions& options) {
  tables::PreselectMask all = options.classes;
  for (const ProcessPreselection& p : options.processes) {
    all.success |= p.classes.success;
    all.failure |= p.classes.failure;
  }
  return all;
}

// Every rule start() adds for `options`: one set for everyone (never our
// own pid), one per process with its own classes (pid=), each per
// architecture. The same plan serves start, reconfigure and dry runs. No
// rule at all is fine: user-space records (logins, USER_*) and other
// standalone records arrive without rules, and lo and aa are made of them.
Result<std::vector<PlannedRule>> plan_kernel_rules(const LiveOptions& options, const tables::EventTable& events,
                                                   const std::string& key, uint32_t self_pid) {
  auto syscall_events = BsmTranslator::syscall_events();
  if (syscall_events.empty()) {
    return Error{Errc::Unsupported, 0, 0, "this build has no Linux syscall -> BSM table"};
  }
  const int native = audit_detect_machine();
  const int compat = audit_determine_machine("b32");
  std::vector<PlannedRule> planned;
  auto add_set = [&](tables::PreselectMask classes, linux_rules::RuleContext ctx) {
    for (int machine : {native, compat}) {
      if (machine < 0 || (machine == compat && (compat == native || !options.include_32bit))) continue;
      ctx.machine = machine;
      ctx.arch = audit_machine_to_elf(machine);
      for (const linux_rules::SyscallRule& rule : linux_rules::plan_rules(classes, events, syscall_events)) {
        auto bytes = linux_rules::encode_rule(rule, ctx);
        if (!bytes.empty()) planned.push_back(PlannedRule{machine, std::move(bytes)});
      }
    }
  };
  linux_rules::RuleContext everyone;
  everyone.exclude_pid = self_pid;
  everyone.auid = options.auid;
  everyone.key = key;
  add_set(options.classes, everyone);
  for (const ProcessPreselection& process : options.processes) {
    linux_rules::RuleContext one = everyone;
    one.exclude_pid = 0;
    one.only_pid = process.pid;
    add_set(process.classes, one);
  }
  return planned;
}

// Two rules the kernel would call the same (it refuses the second with
// EEXIST): everything but the list and action the kernel fills in.
bool same_rule(std::span<const uint8_t> a, std::span<const uint8_t> b) {
  if (a.size() < sizeof(audit_rule_data) || b.size() < sizeof(audit_rule_data)) return false;
  const auto& x = *reinterpret_cast<const audit_rule_data*>(a.data());
  const auto& y = *reinterpret_cast<const audit_rule_data*>(b.data());
  if (x.field_count != y.field_count || x.buflen != y.buflen) return false;
  if (std::memcmp(x.mask, y.mask, sizeof x.mask) != 0) return false;
  const size_t n = std::min<size_t>(x.field_count, AUDIT_MAX_FIELDS);
  for (size_t i = 0; i < n; ++i) {
    if (x.fields[i] != y.fields[i] || x.values[i] != y.values[i] || x.fieldflags[i] != y.fieldflags[i]) return false;
  }
  return a.size() >= sizeof(audit_rule_data) + x.buflen && b.size() >= sizeof(audit_rule_data) + y.buflen &&
         std::memcmp(x.buf, y.buf, x.buflen) == 0;
}

class LinuxLiveSource final : public LiveSource {
 public:
  LinuxLiveSource(ControlChannel control, int stop_fd) : control_(std::move(control)), stop_fd_(stop_fd) {}
  ~LinuxLiveSource() override;

  Status start(const LiveOptions& options) override;
  using LiveSource::run;
  Status run(const RecordSink& sink, const std::function<void()>& batch_done) override;
  void request_stop() override;
  LiveStats stats() const override;
  Status reconfigure(const LiveOptions& options) override;

 private:
  Status open_data_socket();
  Status raise_backlog(const LiveOptions& options);
  Status apply_failure_mode(const LiveOptions& options);
  void restore_failure_mode();
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
  std::atomic<bool> block_when_full_{false};  // policy without cnt: the reader waits
  // The failure mode the first collector found (the state file's), and
  // whether we changed it: a panic mode must not outlive the daemon that
  // set it, even while other collectors still run.
  uint32_t original_failure_ = 0;
  bool failure_changed_ = false;
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
  original_failure_ = joined->original.failure;
  if (joined->restore) apply_settings(*joined->restore);
  auto stale = control_.delete_rules_if([&](std::string_view key) { return rule_is_stale(key); });
  if (!stale) return stale.error();
  queue_ = std::make_unique<RecordQueue>(options.queue_bytes);
  int rcvbuf = static_cast<int>(options.socket_buffer_bytes);
  Status s = open_data_socket();
  if (s) setsockopt(data_fd_, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf);
  block_when_full_ = options.block_when_full;
  if (s) s = raise_backlog(options);
  if (s) s = apply_failure_mode(options);
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

// Set only when it differs; restore_failure_mode() puts the original back.
Status LinuxLiveSource::apply_failure_mode(const LiveOptions& options) {
  const uint32_t wanted = options.failure_mode.value_or(original_failure_);
  auto now = control_.state();
  if (now && now->failure == wanted) return Ok{};
  failure_changed_ = wanted != original_failure_;
  return control_.set_failure(wanted);
}

void LinuxLiveSource::restore_failure_mode() {
  if (!failure_changed_) return;
  (void)control_.set_failure(original_failure_);
  failure_changed_ = false;
}

Status LinuxLiveSource::add_rules(const LiveOptions& options) {
  events_ = options.events;  // the preselector refers to it until we die
  const tables::EventTable& events = events_ ? *events_ : tables::EventTable::builtin();
  preselector_.emplace(all_classes(options), events, options.auid);
  auto planned = plan_kernel_rules(options, events, key_, static_cast<uint32_t>(::getpid()));
  if (!planned) return planned.error();
  for (PlannedRule& rule : *planned) {
    if (Status s = control_.add_exit_rule(std::move(rule.bytes)); !s) return s;
  }
  return Ok{};
}

// New rules first, then the old ones that are no longer wanted: an event
// matched by either is recorded once, so nothing is lost or doubled.
Status LinuxLiveSource::reconfigure(const LiveOptions& options) {
  if (!saved_) return Error{Errc::InvalidArgument, 0, 0, "reconfigure() before start()"};
  auto events = options.events ? options.events : events_;
  const tables::EventTable& table = events ? *events : tables::EventTable::builtin();
  auto planned = plan_kernel_rules(options, table, key_, static_cast<uint32_t>(::getpid()));
  if (!planned) return planned.error();
  auto listed = control_.list_rules();
  if (!listed) return listed.error();
  std::vector<std::vector<uint8_t>> ours;
  for (auto& rule : *listed) {
    if (linux_rules::rule_key(rule) == std::optional<std::string_view>(key_)) ours.push_back(std::move(rule));
  }
  for (PlannedRule& rule : *planned) {
    const bool present =
        std::any_of(ours.begin(), ours.end(), [&](const auto& old) { return same_rule(old, rule.bytes); });
    if (present) continue;
    if (Status s = control_.add_exit_rule(rule.bytes); !s) return s;
  }
  for (auto& old : ours) {
    const bool wanted = std::any_of(planned->begin(), planned->end(),
                                    [&](const PlannedRule& rule) { return same_rule(old, rule.bytes); });
    if (wanted) continue;
    if (Status s = control_.delete_rule(std::move(old)); !s) return s;
  }
  events_ = std::move(events);
  preselector_.emplace(all_classes(options), events_ ? *events_ : tables::EventTable::builtin(), options.auid);
  block_when_full_ = options.block_when_full;
  if (Status s = apply_failure_mode(options); !s) return s;
  return control_.set_backlog_wait_time(options.backlog_wait_ticks);
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
    const std::span<const uint8_t> payload(buffer + NLMSG_HDRLEN, size);
    if (block_when_full_) {
      queue_->push_waiting(header->nlmsg_type, payload, draining_);
    } else {
      queue_->push(header->nlmsg_type, payload);
    }
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
  restore_failure_mode();
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

Result<std::vector<std::string>> describe_kernel_plan(const LiveOptions& options) {
  const tables::EventTable& events = options.events ? *options.events : tables::EventTable::builtin();
  const uint32_t self = static_cast<uint32_t>(::getpid());
  auto planned = plan_kernel_rules(options, events, linux_rules::make_key(self), self);
  if (!planned) return planned.error();
  std::vector<std::string> lines;
  lines.push_back("enabled=1 (when it was 0; put back at stop)");
  lines.push_back(options.failure_mode ? "failure=" + std::to_string(*options.failure_mode) + " (put back at stop)"
                                       : std::string("failure unchanged"));
  lines.push_back("backlog_limit>=" + std::to_string(options.backlog_limit) + " (raised, never lowered)");
  lines.push_back("backlog_wait_time=" + std::to_string(options.backlog_wait_ticks) + " ticks");
  lines.push_back(options.block_when_full ? "reader waits for the consumer (the kernel backlog fills, processes wait)"
                                          : "reader drops and counts what the consumer cannot take");
  for (const PlannedRule& rule : *planned) lines.push_back(linux_rules::describe_rule(rule.bytes, rule.machine));
  return lines;
}

Result<std::unique_ptr<LiveSource>> open_live_source() {
  auto control = ControlChannel::open();
  if (!control) return control.error();
  const int stop_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (stop_fd < 0) return linux_audit::audit_error(errno, "eventfd");
  return std::unique_ptr<LiveSource>(new LinuxLiveSource(std::move(*control), stop_fd));
}

}  // namespace bullion::live
