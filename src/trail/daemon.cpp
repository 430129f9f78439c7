#include "bullion/trail/daemon.h"

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "bullion/pipeline/live.h"
#include "bullion/trail/recovery.h"
#include "bullion/trail/sinks.h"

namespace bullion::trail {

namespace {

constexpr uint32_t kFailPanic = 2;         // AUDIT_FAIL_PANIC: policy ahlt
constexpr uint32_t kSuspendTicks = 60000;  // the longest backlog wait every kernel accepts
constexpr uint32_t kUnsetAuid = 0xffffffffu;

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{Errc::NotFound, 0, 0, path + ": " + std::strerror(errno)};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

// audit_user names become uids here, once: records carry numbers.
Result<std::vector<UserMask>> user_masks(const DaemonPaths& paths, const tables::TableSet& tables,
                                         std::vector<std::string>& notes) {
  std::vector<UserMask> masks;
  if (!exists(paths.audit_user)) return masks;
  auto text = read_file(paths.audit_user);
  if (!text) return text.error();
  auto users = tables::parse_audit_user(*text, *tables.classes);
  if (!users) return Error{Errc::Parse, 0, 0, paths.audit_user + ": " + users.error().message};
  for (const tables::UserEntry& user : *users) {
    auto uid = tables.accounts->user_id(user.name);
    if (!uid) {
      notes.push_back(paths.audit_user + ": no user '" + user.name + "' on this host; line ignored");
      continue;
    }
    masks.push_back(UserMask{*uid, user.always, user.never});
  }
  return masks;
}

KeeperOptions keeper_options(const tables::AuditControl& control, std::chrono::milliseconds sync_interval,
                             std::vector<std::string>& notes) {
  KeeperOptions o;
  o.dirs = control.dirs;
  o.filesz = control.filesz.value_or(0);
  if (o.filesz != 0 && o.filesz < tables::kMinimumFilesz) {
    notes.push_back("filesz " + std::to_string(o.filesz) + " is below 512K: 512K is used");
    o.filesz = tables::kMinimumFilesz;
  }
  if (!control.expire_after.empty()) o.expire = *tables::parse_expire_after(control.expire_after);
  if (!control.minfree) notes.push_back("no minfree in audit_control: no warning before a trail directory fills");
  o.minfree = control.minfree.value_or(0);
  o.cnt = (control.policy & kPolicyCnt) != 0;
  o.mode = 0440;  // OpenBSM's: read-only, owner and group
  o.sync_interval = sync_interval;
  return o;
}

// A live source that never touches the kernel (--no-kernel): it tells what
// it would apply and delivers no records.
class PlanSource final : public live::LiveSource {
 public:
  explicit PlanSource(LogFunction log) : log_(std::move(log)), stop_fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}
  ~PlanSource() override { ::close(stop_fd_); }
  Status start(const live::LiveOptions& options) override { return tell(options, "would apply"); }
  Status reconfigure(const live::LiveOptions& options) override { return tell(options, "would now apply"); }
  using LiveSource::run;
  Status run(const RecordSink&, const std::function<void()>& batch_done) override {
    pollfd fd{stop_fd_, POLLIN, 0};
    while (::poll(&fd, 1, 200) == 0 || (fd.revents & POLLIN) == 0) {
      if (batch_done) batch_done();
    }
    if (batch_done) batch_done();
    return Ok{};
  }
  void request_stop() override {
    const uint64_t one = 1;
    (void)!::write(stop_fd_, &one, sizeof one);
  }
  live::LiveStats stats() const override { return {}; }

 private:
  Status tell(const live::LiveOptions& options, std::string_view what) {
    auto plan = live::describe_kernel_plan(options);
    if (!plan) return plan.error();
    log_(LogLevel::Notice, "no kernel changes (--no-kernel); " + std::string(what) + ":");
    for (const std::string& line : *plan) log_(LogLevel::Notice, "  " + line);
    return Ok{};
  }
  LogFunction log_;
  int stop_fd_;
};

// "getpolicy", "setmask 42 fr,fw" ... as words.
std::vector<std::string_view> words(std::string_view text) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\n')) ++i;
    const size_t start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\n') ++i;
    if (i > start) out.push_back(text.substr(start, i - start));
  }
  return out;
}

