// audit.log files as a source of BSM records: read lines, feed them, flush.
// Lines come from the input layer's bounded line reader (the same one the
// tools read audit.log inputs with); telling a log from other bytes is the
// input layer's sniffer.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "bullion/input/line_reader.h"
#include "bullion/input/open.h"
#include "bullion/input/sniff.h"
#include "bullion/linux/translate.h"

namespace bullion::linuxaudit {

bool looks_like_linux_audit_log(std::span<const uint8_t> first_bytes) {
  return input::sniff(first_bytes, true) == input::Format::LinuxAuditLog;
}

Result<TranslateStats> translate_log_fd(int fd, const Translator::Sink& sink, TranslateOptions options) {
  Translator translator(sink, options);
  std::unique_ptr<input::ByteSource> bytes = input::descriptor_source(fd, false);
  input::LineReader lines(*bytes);
  input::Line line;
  while (lines.next(line)) {
    // An over-long line is passed as a line the translator rejects, so it
    // is counted there.
    translator.feed_log_line(line.too_long ? std::string_view("overlong line") : line.text);
  }
  translator.flush();
  if (auto failed = bytes->failure()) return *failed;
  return translator.stats();
}

Result<TranslateStats> translate_log(const std::string& path, const Translator::Sink& sink, TranslateOptions options) {
  if (path == "-") return translate_log_fd(STDIN_FILENO, sink, options);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    Error error{Errc::Io, 0, 0, path + ": " + std::strerror(errno)};
    if (errno == ENOENT) error.code = Errc::NotFound;
    if (errno == EACCES) error.code = Errc::Permission;
    return error;
  }
  Result<TranslateStats> result = translate_log_fd(fd, sink, options);
  ::close(fd);
  return result;
}

}  // namespace bullion::linuxaudit
