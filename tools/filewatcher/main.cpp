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
#include "bullion/tools/output_sink.h"
#include "bullion/tools/process_tracker.h"
#include "bullion/tools/record_input.h"
#include "bullion/tools/reporter.h"
#include "bullion/tools/tool_support.h"

namespace {

namespace tools = bullion::tools;

struct Options {
  std::string file;     // -f: path prefix, or a glob when it has * ? [
  std::string process;  // -p: executable base name or full path
  bool all = false;     // -a: every event with a path or a process
  std::string debug_path;
  bool json = false, live = false, follow = false;
  tools::ColorMode color = tools::ColorMode::Auto;
  bullion::tables::TableOptions tables;
  std::vector<std::string> inputs;
};

// Nothing when filewatcher should run; otherwise its exit code.
std::optional<int> parse(int argc, char** argv, Options& o) {
  tools::CommandLine cli("filewatcher",
                         "[-a] [-f PATH] [-p NAME] [-d FILE] [--json] [--color=auto|always|never]\n"
                         "                   [--live] [--follow] [table options] [trail ...]",
                         "Prints the file events of a trail or of the live stream, one line each.\n"
                         "Reads the trails given (\"-\" = stdin), else stdin; the live audit stream with --live,\n"
                         "or when no trail is given and stdin is a terminal.");
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
      .flag('\0', "follow", o.follow, "keep reading as trails grow, across rotation (like tail -F)")
      .table_options(o.tables)
      .operands("trail", o.inputs);
  if (auto code = cli.parse(argc, argv)) return code;
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
class Watcher final : public tools::OutputSink {
 public:
  Watcher(const Options& o, const bullion::tables::TableSet& tables, std::FILE* debug, tools::Reporter& reporter)
      : OutputSink(reporter), lines_(event_options(o), tables), debug_(debug) {}

  bullion::bsm::Flow record(const bullion::bsm::RecordView& record) override {
    if (record.is_file_token) return bullion::bsm::Flow::Continue;
    bullion::bsm::RecordFacts facts;
    (void)tools::extract_facts_or_report(record, facts, *this);
    line_.clear();
    if (!lines_.add(facts, line_)) return bullion::bsm::Flow::Continue;
    out_.append(line_);
    if (debug_) std::fputs(line_.c_str(), debug_);
    return written();
  }
  void idle() override {
    OutputSink::idle();
    if (debug_) std::fflush(debug_);
  }

 private:
  tools::FileEventLines lines_;
  std::FILE* debug_;
  std::string line_;
};

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
  tools::Reporter reporter("filewatcher");
  Watcher watcher(o, *tables, debug.get(), reporter);
  if (tools::wants_live(o.live, o.inputs)) {
    // File classes for the events, pc for exec/exit (process names).
    tools::capture_live(*tables, "fr,fw,fa,fc,fd,cl,pc,ex", watcher, reporter);
  } else {
    bullion::pipeline::ReadOptions read;
    read.follow = o.follow;
    bullion::pipeline::read_inputs(o.inputs, watcher, read);
  }
  return reporter.clean() && !watcher.failed() ? 0 : 1;
}
