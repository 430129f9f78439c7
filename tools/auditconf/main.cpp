// auditconf check [FILE] | auditconf advise TRAIL...: checks the audit
// configuration files, and tells what a configuration will cost from a
// sample trail. Thin: options here, findings and volumes in the library.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "auditconf.h"
#include "bullion/tools/cli.h"

namespace auditconf {

namespace {

namespace tools = bullion::tools;

constexpr const char* kCheckAbout =
    "Reports every error and risk in audit_control (FILE, default /etc/security/audit_control,\n"
    "or DIR/etc/security/audit_control with --root DIR), and in audit_user, audit_event and\n"
    "audit_class when given (or present under --root), each with its line and name.";
constexpr const char* kAdviseAbout =
    "Prints records and bytes per day for each class and event of a sample trail, then what\n"
    "audit_control (with --add CLASSES) keeps of it: daily volume, trails per day at filesz,\n"
    "days expire-after keeps, days until the trail directory falls under minfree.";

std::optional<int> parse_check(int argc, const char* const* argv, Options& o) {
  std::vector<std::string> files;
  tools::CommandLine cli("auditconf check", "[--json] [--audit-user F] [table options] [FILE]", kCheckAbout);
  cli.value('\0', "audit-user", "F", o.audit_user, "also check this audit_user")
      .json(o.json, "one JSON object: status, files, findings")
      .table_options(o.tables)
      .operands("FILE", files)
      .epilog("exit status: 0 nothing found, 1 warnings only, 2 errors (or a usage error)\n");
  if (auto code = cli.parse(argc, argv)) return code;
  if (files.size() > 1) return cli.usage_error("one FILE at most");
  if (!files.empty()) o.control = files.front();
  return std::nullopt;
}

std::optional<int> parse_advise(int argc, const char* const* argv, Options& o) {
  tools::CommandLine cli("auditconf advise",
                         "[--control F] [--add CLASSES] [--days N] [--disk SIZE[:FREE]] [--json] [table options] "
                         "TRAIL...",
                         kAdviseAbout);
  cli.value('\0', "control", "F", o.control, "the audit_control to project (default: the host's or --root's)")
      .value('\0', "add", "CLASSES", o.add, "classes to add to flags and naflags")
      .value('\0', "days", "N", tools::CommandLine::Apply([&o](std::string_view text) -> std::optional<std::string> {
               const std::string value(text);
               char* end = nullptr;
               o.days = std::strtod(value.c_str(), &end);
               if (value.empty() || *end != '\0' || !(o.days > 0)) return "'" + value + "' is not a number above 0";
               return std::nullopt;
             }),
             "the sample covers N days (default: first to last record)")
      .value('\0', "disk", "SIZE[:FREE]", o.disk, "project on a file system of that size (default: the dir's own)")
      .json(o.json, "one JSON object: sample, classes, events, projection")
      .table_options(o.tables)
      .operands("TRAIL", o.trails, 1)
      .epilog("exit status: 0, 1 when a trail was damaged or the sample is empty, 2 on usage errors\n");
  return cli.parse(argc, argv);
}

}  // namespace

bullion::Result<std::string> read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return bullion::Error{bullion::Errc::NotFound, 0, 0, path + ": " + std::strerror(errno)};
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return bullion::Error{bullion::Errc::Io, 0, 0, path + ": read failed"};
  return text.str();
}

std::string security_path(const Options& options, const std::string& name) {
  if (!options.tables.root.empty()) return options.tables.root + "/etc/security/" + name;
  return "/etc/security/" + name;
}

}  // namespace auditconf

int main(int argc, char** argv) {
  using namespace auditconf;
  const std::string_view command = argc >= 2 ? argv[1] : "";
  Options options;
  if (command == "check") {
    if (auto code = parse_check(argc - 1, argv + 1, options)) return *code;
    return check(options);
  }
  if (command == "advise") {
    if (auto code = parse_advise(argc - 1, argv + 1, options)) return *code;
    return advise(options);
  }
  std::vector<std::string> words;
  bullion::tools::CommandLine cli("auditconf", "check [options] [FILE] | advise [options] TRAIL...",
                                  std::string(kCheckAbout) + "\n\n" + kAdviseAbout +
                                      "\n\n'auditconf check --help' and 'auditconf advise --help' list the options.");
  cli.operands("SUBCOMMAND", words, 1);
  if (auto code = cli.parse(argc, argv)) return *code;
  return cli.usage_error("unknown subcommand '" + words.front() + "' (check or advise)");
}