std::optional<uint32_t> parse_pid(std::string_view text) {
  uint32_t pid = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), pid);
  if (ec != std::errc() || end != text.data() + text.size() || pid == 0) return std::nullopt;
  return pid;
}

// kill(pid, 0) says EPERM for a process we may not signal: it exists.
bool process_exists(uint32_t pid) { return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM; }

// A process's login uid, as the kernel puts it into its records.
std::optional<uint32_t> login_uid(uint32_t pid) {
  auto text = read_file("/proc/" + std::to_string(pid) + "/loginuid");
  if (!text) return std::nullopt;
  uint32_t auid = kUnsetAuid;
  std::from_chars(text->data(), text->data() + text->size(), auid);
  return auid;
}

}  // namespace

Result<DaemonConfig> load_daemon_config(const DaemonPaths& paths, std::chrono::milliseconds sync_interval) {
  tables::TableOptions table_options;
  table_options.root = paths.root;
  auto loaded = tables::load_tables(table_options);
  if (!loaded) return loaded.error();
  DaemonConfig config{std::move(*loaded)};
  auto text = read_file(paths.audit_control);
  if (!text) return text.error();
  auto control = tables::parse_audit_control(*text, *config.tables.classes);
  if (!control) return Error{Errc::Parse, 0, 0, paths.audit_control + ": " + control.error().message};
  if (control->dirs.empty()) return Error{Errc::InvalidArgument, 0, 0, paths.audit_control + ": no dir: line"};
  config.control = std::move(*control);
  auto users = user_masks(paths, config.tables, config.notes);
  if (!users) return users.error();
  config.selection =
      Selection{config.control.flags, config.control.naflags, std::move(*users), {}, config.control.policy};
  config.keeper = keeper_options(config.control, sync_interval, config.notes);
  return config;
}

live::LiveOptions live_options_for(const TrailSelector& selector, std::optional<uint32_t> auid) {
  live::LiveOptions o;
  o.auid = auid;
  o.classes = selector.kernel_classes();
  o.non_attributable = selector.selection().naflags;
  o.events = selector.events();
  for (const ProcessMask& process : selector.selection().processes) {
    if (process.added.success | process.added.failure) o.processes.push_back({process.pid, process.added});
  }
  const uint32_t policy = selector.selection().policy;
  if (policy & kPolicyAhlt) o.failure_mode = kFailPanic;
  // Without cnt a record that cannot be written must not be dropped: the
  // reader waits, and audited processes wait in the kernel in turn.
  o.block_when_full = !(policy & kPolicyCnt);
  if (o.block_when_full) o.backlog_wait_ticks = kSuspendTicks;
  return o;
}

// ---- the daemon ---------------------------------------------------------

struct Daemon::State {
  DaemonOptions options;
  DaemonPaths paths;
  std::unique_ptr<PidFile> pid_file;
  DaemonConfig config;
  std::shared_ptr<const tables::EventTable> events;  // with auditon's class changes
  std::unique_ptr<TrailSelector> selector;
  std::unique_ptr<ProgramWarner> warner;
  std::unique_ptr<live::LiveSource> source;
  std::unique_ptr<TrailKeeper> keeper;
  std::unique_ptr<ControlServer> control;
  // The capture's sinks: requests between batches, then preselection, then
  // the trails.
  struct RequestSink final : bsm::FilterSink {
    RequestSink(State& state, bsm::RecordSink& next) : FilterSink(next), state(state) {}
    bsm::Flow record(const bsm::RecordView& r) override { return next().record(r); }
    void idle() override {
      state.between_batches();
      next().idle();
    }
    State& state;
  };
  std::unique_ptr<TrailSink> trail_sink;
  std::unique_ptr<SelectionSink> selection_sink;
  std::unique_ptr<RequestSink> request_sink;

  std::atomic<bool> stop{false};
  std::atomic<int> reloads{0}, rotations{0}, read_files{0}, expiries{0};

