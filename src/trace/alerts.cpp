// Alert formats (the original line, JSON Lines) and the AlertWriter sink
// that sends them to stderr, log files, syslog and evidence files, and runs
// triggers.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "bullion/text/json_writer.h"
#include "bullion/trace/output.h"
#include "trace/keys.h"

namespace bullion::trace {
namespace {

bool is_group_type(SetType type) { return type == SetType::Egid || type == SetType::Rgid; }

}  // namespace

// The original printed with %d: times and the subject as signed ints, the
// milliseconds without zero padding. Kept byte for byte for log parsers.
std::string format_alert_line(const Alert& alert, std::string_view source) {
  return fmt::format(
      "{}.{} state machine: {} subject: auid {} completed: duration {} seconds priority: {} "
      "source: {}\n",
      alert.seconds, alert.msec, alert.sequence->label, static_cast<int32_t>(alert.subject), alert.duration,
      static_cast<int32_t>(alert.sequence->priority), source);
}

std::string utc_time(uint64_t seconds, uint32_t msec) {
  const time_t t = static_cast<time_t>(seconds);
  struct tm parts;
  if (!gmtime_r(&t, &parts)) return std::to_string(seconds);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", parts.tm_year + 1900, parts.tm_mon + 1,
                     parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec, msec % 1000);
}

namespace {

using Writer = text::JsonWriter<std::string>;

// "key":N and, when the account table knows it, "key_name":"name".
void write_id(Writer& w, std::string_view key, uint32_t id, bool group, tables::Accounts* accounts) {
  w.field(key, id);
  if (!accounts || id == 0xffffffffu) return;
  std::optional<std::string_view> name = group ? accounts->group_name(id) : accounts->user_name(id);
  if (name) w.string_field(std::string(key) + "_name", *name);
}

void write_endpoint(Writer& w, std::string_view key, uint64_t port, uint32_t type, const uint8_t* addr) {
  auto endpoint = w.object(key);
  w.field("port", port);
  w.string_field("address", address_text(type, addr));
}

void write_alert(Writer& w, const Alert& alert, std::string_view source, const tables::EventTable* events,
                 tables::Accounts* accounts, std::string_view host);

void write_record(Writer& w, const MatchedRecord& r, const tables::EventTable* events, tables::Accounts* accounts) {
  auto record = w.object();
  w.field("state", r.spec_state);
  w.string_field("time", utc_time(r.seconds, r.msec));
  w.field("seconds", r.seconds);
  w.field("msec", r.msec);
  w.field("event", r.event);
  if (events)
    if (auto* e = events->find(r.event)) w.string_field("event_name", e->name);
  w.string_field("status", r.return_errno == 0 ? "success" : "failure");
  w.field("errno", r.return_errno);
  w.field("return", r.return_value);
  const bsm::Subject& s = r.subject;
  write_id(w, "auid", s.auid, false, accounts);
  write_id(w, "euid", s.euid, false, accounts);
  write_id(w, "ruid", s.ruid, false, accounts);
  write_id(w, "egid", s.egid, true, accounts);
  write_id(w, "rgid", s.rgid, true, accounts);
  w.field("pid", s.pid);
  w.field("sid", s.sid);
  if (r.has_subject)
    write_endpoint(w, "terminal", s.port, s.addr_type, s.addr);
  else
    w.bool_field("attributable", false);
  if (r.host_addr_type) w.string_field("host_address", address_text(r.host_addr_type, r.host_addr));
  if (!r.path.empty()) w.string_field("path", r.path);
  if (!r.exec_args.empty()) {
    std::vector<std::string_view> args(r.exec_args.begin(), r.exec_args.end());
    w.string_list_field("exec_args", args);
  }
  if (r.has_socket) write_endpoint(w, "socket", r.socket_port, r.socket_addr_type, r.socket_addr);
  if (!r.text.empty()) w.string_field("text", r.text);
  if (!r.zone.empty()) w.string_field("zone", r.zone);
  if (r.has_offset) {
    w.string_field("trail", r.source);
    w.field("offset", r.offset);
  }
  if (r.pattern_not_evaluated) w.bool_field("pattern_not_evaluated", true);
}

}  // namespace

