// filewatcher: file events of a trail or of the live stream, one line each:
// `[time] [user] Detected <event> event from <process> -> <path>`.
#include <fmt/format.h>
#include <fnmatch.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bullion/bsm/facts.h"
#include "bullion/text/json_writer.h"
#include "bullion/text/printer.h"
#include "bullion/tools/cli.h"
#include "bullion/tools/event_kinds.h"
#include "bullion/tools/process_tracker.h"
#include "bullion/tools/record_input.h"
#include "bullion/tools/tool_support.h"

namespace {

namespace tools = bullion::tools;
using tools::EventKind;

struct Options {
  std::string file;     // -f: path prefix, or a glob when it has * ? [
  std::string process;  // -p: executable base name or full path
  bool all = false;     // -a: every event with a path or a process
  std::string debug_path;
  bool json = false, live = false;
  tools::ColorMode color = tools::ColorMode::Auto;
  bullion::tables::TableOptions tables;
  std::vector<std::string> inputs;
};

// Nothing when filewatcher should run; otherwise its exit code.
std::optional<int> parse(int argc, char** argv, Options& o) {
  tools::CommandLine cli("filewatcher",
                         "[-a] [-f PATH] [-p NAME] [-d FILE] [--json] [--color=auto|always|never]\n"
                         "                   [--live] [table options] [trail ...]",
                         "Prints the file events of a trail or of the live stream, one line each.\n"
                         "Reads the trails given (\"-\" = stdin), or the live audit stream when none are given.");
  cli.value('f', "file", "PATH", o.file, "only paths under PATH (a prefix), or matching it as a glob")
      .value('p', "process", "NAME", o.process, "only processes whose executable is NAME (base name or path)")
      .flag('a', "all", o.all, "every event, not only open/read/write/close/create/delete/rename/access/readlink/exit")
      .value('d', "debug", "FILE", o.debug_path, "also write every line to FILE")
      .json(o.json)
      .value(
          '\0', "color", "WHEN",
          [&o](std::string_view when) -> std::optional<std::string> {
            if (tools::parse_color_mode(when, o.color)) return std::nullopt;
            return "takes auto, always or never, not '" + std::string(when) + "'";
          },
          "auto|always|never: colour the text (auto: when stdout is a terminal)")
      .flag('\0', "live", o.live, "read the live audit stream (root needed)")
      .table_options(o.tables)
      .operands("trail", o.inputs);
  if (auto code = cli.parse(argc, argv)) return code;
  if (o.inputs.empty()) o.live = true;
  return std::nullopt;
}

bool is_default_kind(EventKind kind) {
  return kind != EventKind::Other && kind != EventKind::Exec && kind != EventKind::Spawn && kind != EventKind::Fork;
}

bool has_glob(const std::string& pattern) { return pattern.find_first_of("*?[") != std::string::npos; }

// One event as the tool shows it.
struct Event {
  const bullion::bsm::RecordFacts* facts;
  std::string_view label;  // open, read, ... or the event's own short name
  std::string process;     // executable path, or the pid
  std::string user;
};

class Watcher {
 public:
  Watcher(const Options& o, const bullion::tables::TableSet& tables, std::FILE* debug)
      : o_(o),
        tables_(tables),
        kinds_(*tables.events),
        names_(kinds_),
        out_(STDOUT_FILENO),
        color_(tools::use_color(o.color, STDOUT_FILENO)),
        debug_(debug) {}

  bool on_record(const bullion::bsm::RecordView& record) {
    if (record.is_file_token) return true;
    bullion::bsm::RecordFacts facts;
    (void)bullion::bsm::extract_facts(record.bytes, facts);
    consider(facts);
    names_.observe(facts);  // after: an exit record still names its process
    return true;
  }
  bool flush() { return out_.flush(); }
  bool failed() const { return out_.failed(); }

 private:
  void consider(const bullion::bsm::RecordFacts& facts) {
    const EventKind kind = kinds_.of(facts.event);
    if (!o_.all && !is_default_kind(kind)) return;
    if (!path_matches(facts.first_path)) return;
    const std::optional<std::string_view> exe = facts.has_subject ? names_.name(facts.subject.pid) : std::nullopt;
    if (!process_matches(exe)) return;
    Event e{&facts, label(facts.event, kind), exe ? std::string(*exe) : std::to_string(facts.subject.pid),
            tools::user_label(*tables_.accounts, facts.subject.euid)};
    line_.clear();
    o_.json ? append_json(e) : append_text(e);
    out_.append(line_);
    out_.maybe_flush();
    if (debug_) std::fputs(line_.c_str(), debug_);
  }

  bool path_matches(std::string_view path) const {
    if (o_.file.empty()) return true;
    if (path.empty()) return false;
    if (has_glob(o_.file)) return fnmatch(o_.file.c_str(), std::string(path).c_str(), 0) == 0;
    if (!path.starts_with(o_.file)) return false;
    // "/tmp/a" covers /tmp/a and /tmp/a/x, not /tmp/ab.
    return path.size() == o_.file.size() || o_.file.ends_with('/') || path[o_.file.size()] == '/';
  }

