// The FreeBSD / macOS live source: /dev/auditpipe. The kernel already
// writes BSM, so this is a reader of whole records with local preselection.
//
// CMake compiles files ending in _auditpipe.cpp only on FreeBSD and Apple;
// this one has never been compiled on the Linux machines the project is
// built on (see docs/live.md). It follows the system headers, not numbers.
#if defined(__FreeBSD__) || defined(__APPLE__)

#include <bsm/audit.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/types.h>
#include <unistd.h>
// FreeBSD installs the auditpipe ioctls here; macOS SDKs may carry them in
// <bsm/audit.h> alone.
#if __has_include(<security/audit/audit_ioctl.h>)
#include <security/audit/audit_ioctl.h>
#endif

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "bullion/bsm/reader.h"
#include "bullion/live/source.h"

namespace bullion::live {
namespace {

Error system_error(std::string_view what) {
  const int err = errno;
  const Errc code = (err == EPERM || err == EACCES) ? Errc::Permission : Errc::Io;
  return Error{code, 0, 0, std::string(what) + ": " + std::strerror(err)};
}

au_mask_t to_au_mask(tables::PreselectMask mask) {
  // A real au_mask_t: both words. Passing an int leaves am_failure garbage.
  au_mask_t out{};
  out.am_success = mask.success;
  out.am_failure = mask.failure;
  return out;
}

class AuditpipeSource final : public LiveSource {
 public:
  AuditpipeSource(int pipe_fd, int stop_read, int stop_write)
      : fd_(pipe_fd), stop_read_(stop_read), stop_write_(stop_write) {}
  ~AuditpipeSource() override {
    ::close(fd_);
    ::close(stop_read_);
    ::close(stop_write_);
  }

  Status start(const LiveOptions& options) override;
  using LiveSource::run;
  Status run(const RecordSink& sink, const std::function<void()>& batch_done) override;
  void request_stop() override {
    const char byte = 1;
    (void)!::write(stop_write_, &byte, 1);
  }
  LiveStats stats() const override;

 private:
  Status preselect(const LiveOptions& options);
  size_t deliver(const RecordSink& sink);

  int fd_, stop_read_, stop_write_;
  std::vector<uint8_t> buffer_;
  size_t filled_ = 0;
  std::atomic<uint64_t> records_{0};
  uint64_t drops_at_start_ = 0;
};

// Local mode: this pipe's own flags, independent of the trail's. A pipe
// keeps its settings only while open: closing it undoes everything.
Status AuditpipeSource::preselect(const LiveOptions& options) {
  int mode = AUDITPIPE_PRESELECT_MODE_LOCAL;
  if (::ioctl(fd_, AUDITPIPE_SET_PRESELECT_MODE, &mode) < 0) {
    return system_error("AUDITPIPE_SET_PRESELECT_MODE");
  }
  au_mask_t flags = to_au_mask(options.classes);
  if (::ioctl(fd_, AUDITPIPE_SET_PRESELECT_FLAGS, &flags) < 0) {
    return system_error("AUDITPIPE_SET_PRESELECT_FLAGS");
  }
  au_mask_t naflags = to_au_mask(options.non_attributable);
  if (::ioctl(fd_, AUDITPIPE_SET_PRESELECT_NAFLAGS, &naflags) < 0) {
    return system_error("AUDITPIPE_SET_PRESELECT_NAFLAGS");
  }
  if (options.auid) {
    struct auditpipe_ioctl_preselect per_user {};
    per_user.aip_auid = *options.auid;
    per_user.aip_mask = flags;
    if (::ioctl(fd_, AUDITPIPE_SET_PRESELECT_AUID, &per_user) < 0) {
      return system_error("AUDITPIPE_SET_PRESELECT_AUID");
    }
  }
  return Ok{};
}

Status AuditpipeSource::start(const LiveOptions& options) {
  if (Status s = preselect(options); !s) return s;
  u_int limit = 0;
  if (::ioctl(fd_, AUDITPIPE_GET_QLIMIT_MAX, &limit) < 0 || ::ioctl(fd_, AUDITPIPE_SET_QLIMIT, &limit) < 0) {
    return system_error("AUDITPIPE_SET_QLIMIT");
  }
  u_int max_record = 0;
  if (::ioctl(fd_, AUDITPIPE_GET_MAXAUDITDATA, &max_record) < 0) max_record = 0x8000;
  // Room for many records per read, and always for one whole record.
  buffer_.resize(std::max<size_t>(options.queue_bytes / 64, 4 * size_t{max_record}));
  u_int64_t drops = 0;
  if (::ioctl(fd_, AUDITPIPE_GET_DROPS, &drops) == 0) drops_at_start_ = drops;
  return Ok{};
}

// Hands out every whole record at the front of the buffer; keeps a partial
// one for the next read. Returns the bytes consumed.
size_t AuditpipeSource::deliver(const RecordSink& sink) {
  size_t pos = 0;
  while (pos < filled_) {
    std::span<const uint8_t> rest(buffer_.data() + pos, filled_ - pos);
    auto size = bsm::frame_record(rest, pos);
    if (!size) break;
    sink(rest.first(*size));
    records_.fetch_add(1, std::memory_order_relaxed);
    pos += *size;
  }
  return pos;
}

Status AuditpipeSource::run(const RecordSink& sink, const std::function<void()>& batch_done) {
  pollfd fds[2] = {{fd_, POLLIN, 0}, {stop_read_, POLLIN, 0}};
  for (;;) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return system_error("poll /dev/auditpipe");
    }
    if (fds[1].revents & POLLIN) return Ok{};
    const ssize_t got = ::read(fd_, buffer_.data() + filled_, buffer_.size() - filled_);
    if (got < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return system_error("read /dev/auditpipe");
    }
    filled_ += static_cast<size_t>(got);
    const size_t used = deliver(sink);
    std::memmove(buffer_.data(), buffer_.data() + used, filled_ - used);
    filled_ -= used;
    // A full buffer that frames no record is damage, not a partial record:
    // start over rather than stall (the pipe hands out whole records).
    if (used == 0 && filled_ == buffer_.size()) filled_ = 0;
    if (batch_done) batch_done();
  }
}

LiveStats AuditpipeSource::stats() const {
  u_int64_t drops = 0;
  (void)::ioctl(fd_, AUDITPIPE_GET_DROPS, &drops);
  // The pipe's queue is the only queue: its drops are ours; the kernel's
  // own audit queue does not count losses that a reader could see.
  return LiveStats{records_.load(std::memory_order_relaxed), drops - drops_at_start_, 0};
}

}  // namespace

Result<std::unique_ptr<LiveSource>> open_live_source() {
  const int fd = ::open("/dev/auditpipe", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return system_error("open /dev/auditpipe");
  int stop[2];
  if (::pipe(stop) < 0) {
    ::close(fd);
    return system_error("pipe");
  }
  return std::unique_ptr<LiveSource>(new AuditpipeSource(fd, stop[0], stop[1]));
}

}  // namespace bullion::live

#endif  // __FreeBSD__ || __APPLE__