std::string format_alert_json(const Alert& alert, std::string_view source, const tables::EventTable* events,
                              tables::Accounts* accounts, std::string_view host) {
  std::string out;
  Writer w(out);
  write_alert(w, alert, source, events, accounts, host);
  return out;
}

namespace {

void write_alert(Writer& w, const Alert& alert, std::string_view source, const tables::EventTable* events,
                 tables::Accounts* accounts, std::string_view host) {
  auto top = w.object();
  w.string_field("id", fmt::format("{:016x}", alert.id));
  w.string_field("time", utc_time(alert.seconds, alert.msec));
  w.field("seconds", alert.seconds);
  w.field("msec", alert.msec);
  w.string_field("sequence", alert.sequence->label);
  if (!host.empty()) w.string_field("host", host);
  {
    auto subject = w.object("subject");
    w.string_field("type", set_type_name(alert.subject_type));
    w.field("id", alert.subject);
    std::optional<std::string_view> name;
    if (accounts)
      name =
          is_group_type(alert.subject_type) ? accounts->group_name(alert.subject) : accounts->user_name(alert.subject);
    if (name) w.string_field("name", *name);
  }
  if (!alert.group.empty()) {
    auto group = w.object("group");
    for (const GroupValue& g : alert.group) w.string_field(key_field_name(g.field), g.text);
  }
  w.field("priority", alert.sequence->priority);
  w.field("duration", alert.duration);
  if (alert.deadline) w.bool_field("deadline", true);
  if (alert.suppressed_before) w.field("suppressed_before", alert.suppressed_before);
  w.string_field("source", source);
  auto records = w.array("records");
  for (const MatchedRecord& r : alert.records) write_record(w, r, events, accounts);
}

}  // namespace

AlertWriter::AlertWriter(OutputOptions options, const tables::EventTable* events, tables::Accounts* accounts)
    : options_(std::move(options)),
      events_(events),
      accounts_(accounts),
      triggers_(options_.max_running_triggers, options_.max_queued_triggers) {}

AlertWriter::~AlertWriter() {
  for (auto& [name, file] : log_files_) std::fclose(file);
  if (options_.syslog) closelog();
}

