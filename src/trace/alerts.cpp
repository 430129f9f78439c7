// Alert formats (the original line, JSON Lines) and the AlertWriter sink
// that sends them to stderr, log files, syslog and evidence files, and runs
// triggers.
#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "bullion/text/json.h"
#include "bullion/trace/output.h"

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

std::string address_text(uint32_t type, const uint8_t* addr) {
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(type == 16 ? AF_INET6 : AF_INET, addr, text, sizeof text);
  return text;
}

// "key":N and, when the account table knows it, "key_name":"name".
void append_id(std::string& out, std::string_view key, uint32_t id, bool group, tables::Accounts* accounts) {
  out += fmt::format(",\"{}\":{}", key, id);
  if (!accounts || id == 0xffffffffu) return;
  std::optional<std::string_view> name = group ? accounts->group_name(id) : accounts->user_name(id);
  if (!name) return;
  out += ',';
  text::append_json_field(out, std::string(key) + "_name", *name);
}

void append_record(std::string& out, const MatchedRecord& r, const tables::EventTable* events,
                   tables::Accounts* accounts) {
  out += fmt::format("{{\"state\":{},\"time\":\"{}\",\"seconds\":{},\"msec\":{},\"event\":{}", r.spec_state,
                     utc_time(r.seconds, r.msec), r.seconds, r.msec, r.event);
  if (events)
    if (auto* e = events->find(r.event)) {
      out += ',';
      text::append_json_field(out, "event_name", e->name);
    }
  out += fmt::format(",\"status\":\"{}\",\"errno\":{},\"return\":{}", r.return_errno == 0 ? "success" : "failure",
                     r.return_errno, r.return_value);
  const bsm::Subject& s = r.subject;
  append_id(out, "auid", s.auid, false, accounts);
  append_id(out, "euid", s.euid, false, accounts);
  append_id(out, "ruid", s.ruid, false, accounts);
  append_id(out, "egid", s.egid, true, accounts);
  append_id(out, "rgid", s.rgid, true, accounts);
  out += fmt::format(",\"pid\":{},\"sid\":{}", s.pid, s.sid);
  if (r.has_subject)
    out += fmt::format(",\"terminal\":{{\"port\":{},\"address\":\"{}\"}}", s.port, address_text(s.addr_type, s.addr));
  else
    out += ",\"attributable\":false";
  if (r.host_addr_type) out += fmt::format(",\"host_address\":\"{}\"", address_text(r.host_addr_type, r.host_addr));
  if (!r.path.empty()) {
    out += ',';
    text::append_json_field(out, "path", r.path);
  }
  if (!r.exec_args.empty()) {
    std::vector<std::string_view> args(r.exec_args.begin(), r.exec_args.end());
    out += ',';
    text::append_json_list(out, "exec_args", args);
  }
  if (r.has_socket)
    out += fmt::format(",\"socket\":{{\"port\":{},\"address\":\"{}\"}}", r.socket_port,
                       address_text(r.socket_addr_type, r.socket_addr));
  if (!r.text.empty()) {
    out += ',';
    text::append_json_field(out, "text", r.text);
  }
  if (!r.zone.empty()) {
    out += ',';
    text::append_json_field(out, "zone", r.zone);
  }
  if (r.has_offset) {
    out += ',';
    text::append_json_field(out, "trail", r.source);
    out += fmt::format(",\"offset\":{}", r.offset);
  }
  if (r.pattern_not_evaluated) out += ",\"pattern_not_evaluated\":true";
  out += '}';
}

}  // namespace

std::string format_alert_json(const Alert& alert, std::string_view source, const tables::EventTable* events,
                              tables::Accounts* accounts, std::string_view host) {
  std::string out = fmt::format("{{\"id\":\"{:016x}\",\"time\":\"{}\",\"seconds\":{},\"msec\":{},", alert.id,
                                utc_time(alert.seconds, alert.msec), alert.seconds, alert.msec);
  text::append_json_field(out, "sequence", alert.sequence->label);
  if (!host.empty()) {
    out += ',';
    text::append_json_field(out, "host", host);
  }
  out += fmt::format(",\"subject\":{{\"type\":\"{}\",\"id\":{}", set_type_name(alert.subject_type), alert.subject);
  std::optional<std::string_view> name;
  if (accounts)
    name = is_group_type(alert.subject_type) ? accounts->group_name(alert.subject) : accounts->user_name(alert.subject);
  if (name) {
    out += ',';
    text::append_json_field(out, "name", *name);
  }
  out += '}';
  if (!alert.group.empty()) {
    out += ",\"group\":{";
    for (size_t i = 0; i < alert.group.size(); ++i) {
      if (i) out += ',';
      text::append_json_field(out, key_field_name(alert.group[i].field), alert.group[i].text);
    }
    out += '}';
  }
  out += fmt::format(",\"priority\":{},\"duration\":{},", alert.sequence->priority, alert.duration);
  if (alert.deadline) out += "\"deadline\":true,";
  if (alert.suppressed_before) out += fmt::format("\"suppressed_before\":{},", alert.suppressed_before);
  text::append_json_field(out, "source", source);
  out += ",\"records\":[";
  for (size_t i = 0; i < alert.records.size(); ++i) {
    if (i) out += ',';
    append_record(out, alert.records[i], events, accounts);
  }
  out += "]}";
  return out;
}

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