  bool process_matches(std::optional<std::string_view> exe) const {
    if (o_.process.empty()) return true;
    if (!exe) return false;
    if (o_.process.find('/') != std::string::npos) return *exe == o_.process;
    return tools::base_name(*exe) == o_.process;
  }

  // The kind's word, or the event's own name without AUE_ (lower case).
  std::string_view label(uint16_t event, EventKind kind) {
    if (kind != EventKind::Other) return tools::event_kind_word(kind);
    const auto* entry = tables_.events->find(event);
    if (!entry) return other_label_ = std::to_string(event);
    std::string_view name = entry->name;
    if (name.starts_with("AUE_")) name.remove_prefix(4);
    other_label_.clear();
    for (char c : name) other_label_ += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    return other_label_;
  }

  void append_text(const Event& e) {
    const auto& f = *e.facts;
    const char* c1 = color_ ? "\033[36m" : "";   // time
    const char* c2 = color_ ? "\033[33m" : "";   // event
    const char* c3 = color_ ? "\033[32m" : "";   // process
    const char* bad = color_ ? "\033[31m" : "";  // failure
    const char* end = color_ ? "\033[0m" : "";
    // Appended piece by piece: this runs for every file event of the trail.
    line_.append(c1).append("[").append(clock(f.seconds)).append("]").append(end);
    line_.append(" [").append(e.user).append("] Detected ").append(c2).append(e.label).append(end);
    line_.append(" event from ").append(c3);
    append_visible(e.process);
    line_.append(end);
    if (!f.first_path.empty()) line_.append(" -> "), append_visible(f.first_path);
    if (shows_second_path(e)) line_.append(" -> "), append_visible(f.last_path);
    if (f.has_return && f.return_errno != 0) {
      line_ += fmt::format(" {}failed: {}{}", bad, tools::failure_text(f.return_errno), end);
    }
    line_ += '\n';
  }

  // Records come in time order: the clock text changes once a second at most.
  std::string_view clock(uint64_t seconds) {
    if (seconds != clock_seconds_ || clock_text_.empty()) {
      clock_seconds_ = seconds;
      clock_text_ = tools::format_clock(seconds);
    }
    return clock_text_;
  }

  // rename and link name a source and a target; other events with two path
  // tokens (open: given and resolved) would only repeat themselves.
  static bool shows_second_path(const Event& e) {
    return e.facts->path_count > 1 && (e.label == "rename" || e.label == "create");
  }

  // Paths can hold newlines and escape sequences: escaped (as praudit does
  // on a terminal) so a hostile name cannot forge a line or drive the terminal.
  void append_visible(std::string_view s) { tools::append_terminal_safe(line_, s); }

  void append_json(const Event& e) {
    const auto& f = *e.facts;
    auto& w = json_;
    {
      auto event = w.object();
      w.string_field("time", tools::format_timestamp(f.seconds, f.msec));
      w.field("seconds", f.seconds);
      w.field("event", f.event);
      w.string_field("kind", e.label);  // an event's own name may hold any byte
      w.field("pid", f.subject.pid);
      w.field("uid", f.subject.euid);
      w.string_field("user", e.user);
      w.string_field("process", e.process);
      w.string_field("path", f.first_path);
      if (shows_second_path(e)) w.string_field("path2", f.last_path);
      if (f.has_return && f.return_errno != 0) w.string_field("error", tools::failure_text(f.return_errno));
    }
    line_ += '\n';
  }

  const Options& o_;
  const bullion::tables::TableSet& tables_;
  tools::EventKinds kinds_;
  tools::ProcessNames names_;
  bullion::text::Output out_;
  bool color_;
  std::FILE* debug_;
  std::string line_;
  // One writer for every line: its key lists keep their room between lines.
  bullion::text::JsonWriter<std::string> json_{line_};
  std::string other_label_;
  uint64_t clock_seconds_ = 0;
  std::string clock_text_;
};

int run_live(const bullion::tables::TableSet& tables, Watcher& watcher) {
  // File classes for the events, pc for exec/exit (process names).
  const auto outcome = tools::capture_live(
      "filewatcher", tables, "fr,fw,fa,fc,fd,cl,pc,ex",
      [&](const bullion::bsm::RecordView& r) { return watcher.on_record(r); }, [&] { watcher.flush(); });
  watcher.flush();
  return !outcome.status || watcher.failed() ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (auto code = parse(argc, argv, o)) return *code;
  auto tables = tools::load_tables_or_report("filewatcher", o.tables);
  if (!tables) return 2;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> debug(nullptr, &std::fclose);
  if (!o.debug_path.empty()) {
    debug.reset(std::fopen(o.debug_path.c_str(), "a"));
    if (!debug) {
      fmt::print(stderr, "filewatcher: {}: {}\n", o.debug_path, std::strerror(errno));
      return 2;
    }
  }
  Watcher watcher(o, *tables, debug.get());
  if (o.live) return run_live(*tables, watcher);
  const auto outcome = tools::read_trails(
      "filewatcher", o.inputs, [&](const bullion::bsm::RecordView& r) { return watcher.on_record(r); },
      [&] { watcher.flush(); });
  watcher.flush();
  return outcome.clean && !watcher.failed() ? 0 : 1;
}
