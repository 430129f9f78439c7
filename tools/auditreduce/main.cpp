// auditreduce: write the raw BSM records that match a selection.
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "bullion/pipeline/read.h"
#include "bullion/select/selector.h"
#include "bullion/tables.h"
#include "bullion/text/sinks.h"
#include "bullion/tools/cli.h"
#include "bullion/tools/reporter.h"
#include "bullion/tools/tool_support.h"

namespace {

namespace sel = bullion::select;

constexpr int kExitUsage = bullion::tools::kExitUsage;

struct Options {
  sel::Criteria criteria;
  bullion::tables::TableOptions tables;
  bool resync = false;
  bool follow = false;
  std::vector<std::string> inputs;
  // Names resolved after the tables are loaded.
  std::string classes;
  std::vector<std::string> events;
  std::string auid, euid, egid, rgid, ruid;
};

constexpr const char* kSynopsis =
    "[-Av] [-a date] [-b date] [-c flags] [-d day] [-e euid] [-f egid]\n"
    "                   [-g rgid] [-j pid] [-m event]... [-o object=value] [-r ruid]\n"
    "                   [-u auid] [-z zone] [--resync] [--follow] [table options] [file | dir | -] ...";

constexpr const char* kEpilog =
    "dates: YYYYMMDD[HH[MM[SS]]] is LOCAL time (as OpenBSM; TZ applies);\n"
    "       YYYY-MM-DDTHH:MM[:SS] must end in a zone: Z, +HH:MM or -HH:MM\n"
    "objects (-o): file=RE[,RE...]  paths matching a regular expression (~RE excludes, \\, is a comma)\n"
    "              pid=N | msgqid=N | semid=N | shmid=N   object ids\n"
    "              sock=PORT | ADDR | ADDR:PORT | [IPV6]:PORT | /unix/path\n"
    "Without files, or with \"-\", reads stdin; a directory is read as an audit trail\n"
    "directory (its trail files in time order). Writes raw records to stdout.\n"
    "Exit status: 0 all input read, 1 damaged or unreadable input, 2 usage.";

bool usage_error(const std::string& why) {
  fmt::print(stderr, "auditreduce: {}\n", why);
  return false;
}

using Why = std::optional<std::string>;

bool parse_number(std::string_view text, uint32_t& out) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < INT32_MIN || v > UINT32_MAX) return false;
  out = static_cast<uint32_t>(v);  // -1 means 4294967295, as OpenBSM's int compare
  return true;
}

Why set_time(std::optional<int64_t>& slot, std::string_view arg, const Options& o) {
  if (slot || (o.criteria.after && o.criteria.before)) return "given twice or with -d";
  bullion::Result<int64_t> t = sel::parse_date_time(std::string(arg));
  if (!t) return t.error().message;
  slot = *t;
  return std::nullopt;
}

Why set_day(std::string_view arg, Options& o) {
  sel::Criteria& k = o.criteria;
  if (k.after || k.before) return "cannot be combined with -a, -b or another -d";
  auto day = sel::parse_day(std::string(arg));
  if (!day) return day.error().message;
  k.after = day->first, k.before = day->second;
  return std::nullopt;
}

Why set_object(std::string_view text, Options& o) {
  const std::string arg(text);
  const size_t eq = arg.find('=');
  if (eq == std::string::npos) return fmt::format("{}: expected object=value", arg);
  const std::string name = arg.substr(0, eq), value = arg.substr(eq + 1);
  sel::Criteria& c = o.criteria;
  if (name == "file") {
    c.files = sel::parse_file_patterns(value);
    return std::nullopt;
  }
  if (name == "sock") {
    auto spec = sel::parse_socket_spec(value);
    if (!spec) return spec.error().message;
    c.socket = *spec;
    return std::nullopt;
  }
  std::optional<uint32_t>* slot = name == "pid"      ? &c.object_pid
                                  : name == "msgqid" ? &c.msgqid
                                  : name == "semid"  ? &c.semid
                                  : name == "shmid"  ? &c.shmid
                                                     : nullptr;
  if (!slot) return fmt::format("unknown object type '{}'", name);
  uint32_t id = 0;
  if (!parse_number(value, id)) return fmt::format("{}: '{}' is not a number", name, value);
  *slot = id;
  return std::nullopt;
}

