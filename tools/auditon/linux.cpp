// On Linux the BSM kernel state auditon(2) sets lives in bsmauditd: ask it.
#if defined(__linux__)
#include "auditon.h"
#include "bullion/trail/control.h"

namespace auditon {

bullion::Result<std::string> request(const std::string& root, const std::string& subcommand,
                                     const std::vector<std::string>& args) {
  namespace trail = bullion::trail;
  const trail::DaemonPaths paths = trail::DaemonPaths::under(root);
  if (auto daemon = trail::running_daemon(paths.pid_file); !daemon) return daemon.error();
  std::string line = subcommand;
  for (const std::string& arg : args) line += " " + arg;
  return trail::control_request(paths.control_socket, line);
}

}  // namespace auditon
#endif