Status AlertWriter::open() {
  if (options_.evidence && options_.log_dir.empty())
    return Error{Errc::InvalidArgument, 0, 0, "-B needs a log directory (-l logdir)"};
  if (!options_.log_dir.empty()) {
    struct stat st;
    if (stat(options_.log_dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
      return Error{Errc::Io, 0, 0, options_.log_dir + ": not a directory"};
    if (access(options_.log_dir.c_str(), W_OK | X_OK) != 0)
      return Error{Errc::Permission, 0, 0, options_.log_dir + ": not writable"};
  }
  if (options_.syslog) openlog("bsmtrace", LOG_PID, LOG_AUTH);
  return Ok{};
}

FILE* AlertWriter::stream_for(const SequenceSpec& sequence) {
  if (options_.log_dir.empty()) {
    if (options_.alert_stream) return options_.alert_stream;
    return options_.json ? stdout : stderr;
  }
  std::string name = sequence.logfile.empty() ? "bsmtrace.log" : sequence.logfile;
  auto it = log_files_.find(name);
  if (it != log_files_.end()) return it->second;
  std::string path = options_.log_dir + "/" + name;
  FILE* file = std::fopen(path.c_str(), "a");
  if (!file) {
    ++errors_;
    std::fprintf(stderr, "bsmtrace: %s: %s\n", path.c_str(), std::strerror(errno));
    return stderr;
  }
  log_files_.emplace(name, file);
  return file;
}

std::string AlertWriter::user_name(uint32_t uid) {
  if (uid == 0xffffffffu) return "non-attributable";
  if (accounts_)
    if (auto name = accounts_->user_name(uid)) return std::string(*name);
  return std::to_string(uid);
}

void AlertWriter::state_matched(const StateMatch& match) {
  if (options_.raw_stdout) std::fwrite(match.facts->raw.data(), 1, match.facts->raw.size(), stdout);
  if (match.state->trigger.empty()) return;
  uint32_t auid = match.facts->has_subject ? match.facts->subject.auid : 0xffffffffu;
  uint32_t euid = match.facts->has_subject ? match.facts->subject.euid : 0xffffffffu;
  const std::string subject = user_name(auid), esubject = user_name(euid);
  std::string why = triggers_.run(trigger_arguments(match.state->trigger, subject, esubject, match.object),
                                  trigger_environment(match.sequence->label, subject, esubject, match.object));
  if (why.empty()) return;
  ++errors_;
  // A full queue is told once here and counted at exit, not once per record.
  if (triggers_.dropped() > 1) return;
  std::fprintf(stderr, "bsmtrace: %s: trigger: %s\n", match.sequence->label.c_str(), why.c_str());
}

void AlertWriter::poll_triggers() {
  triggers_.reap();
  std::string failed = triggers_.take_errors();
  if (failed.empty()) return;
  ++errors_;
  std::fprintf(stderr, "bsmtrace: trigger: %s", failed.c_str());
}

void AlertWriter::pattern_not_evaluated(const PatternFailure& failure, bool taken_as_match) {
  std::fprintf(stderr,
               "bsmtrace: warning: %s: pattern '%s' could not be evaluated (PCRE2 gave up) on the record at %s "
               "offset %llu; such records are taken as %s, and counted at exit\n",
               failure.pattern->where.describe().c_str(), failure.pattern->text.c_str(), failure.first_source.c_str(),
               static_cast<unsigned long long>(failure.first_offset), taken_as_match ? "matches" : "misses");
}

void AlertWriter::completed(const Alert& alert) {
  std::string line = format_alert_line(alert, source_);
  FILE* out = stream_for(*alert.sequence);
  if (options_.json) {
    std::string json = format_alert_json(alert, source_, events_, accounts_, options_.host);
    json += '\n';
    std::fwrite(json.data(), 1, json.size(), out);
  } else {
    std::fwrite(line.data(), 1, line.size(), out);
  }
  std::fflush(out);
  if (options_.syslog) syslog(LOG_NOTICE, "%s", line.c_str());
  if (options_.evidence) write_evidence(alert);
}

// logdir/LABEL/SEC.MSEC.N holding the raw records of every state, in order;
// a trail of its own that praudit reads.
void AlertWriter::write_evidence(const Alert& alert) {
  std::string label = alert.sequence->label;
  for (char& c : label)
    if (c == '/') c = '_';
  if (label == "." || label == "..") label = "_" + label;
  std::string dir = options_.log_dir + "/" + label;
  if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    ++errors_;
    std::fprintf(stderr, "bsmtrace: mkdir %s: %s\n", dir.c_str(), std::strerror(errno));
    return;
  }
  int fd = -1;
  std::string path;
  for (int attempt = 0; attempt < 1000 && fd < 0; ++attempt) {
    path = fmt::format("{}/{}.{}.{}", dir, alert.seconds, alert.msec, evidence_serial_++);
    fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST) break;
  }
  if (fd < 0) {
    ++errors_;
    std::fprintf(stderr, "bsmtrace: %s: %s\n", path.c_str(), std::strerror(errno));
    return;
  }
  for (const auto& r : alert.records) {
    size_t done = 0;
    while (done < r.raw.size()) {
      ssize_t n = ::write(fd, r.raw.data() + done, r.raw.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        ++errors_;
        break;
      }
      done += static_cast<size_t>(n);
    }
  }
  ::close(fd);
  if (options_.syslog)
    syslog(LOG_NOTICE, "%llu.%u sequence %s match evidence file: %s source: %s",
           static_cast<unsigned long long>(alert.seconds), alert.msec, alert.sequence->label.c_str(), path.c_str(),
           source_.c_str());
}

void AlertWriter::debug(std::string_view message) {
  if (options_.debug) std::fprintf(stderr, "bsmtrace: debug: %.*s\n", static_cast<int>(message.size()), message.data());
}

}  // namespace bullion::trace
