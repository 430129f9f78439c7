// filewatcher: file events of a trail or of the live stream, one line each:
// `[date time] [user] Detected <event> event from <process> -> <path>`.
#include <fmt/format.h>
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
#include "bullion/tools/file_events.h"
#include "bullion/tools/process_tracker.h"
#include "bullion/tools/record_input.h"
#include "bullion/tools/tool_support.h"

namespace {

namespace tools = bullion::tools;

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

tools::FileEventOptions event_options(const Options& o) {
  tools::FileEventOptions e;
  e.file = o.file;
  e.process = o.process;
  e.all = o.all;
  e.json = o.json;
  e.color = tools::use_color(o.color, STDOUT_FILENO);
  return e;
}

// Records in, lines out (the rules are in bullion/tools/file_events.h).
class Watcher {
 public:
  Watcher(const Options& o, const bullion::tables::TableSet& tables, std::FILE* debug)
      : lines_(event_options(o), tables), out_(STDOUT_FILENO), debug_(debug) {}

  bool on_record(const bullion::bsm::RecordView& record) {
    if (record.is_file_token) return true;
    bullion::bsm::RecordFacts facts;
    if (!tools::extract_facts_or_report("filewatcher", record, facts, [&] { flush(); })) tokens_clean_ = false;
    line_.clear();
    if (!lines_.add(facts, line_)) return true;
    out_.append(line_);
    out_.maybe_flush();
    if (debug_) std::fputs(line_.c_str(), debug_);
    return true;
  }
  bool flush() { return out_.flush(); }
  bool failed() const { return out_.failed(); }
  bool tokens_clean() const { return tokens_clean_; }

 private:
  tools::FileEventLines lines_;
  bullion::text::Output out_;
  std::FILE* debug_;
  std::string line_;
  bool tokens_clean_ = true;
};

int run_live(const bullion::tables::TableSet& tables, Watcher& watcher) {
  // File classes for the events, pc for exec/exit (process names).
  const auto outcome = tools::capture_live(
      "filewatcher", tables, "fr,fw,fa,fc,fd,cl,pc,ex",
      [&](const bullion::bsm::RecordView& r) { return watcher.on_record(r); }, [&] { watcher.flush(); });
  watcher.flush();
  return !outcome.status || !watcher.tokens_clean() || watcher.failed() ? 1 : 0;
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
  return outcome.clean && watcher.tokens_clean() && !watcher.failed() ? 0 : 1;
}
