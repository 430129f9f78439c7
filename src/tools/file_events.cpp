#include "bullion/tools/file_events.h"

#include <fnmatch.h>

#include "bullion/tools/tool_support.h"

namespace bullion::tools {
namespace {

bool is_file_kind(EventKind kind) {
  return kind != EventKind::Other && kind != EventKind::Exec && kind != EventKind::Spawn && kind != EventKind::Fork;
}

// santoru's filewatcher: the user in cyan, the event in yellow, the process
// in green, an unknown event number in red; a failure in red is ours.
struct Colors {
  const char* user = "";
  const char* event = "";
  const char* process = "";
  const char* bad = "";
  const char* end = "";
};
constexpr Colors kColors{"\033[36m", "\033[33m", "\033[32m", "\033[31m", "\033[0m"};
constexpr Colors kPlain{};

}  // namespace

bool shows_second_path(EventKind kind, const bsm::RecordFacts& facts) {
  return facts.path_count > 1 && (kind == EventKind::Rename || kind == EventKind::Create);
}

FileEventLines::FileEventLines(const FileEventOptions& options, const tables::TableSet& tables)
    : options_(options),
      tables_(tables),
      kinds_(*tables.events),
      names_(kinds_),
      file_is_glob_(options.file.find_first_of("*?[") != std::string::npos) {}

bool FileEventLines::add(const bsm::RecordFacts& facts, std::string& out) {
  const EventKind kind = kinds_.of(facts.event);
  bool added = false;
  // The cheap tests first: most records of a busy trail stop here, before
  // the process lookup.
  if ((options_.all || is_file_kind(kind)) && path_matches(facts)) {
    const std::optional<std::string_view> exe = facts.has_subject ? names_.name(facts.subject.pid) : std::nullopt;
    if (process_matches(exe)) {
      process_ = !facts.has_subject ? std::string("(non-attributable)")
                 : exe              ? std::string(*exe)
                                    : std::to_string(facts.subject.pid);
      const std::string_view name = label(facts.event, kind);
      options_.json ? append_json(facts, name, process_, out) : append_text(facts, kind, name, process_, out);
      added = true;
    }
  }
  names_.observe(facts);  // after: an exit record still names its process
  return added;
}

// Any path of the record: a rename onto /etc/passwd is an event of /etc/passwd.
bool FileEventLines::path_matches(const bsm::RecordFacts& facts) const {
  if (options_.file.empty()) return true;
  bool any = false;
  bsm::for_each_path(facts, [&](std::string_view path) { any = any || one_path_matches(path); });
  return any;
}

bool FileEventLines::one_path_matches(std::string_view path) const {
  const std::string& file = options_.file;
  if (path.empty()) return false;
  if (file_is_glob_) return fnmatch(file.c_str(), std::string(path).c_str(), 0) == 0;
  if (!path.starts_with(file)) return false;
  // "/tmp/a" covers /tmp/a and /tmp/a/x, not /tmp/ab.
  return path.size() == file.size() || file.ends_with('/') || path[file.size()] == '/';
}

bool FileEventLines::process_matches(std::optional<std::string_view> exe) const {
  if (options_.process.empty()) return true;
  if (!exe) return false;
  if (options_.process.find('/') != std::string::npos) return *exe == options_.process;
  return base_name(*exe) == options_.process;
}

// The kind's word, or the event's own name without AUE_ (lower case).
std::string_view FileEventLines::label(uint16_t event, EventKind kind) {
  if (kind != EventKind::Other) return event_kind_word(kind);
  label_ = event_short_name(*tables_.events, event);
  return label_;
}

// Records come in time order: the text changes once a second at most.
std::string_view FileEventLines::date_time(uint64_t seconds) {
  if (seconds != clock_seconds_ || clock_text_.empty()) {
    clock_seconds_ = seconds;
    clock_text_ = format_date_time(seconds);
  }
  return clock_text_;
}

void FileEventLines::append_text(const bsm::RecordFacts& f, EventKind kind, std::string_view label,
                                 std::string_view process, std::string& out) {
  const Colors& c = options_.color ? kColors : kPlain;
  const bool unknown_event = kind == EventKind::Other && tables_.events->find(f.event) == nullptr;
  user_ = f.has_subject ? user_label(*tables_.accounts, f.subject.euid) : "-";
  // Appended piece by piece: this runs for every file event of the trail.
  out.append("[").append(date_time(f.seconds)).append("] [").append(c.user);
  append_terminal_safe(out, user_);
  out.append(c.end).append("] Detected ").append(unknown_event ? c.bad : c.event);
  append_terminal_safe(out, label);
  out.append(c.end).append(" event from ").append(c.process);
  append_terminal_safe(out, process);
  out.append(c.end);
  if (!f.first_path.empty()) out.append(" -> "), append_terminal_safe(out, f.first_path);
  if (shows_second_path(kind, f)) out.append(" -> "), append_terminal_safe(out, f.last_path);
  if (f.has_return && f.return_errno != 0) {
    out.append(" ").append(c.bad).append("failed: ").append(failure_text(f.return_errno)).append(c.end);
  }
  out += '\n';
}

void FileEventLines::append_json(const bsm::RecordFacts& f, std::string_view label, std::string_view process,
                                 std::string& out) {
  text::JsonWriter<std::string> w(out);
  {
    auto event = w.object();
    w.string_field("time", format_timestamp(f.seconds, f.msec));
    w.field("seconds", f.seconds);
    w.field("event", f.event);
    w.string_field("kind", label);  // an event's own name may hold any byte
    w.bool_field("attributable", f.has_subject);
    if (f.has_subject) {
      w.field("pid", f.subject.pid);
      w.field("uid", f.subject.euid);
      w.string_field("user", user_label(*tables_.accounts, f.subject.euid));
      w.string_field("process", process);
    }
    w.string_field("path", f.first_path);
    if (shows_second_path(kinds_.of(f.event), f)) w.string_field("path2", f.last_path);
    if (f.has_return && f.return_errno != 0) w.string_field("error", failure_text(f.return_errno));
  }
  out += '\n';
}

}  // namespace bullion::tools
