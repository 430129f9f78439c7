#include "bsm/byte_source.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

namespace bullion::bsm {
namespace {

class MemorySource : public ByteSource {
 public:
  explicit MemorySource(std::span<const uint8_t> bytes) : b_(bytes) {}
  std::span<const uint8_t> ensure(size_t) override { return b_.subspan(pos_); }
  void consume(size_t n) override { pos_ = std::min(b_.size(), pos_ + n); }
  uint64_t offset() const override { return pos_; }
  bool at_eof() const override { return true; }

 protected:
  std::span<const uint8_t> b_;
  size_t pos_ = 0;
};

class OwnedSource final : public MemorySource {
 public:
  explicit OwnedSource(std::vector<uint8_t> bytes) : MemorySource({}), owned_(std::move(bytes)) { b_ = owned_; }

 private:
  std::vector<uint8_t> owned_;
};

class MappedFile final : public MemorySource {
 public:
  MappedFile(void* base, size_t size)
      : MemorySource({static_cast<const uint8_t*>(base), size}), base_(base), size_(size) {}
  ~MappedFile() override { munmap(base_, size_); }

 private:
  void* base_;
  size_t size_;
};

// Reads a descriptor through a buffer holding at most the current record
// plus one read chunk.
class FdSource final : public ByteSource {
 public:
  FdSource(int fd, bool owns) : fd_(fd), owns_(owns) {}
  ~FdSource() override {
    if (owns_) close(fd_);
  }

  std::span<const uint8_t> ensure(size_t n) override {
    while (end_ - begin_ < n && !eof_) fill(n);
    return std::span<const uint8_t>(buf_.data() + begin_, end_ - begin_);
  }
  void consume(size_t n) override {
    n = std::min(n, end_ - begin_);
    begin_ += n;
    offset_ += n;
  }
  uint64_t offset() const override { return offset_; }
  bool at_eof() const override { return eof_; }
  bool io_error() const override { return errno_ != 0; }
  std::string io_error_text() const override { return fmt::format("read failed: {}", std::strerror(errno_)); }

 private:
  static constexpr size_t kChunk = 1 << 20;

  void fill(size_t n) {
    if (begin_ > 0) {  // slide the unread bytes to the front
      std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    const size_t need = std::max(n, end_ + kChunk);
    if (buf_.size() < need) buf_.resize(need);
    const ssize_t got = read(fd_, buf_.data() + end_, buf_.size() - end_);
    if (got > 0) {
      end_ += static_cast<size_t>(got);
    } else if (got == 0) {
      eof_ = true;
    } else if (errno != EINTR) {
      errno_ = errno;
      eof_ = true;
    }
  }

  int fd_;
  bool owns_;
  std::vector<uint8_t> buf_;
  size_t begin_ = 0, end_ = 0;
  uint64_t offset_ = 0;
  bool eof_ = false;
  int errno_ = 0;
};

}  // namespace

Result<std::unique_ptr<ByteSource>> open_byte_source(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error{Errc::Io, 0, 0, std::strerror(errno)};
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    const int e = errno;
    close(fd);
    return Error{Errc::Io, 0, 0, std::strerror(e)};
  }
  if (S_ISDIR(st.st_mode)) {
    close(fd);
    return Error{Errc::InvalidArgument, 0, 0, "is a directory"};
  }
  if (!S_ISREG(st.st_mode) || st.st_size == 0) return fd_byte_source(fd, true);
  void* base = mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (base == MAP_FAILED) return Error{Errc::Io, 0, 0, std::strerror(errno)};
  madvise(base, static_cast<size_t>(st.st_size), MADV_SEQUENTIAL);
  return std::unique_ptr<ByteSource>(std::make_unique<MappedFile>(base, static_cast<size_t>(st.st_size)));
}

std::unique_ptr<ByteSource> fd_byte_source(int fd, bool owns_fd) { return std::make_unique<FdSource>(fd, owns_fd); }

std::unique_ptr<ByteSource> memory_byte_source(std::span<const uint8_t> bytes) {
  return std::make_unique<MemorySource>(bytes);
}

std::unique_ptr<ByteSource> owned_byte_source(std::vector<uint8_t> bytes) {
  return std::make_unique<OwnedSource>(std::move(bytes));
}

}  // namespace bullion::bsm