  void log(LogLevel level, const std::string& message) {
    if (options.log) options.log(level, message);
  }
  void warn(std::string_view reason) {
    log(LogLevel::Warning, "audit_warn " + std::string(reason));
    if (Status s = warner->warn(reason, {}); !s) log(LogLevel::Error, "audit_warn: " + s.error().message);
  }

  Status start();
  void recover_trails();
  void between_batches();
  Status reload(bool new_trail);
  Status apply_selection(Selection selection);
  Result<std::string> answer(std::string_view request);
  Result<std::string> change_policy(std::string_view names, bool set);
  Result<std::string> change_mask(std::string_view pid_text, std::string_view classes, bool set);
  Result<std::string> event_classes(std::string_view event_name);
  Result<std::string> change_class(std::string_view event_name, std::string_view class_name, bool set);
};

Status Daemon::State::start() {
  auto held = running_daemon(paths.pid_file);
  if (held) {
    warn(warn_reason::kEbusy);
    return Error{Errc::InvalidArgument, 0, 0, "another bsmauditd runs (pid " + std::to_string(*held) + ")"};
  }
  auto config_read = load_daemon_config(paths, options.sync_interval);
  if (!config_read) {
    warn(warn_reason::kNoStart);
    return config_read.error();
  }
  config = std::move(*config_read);
  for (const std::string& note : config.notes) log(LogLevel::Warning, note);
  if (!paths.root.empty()) {
    std::error_code ignored;  // acquire() below says what went wrong
    std::filesystem::create_directories(paths.root + "/var/run", ignored);
  }
  auto pid = PidFile::acquire(paths.pid_file);
  if (!pid) {
    warn(pid.error().code == Errc::InvalidArgument ? warn_reason::kEbusy : warn_reason::kTmpFile);
    return pid.error();
  }
  pid_file = std::move(*pid);
  events = config.tables.events;
  selector = std::make_unique<TrailSelector>(config.selection, events);
  if (options.use_kernel) {
    auto opened = live::open_live_source();
    if (!opened) {
      warn(warn_reason::kNoStart);
      return opened.error();
    }
    source = std::move(*opened);
  } else {
    source = std::make_unique<PlanSource>(options.log);
  }
  if (Status started = source->start(live_options_for(*selector, options.auid)); !started) {
    warn(warn_reason::kNoStart);
    return started.error();
  }
  KeeperEnvironment environment{Clock::system(),
                                SpaceProbe::system(),
                                *warner,
                                [this](LogLevel level, std::string_view m) { log(level, std::string(m)); },
                                current_identity(),
                                [this] { return stop.load(); }};
  keeper = std::make_unique<TrailKeeper>(config.keeper, environment);
  trail_sink = std::make_unique<TrailSink>(*keeper, options.log);
  selection_sink = std::make_unique<SelectionSink>(*selector, *trail_sink);
  request_sink = std::make_unique<RequestSink>(*this, *selection_sink);
  std::vector<RecoveredTrail> recovered;
  for (const std::string& path : find_open_trails(config.keeper.dirs)) {
    auto done = recover_trail(path, Clock::system().now());
    if (!done) {
      log(LogLevel::Error, "crash recovery: " + done.error().message);
      continue;
    }
    log(LogLevel::Notice, "crash recovery: " + done->from + " -> " + done->to + " (" + std::to_string(done->records) +
                              " records kept, " + std::to_string(done->cut_bytes) + " torn bytes cut off)");
    if (done->damaged) log(LogLevel::Error, "crash recovery: " + done->to + " is damaged inside: " + done->damage);
    recovered.push_back(std::move(*done));
  }
  if (Status opened = keeper->open(); !opened) {
    warn(warn_reason::kNoStart);
    return opened.error();
  }
  keeper->write_daemon_record(kAueAuditStartup, "bsmauditd::Audit startup");
  for (const RecoveredTrail& trail : recovered) {
    keeper->write_daemon_record(kAueAuditRecovery, "bsmauditd::Audit recovery", trail.to);
  }
  auto server = ControlServer::listen(paths.control_socket);
  if (!server) {
    log(LogLevel::Error, "control socket: " + server.error().message + " (auditon will not reach this daemon)");
  } else {
    control = std::move(*server);
  }
  return Ok{};
}

