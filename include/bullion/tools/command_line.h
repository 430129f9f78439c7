// Commands: which records run one, who runs it, and its command line as a
// shell-safe line and as a list.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bullion/bsm/facts.h"
#include "bullion/tools/event_kinds.h"

namespace bullion::tools {

// A record that runs or names a command: every record that carries exec
// arguments (the exec family, posix_spawn, sudo, su, login shells ...) and
// every exec or spawn that carries at least the executable's path.
struct Command {
  bool attributable = true;            // false: the record has no subject (no pid, no user)
  uint32_t pid = 0;                    // the process that runs it: a spawn's child, else the subject
  std::optional<uint32_t> spawned_by;  // posix_spawn: the process that spawned it
  std::string_view path;               // the executable (path token); may be empty
  bool succeeded = true;
  uint8_t bsm_errno = 0;
};
std::optional<Command> command_of(const bsm::RecordFacts& facts, const EventKinds& kinds);

struct CommandLineOptions {
  bool with_env = false;    // prefix "env NAME=VALUE ..." when the record has it
  bool with_error = false;  // a failed command ends with " # failed: EACCES (Permission denied)"
};

// argv exactly as recorded (argv[0] included: a busybox applet's name, a
// login shell's "-zsh"), each word shell-quoted; the executable's path when
// the record has no arguments. With the environment, the line starts with
// `env` and the quoted NAME=VALUE entries; an entry without '=' cannot be
// given to env and is left out of the line. The error comment is a shell
// comment, so the line still pastes.
std::string format_command_line(const bsm::RecordFacts& facts, const CommandLineOptions& options);

// argv as recorded (argv[0] included), and the environment.
std::vector<std::string_view> exec_arguments(const bsm::RecordFacts& facts);
std::vector<std::string_view> exec_environment(const bsm::RecordFacts& facts);

}  // namespace bullion::tools
