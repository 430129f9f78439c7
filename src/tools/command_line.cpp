#include "bullion/tools/command_line.h"

#include "bullion/tools/process_tracker.h"
#include "bullion/tools/shell_quote.h"
#include "bullion/tools/tool_support.h"

namespace bullion::tools {
namespace {

void append_environment(std::string& line, const bsm::RecordFacts& facts) {
  line += "env";
  bsm::for_each_string(facts.exec_env, facts.exec_envc, [&](std::string_view entry) {
    // env(1) takes the first word without '=' as the command.
    if (entry.find('=') == std::string_view::npos) return;
    line += ' ';
    append_shell_quoted(line, entry);
  });
  line += ' ';
}

}  // namespace

std::optional<Command> command_of(const bsm::RecordFacts& facts, const EventKinds& kinds) {
  const EventKind kind = kinds.of(facts.event);
  const bool runs_program = kind == EventKind::Exec || kind == EventKind::Spawn;
  if (facts.exec_argc == 0 && !(runs_program && facts.path_count > 0)) return std::nullopt;
  Command c;
  c.attributable = facts.has_subject;
  c.pid = facts.subject.pid;
  c.path = facts.path_count > 0 ? facts.first_path : std::string_view();
  c.succeeded = succeeded(facts);
  c.bsm_errno = facts.has_return ? facts.return_errno : 0;
  if (kind == EventKind::Spawn && facts.has_subject) {
    if (auto child = child_pid_of(facts, kind)) {
      c.spawned_by = c.pid;
      c.pid = *child;
    }
  }
  return c;
}

std::string format_command_line(const bsm::RecordFacts& facts, const CommandLineOptions& options) {
  std::string line;
  if (options.with_env && facts.exec_envc > 0) append_environment(line, facts);
  uint32_t index = 0;
  bsm::for_each_string(facts.exec_args, facts.exec_argc, [&](std::string_view arg) {
    if (index++ == 0) return append_shell_quoted_command(line, arg);
    line += ' ';
    append_shell_quoted(line, arg);
  });
  if (index == 0) append_shell_quoted_command(line, executable_of(facts));
  if (options.with_error && !succeeded(facts)) line += " # failed: " + failure_text(facts.return_errno);
  return line;
}

std::vector<std::string_view> exec_arguments(const bsm::RecordFacts& facts) {
  std::vector<std::string_view> args;
  args.reserve(facts.exec_argc);
  bsm::for_each_string(facts.exec_args, facts.exec_argc, [&](std::string_view arg) { args.push_back(arg); });
  return args;
}

std::vector<std::string_view> exec_environment(const bsm::RecordFacts& facts) {
  std::vector<std::string_view> env;
  env.reserve(facts.exec_envc);
  bsm::for_each_string(facts.exec_env, facts.exec_envc, [&](std::string_view entry) { env.push_back(entry); });
  return env;
}

}  // namespace bullion::tools
