#include "bullion/trail/writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace bullion::trail {

namespace {

Error io_error(int error, const std::string& what) {
  const Errc code = (error == EACCES || error == EPERM) ? Errc::Permission : Errc::Io;
  return Error{code, 0, 0, what + ": " + std::strerror(error)};
}

}  // namespace

Result<std::unique_ptr<TrailWriter>> TrailWriter::create(const std::string& path, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, mode);
  if (fd < 0) return io_error(errno, path);
  // open() applies the umask; a trail's mode is the administrator's choice.
  (void)::fchmod(fd, mode);
  return std::unique_ptr<TrailWriter>(new TrailWriter(fd, path, 0));
}

Result<std::unique_ptr<TrailWriter>> TrailWriter::append_to(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) return io_error(errno, path);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int error = errno;
    ::close(fd);
    return io_error(error, path);
  }
  return std::unique_ptr<TrailWriter>(new TrailWriter(fd, path, static_cast<uint64_t>(st.st_size)));
}

TrailWriter::~TrailWriter() {
  if (fd_ >= 0) (void)close();
}

void TrailWriter::append(std::span<const uint8_t> record) {
  queued_.insert(queued_.end(), record.begin(), record.end());
  ends_.push_back(queued_.size());
}

FlushResult TrailWriter::flush() {
  FlushResult result;
  size_t landed = 0;
  while (landed < queued_.size()) {
    const ssize_t n = ::write(fd_, queued_.data() + landed, queued_.size() - landed);
    if (n > 0) {
      landed += static_cast<size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      result.error = n < 0 ? errno : EIO;
      break;
    }
  }
  keep_whole_records(landed, result);
  return result;
}

// Of the bytes that landed, keeps those of whole records: a record split by
// a full disk is cut off the file and stays queued.
void TrailWriter::keep_whole_records(size_t landed, FlushResult& result) {
  const auto whole_end = std::upper_bound(ends_.begin(), ends_.end(), landed);
  const size_t whole_records = static_cast<size_t>(whole_end - ends_.begin());
  const size_t whole_bytes = whole_records == 0 ? 0 : ends_[whole_records - 1];
  if (landed > whole_bytes) {
    if (::ftruncate(fd_, static_cast<off_t>(written_ + whole_bytes)) != 0 && result.error == 0) {
      result.error = errno;
    }
  }
  written_ += whole_bytes;
  unsynced_ = unsynced_ || whole_bytes > 0;
  result.records_written = whole_records;
  queued_.erase(queued_.begin(), queued_.begin() + static_cast<ptrdiff_t>(whole_bytes));
  ends_.erase(ends_.begin(), whole_end);
  for (size_t& end : ends_) end -= whole_bytes;
}

uint64_t TrailWriter::discard() {
  const uint64_t dropped = ends_.size();
  queued_.clear();
  ends_.clear();
  return dropped;
}

TrailWriter::Queue TrailWriter::take_queued() {
  Queue queue{std::move(queued_), std::move(ends_)};
  queued_.clear();
  ends_.clear();
  return queue;
}

void TrailWriter::append_queue(const Queue& queue) {
  size_t start = 0;
  for (size_t end : queue.ends) {
    append(std::span<const uint8_t>(queue.bytes).subspan(start, end - start));
    start = end;
  }
}

Status TrailWriter::sync() {
  if (!unsynced_) return Ok{};
  if (::fdatasync(fd_) != 0) return io_error(errno, path_ + ": sync");
  unsynced_ = false;
  return Ok{};
}

Status TrailWriter::close() {
  if (fd_ < 0) return Ok{};
  const FlushResult flushed = flush();
  Status synced = sync();
  if (::close(fd_) != 0 && synced) synced = io_error(errno, path_ + ": close");
  fd_ = -1;
  if (flushed.error != 0) return io_error(flushed.error, path_ + ": write");
  return synced;
}

}  // namespace bullion::trail