// Everything that is not a record happens here, on the capture thread
// between batches: signals and triggers, auditon's requests (the trail
// sink's idle() then writes out and syncs).
void Daemon::State::between_batches() {
  if (stop) return;
  if (reloads.exchange(0) > 0) (void)reload(false);
  if (read_files.exchange(0) > 0) (void)reload(true);
  for (int n = rotations.exchange(0); n > 0; --n) {
    if (Status rotated = keeper->rotate(); !rotated) log(LogLevel::Error, "rotate: " + rotated.error().message);
  }
  if (expiries.exchange(0) > 0) keeper->expire();
  if (control) control->serve([this](std::string_view request) { return answer(request); });
  for (const WarnExit& exit : warner->reap()) {
    log(LogLevel::Warning, "audit_warn (pid " + std::to_string(exit.pid) + ") " +
                               (exit.signaled ? "died of signal " : "exited with status ") + std::to_string(exit.code));
  }
}

// SIGHUP re-reads audit_control and applies it; audit -s does the same and
// starts a new trail under it (OpenBSM's READ_FILE trigger), then expires.
// auditon's policy and class changes are undone (the files say otherwise
// now); its per-process masks stay, as a BSD kernel keeps them.
Status Daemon::State::reload(bool new_trail) {
  auto fresh = load_daemon_config(paths, options.sync_interval);
  if (!fresh) {
    log(LogLevel::Error, "audit_control not applied, the old one stays: " + fresh.error().message);
    return fresh.error();
  }
  for (const std::string& note : fresh->notes) log(LogLevel::Warning, note);
  Selection selection = fresh->selection;
  selection.processes = selector->selection().processes;
  config = std::move(*fresh);
  events = config.tables.events;
  if (Status applied = apply_selection(std::move(selection)); !applied) return applied;
  if (!new_trail) {
    keeper->set_options(config.keeper);
    log(LogLevel::Notice, "audit_control re-read");
    return Ok{};
  }
  Status rotated = keeper->reconfigure(config.keeper);
  if (!rotated) log(LogLevel::Error, "new trail: " + rotated.error().message);
  log(LogLevel::Notice, "audit_control re-read; new trail");
  return rotated;
}

// Preselection changes reach the kernel first (new rules before old ones
// go), then the selector: records in flight were asked for under either.
Status Daemon::State::apply_selection(Selection selection) {
  auto next = std::make_unique<TrailSelector>(std::move(selection), events);
  if (Status s = source->reconfigure(live_options_for(*next, options.auid)); !s) {
    log(LogLevel::Error, "kernel preselection not changed: " + s.error().message);
    return s;
  }
  selector = std::move(next);
  selection_sink->use(*selector);
  KeeperOptions keeper_now = config.keeper;
  keeper_now.cnt = (selector->selection().policy & kPolicyCnt) != 0;
  config.keeper = keeper_now;
  keeper->set_options(keeper_now);
  return Ok{};
}

Result<std::string> Daemon::State::answer(std::string_view request) {
  const auto w = words(request);
  if (w.empty()) return Error{Errc::InvalidArgument, 0, 0, "empty request"};
  const std::string_view command = w[0];
  log(LogLevel::Info, "auditon " + std::string(request.substr(0, 200)));
  if (command == "getpolicy" && w.size() == 1) return tables::format_policy(selector->selection().policy);
  if ((command == "setpolicy" || command == "unsetpolicy") && w.size() == 2) {
    return change_policy(w[1], command == "setpolicy");
  }
  if (command == "getmask" && w.size() == 2) {
    auto pid = parse_pid(w[1]);
    auto auid = pid ? login_uid(*pid) : std::nullopt;
    if (!auid) return Error{Errc::NotFound, 0, 0, "no process " + std::string(w[1])};
    return tables::format_class_flags(selector->mask_for(*auid, *pid), *config.tables.classes);
  }
  if ((command == "setmask" || command == "unsetmask") && w.size() == 3) {
    return change_mask(w[1], w[2], command == "setmask");
  }
  if (command == "getclass" && w.size() == 2) return event_classes(w[1]);
  if ((command == "setclass" || command == "unsetclass") && w.size() == 3) {
    return change_class(w[1], w[2], command == "setclass");
  }
  return Error{Errc::InvalidArgument, 0, 0, "unknown request '" + std::string(command) + "'"};
}

