#include "bullion/tools/command_line.h"

#include "bullion/tools/process_tracker.h"
#include "bullion/tools/shell_quote.h"

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

std::string format_command_line(const bsm::RecordFacts& facts, const CommandLineOptions& options) {
  std::string line;
  if (options.with_env && facts.exec_envc > 0) append_environment(line, facts);
  append_shell_quoted_command(line, executable_of(facts));
  uint32_t index = 0;
  bsm::for_each_string(facts.exec_args, facts.exec_argc, [&](std::string_view arg) {
    if (index++ == 0) return;  // argv[0]: replaced by the resolved path
    line += ' ';
    append_shell_quoted(line, arg);
  });
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
