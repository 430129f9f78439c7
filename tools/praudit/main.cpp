// praudit: print BSM audit records as text, XML or JSON Lines.
#include <fmt/format.h>
#include <unistd.h>

#include <optional>
#include <string>
#include <vector>

#include "bullion/pipeline/read.h"
#include "bullion/tables.h"
#include "bullion/text/printer.h"
#include "bullion/text/sinks.h"
#include "bullion/tools/cli.h"
#include "bullion/tools/reporter.h"
#include "bullion/tools/tool_support.h"

namespace {

using bullion::text::Format;
using bullion::text::PrintOptions;

struct Options {
  bullion::text::PrintOptions print;
  bullion::tables::TableOptions tables;
  bool resync = false;  // -p
  bool follow = false;
  std::vector<std::string> inputs;
};

// auto: escape when a person is reading (stdout is a terminal), keep
// OpenBSM's exact bytes for pipes and files.
bool parse_escape(std::string_view when, bool& terminal_safe) {
  if (when == "auto")
    terminal_safe = isatty(STDOUT_FILENO) != 0;
  else if (when == "always")
    terminal_safe = true;
  else if (when == "never")
    terminal_safe = false;
  else
    return false;
  return true;
}

// Nothing when praudit should run; otherwise its exit code.
std::optional<int> parse(int argc, char** argv, Options& o) {
  parse_escape("auto", o.print.terminal_safe);  // the default
  bullion::tools::CommandLine cli("praudit", "[-lnpx] [-r | -s] [-d del] [--json] [table options] [file ...]",
                                  "Prints BSM audit records as text, XML or JSON Lines.");
  PrintOptions& p = o.print;
  cli.flag('l', "", p.one_line, "one record per line")
      .flag('n', "", p.no_resolve, "do not resolve user and group ids to names")
      .flag('p', "", o.resync, "go on after damage: skip to the next valid record")
      .flag('r', "", p.raw, "raw numbers (token ids, events, times, ids, errors)")
      .flag('s', "", p.short_events, "short event names (AUE_...)")
      .flag(
          'x', "", [&p] { p.format = Format::Xml; }, "XML (OpenBSM-compatible)")
      .value('d', "", "del", p.delimiter, "field delimiter (default \",\")")
      .flag(
          '\0', "json", [&p] { p.format = Format::Json; }, "JSON Lines: one object per record (docs/json.md)")
      .flag('\0', "strict-xml", p.strict_xml, "with -x: escape every string (well-formed XML)")
      .flag('\0', "all-args", p.all_exec_strings, "print every exec argument (OpenBSM stops at 128)")
      .flag('\0', "follow", o.follow, "keep reading as files grow, across rotation (like tail -F)")
      .value(
          '\0', "escape", "WHEN",
          [&p](std::string_view when) -> std::optional<std::string> {
            if (parse_escape(when, p.terminal_safe)) return std::nullopt;
            return "takes auto, always or never, not '" + std::string(when) + "'";
          },
          "auto|always|never: escape control bytes and invalid UTF-8 in text and XML\n"
          "                        (auto: when stdout is a terminal; never: OpenBSM's bytes)")
      .table_options(o.tables)
      .operands("file", o.inputs)
      .epilog(
          "Files may be BSM trails, audit directories, Linux audit.log files (or directories of them)\n"
          "and gzip copies of these; none or \"-\" reads stdin.\n"
          "Exit status: 0 all input printed, 1 damaged or unreadable input, 2 usage.");
  if (auto code = cli.parse(argc, argv)) return code;
  if (p.raw && p.short_events) return cli.usage_error("-r and -s cannot be combined");
  return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (auto code = parse(argc, argv, o)) return *code;
  auto tables = bullion::tools::load_tables_or_report("praudit", o.tables);
  if (!tables) return 2;
  bullion::text::Output out(STDOUT_FILENO);
  bullion::tools::Reporter reporter("praudit");
  bullion::text::PrintSink sink(bullion::text::make_printer(o.print, *tables, out), out, reporter);
  bullion::pipeline::ReadOptions read;
  read.resync = o.resync;
  read.follow = o.follow;
  bullion::pipeline::read_inputs(o.inputs, sink, read);
  if (out.failed()) return 1;
  return reporter.clean() ? 0 : 1;
}
