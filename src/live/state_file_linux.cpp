// See state_file_linux.h.
#include "live/state_file_linux.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace bullion::live::linux_audit {
namespace {

Error io_error(const std::string& what) { return Error{Errc::Io, 0, 0, what + ": " + std::strerror(errno)}; }

uint64_t start_time_of(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), {});
  // Field 2 (comm) may hold spaces and ')': fields after the last ')' are plain.
  const size_t close = text.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream rest(text.substr(close + 2));
  std::string field;
  for (int i = 3; i < 22 && rest >> field; ++i) {
  }
  uint64_t start = 0;
  rest >> start;
  return start;
}

struct Contents {
  std::optional<Settings> settings;
  std::vector<Collector> collectors;
};

Contents parse(const std::string& text) {
  Contents c;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    Settings s;
    if (std::sscanf(line.c_str(), "enabled=%u failure=%u backlog_limit=%u backlog_wait_time=%u rate_limit=%u",
                    &s.enabled, &s.failure, &s.backlog_limit, &s.backlog_wait_time, &s.rate_limit) == 5) {
      c.settings = s;
      continue;
    }
    Collector col;
    unsigned long long start = 0;
    int pid = 0;
    if (std::sscanf(line.c_str(), "collector %d %llu", &pid, &start) == 2 && pid > 0) {
      col.pid = pid;
      col.start_time = start;
      c.collectors.push_back(col);
    }
  }
  return c;
}

std::string render(const Settings& s, const std::vector<Collector>& collectors) {
  std::string text = "enabled=" + std::to_string(s.enabled) + " failure=" + std::to_string(s.failure) +
                     " backlog_limit=" + std::to_string(s.backlog_limit) +
                     " backlog_wait_time=" + std::to_string(s.backlog_wait_time) +
                     " rate_limit=" + std::to_string(s.rate_limit) + "\n";
  for (const Collector& c : collectors) {
    text += "collector " + std::to_string(c.pid) + " " + std::to_string(c.start_time) + "\n";
  }
  return text;
}

// The file, opened and locked; closed (and unlocked) on destruction.
class LockedFile {
 public:
  static Result<LockedFile> open(const std::string& path) {
    const std::string dir = path.substr(0, path.rfind('/'));
    if (!dir.empty() && ::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return io_error(dir);
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return io_error(path);
    while (::flock(fd, LOCK_EX) != 0) {
      if (errno != EINTR) {
        ::close(fd);
        return io_error("lock " + path);
      }
    }
    // The last collector out removes the file while holding the lock; if we
    // waited on that one, our descriptor names a deleted file: start over.
    struct stat held {
    }, named{};
    if (::fstat(fd, &held) == 0 && (::stat(path.c_str(), &named) != 0 || held.st_ino != named.st_ino)) {
      ::close(fd);
      return open(path);
    }
    return LockedFile(fd, path);
  }
  LockedFile(LockedFile&& o) noexcept : fd_(o.fd_), path_(std::move(o.path_)) { o.fd_ = -1; }
  ~LockedFile() {
    if (fd_ >= 0) ::close(fd_);
  }

  std::string read() const {
    std::string text;
    char buf[4096];
    ssize_t n = 0;
    ::lseek(fd_, 0, SEEK_SET);
    while ((n = ::read(fd_, buf, sizeof buf)) > 0) text.append(buf, static_cast<size_t>(n));
    return text;
  }
  Status write(const std::string& text) const {
    if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size()))
      return io_error(path_);
    return Ok{};
  }
  // Removed while still locked: a collector waiting on the lock then sees
  // an empty file and starts afresh.
  void remove() const {
    ::unlink(path_.c_str());
    (void)!::ftruncate(fd_, 0);
  }

 private:
  LockedFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_;
  std::string path_;
};

std::vector<Collector> alive_only(const std::vector<Collector>& all, const Collector& except) {
  std::vector<Collector> alive;
  for (const Collector& c : all) {
    if (c.pid == except.pid && c.start_time == except.start_time) continue;
    if (collector_alive(c)) alive.push_back(c);
  }
  return alive;
}

}  // namespace

Collector self_collector() { return Collector{::getpid(), start_time_of(::getpid())}; }

bool collector_alive(const Collector& c) {
  if (::kill(c.pid, 0) != 0 && errno == ESRCH) return false;
  return start_time_of(c.pid) == c.start_time;
}

Result<Joined> join(const std::string& path, const Settings& current, const Collector& self) {
  auto file = LockedFile::open(path);
  if (!file) return file.error();
  const Contents contents = parse(file->read());
  Joined joined;
  joined.others = alive_only(contents.collectors, self);
  joined.original = current;
  if (contents.settings) {
    joined.original = *contents.settings;
    // Everyone who changed the kernel is gone: put back what they found.
    if (joined.others.empty() && *contents.settings != current) joined.restore = *contents.settings;
  }
  std::vector<Collector> collectors = joined.others;
  collectors.push_back(self);
  if (Status s = file->write(render(joined.original, collectors)); !s) return s.error();
  return joined;
}

Result<std::optional<Settings>> leave(const std::string& path, const Collector& self) {
  auto file = LockedFile::open(path);
  if (!file) return file.error();
  const Contents contents = parse(file->read());
  const std::vector<Collector> others = alive_only(contents.collectors, self);
  if (!others.empty() && contents.settings) {
    if (Status s = file->write(render(*contents.settings, others)); !s) return s.error();
    return std::optional<Settings>();
  }
  file->remove();
  return contents.settings;
}

std::vector<Collector> live_collectors(const std::string& path) {
  std::ifstream in(path);
  if (!in) return {};
  std::string text((std::istreambuf_iterator<char>(in)), {});
  return alive_only(parse(text).collectors, Collector{});
}

}  // namespace bullion::live::linux_audit
