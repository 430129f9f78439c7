// bsmtrace: detects sequences of audit events described by a policy file.
// Thin: options into a struct, then tables -> policy -> engine -> writer.
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "bullion/bsm/facts.h"
#include "bullion/bsm/reader.h"
#include "bullion/tables.h"
#include "bullion/tools/record_input.h"
#include "bullion/tools/tool_support.h"
#include "bullion/trace/engine.h"
#include "bullion/trace/output.h"
#include "bullion/trace/policy.h"

namespace {

using namespace bullion;

struct Options {
  std::vector<std::string> inputs;  // -a and positional
  std::string config = "/etc/bsmtrace.conf";
  std::string pidfile;
  bool check_only = false;
  bool foreground = false;
  tables::TableOptions tables;
  trace::OutputOptions output;
  std::string live_classes = "all";  // what to capture when reading live
  trace::EngineOptions engine;
};

const char kUsage[] =
    "usage: bsmtrace [-bBdFhnv] [-a trail|-] [-f config] [-l logdir] [-p pidfile]\n"
    "                [--json] [--syslog] [--root DIR] [--audit-event F] [--audit-class F]\n"
    "                [--passwd F] [--group F] [--classes FLAGS] [--pcre-match-limit N]\n"
    "                [--pcre-failure match|miss] [--max-triggers N] [--trigger-queue N]\n"
    "                [trail|dir|audit.log ...]\n"
    "Without -a or trail arguments, bsmtrace reads the live audit stream (root needed);\n"
    "--classes chooses the audit classes captured live (default: all).\n";

int usage_error(const char* why) {
  std::fprintf(stderr, "bsmtrace: %s\n%s", why, kUsage);
  return 2;
}

// Returns -1 to go on, otherwise an exit code.
int parse_options(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](std::string& out) {
      if (i + 1 >= argc) return false;
      out = argv[++i];
      return true;
    };
    std::string v;
    if (arg == "-h" || arg == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (arg == "-v") {
      std::puts("bsmtrace (bullion) 0.1.0");
      return 0;
    } else if (arg == "-a") {
      if (!value(v)) return usage_error("-a needs a trail");
      o.inputs.push_back(v);
    } else if (arg == "-f") {
      if (!value(o.config)) return usage_error("-f needs a file");
    } else if (arg == "-l") {
      if (!value(o.output.log_dir)) return usage_error("-l needs a directory");
    } else if (arg == "-p") {
      if (!value(o.pidfile)) return usage_error("-p needs a file");
    } else if (arg == "-b") {
      o.output.raw_stdout = true;
    } else if (arg == "-B") {
      o.output.evidence = true;
    } else if (arg == "-d") {
      o.output.debug = true;
    } else if (arg == "-F") {
      o.foreground = true;
    } else if (arg == "-n") {
      o.check_only = true;
    } else if (arg == "--json") {
      o.output.json = true;
    } else if (arg == "--syslog") {
      o.output.syslog = true;
    } else if (arg == "--root") {
      if (!value(o.tables.root)) return usage_error("--root needs a directory");
    } else if (arg == "--audit-event") {
      if (!value(o.tables.audit_event)) return usage_error("--audit-event needs a file");
    } else if (arg == "--audit-class") {
      if (!value(o.tables.audit_class)) return usage_error("--audit-class needs a file");
    } else if (arg == "--passwd") {
      if (!value(o.tables.passwd)) return usage_error("--passwd needs a file");
    } else if (arg == "--group") {
      if (!value(o.tables.group)) return usage_error("--group needs a file");
    } else if (arg == "--classes") {
      if (!value(o.live_classes)) return usage_error("--classes needs class flags");
    } else if (arg == "--pcre-match-limit" || arg == "--max-triggers" || arg == "--trigger-queue") {
      char* end = nullptr;
      if (!value(v) || v.empty() || v[0] == '-') return usage_error((arg + " needs a number").c_str());
      const unsigned long long n = std::strtoull(v.c_str(), &end, 10);
      if (*end != '\0' || n == 0 || n > 0xffffffffull) return usage_error((arg + " needs a number from 1").c_str());
      if (arg == "--pcre-match-limit") o.engine.pcre_match_limit = static_cast<uint32_t>(n);
      if (arg == "--max-triggers") o.output.max_running_triggers = n;
      if (arg == "--trigger-queue") o.output.max_queued_triggers = n;
    } else if (arg == "--pcre-failure") {
      if (!value(v) || (v != "match" && v != "miss")) return usage_error("--pcre-failure needs match or miss");
      o.engine.pattern_failure_matches = v == "match";
    } else if (arg.size() > 1 && arg[0] == '-') {
      return usage_error(("unknown option " + arg).c_str());
    } else {
      o.inputs.push_back(arg);
    }
  }
  if (o.output.raw_stdout && o.output.json && o.output.log_dir.empty())
    return usage_error("-b and --json both write to stdout; add -l logdir");
  return -1;
}

