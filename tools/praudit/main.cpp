// praudit: print BSM audit records as text, XML or JSON Lines.
#include <fmt/format.h>
#include <getopt.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "bullion/input.h"
#include "bullion/tables.h"
#include "bullion/text/printer.h"
#include "bullion/tools/tool_support.h"

namespace {

using bullion::text::Format;

struct Options {
  bullion::text::PrintOptions print;
  bullion::tables::TableOptions tables;
  bool resync = false;  // -p
  std::vector<std::string> inputs;
};

constexpr const char* kUsage =
    "usage: praudit [-lnpx] [-r | -s] [-d del] [--json] [table options] [file ...]\n"
    "  -l          one record per line\n"
    "  -n          do not resolve user and group ids to names\n"
    "  -p          go on after damage: skip to the next valid record\n"
    "  -r          raw numbers (token ids, events, times, ids, errors)\n"
    "  -s          short event names (AUE_...)\n"
    "  -x          XML (OpenBSM-compatible)\n"
    "  -d del      field delimiter (default \",\")\n"
    "  --json      JSON Lines: one object per record\n"
    "  --strict-xml  with -x: escape every string (well-formed XML)\n"
    "  --all-args  print every exec argument (OpenBSM stops at 128)\n"
    "  --escape=WHEN  auto|always|never: escape control bytes and invalid UTF-8 in\n"
    "              text and XML (auto: when stdout is a terminal; never: OpenBSM's bytes)\n"
    "table options (names as another host would resolve them):\n"
    "  --root DIR  read DIR/etc/passwd, DIR/etc/group, DIR/etc/security/audit_{event,class}\n"
    "  --passwd F --group F --audit-event F --audit-class F\n"
    "Files may be BSM trails, audit directories or Linux audit.log files; none or \"-\" reads stdin.\n"
    "Exit status: 0 all input printed, 1 damaged or unreadable input, 2 usage.\n";

enum LongOption {
  kJson = 1000,
  kStrictXml,
  kAllArgs,
  kEscape,
  kRoot,
  kPasswd,
  kGroup,
  kAuditEvent,
  kAuditClass,
  kHelp
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

bool parse(int argc, char** argv, Options& o) {
  parse_escape("auto", o.print.terminal_safe);  // the default
  static const option kLong[] = {{"json", no_argument, nullptr, kJson},
                                 {"strict-xml", no_argument, nullptr, kStrictXml},
                                 {"all-args", no_argument, nullptr, kAllArgs},
                                 {"root", required_argument, nullptr, kRoot},
                                 {"escape", required_argument, nullptr, kEscape},
                                 {"passwd", required_argument, nullptr, kPasswd},
                                 {"group", required_argument, nullptr, kGroup},
                                 {"audit-event", required_argument, nullptr, kAuditEvent},
                                 {"audit-class", required_argument, nullptr, kAuditClass},
                                 {"help", no_argument, nullptr, kHelp},
                                 {nullptr, 0, nullptr, 0}};
  int c;
  while ((c = getopt_long(argc, argv, "d:lnprsxh", kLong, nullptr)) != -1) {
    switch (c) {
      case 'd':
        o.print.delimiter = optarg;
        break;
      case 'l':
        o.print.one_line = true;
        break;
      case 'n':
        o.print.no_resolve = true;
        break;
      case 'p':
        o.resync = true;
        break;
      case 'r':
        o.print.raw = true;
        break;
      case 's':
        o.print.short_events = true;
        break;
      case 'x':
        o.print.format = Format::Xml;
        break;
      case kJson:
        o.print.format = Format::Json;
        break;
      case kStrictXml:
        o.print.strict_xml = true;
        break;
      case kAllArgs:
        o.print.all_exec_strings = true;
        break;
      case kEscape:
        if (!parse_escape(optarg, o.print.terminal_safe)) {
          std::fprintf(stderr, "praudit: --escape takes auto, always or never, not '%s'\n", optarg);
          return false;
        }
        break;
      case kRoot:
        o.tables.root = optarg;
        break;
      case kPasswd:
        o.tables.passwd = optarg;
        break;
      case kGroup:
        o.tables.group = optarg;
        break;
      case kAuditEvent:
        o.tables.audit_event = optarg;
        break;
      case kAuditClass:
        o.tables.audit_class = optarg;
        break;
      case kHelp:
        std::fputs(kUsage, stdout);
        std::exit(0);
      default:
        return false;
    }
  }
  if (o.print.raw && o.print.short_events) {
    std::fputs("praudit: -r and -s cannot be combined\n", stderr);
    return false;
  }
  for (int i = optind; i < argc; ++i) o.inputs.emplace_back(argv[i]);
  if (o.inputs.empty()) o.inputs.emplace_back("-");
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse(argc, argv, o)) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  auto tables = bullion::tools::load_tables_or_report("praudit", o.tables);
  if (!tables) return 2;
  bullion::text::Output out(STDOUT_FILENO);
  auto printer = bullion::text::make_printer(o.print, *tables, out);
  printer->begin();
  // A token that does not decode ends its record's output but not the
  // trail: the record is framed, so the next one is still good.
  bool tokens_clean = true;
  bullion::input::ReadOptions read_options;
  read_options.resync = o.resync;
  read_options.before_report = [&] { out.flush(); };
  const auto outcome = bullion::input::read_trails(
      "praudit", o.inputs,
      [&](const bullion::bsm::RecordView& record) {
        if (bullion::Status st = printer->print(record); !st) {
          out.flush();
          fmt::print(stderr, "praudit: {}: {}\n", record.source == "-" ? "stdin" : record.source,
                     st.error().describe());
          tokens_clean = false;
        }
        return true;
      },
      read_options);
  printer->end();
  if (out.failed()) return 1;
  return outcome.clean && tokens_clean ? 0 : 1;
}
