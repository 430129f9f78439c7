// Triggers run without a shell: the command is split on spaces and each
// word gets $subject/$esubject/$object substituted, so a path holding
// spaces or ';' is still one argument and cannot inject commands.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "bullion/trace/output.h"

namespace bullion::trace {

namespace {

// One word with $subject/$esubject/$object substituted, in one left-to-right
// pass: "$esubject" is tried before "$subject", and substituted values are
// never rescanned for variables.
std::string substitute(std::string_view word, std::string_view subject, std::string_view esubject,
                       std::string_view object) {
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
  return out;
}

bool starts_with_variable(std::string_view word) {
  return word.starts_with("$subject") || word.starts_with("$esubject") || word.starts_with("$object");
}

}  // namespace

std::vector<std::string> trigger_arguments(std::string_view command, std::string_view subject,
                                           std::string_view esubject, std::string_view object) {
  std::vector<std::string> args;
  bool separated = false;
  size_t pos = 0;
  while (pos < command.size()) {
    while (pos < command.size() && command[pos] == ' ') ++pos;
    size_t end = pos;
    while (end < command.size() && command[end] != ' ') ++end;
    if (end == pos) break;
    std::string_view word = command.substr(pos, end - pos);
    // Not for argv[0]: the program path is checked to be absolute.
    if (!separated && !args.empty() && starts_with_variable(word)) {
      args.emplace_back("--");
      separated = true;
    }
    args.push_back(substitute(word, subject, esubject, object));
    pos = end;
  }
  return args;
}

std::vector<std::string> trigger_environment(std::string_view sequence, std::string_view subject,
                                             std::string_view esubject, std::string_view object) {
  return {"BSMTRACE_SEQUENCE=" + std::string(sequence), "BSMTRACE_SUBJECT=" + std::string(subject),
          "BSMTRACE_ESUBJECT=" + std::string(esubject), "BSMTRACE_OBJECT=" + std::string(object)};
}

TriggerRunner::~TriggerRunner() { reap(); }

std::string TriggerRunner::run(std::vector<std::string> argv, std::vector<std::string> environment) {
  reap();
  if (argv.empty() || argv[0].empty() || argv[0][0] != '/') return "trigger needs an absolute program path";
  Job job{std::move(argv), std::move(environment)};
  if (children_.size() < max_running_ && queue_.empty()) return spawn(job);
  if (queue_.size() >= max_queued_) {
    ++dropped_;
    return "trigger queue full (" + std::to_string(max_queued_) + " waiting); dropped " + job.argv[0];
  }
  queue_.push_back(std::move(job));
  return {};
}

std::string TriggerRunner::spawn(const Job& job) {
  std::vector<char*> args, env;
  for (const auto& a : job.argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  for (const auto& e : job.environment) env.push_back(const_cast<char*>(e.c_str()));
  env.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  // The child must not read the trail we may be reading from stdin.
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), env.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    ++failed_;
    return job.argv[0] + ": " + std::strerror(rc);
  }
  ++started_;
  children_.push_back(pid);
  return {};
}

void TriggerRunner::start_queued() {
  while (!queue_.empty() && children_.size() < max_running_) {
    Job job = std::move(queue_.front());
    queue_.pop_front();
    std::string why = spawn(job);
    if (!why.empty()) errors_ += why + "\n";
  }
}

std::string TriggerRunner::take_errors() { return std::exchange(errors_, {}); }

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
  start_queued();
}

void TriggerRunner::wait_all() {
  while (!children_.empty() || !queue_.empty()) {
    if (!children_.empty()) {
      int status = 0;
      while (waitpid(children_.front(), &status, 0) < 0 && errno == EINTR) {
      }
      children_.erase(children_.begin());
    }
    reap();
  }
}

}  // namespace bullion::trace
