// Linux audit.log files read as trails: the log is translated to BSM records
// as it is read (a few lines at a time), so memory stays bounded by the
// translator's pending events, not by the size of the log.
#include "bsm/linux_input.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>

#include "bsm/byte_source.h"

#ifdef BULLION_LINUX
#include "bullion/linux/translate.h"
#endif

namespace bullion::input {

#ifdef BULLION_LINUX
namespace {

// Feeds audit.log lines to the translator until the framer has the bytes it
// asked for; the translated records queue up in `pending_`.
class LinuxLogSource final : public bsm::ByteSource {
 public:
  explicit LinuxLogSource(int fd)
      : fd_(fd),
        translator_([this](std::span<const uint8_t> r) { pending_.insert(pending_.end(), r.begin(), r.end()); }) {}
  ~LinuxLogSource() override { close(fd_); }

  std::span<const uint8_t> ensure(size_t n) override {
    while (pending_.size() - begin_ < n && !done_) pump();
    compact();
    return std::span<const uint8_t>(pending_.data() + begin_, pending_.size() - begin_);
  }
  void consume(size_t n) override {
    n = std::min(n, pending_.size() - begin_);
    begin_ += n;
    offset_ += n;
  }
  uint64_t offset() const override { return offset_; }
  bool at_eof() const override { return done_; }
  bool io_error() const override { return errno_ != 0; }
  std::string io_error_text() const override { return fmt::format("read failed: {}", std::strerror(errno_)); }

  std::string summary() const {
    const auto& s = translator_.stats();
    std::string out = fmt::format("Linux audit log: {} events, {} translated to BSM", s.events_in, s.events_out);
    for (const auto& [reason, count] : s.skipped) out += fmt::format(", {} skipped ({})", count, reason);
    for (const auto& [reason, count] : s.rejected) out += fmt::format(", {} lines rejected ({})", count, reason);
    return out;
  }
  bool lossless() const { return translator_.stats().skipped_total() == 0 && translator_.stats().rejected.empty(); }

 private:
  void compact() {
    if (begin_ > (1u << 20) && begin_ * 2 > pending_.size()) {
      pending_.erase(pending_.begin(), pending_.begin() + static_cast<ptrdiff_t>(begin_));
      begin_ = 0;
    }
  }
  void pump() {
    char buf[1 << 16];
    const ssize_t got = read(fd_, buf, sizeof buf);
    if (got < 0 && errno == EINTR) return;
    if (got <= 0) {
      if (got < 0) errno_ = errno;
      if (!line_.empty()) translator_.feed_log_line(line_);
      line_.clear();
      translator_.flush();
      done_ = true;
      return;
    }
    for (ssize_t i = 0; i < got; ++i) {
      if (buf[i] != '\n') {
        line_.push_back(buf[i]);
        continue;
      }
      translator_.feed_log_line(line_);
      line_.clear();
    }
  }

  int fd_;
  linuxaudit::Translator translator_;
  std::vector<uint8_t> pending_;
  size_t begin_ = 0;
  uint64_t offset_ = 0;
  std::string line_;
  bool done_ = false;
  int errno_ = 0;
};

// A RecordReader over the translated stream that reports the translation's
// counts at the end.
class LinuxLogReader final : public bsm::RecordReader {
 public:
  LinuxLogReader(std::unique_ptr<LinuxLogSource> src, std::string name)
      : RecordReader(name), source_(src.get()), inner_(make_inner(std::move(src), std::move(name))) {}
  Next next(bsm::RecordView& out) override {
    const Next n = inner_->next(out);
    if (n == Next::Damage) error_ = inner_->error();
    return n;
  }
  bool resync() override { return inner_->resync(); }
  std::string summary() const override { return source_->summary(); }
  bool lost_anything() const override { return !source_->lossless(); }

 private:
  static std::unique_ptr<bsm::RecordReader> make_inner(std::unique_ptr<LinuxLogSource> src, std::string name) {
    return bsm::RecordReader::from_source(std::move(src), std::move(name));
  }
  LinuxLogSource* source_;
  std::unique_ptr<bsm::RecordReader> inner_;
};

}  // namespace

bool looks_like_linux_audit_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  uint8_t head[4096];  // room for a comment block before the first record
  const ssize_t n = read(fd, head, sizeof head);
  close(fd);
  return n > 0 && linuxaudit::looks_like_linux_audit_log(std::span<const uint8_t>(head, static_cast<size_t>(n)));
}

Result<std::unique_ptr<bsm::RecordReader>> open_linux_audit_log(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error{Errc::Io, 0, 0, std::strerror(errno)};
  return std::unique_ptr<bsm::RecordReader>(
      std::make_unique<LinuxLogReader>(std::make_unique<LinuxLogSource>(fd), path));
}

#else

bool looks_like_linux_audit_file(const std::string&) { return false; }

Result<std::unique_ptr<bsm::RecordReader>> open_linux_audit_log(const std::string& path) {
  return Error{Errc::Unsupported, 0, 0, "Linux audit logs are read only on Linux builds: " + path};
}

#endif

}  // namespace bullion::input
