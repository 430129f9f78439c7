// audit.log files as a source of BSM records: read lines, feed them, flush.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "bullion/linux/translate.h"
#include "linux/record_text.h"

namespace bullion::linuxaudit {
namespace {

constexpr size_t kReadChunk = 1 << 16;
// A line longer than this is not a record auditd writes (its limit is
// 8 KiB plus ENRICHED names); it is skipped to its end and counted.
constexpr size_t kMaxLineLength = 1 << 20;

Error io_error(std::string message) {
  Error error;
  error.code = Errc::Io;
  error.message = std::move(message);
  return error;
}

// Feeds whole lines; keeps a partial last line for the next chunk. Lines
// over the limit are dropped up to their newline and counted once.
class LineSplitter {
 public:
  explicit LineSplitter(Translator& t) : translator_(t) {}

  void push(std::string_view chunk) {
    while (!chunk.empty()) {
      const size_t newline = chunk.find('\n');
      const std::string_view piece = chunk.substr(0, newline);
      append(piece);
      if (newline == std::string_view::npos) return;
      end_line();
      chunk.remove_prefix(newline + 1);
    }
  }
  void finish() { end_line(); }

 private:
  void append(std::string_view piece) {
    if (overlong_) return;
    if (line_.size() + piece.size() > kMaxLineLength) {
      overlong_ = true;
      line_.clear();
      return;
    }
    line_.append(piece);
  }
  void end_line() {
    if (overlong_) {
      // Passed as a line the translator rejects, so it is counted there.
      translator_.feed_log_line("overlong line");
    } else if (!line_.empty()) {
      translator_.feed_log_line(line_);
    }
    line_.clear();
    overlong_ = false;
  }

  Translator& translator_;
  std::string line_;
  bool overlong_ = false;
};

}  // namespace

bool looks_like_linux_audit_log(std::span<const uint8_t> first_bytes) {
  std::string_view text(reinterpret_cast<const char*>(first_bytes.data()), first_bytes.size());
  // Saved logs often start with a comment or a blank line; look past them.
  while (!text.empty() && (text[0] == '#' || text[0] == '\n' || text[0] == '\r')) {
    const size_t nl = text.find('\n');
    if (nl == std::string_view::npos) return false;
    text.remove_prefix(nl + 1);
  }
  text = text.substr(0, text.find('\n'));
  LogLine line;
  if (split_log_line(text, line)) return false;
  // The stamp may be cut off by a short sample; its opening is enough.
  return line.payload.starts_with("audit(") && line.payload.size() > 6 && line.payload[6] >= '0' &&
         line.payload[6] <= '9';
}

Result<TranslateStats> translate_log_fd(int fd, const Translator::Sink& sink, TranslateOptions options) {
  Translator translator(sink, options);
  LineSplitter splitter(translator);
  std::string buffer(kReadChunk, '\0');
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error(std::string("read: ") + std::strerror(errno));
    }
    splitter.push(std::string_view(buffer.data(), static_cast<size_t>(n)));
  }
  splitter.finish();
  translator.flush();
  return translator.stats();
}

Result<TranslateStats> translate_log(const std::string& path, const Translator::Sink& sink, TranslateOptions options) {
  if (path == "-") return translate_log_fd(STDIN_FILENO, sink, options);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    Error error = io_error(path + ": " + std::strerror(errno));
    if (errno == ENOENT) error.code = Errc::NotFound;
    if (errno == EACCES) error.code = Errc::Permission;
    return error;
  }
  Result<TranslateStats> result = translate_log_fd(fd, sink, options);
  ::close(fd);
  return result;
}

}  // namespace bullion::linuxaudit
