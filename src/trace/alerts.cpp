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

std::string format_alert_json(const Alert& alert, std::string_view source, const tables::EventTable* events,
                              tables::Accounts* accounts) {
  std::string out = fmt::format("{{\"seconds\":{},\"msec\":{},", alert.seconds, alert.msec);
  text::append_json_field(out, "sequence", alert.sequence->label);
  out += fmt::format(",\"subject\":{{\"type\":\"{}\",\"id\":{}", set_type_name(alert.subject_type), alert.subject);
  std::optional<std::string_view> name;
  if (accounts)
    name = is_group_type(alert.subject_type) ? accounts->group_name(alert.subject) : accounts->user_name(alert.subject);
  if (name) {
    out += ',';
    text::append_json_field(out, "name", *name);
  }
  out += fmt::format("}},\"priority\":{},\"duration\":{},", alert.sequence->priority, alert.duration);
  text::append_json_field(out, "source", source);
  out += ",\"records\":[";
  for (size_t i = 0; i < alert.records.size(); ++i) {
    const MatchedRecord& r = alert.records[i];
    if (i) out += ',';
    out +=
        fmt::format("{{\"state\":{},\"seconds\":{},\"msec\":{},\"event\":{}", r.spec_state, r.seconds, r.msec, r.event);
    if (events)
      if (auto* e = events->find(r.event)) {
        out += ',';
        text::append_json_field(out, "event_name", e->name);
      }
    out += fmt::format(",\"status\":\"{}\",\"errno\":{},\"auid\":{},\"euid\":{},\"pid\":{},\"sid\":{}",
                       r.return_errno == 0 ? "success" : "failure", r.return_errno, r.auid, r.euid, r.pid, r.sid);
    if (!r.path.empty()) {
      out += ',';
      text::append_json_field(out, "path", r.path);
    }
    out += '}';
  }
  out += "]}";
  return out;
}

AlertWriter::AlertWriter(OutputOptions options, const tables::EventTable* events, tables::Accounts* accounts)
    : options_(std::move(options)), events_(events), accounts_(accounts) {}

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
  auto argv = trigger_arguments(match.state->trigger, user_name(auid), user_name(euid), match.object);
  std::string why = triggers_.run(argv);
  if (!why.empty()) {
    ++errors_;
    std::fprintf(stderr, "bsmtrace: %s: trigger: %s\n", match.sequence->label.c_str(), why.c_str());
  }
}

void AlertWriter::completed(const Alert& alert) {
  std::string line = format_alert_line(alert, source_);
  FILE* out = stream_for(*alert.sequence);
  if (options_.json) {
    std::string json = format_alert_json(alert, source_, events_, accounts_);
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