std::string source_name(const std::string& path) {
  if (path == "-") return "stdin";
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

void process_record(const bsm::RecordView& view, trace::Engine& engine, trace::AlertWriter& writer) {
  if (view.is_file_token) return;
  bsm::RecordFacts facts;
  Status st = bsm::extract_facts(view.bytes, facts);
  if (!st.ok() && facts.seconds == 0) return;  // no header: nothing to match on
  facts.raw = view.bytes;
  engine.process(facts, trace::RecordOrigin{view.source, view.offset, true});
  writer.poll_triggers();
}

// What could not be done as asked, counted: said at exit whatever -d says.
// Returns false when something was lost (exit status 1).
bool report_counts(const trace::Engine& engine, trace::AlertWriter& writer, bool pattern_failure_matches) {
  bool lost = false;
  for (const auto& f : engine.pattern_failures())
    std::fprintf(stderr, "bsmtrace: %s: pattern '%s' could not be evaluated on %llu records (taken as %s)\n",
                 f.pattern->where.describe().c_str(), f.pattern->text.c_str(), static_cast<unsigned long long>(f.count),
                 pattern_failure_matches ? "matches" : "misses");
  const auto s = engine.stats();
  if (s.patterns_not_evaluated && !pattern_failure_matches) lost = true;
  auto say = [](uint64_t n, const char* what) {
    if (n) std::fprintf(stderr, "bsmtrace: %llu %s\n", static_cast<unsigned long long>(n), what);
  };
  say(s.suppressed, "alerts suppressed by 'once per'");
  say(s.absent_undecided, "'state not' instances still inside their time when the input ended (no alert)");
  say(s.refused, "instances or windows not kept (limit per sequence reached)");
  say(writer.triggers().dropped(), "triggers dropped (trigger queue full)");
  say(writer.triggers().failed(), "triggers could not be started");
  return !lost && s.refused == 0;
}

// Trails, audit directories, Linux audit.log files or stdin. Damage is
// reported with its offset and skipped; returns false if there was any.
bool run_inputs(const Options& o, trace::Engine& engine, trace::AlertWriter& writer) {
  bool ok = true;
  for (const std::string& input : o.inputs) {
    writer.set_source(source_name(input));
    const auto outcome = tools::read_trails("bsmtrace", {input}, [&](const bsm::RecordView& view) {
      process_record(view, engine, writer);
      return true;
    });
    ok = outcome.clean && ok;
  }
  return ok;
}

bool run_live(const Options& o, const tables::TableSet& tables, trace::Engine& engine, trace::AlertWriter& writer) {
  writer.set_source("live");
  const auto outcome = tools::capture_live("bsmtrace", tables, o.live_classes, [&](const bsm::RecordView& view) {
    process_record(view, engine, writer);
    return true;
  });
  std::fprintf(stderr, "bsmtrace: live: %llu records, %llu dropped, %llu lost by the kernel\n",
               static_cast<unsigned long long>(outcome.stats.records),
               static_cast<unsigned long long>(outcome.stats.dropped),
               static_cast<unsigned long long>(outcome.stats.kernel_lost));
  return outcome.status.ok();
}

bool write_pidfile(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "w");
  if (!f) return false;
  std::fprintf(f, "%ld\n", static_cast<long>(getpid()));
  return std::fclose(f) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (int rc = parse_options(argc, argv, o); rc >= 0) return rc;
  auto tables = tools::load_tables_or_report("bsmtrace", o.tables);
  if (!tables) return 1;
  trace::NameResolver names{tables->events.get(), tables->classes.get(), tables->accounts.get()};
  auto policy = trace::parse_policy_file(o.config, names);
  if (!policy) {
    std::fprintf(stderr, "bsmtrace: %s\n", policy.error().message.c_str());
    return 1;
  }
  for (const auto& w : policy->warnings) std::fprintf(stderr, "bsmtrace: warning: %s\n", w.describe().c_str());
  if (o.check_only) return 0;
  if (!o.pidfile.empty() && !write_pidfile(o.pidfile)) {
    std::fprintf(stderr, "bsmtrace: %s: %s\n", o.pidfile.c_str(), std::strerror(errno));
    return 1;
  }
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) == 0) o.output.host = host;
  trace::AlertWriter writer(o.output, tables->events.get(), tables->accounts.get());
  if (auto st = writer.open(); !st) {
    std::fprintf(stderr, "bsmtrace: %s\n", st.error().message.c_str());
    return 1;
  }
  trace::EngineOptions engine_options = o.engine;
  engine_options.keep_raw = o.output.evidence;
  engine_options.debug = o.output.debug;
  engine_options.random_seed = static_cast<uint64_t>(getpid());
  trace::Engine engine(*policy, *tables->events, writer, engine_options);
  bool ok;
  ok = o.inputs.empty() ? run_live(o, *tables, engine, writer) : run_inputs(o, engine, writer);
  engine.finish();
  writer.triggers().wait_all();
  writer.poll_triggers();
  ok = report_counts(engine, writer, o.engine.pattern_failure_matches) && ok;
  if (o.output.debug) {
    auto s = engine.stats();
    std::fprintf(stderr, "bsmtrace: %llu records, %llu alerts, %llu live instances\n",
                 static_cast<unsigned long long>(s.records), static_cast<unsigned long long>(s.alerts),
                 static_cast<unsigned long long>(s.live_instances));
  }
  if (!o.pidfile.empty()) unlink(o.pidfile.c_str());
  return ok && writer.errors() == 0 ? 0 : 1;
}
