// audit -n | -s | -t | -e: asks the running bsmauditd to start a new trail,
// re-read audit_control, terminate, or expire trails now, as OpenBSM's
// audit(8) asks auditd. The daemon is found through its pid file.
#include <cstdio>
#include <string>

#include "bullion/tools/cli.h"
#include "bullion/trail/control.h"

namespace {

namespace trail = bullion::trail;

constexpr int kExitOk = 0, kExitError = 1;

}  // namespace

int main(int argc, char** argv) {
  bool rotate = false, read_file = false, terminate = false, expire = false;
  std::string root;
  bullion::tools::CommandLine cli("audit", "-n | -s | -t | -e [--root DIR]",
                                  "Sends a request to the running bsmauditd (found through /var/run/bsmauditd.pid,\n"
                                  "or DIR/var/run/bsmauditd.pid with --root DIR).");
  cli.flag('n', "", rotate, "close the trail and start a new one")
      .flag('s', "", read_file, "re-read audit_control, apply it, start a new trail under it")
      .flag('t', "", terminate, "close the trail, put kernel audit back as it was, and exit")
      .flag('e', "", expire, "delete the trails expire-after says are too old or too many, now")
      .value('\0', "root", "DIR", root, "the daemon runs with --root DIR")
      .epilog("exit status: 0 sent, 1 no daemon or no permission, 2 a usage error\n");
  if (auto code = cli.parse(argc, argv)) return *code;
  if (rotate + read_file + terminate + expire != 1) return cli.usage_error("give exactly one of -n, -s, -t, -e");
  const trail::Trigger trigger = rotate      ? trail::Trigger::RotateUser
                                 : read_file ? trail::Trigger::ReadFile
                                 : terminate ? trail::Trigger::CloseAndDie
                                             : trail::Trigger::ExpireTrails;
  auto daemon = trail::running_daemon(trail::DaemonPaths::under(root).pid_file);
  if (!daemon) {
    std::fprintf(stderr, "audit: %s\n", daemon.error().message.c_str());
    return kExitError;
  }
  if (auto sent = trail::send_trigger(*daemon, trigger); !sent) {
    std::fprintf(stderr, "audit: %s\n", sent.error().message.c_str());
    return kExitError;
  }
  std::puts("Trigger sent.");
  return kExitOk;
}