Result<std::string> Daemon::State::change_policy(std::string_view names, bool set) {
  auto bits = tables::parse_policy(names);
  if (!bits) return bits.error();
  Selection selection = selector->selection();
  selection.policy = set ? (selection.policy | *bits) : (selection.policy & ~*bits);
  if (Status applied = apply_selection(std::move(selection)); !applied) return applied.error();
  return tables::format_policy(selector->selection().policy);
}

Result<std::string> Daemon::State::change_mask(std::string_view pid_text, std::string_view classes, bool set) {
  auto pid = parse_pid(pid_text);
  if (!pid || !process_exists(*pid)) {
    return Error{Errc::NotFound, 0, 0, "no process " + std::string(pid_text)};
  }
  auto mask = tables::parse_class_flags(classes, *config.tables.classes);
  if (!mask) return mask.error();
  Selection selection = selector->selection();
  // Masks of processes that are gone go with them.
  std::erase_if(selection.processes, [](const ProcessMask& p) { return !process_exists(p.pid); });
  auto it = std::find_if(selection.processes.begin(), selection.processes.end(),
                         [&](const ProcessMask& p) { return p.pid == *pid; });
  if (it == selection.processes.end()) it = selection.processes.insert(selection.processes.end(), ProcessMask{*pid});
  auto& grow = set ? it->added : it->removed;
  auto& shrink = set ? it->removed : it->added;
  grow = tables::PreselectMask{grow.success | mask->success, grow.failure | mask->failure};
  shrink = tables::PreselectMask{shrink.success & ~mask->success, shrink.failure & ~mask->failure};
  if (Status applied = apply_selection(std::move(selection)); !applied) return applied.error();
  auto auid = login_uid(*pid);
  return tables::format_class_flags(selector->mask_for(auid.value_or(kUnsetAuid), *pid), *config.tables.classes);
}

// The classes an event is in, by name, one bit each (not "all"), as knox's
// auditon getclass lists them.
Result<std::string> Daemon::State::event_classes(std::string_view event_name) {
  const tables::EventEntry* event = events->find(event_name);
  if (event == nullptr) return Error{Errc::NotFound, 0, 0, "no event " + std::string(event_name)};
  std::string names;
  for (const tables::ClassEntry& entry : config.tables.classes->entries()) {
    if (std::popcount(entry.mask) != 1 || (event->class_mask & entry.mask) == 0) continue;
    if (!names.empty()) names += ',';
    names += entry.name;
  }
  if (names.empty()) return Error{Errc::NotFound, 0, 0, std::string(event_name) + " is in no class"};
  return names;
}

Result<std::string> Daemon::State::change_class(std::string_view event_name, std::string_view class_name, bool set) {
  const tables::EventEntry* event = events->find(event_name);
  if (event == nullptr) return Error{Errc::NotFound, 0, 0, "no event " + std::string(event_name)};
  const tables::ClassEntry* entry = config.tables.classes->find(class_name);
  if (entry == nullptr) return Error{Errc::NotFound, 0, 0, "no class " + std::string(class_name)};
  const uint32_t mask = set ? (event->class_mask | entry->mask) : (event->class_mask & ~entry->mask);
  auto previous = events;
  events = std::make_shared<const tables::EventTable>(events->with_class_mask(event->number, mask));
  if (Status applied = apply_selection(selector->selection()); !applied) {
    events = previous;
    return applied.error();
  }
  auto listed = event_classes(event_name);
  return listed ? *listed : std::string("none");
}

