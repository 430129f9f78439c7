// bsmtrace: detects sequences of audit events described by a policy file.
// Thin: options into a struct, then tables -> policy -> engine -> writer.
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "bullion/bsm/facts.h"
#include "bullion/bsm/reader.h"
#include "bullion/tables.h"
#include "bullion/tools/cli.h"
#include "bullion/tools/record_input.h"
#include "bullion/tools/reporter.h"
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
  bool live = false, follow = false;
  tables::TableOptions tables;
  trace::OutputOptions output;
  std::string live_classes = "all";  // what to capture when reading live
  trace::EngineOptions engine;
};

// A value from 1 to 2^32-1, for the limits.
tools::CommandLine::Apply positive(auto& target) {
  return [&target](std::string_view text) -> std::optional<std::string> {
    uint64_t n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty() || n == 0 || n > 0xffffffffull)
      return "'" + std::string(text) + "' is not a number from 1 to 4294967295";
    target = static_cast<std::remove_reference_t<decltype(target)>>(n);
    return std::nullopt;
  };
}

// Nothing when bsmtrace should run; otherwise its exit code. The original's
// one-letter options are kept (-v prints the version as it did).
std::optional<int> parse_options(int argc, char** argv, Options& o) {
  bool version = false;
  tools::CommandLine cli("bsmtrace",
                         "[-bBdFnv] [-a trail|-] [-f config] [-l logdir] [-p pidfile] [--json] [--syslog]\n"
                         "                [--classes FLAGS] [--pcre-match-limit N] [--pcre-failure match|miss]\n"
                         "                [--max-triggers N] [--trigger-queue N] [--live] [--follow] [table options]\n"
                         "                [trail|dir ...]",
                         "Raises an alert each time a sequence of audit events described in the policy completes.\n"
                         "Reads the trails given (\"-\" = stdin), else stdin; the live audit stream with --live,\n"
                         "or when no trail is given and stdin is a terminal.");
  cli.list('a', "", "trail", o.inputs, "read this trail (\"-\" = stdin); repeatable")
      .value('f', "", "config", o.config, "the policy (default /etc/bsmtrace.conf)")
      .value('l', "", "logdir", o.output.log_dir, "alerts to log files in logdir")
      .value('p', "", "pidfile", o.pidfile, "write the process id to pidfile")
      .flag('b', "", o.output.raw_stdout, "each matching record, raw, to stdout")
      .flag('B', "", o.output.evidence, "evidence files of every alert's records (needs -l)")
      .flag('d', "", o.output.debug, "debug messages")
      .flag('F', "", o.foreground, "stay in the foreground (accepted: bsmtrace never daemonizes)")
      .flag('n', "", o.check_only, "check the policy and exit 0 or 1")
      .flag('v', "", version, "print the version and exit")
      .json(o.output.json, "alerts as JSON Lines (docs/bsmtrace.md)")
      .flag('\0', "syslog", o.output.syslog, "alerts to syslog as well")
      .flag('\0', "live", o.live, "read the live audit stream (root needed)")
      .value('\0', "classes", "FLAGS", o.live_classes, "the audit classes captured live (default all)")
      .flag('\0', "follow", o.follow, "keep reading as trails grow, across rotation (like tail -F)")
      .value('\0', "pcre-match-limit", "N", positive(o.engine.pcre_match_limit),
             "steps PCRE2 may take on a pattern and record before it gives up (default 1000000)")
      .value(
          '\0', "pcre-failure", "match|miss",
          [&o](std::string_view v) -> std::optional<std::string> {
            if (v != "match" && v != "miss") return "takes match or miss, not '" + std::string(v) + "'";
            o.engine.pattern_failure_matches = v == "match";
            return std::nullopt;
          },
          "what a record a pattern gave up on counts as (default match)")
      .value('\0', "max-triggers", "N", positive(o.output.max_running_triggers),
             "triggers running at once (default 64)")
      .value('\0', "trigger-queue", "N", positive(o.output.max_queued_triggers),
             "triggers that may wait; more are dropped and counted (default 100000)")
      .table_options(o.tables)
      .operands("trail", o.inputs)
      .epilog("Exit status: 0 done, 1 error or something not done as asked (counted), 2 usage error.");
  if (auto code = cli.parse(argc, argv)) return code;
  if (version) {
    std::printf("%s\n", tools::version_line("bsmtrace").c_str());
    return 0;
  }
  if (o.output.raw_stdout && o.output.json && o.output.log_dir.empty())
    return cli.usage_error("-b and --json both write to stdout; add -l logdir");
  return std::nullopt;
}

std::string source_name(std::string_view path) {
  if (path == "-") return "stdin";
  auto slash = path.rfind('/');
  return std::string(slash == std::string::npos ? path : path.substr(slash + 1));
}

// The engine as a sink: each record's facts go to the engine; alerts name
// the input the records came from.
class EngineFeed final : public bsm::RecordSink {
 public:
  EngineFeed(trace::Engine& engine, trace::AlertWriter& writer, tools::Reporter& reporter)
      : engine_(engine), writer_(writer), reporter_(reporter) {}

  bsm::Flow record(const bsm::RecordView& view) override {
    if (view.source != source_) {
      source_ = view.source;
      writer_.set_source(source_name(source_));
    }
    if (view.is_file_token) return bsm::Flow::Continue;
    bsm::RecordFacts facts;
    Status st = bsm::extract_facts(view.bytes, facts);
    if (!st.ok() && facts.seconds == 0) return bsm::Flow::Continue;  // no header: nothing to match on
    facts.raw = view.bytes;
    engine_.process(facts, trace::RecordOrigin{view.source, view.offset, true});
    writer_.poll_triggers();
    return bsm::Flow::Continue;
  }
  void damage(const Error& error) override { reporter_.damage(error); }
  // Queued triggers also start when the stream goes quiet, not only on the next record.
  void idle() override { writer_.poll_triggers(); }

 private:
  trace::Engine& engine_;
  trace::AlertWriter& writer_;
  tools::Reporter& reporter_;
  std::string source_;
};

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

void run_live(const Options& o, const tables::TableSet& tables, EngineFeed& feed, tools::Reporter& reporter) {
  const auto outcome = tools::capture_live(tables, o.live_classes, feed, reporter);
  std::fprintf(stderr, "bsmtrace: live: %llu records, %llu dropped, %llu lost by the kernel\n",
               static_cast<unsigned long long>(outcome.stats.records),
               static_cast<unsigned long long>(outcome.stats.dropped),
               static_cast<unsigned long long>(outcome.stats.kernel_lost));
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
  if (auto code = parse_options(argc, argv, o)) return *code;
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
  tools::Reporter reporter("bsmtrace");
  EngineFeed feed(engine, writer, reporter);
  if (tools::wants_live(o.live, o.inputs)) {
    run_live(o, *tables, feed, reporter);
  } else {
    pipeline::ReadOptions read;
    read.follow = o.follow;
    pipeline::read_inputs(o.inputs, feed, read);
  }
  bool ok = reporter.clean();
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
