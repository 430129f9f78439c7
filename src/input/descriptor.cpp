// Reading a file descriptor: regular files, pipes, FIFOs, terminals and
// devices. Regular files are read with read(2) rather than mapped: a mapped
// file that shrinks kills the reader with SIGBUS, and a mapping makes the
// address space and the resident size follow the file (BENCHMARKS.md has
// the figures that showed read(2) through a 1 MiB buffer to be as fast).
#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "input/backends.h"

namespace bullion::input {
namespace {

class DescriptorBackend final : public Backend {
 public:
  DescriptorBackend(int fd, bool owned, std::string path, const OpenOptions& options)
      : fd_(fd), owned_(owned), path_(std::move(path)), options_(options) {
    struct stat st {};
    if (fstat(fd_, &st) == 0) {
      regular_ = S_ISREG(st.st_mode);
      size_at_open_ = regular_ ? static_cast<uint64_t>(st.st_size) : 0;
      device_ = st.st_dev;
      inode_ = st.st_ino;
    }
  }
  ~DescriptorBackend() override {
    if (owned_) close(fd_);
  }

  size_t read(std::span<uint8_t> into) override {
    for (;;) {
      // Only what can block is asked first: a regular file never makes
      // the reader wait, so its output is never flushed early.
      if (!regular_ && !readable_now()) idle();
      const ssize_t got = ::read(fd_, into.data(), into.size());
      if (got > 0) {
        bytes_read_ += static_cast<uint64_t>(got);
        switch_seen_ = false;
        return static_cast<size_t>(got);
      }
      if (got < 0) {
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {  // a non-blocking descriptor we were handed
          wait_readable();
          continue;
        }
        failure_ = Error{Errc::Io, 0, 0, fmt::format("read failed: {}", std::strerror(errno))};
        return 0;
      }
      if (!regular_) return 0;
      if (!options_.follow) {
        note_shrinking();
        return 0;
      }
      if (path_switched()) {
        // Read once more after seeing the switch: the old file's last
        // records were written before the new one appeared.
        if (switch_seen_) {
          rotated_ = true;
          return 0;
        }
        switch_seen_ = true;
        continue;
      }
      idle();
      std::this_thread::sleep_for(options_.follow_interval);
    }
  }

  std::optional<Error> failure() const override { return failure_; }
  bool rotated() const override { return rotated_; }

 private:
  bool readable_now() const {
    pollfd p{fd_, POLLIN, 0};
    return poll(&p, 1, 0) > 0;
  }
  void wait_readable() const {
    idle();
    pollfd p{fd_, POLLIN, 0};
    (void)poll(&p, 1, -1);
  }

  // A file that ends before the size it had when it was opened shrank
  // under the reader (truncated by rotation, or a copy started over).
  void note_shrinking() {
    struct stat st {};
    if (fstat(fd_, &st) != 0 || bytes_read_ >= size_at_open_) return;
    failure_ = Error{
        Errc::Truncated, 0, 0,
        fmt::format("the file shrank to {} bytes while it was read ({} bytes when opened)", st.st_size, size_at_open_)};
  }

  // Following: the path now names another file, or this one was truncated.
  bool path_switched() const {
    struct stat now {};
    if (fstat(fd_, &now) == 0 && static_cast<uint64_t>(now.st_size) < bytes_read_) return true;
    struct stat named {};
    if (stat(path_.c_str(), &named) != 0) return false;  // between rename and create: wait
    return named.st_dev != device_ || named.st_ino != inode_;
  }

  int fd_;
  bool owned_;
  std::string path_;
  OpenOptions options_;
  bool regular_ = false;
  uint64_t size_at_open_ = 0;
  uint64_t bytes_read_ = 0;
  dev_t device_ = 0;
  ino_t inode_ = 0;
  bool switch_seen_ = false;
  bool rotated_ = false;
  std::optional<Error> failure_;
};

}  // namespace

std::unique_ptr<Backend> descriptor_backend(int fd, bool owned, std::string path, const OpenOptions& options) {
  return std::make_unique<DescriptorBackend>(fd, owned, std::move(path), options);
}

std::unique_ptr<ByteSource> descriptor_source(int fd, bool owned, const OpenOptions& options) {
  return std::make_unique<ByteSource>(descriptor_backend(fd, owned, {}, options), options.chunk);
}

}  // namespace bullion::input
