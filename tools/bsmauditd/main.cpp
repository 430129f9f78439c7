// bsmauditd: the trail daemon. Reads audit_control and friends, captures
// live audit records, and keeps them in trails as OpenBSM's auditd does
// (library: bullion/trail). Thin: options, daemonizing and logging here.
#include <fcntl.h>
#include <syslog.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <optional>
#include <string>

#include "bullion/tools/cli.h"
#include "bullion/tools/tool_support.h"
#include "bullion/trail/daemon.h"

namespace {

namespace trail = bullion::trail;

constexpr int kExitOk = 0, kExitError = 1;

struct Options {
  bool foreground = false;
  bool dry_run = false;
  bool no_kernel = false;
  unsigned sync_seconds = 1;
  std::optional<uint32_t> auid;
  bullion::tables::TableOptions tables;  // only --root is used
};

std::optional<int> parse(int argc, char** argv, Options& o) {
  bullion::tools::CommandLine cli(
      "bsmauditd", "[-d] [--root DIR] [--sync-interval SEC] [--dry-run | --no-kernel]",
      "The audit trail daemon: captures live audit records and keeps them in trails as\n"
      "OpenBSM's auditd does, as /etc/security/audit_control (or DIR/etc/security/audit_control)\n"
      "says. audit(8) rotates, re-reads, expires and stops it; auditon(8) changes its policy,\n"
      "per-process masks and event classes.");
  cli.flag('d', "", o.foreground, "stay in the foreground and log to standard error")
      .value('\0', "root", "DIR", o.tables.root, "read DIR/etc/security, keep the pid file in DIR/var/run")
      .number('\0', "sync-interval", "SEC", o.sync_seconds, "sync the open trail at most SEC seconds apart (1)")
      .value('\0', "auid", "N",
             bullion::tools::CommandLine::Apply([&o](std::string_view text) -> std::optional<std::string> {
               uint32_t auid = 0;
               auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), auid);
               if (ec != std::errc() || end != text.data() + text.size() || text.empty())
                 return "'" + std::string(text) + "' is not a number";
               o.auid = auid;
               return std::nullopt;
             }),
             "only events of processes with login uid N (for tests: nothing else is captured)")
      .flag('\0', "dry-run", o.dry_run, "print the kernel settings and rules it would apply, and exit")
      .flag('\0', "no-kernel", o.no_kernel, "run without touching kernel audit; log what it would apply")
      .epilog(
          "signals: SIGHUP re-reads audit_control, SIGTERM closes the trail and exits\n"
          "exit status: 0 stopped cleanly, 1 an error (logged), 2 a usage error\n");
  if (auto code = cli.parse(argc, argv)) return code;
  if (o.dry_run && o.no_kernel) return cli.usage_error("--dry-run and --no-kernel exclude each other");
  if (o.sync_seconds == 0) return cli.usage_error("--sync-interval must be at least 1");
  return std::nullopt;
}

std::string_view level_name(trail::LogLevel level) {
  switch (level) {
    case trail::LogLevel::Debug:
      return "debug";
    case trail::LogLevel::Info:
      return "info";
    case trail::LogLevel::Notice:
      return "notice";
    case trail::LogLevel::Warning:
      return "warning";
    case trail::LogLevel::Error:
      return "error";
  }
  return "?";
}

int syslog_priority(trail::LogLevel level) {
  switch (level) {
    case trail::LogLevel::Debug:
      return LOG_DEBUG;
    case trail::LogLevel::Info:
      return LOG_INFO;
    case trail::LogLevel::Notice:
      return LOG_NOTICE;
    case trail::LogLevel::Warning:
      return LOG_WARNING;
    case trail::LogLevel::Error:
      return LOG_ERR;
  }
  return LOG_ERR;
}

