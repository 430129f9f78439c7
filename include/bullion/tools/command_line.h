// The command line of an exec record, as a shell-safe line and as a list.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bullion/bsm/facts.h"

namespace bullion::tools {

struct CommandLineOptions {
  bool with_env = false;  // prefix "env NAME=VALUE ..." when the record has it
};

// The resolved executable (path token) in place of argv[0], then every
// argument, each shell-quoted. With the environment, the line starts with
// `env` and the quoted NAME=VALUE entries; an entry without '=' cannot be
// given to env and is left out of the line.
std::string format_command_line(const bsm::RecordFacts& facts, const CommandLineOptions& options);

// argv as recorded (argv[0] included), and the environment.
std::vector<std::string_view> exec_arguments(const bsm::RecordFacts& facts);
std::vector<std::string_view> exec_environment(const bsm::RecordFacts& facts);

}  // namespace bullion::tools
