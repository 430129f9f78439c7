// bsmtrace: detects sequences of audit events described by a policy file.
// Thin: options into a struct, then tables -> policy -> engine -> writer.
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "bullion/bsm/facts.h"
#include "bullion/bsm/reader.h"
#include "bullion/tables.h"
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
};

const char kUsage[] =
    "usage: bsmtrace [-bBdFhnv] [-a trail|-] [-f config] [-l logdir] [-p pidfile]\n"
    "                [--json] [--syslog] [--root DIR] [--audit-event F] [--audit-class F]\n"
    "                [--passwd F] [--group F] [trail|dir ...]\n";

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
    } else if (arg == "-b") { o.output.raw_stdout = true;
    } else if (arg == "-B") { o.output.evidence = true;
    } else if (arg == "-d") { o.output.debug = true;
    } else if (arg == "-F") { o.foreground = true;
    } else if (arg == "-n") { o.check_only = true;
    } else if (arg == "--json") { o.output.json = true;
    } else if (arg == "--syslog") { o.output.syslog = true;
    } else if (arg == "--root") { if (!value(o.tables.root)) return usage_error("--root needs a directory");
    } else if (arg == "--audit-event") { if (!value(o.tables.audit_event)) return usage_error("--audit-event needs a file");
    } else if (arg == "--audit-class") { if (!value(o.tables.audit_class)) return usage_error("--audit-class needs a file");
    } else if (arg == "--passwd") { if (!value(o.tables.passwd)) return usage_error("--passwd needs a file");
    } else if (arg == "--group") { if (!value(o.tables.group)) return usage_error("--group needs a file");
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

// A directory stands for the regular files in it, in name order (trail
// names start with their time, so this is time order).
std::vector<std::string> expand_inputs(const std::vector<std::string>& inputs) {
  std::vector<std::string> files;
  for (const auto& in : inputs) {
    struct stat st;
    if (in != "-" && stat(in.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
      std::vector<std::string> names;
      if (DIR* d = opendir(in.c_str())) {
        while (dirent* e = readdir(d)) {
          std::string path = in + "/" + e->d_name;
          struct stat fst;
          if (e->d_name[0] != '.' && stat(path.c_str(), &fst) == 0 && S_ISREG(fst.st_mode))
            names.push_back(path);
        }
        closedir(d);
      }
      std::sort(names.begin(), names.end());
      files.insert(files.end(), names.begin(), names.end());
    } else {
      files.push_back(in);
    }
  }
  return files;
}

std::string source_name(const std::string& path) {
  if (path == "-") return "stdin";
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Returns false on an unreadable input; damage inside a trail is reported
// and skipped.
bool run_trail(const std::string& path, trace::Engine& engine, trace::AlertWriter& writer) {
  auto reader = bsm::RecordReader::open(path);
  if (!reader) {
    std::fprintf(stderr, "bsmtrace: %s: %s\n", path.c_str(), reader.error().describe().c_str());
    return false;
  }
  writer.set_source(source_name(path));
  bsm::RecordView view;
  bsm::RecordFacts facts;
  for (;;) {
    auto next = (*reader)->next(view);
    if (next == bsm::RecordReader::Next::End) break;
    if (next == bsm::RecordReader::Next::Damage) {
      std::fprintf(stderr, "bsmtrace: %s: %s\n", path.c_str(),
                   (*reader)->error().describe().c_str());
      if (!(*reader)->resync()) break;
      continue;
    }
    if (view.is_file_token) continue;
    facts = bsm::RecordFacts{};
    Status st = bsm::extract_facts(view.bytes, facts);
    if (!st.ok() && facts.seconds == 0) continue;  // no header: nothing to match on
    facts.raw = view.bytes;
    engine.process(facts);
  }
  writer.triggers().reap();
  return true;
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
  auto tables = tables::load_tables(o.tables);
  if (!tables) {
    std::fprintf(stderr, "bsmtrace: %s\n", tables.error().message.c_str());
    return 1;
  }
  trace::NameResolver names{tables->events.get(), tables->classes.get(), tables->accounts.get()};
  auto policy = trace::parse_policy_file(o.config, names);
  if (!policy) {
    std::fprintf(stderr, "bsmtrace: %s\n", policy.error().message.c_str());
    return 1;
  }
  for (const auto& w : policy->warnings) std::fprintf(stderr, "bsmtrace: warning: %s\n", w.describe().c_str());
  if (o.check_only) return 0;
  if (o.inputs.empty()) {
    std::fprintf(stderr, "bsmtrace: live input not available on this system yet, use -a\n");
    return 1;
  }
  if (!o.pidfile.empty() && !write_pidfile(o.pidfile)) {
    std::fprintf(stderr, "bsmtrace: %s: %s\n", o.pidfile.c_str(), std::strerror(errno));
    return 1;
  }
  trace::AlertWriter writer(o.output, tables->events.get(), tables->accounts.get());
  if (auto st = writer.open(); !st) {
    std::fprintf(stderr, "bsmtrace: %s\n", st.error().message.c_str());
    return 1;
  }
  trace::EngineOptions engine_options;
  engine_options.keep_raw = o.output.evidence;
  engine_options.debug = o.output.debug;
  engine_options.random_seed = static_cast<uint64_t>(getpid());
  trace::Engine engine(*policy, *tables->events, writer, engine_options);
  bool ok = true;
  for (const auto& path : expand_inputs(o.inputs)) ok &= run_trail(path, engine, writer);
  writer.triggers().wait_all();
  if (o.output.debug) {
    auto s = engine.stats();
    std::fprintf(stderr, "bsmtrace: %llu records, %llu alerts, %llu live instances\n",
                 static_cast<unsigned long long>(s.records),
                 static_cast<unsigned long long>(s.alerts),
                 static_cast<unsigned long long>(s.live_instances));
  }
  if (!o.pidfile.empty()) unlink(o.pidfile.c_str());
  return ok && writer.errors() == 0 ? 0 : 1;
}
