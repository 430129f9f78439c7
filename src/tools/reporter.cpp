#include "bullion/tools/reporter.h"

#include <unistd.h>

#include "text/escape.h"

namespace bullion::tools {

std::string Reporter::format(const Error& error) const {
  std::string line = tool_ + ": ";
  if (error.code == Errc::CannotOpen) line += open_failure_words_;
  text::append_terminal_safe(line, error.source == "-" ? std::string_view("stdin") : std::string_view(error.source));
  line += ": ";
  text::append_terminal_safe(line, what(error));
  line += '\n';
  return line;
}

std::string Reporter::what(const Error& error) {
  if (!errc_positional(error.code)) return error.reason();
  return "offset " + std::to_string(error.offset) + ": " + error.reason();
}

void Reporter::damage(const Error& error) {
  ++problems_;
  const std::string line = format(error);
  (void)!::write(STDERR_FILENO, line.data(), line.size());
}

void Reporter::problem(std::string_view message) {
  ++problems_;
  std::string line = tool_ + ": ";
  text::append_terminal_safe(line, message);
  line += '\n';
  (void)!::write(STDERR_FILENO, line.data(), line.size());
}

}  // namespace bullion::tools
