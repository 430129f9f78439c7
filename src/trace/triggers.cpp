// Triggers run without a shell: the command is split on spaces and each
// word gets $subject/$esubject/$object substituted, so a path holding
// spaces or ';' is still one argument and cannot inject commands.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstring>

#include "bullion/trace/output.h"

namespace bullion::trace {

std::vector<std::string> trigger_arguments(std::string_view command, std::string_view subject,
                                           std::string_view esubject, std::string_view object) {
  std::vector<std::string> args;
  size_t pos = 0;
  while (pos < command.size()) {
    while (pos < command.size() && command[pos] == ' ') ++pos;
    size_t end = pos;
    while (end < command.size() && command[end] != ' ') ++end;
    if (end == pos) break;
    std::string word(command.substr(pos, end - pos));
    // One left-to-right pass: "$esubject" is tried before "$subject", and
    // substituted values are never rescanned for variables.
    std::string out;
    for (size_t i = 0; i < word.size();) {
      if (word.compare(i, 9, "$esubject") == 0) {
        out += esubject;
        i += 9;
      } else if (word.compare(i, 8, "$subject") == 0) {
        out += subject;
        i += 8;
      } else if (word.compare(i, 7, "$object") == 0) {
        out += object;
        i += 7;
      } else {
        out += word[i++];
      }
    }
    args.push_back(std::move(out));
    pos = end;
  }
  return args;
}

TriggerRunner::~TriggerRunner() { reap(); }

std::string TriggerRunner::run(const std::vector<std::string>& argv) {
  reap();
  if (argv.empty() || argv[0].empty() || argv[0][0] != '/') return "trigger needs an absolute program path";
  if (children_.size() >= max_children_) return "too many triggers still running; skipped " + argv[0];
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  char* empty_environment[] = {nullptr};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  // The child must not read the trail we may be reading from stdin.
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), empty_environment);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return argv[0] + ": " + std::strerror(rc);
  children_.push_back(pid);
  return {};
}

void TriggerRunner::reap() {
  for (size_t i = 0; i < children_.size();) {
    int status = 0;
    pid_t r = waitpid(children_[i], &status, WNOHANG);
    if (r == children_[i] || (r < 0 && errno == ECHILD)) {
      children_[i] = children_.back();
      children_.pop_back();
    } else {
      ++i;
    }
  }
}

void TriggerRunner::wait_all() {
  for (pid_t pid : children_) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  children_.clear();
}

}  // namespace bullion::trace