Daemon::Daemon(std::unique_ptr<State> state) : state_(std::move(state)) {}
Daemon::~Daemon() = default;

Result<std::unique_ptr<Daemon>> Daemon::start(const DaemonOptions& options) {
  auto state = std::make_unique<State>();
  state->options = options;
  state->paths = DaemonPaths::under(options.root);
  state->warner = std::make_unique<ProgramWarner>(state->paths.audit_warn);
  if (Status started = state->start(); !started) {
    // nostart / ebusy / tmpfile are told before the daemon exits.
    (void)state->warner->wait_all(2000);
    return started.error();
  }
  return std::unique_ptr<Daemon>(new Daemon(std::move(state)));
}

Status Daemon::run() {
  State& s = *state_;
  Status ran = pipeline::deliver_live(*s.source, *s.request_sink);
  s.keeper->write_daemon_record(kAueAuditShutdown, "bsmauditd::Audit shutdown");
  Status closed = s.keeper->close();
  if (!closed) {
    s.log(LogLevel::Error, "closing the trail: " + closed.error().message);
    s.warn(warn_reason::kPostSigterm);
  }
  for (const WarnExit& exit : s.warner->wait_all(2000)) {
    s.log(LogLevel::Warning,
          "audit_warn (pid " + std::to_string(exit.pid) + ") exited with " + std::to_string(exit.code));
  }
  s.control.reset();
  if (!ran) return ran;
  return closed;
}

void Daemon::request_stop() {
  state_->stop = true;
  state_->source->request_stop();
}

void Daemon::request_trigger(Trigger trigger) {
  switch (trigger) {
    case Trigger::CloseAndDie:
      request_stop();
      break;
    case Trigger::RotateUser:
      ++state_->rotations;
      break;
    case Trigger::ReadFile:
      ++state_->read_files;
      break;
    case Trigger::ExpireTrails:
      ++state_->expiries;
      break;
  }
}

void Daemon::request_reload() { ++state_->reloads; }

Daemon::Totals Daemon::totals() const {
  return Totals{state_->source->stats(), state_->keeper->stats(), state_->selection_sink->kept()};
}

// ---- signals -----------------------------------------------------------

namespace {

std::atomic<Daemon*> g_daemon{nullptr};

void on_signal(int signal_number, siginfo_t* info, void*) {
  Daemon* daemon = g_daemon.load();
  if (daemon == nullptr) return;
  if (signal_number == SIGTERM || signal_number == SIGINT) {
    daemon->request_stop();
  } else if (signal_number == SIGHUP) {
    daemon->request_reload();
  } else if (signal_number == trigger_signal()) {
    const int trigger = info->si_code == SI_QUEUE ? info->si_value.sival_int : 0;
    if (trigger == static_cast<int>(Trigger::ReadFile) || trigger == static_cast<int>(Trigger::CloseAndDie) ||
        trigger == static_cast<int>(Trigger::RotateUser) || trigger == static_cast<int>(Trigger::ExpireTrails)) {
      daemon->request_trigger(static_cast<Trigger>(trigger));
    }
  }
}

sigset_t daemon_signal_set() {
  sigset_t set;
  sigemptyset(&set);
  for (int signal_number : {SIGTERM, SIGINT, SIGHUP, trigger_signal()}) sigaddset(&set, signal_number);
  return set;
}

}  // namespace

void DaemonSignals::hold() {
  const sigset_t set = daemon_signal_set();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

DaemonSignals::DaemonSignals(Daemon& daemon) {
  g_daemon = &daemon;
  struct sigaction action {};
  action.sa_sigaction = on_signal;
  action.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset(&action.sa_mask);
  for (int signal_number : {SIGTERM, SIGINT, SIGHUP, trigger_signal()}) sigaction(signal_number, &action, nullptr);
  signal(SIGPIPE, SIG_IGN);
  const sigset_t set = daemon_signal_set();
  pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
}

// The handlers stay, doing nothing: a late signal must not cut short the
// daemon's last log lines.
DaemonSignals::~DaemonSignals() { g_daemon = nullptr; }

}  // namespace bullion::trail