// Log lines may carry file names from the configuration: escaped, so a
// name cannot forge a line or drive a terminal.
trail::LogFunction make_log(bool foreground) {
  if (!foreground) {
    openlog("bsmauditd", LOG_PID, LOG_AUTH);
    return [](trail::LogLevel level, std::string_view message) {
      std::string safe;
      bullion::tools::append_terminal_safe(safe, message);
      syslog(syslog_priority(level), "%s", safe.c_str());
    };
  }
  return [](trail::LogLevel level, std::string_view message) {
    std::string line = "bsmauditd: " + std::string(level_name(level)) + ": ";
    bullion::tools::append_terminal_safe(line, message);
    line += '\n';
    std::fputs(line.c_str(), stderr);
  };
}

// The classic way: fork twice, a new session, no terminal, no cwd.
bool daemonize() {
  if (pid_t child = fork(); child < 0)
    return false;
  else if (child > 0)
    _exit(0);
  setsid();
  if (pid_t child = fork(); child < 0)
    return false;
  else if (child > 0)
    _exit(0);
  if (chdir("/") != 0) return false;
  const int null = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null < 0) return false;
  for (int fd : {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO}) dup2(null, fd);
  close(null);
  return true;
}

int dry_run(const Options& o) {
  auto config = trail::load_daemon_config(trail::DaemonPaths::under(o.tables.root), std::chrono::seconds(1));
  if (!config) {
    std::fprintf(stderr, "bsmauditd: %s\n", config.error().message.c_str());
    return kExitError;
  }
  trail::TrailSelector selector(config->selection, config->tables.events);
  auto plan = bullion::live::describe_kernel_plan(trail::live_options_for(selector, o.auid));
  if (!plan) {
    std::fprintf(stderr, "bsmauditd: %s\n", plan.error().message.c_str());
    return kExitError;
  }
  std::string out;
  for (const std::string& note : config->notes) out += "# " + note + "\n";
  out += "# policy " + bullion::tables::format_policy(config->selection.policy) + "; kernel settings and rules:\n";
  for (const std::string& line : *plan) out += line + "\n";
  std::fputs(out.c_str(), stdout);
  return kExitOk;
}

void log_totals(const trail::LogFunction& log, const trail::Daemon::Totals& t) {
  log(trail::LogLevel::Notice, std::to_string(t.capture.records) + " records captured, " + std::to_string(t.selected) +
                                   " kept by preselection, " + std::to_string(t.trails.written) +
                                   " written (with file tokens and daemon records), " + std::to_string(t.trails.lost) +
                                   " lost for want of space, " + std::to_string(t.capture.dropped) +
                                   " dropped (reader queue full), " + std::to_string(t.capture.kernel_lost) +
                                   " lost by the kernel");
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (auto code = parse(argc, argv, o)) return *code;
  if (o.dry_run) return dry_run(o);
  if (!o.no_kernel && geteuid() != 0) {
    std::fputs("bsmauditd: needs root: live auditing configures the kernel (or use --no-kernel)\n", stderr);
    return kExitError;
  }
  if (!o.foreground && !daemonize()) {
    std::perror("bsmauditd: daemonize");
    return kExitError;
  }
  const trail::LogFunction log = make_log(o.foreground);
  trail::DaemonOptions options;
  options.root = o.tables.root;
  options.sync_interval = std::chrono::seconds(o.sync_seconds);
  options.use_kernel = !o.no_kernel;
  options.auid = o.auid;
  options.log = log;
  trail::DaemonSignals::hold();
  auto daemon = trail::Daemon::start(options);
  if (!daemon) {
    log(trail::LogLevel::Error, "not started: " + daemon.error().message);
    return kExitError;
  }
  bullion::Status ran = [&] {
    const trail::DaemonSignals signals(**daemon);
    log(trail::LogLevel::Notice, "started (pid " + std::to_string(getpid()) + ")");
    return (*daemon)->run();
  }();
  log_totals(log, (*daemon)->totals());
  daemon->reset();  // puts the kernel back before saying so
  if (!ran) {
    log(trail::LogLevel::Error, ran.error().message);
    return kExitError;
  }
  log(trail::LogLevel::Notice, "stopped");
  return kExitOk;
}