// Nothing when auditreduce should run; otherwise its exit code.
std::optional<int> parse(int argc, char** argv, Options& o) {
  sel::Criteria& k = o.criteria;
  using Apply = bullion::tools::CommandLine::Apply;
  bullion::tools::CommandLine cli("auditreduce", kSynopsis, "Writes the raw BSM records that match a selection.");
  cli.flag('A', "", k.all_times, "all records: ignore -a, -b and -d")
      .value('a', "", "date", Apply([&](std::string_view v) { return set_time(k.after, v, o); }),
             "records at or after date")
      .value('b', "", "date", Apply([&](std::string_view v) { return set_time(k.before, v, o); }),
             "records at or before date")
      .value('c', "", "flags", o.classes, "events of these classes (audit_control syntax: lo,+fr,-fw)")
      .value('d', "", "day", Apply([&](std::string_view v) { return set_day(v, o); }),
             "records on that day (YYYYMMDD, local time)")
      .value('e', "", "euid", o.euid, "effective user (number or name)")
      .value('f', "", "egid", o.egid, "effective group (number or name)")
      .value('g', "", "rgid", o.rgid, "real group (number or name)")
      .value('j', "", "pid", Apply([&](std::string_view v) -> Why {
               uint32_t pid = 0;
               if (!parse_number(v, pid)) return fmt::format("'{}' is not a number", v);
               k.subject_pid = pid;
               return std::nullopt;
             }),
             "subject process id")
      .list('m', "", "event", o.events, "event number or AUE_ name; repeat for several")
      .value('o', "", "object=value", Apply([&](std::string_view v) { return set_object(v, o); }), "objects: see below")
      .value('r', "", "ruid", o.ruid, "real user (number or name)")
      .value('u', "", "auid", o.auid, "audit user (number or name)")
      .flag('v', "", k.invert, "invert the selection")
      .value('z', "", "zone", Apply([&](std::string_view v) -> Why {
               k.zone = std::string(v);
               return std::nullopt;
             }),
             "zone name")
      .flag('\0', "resync", o.resync, "go on after damaged input at the next whole record")
      .flag('\0', "follow", o.follow, "keep reading as files grow, across rotation (like tail -F)")
      .table_options(o.tables)
      .operands("file", o.inputs)
      .epilog(kEpilog);
  if (auto code = cli.parse(argc, argv)) return code;
  return std::nullopt;
}

// Names -> numbers through the run's tables. OpenBSM silently drops a -u
// whose name is unknown; we refuse it (COMPAT.md).
bool resolve_id(const std::string& text, std::optional<uint32_t>& slot, bool group, char opt,
                bullion::tables::Accounts& accounts) {
  if (text.empty()) return true;
  uint32_t id = 0;
  if (parse_number(text, id)) {
    slot = id;
    return true;
  }
  auto found = group ? accounts.group_id(text) : accounts.user_id(text);
  if (!found) return usage_error(fmt::format("-{}: unknown {} '{}'", opt, group ? "group" : "user", text));
  slot = *found;
  return true;
}

bool resolve_event(const std::string& text, const bullion::tables::EventTable& events, std::vector<uint16_t>& out) {
  uint32_t n = 0;
  if (parse_number(text, n) && n <= 65535) {
    out.push_back(static_cast<uint16_t>(n));
    return true;
  }
  const bullion::tables::EventEntry* e = events.find(text);
  if (!e) return usage_error(fmt::format("-m: unknown event '{}'", text));
  out.push_back(e->number);
  return true;
}

bool resolve_names(Options& o, const bullion::tables::TableSet& t) {
  sel::Criteria& k = o.criteria;
  if (!o.classes.empty()) {
    auto mask = bullion::tables::parse_class_flags(o.classes, *t.classes);
    if (!mask) return usage_error(fmt::format("-c: {}", mask.error().message));
    k.classes = *mask;
  }
  for (const std::string& e : o.events)
    if (!resolve_event(e, *t.events, k.events)) return false;
  return resolve_id(o.auid, k.auid, false, 'u', *t.accounts) && resolve_id(o.euid, k.euid, false, 'e', *t.accounts) &&
         resolve_id(o.ruid, k.ruid, false, 'r', *t.accounts) && resolve_id(o.egid, k.egid, true, 'f', *t.accounts) &&
         resolve_id(o.rgid, k.rgid, true, 'g', *t.accounts);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (auto code = parse(argc, argv, o)) return *code;
  auto tables = bullion::tools::load_tables_or_report("auditreduce", o.tables);
  if (!tables) return kExitUsage;
  if (!resolve_names(o, *tables)) return kExitUsage;
  auto selector = sel::Selector::compile(o.criteria, *tables->events);
  if (!selector) {
    fmt::print(stderr, "auditreduce: {}\n", selector.error().message);
    return kExitUsage;
  }
  bullion::text::Output out(STDOUT_FILENO);
  bullion::tools::Reporter reporter("auditreduce");
  reporter.set_open_failure_words("Couldn't open ");
  bullion::text::RawWriter writer(out, reporter);
  sel::SelectingSink select(*selector, writer);
  bullion::pipeline::ReadOptions read;
  read.resync = o.resync;
  read.follow = o.follow;
  bullion::pipeline::read_inputs(o.inputs, select, read);
  return reporter.clean() && !out.failed() ? 0 : 1;
}
