#include "support/run.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace bullion::testing {
namespace {

using Clock = std::chrono::steady_clock;

// BULLION_TEST_BIN_DIR runs the tests against other builds of the tools
// (e.g. the commit before a fix, to see a new test fail there).
std::string program_path(const std::string& name) {
  if (name.find('/') != std::string::npos) return name;
  const char* dir = std::getenv("BULLION_TEST_BIN_DIR");
  return std::string(dir && *dir ? dir : BULLION_BIN_DIR) + "/" + name;
}

// Only async-signal-safe calls between fork and exec.
[[noreturn]] void exec_child(const std::string& program, char* const* argv, char* const* envp, int in_fd, int out_fd,
                             int err_fd, const Child::Options& o) {
  if (!o.cwd.empty() && chdir(o.cwd.c_str()) != 0) _exit(126);
  if (o.address_space_limit) {
    const rlimit limit{o.address_space_limit, o.address_space_limit};
    if (setrlimit(RLIMIT_AS, &limit) != 0) _exit(126);
  }
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  sigaction(SIGPIPE, &default_action, nullptr);  // the test ignores it; the tool must not inherit that
  if (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0) _exit(126);
  for (const auto& [target, source] : o.fds) {
    if (target == source) {
      if (fcntl(source, F_SETFD, 0) != 0) _exit(126);
    } else if (dup2(source, target) < 0) {
      _exit(126);
    }
  }
  execve(program.c_str(), argv, envp);
  _exit(127);
}

}  // namespace

Child::Child(const std::vector<std::string>& argv, const Options& options) {
  ::signal(SIGPIPE, SIG_IGN);  // a child that exits early must not kill the test with SIGPIPE
  const std::string program = program_path(argv.at(0));
  std::vector<std::string> envs = {"TZ=UTC", "LC_ALL=C", "PATH=/usr/bin:/bin"};
  envs.insert(envs.end(), options.env.begin(), options.env.end());
  std::vector<char*> cargv, cenv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  for (const auto& e : envs) cenv.push_back(const_cast<char*>(e.c_str()));
  cenv.push_back(nullptr);
  int in_pipe[2] = {-1, -1}, out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) return;
  int child_in = -1;
  if (options.stdin_pipe) {
    if (pipe2(in_pipe, O_CLOEXEC) != 0) return;
    child_in = in_pipe[0];
  } else {
    child_in = open(options.stdin_path.empty() ? "/dev/null" : options.stdin_path.c_str(), O_RDONLY | O_CLOEXEC);
  }
  const int child_out = options.stdout_to_null ? open("/dev/null", O_WRONLY | O_CLOEXEC) : out_pipe[1];
  pid_ = fork();
  if (pid_ == 0) exec_child(program, cargv.data(), cenv.data(), child_in, child_out, err_pipe[1], options);
  close(child_in);
  if (child_out != out_pipe[1]) close(child_out);
  close(out_pipe[1]);
  close(err_pipe[1]);
  in_ = in_pipe[1];
  out_ = out_pipe[0];
  err_ = err_pipe[0];
  if (pid_ < 0) result_.err = std::string("fork failed: ") + std::strerror(errno);
}

Child::~Child() {
  if (pid_ > 0 && !reaped_) {
    int status = 0;
    rusage usage{};
    stop_late(status, usage);
  }
  for (int fd : {in_, out_, err_})
    if (fd >= 0) close(fd);
}

bool Child::write_stdin(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(in_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

void Child::close_stdin() {
  if (in_ >= 0) close(in_);
  in_ = -1;
}

void Child::signal(int sig) {
  if (pid_ > 0 && !reaped_) kill(pid_, sig);
}

// Reads what is ready on stdout/stderr, waiting until `until` for something
// to arrive. False once both are closed or the time is up.
bool Child::pump(Clock::time_point until) {
  pollfd fds[2] = {{out_, POLLIN, 0}, {err_, POLLIN, 0}};
  if (out_ < 0 && err_ < 0) return false;
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
  if (left <= 0) return false;
  const int ready = poll(fds, 2, static_cast<int>(left));
  if (ready < 0) return errno == EINTR;
  if (ready == 0) return false;
  char buf[65536];
  for (int i = 0; i < 2; ++i) {
    if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
    const ssize_t n = read(fds[i].fd, buf, sizeof buf);
    if (n > 0) {
      (i == 0 ? result_.out : result_.err).append(buf, static_cast<size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      close(fds[i].fd);
      (i == 0 ? out_ : err_) = -1;
    }
  }
  return true;
}

bool Child::read_until(std::string_view needle, size_t count, std::chrono::milliseconds deadline) {
  const auto until = Clock::now() + deadline;
  auto found = [&] {
    size_t n = 0;
    for (size_t at = result_.out.find(needle); at != std::string::npos; at = result_.out.find(needle, at + 1)) ++n;
    return n >= count;
  };
  while (!found())
    if (!pump(until)) return found();
  return true;
}

RunResult Child::wait(std::chrono::milliseconds deadline, bool close_input) {
  if (close_input) close_stdin();
  if (pid_ <= 0) return result_;
  const auto until = Clock::now() + deadline;
  while (out_ >= 0 || err_ >= 0) {
    if (pump(until)) continue;
    if (Clock::now() >= until) break;
  }
  int status = 0;
  rusage usage{};
  for (;;) {
    const pid_t got = wait4(pid_, &status, WNOHANG, &usage);
    if (got == pid_) break;
    if (Clock::now() >= until) {
      result_.timed_out = true;
      result_.err += "\n[test: the tool did not finish in time and was stopped]\n";
      stop_late(status, usage);
      break;
    }
    usleep(10000);
  }
  reaped_ = true;
  result_.max_rss_kb = usage.ru_maxrss;
  if (result_.timed_out)
    result_.exit_code = -1;
  else
    result_.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result_;
}

// SIGTERM first (a live tool then restores the kernel's audit state), SIGKILL
// two seconds later.
void Child::stop_late(int& status, rusage& usage) {
  kill(pid_, SIGTERM);
  for (int i = 0; i < 200; ++i) {
    if (wait4(pid_, &status, WNOHANG, &usage) == pid_) return;
    usleep(10000);
  }
  kill(pid_, SIGKILL);
  wait4(pid_, &status, 0, &usage);
}

RunResult run_tool(const std::vector<std::string>& argv, const std::string& stdin_path, const std::string& cwd,
                   const std::vector<std::string>& env) {
  Child::Options options;
  options.stdin_path = stdin_path;
  options.cwd = cwd;
  options.env = env;
  Child child(argv, options);
  return child.wait();
}

std::vector<std::string> split_words(const std::string& s) {
  std::vector<std::string> words;
  std::string cur;
  bool in_word = false, quoted = false;
  for (char c : s) {
    if (quoted) {
      if (c == '\'')
        quoted = false;
      else
        cur += c;
    } else if (c == '\'') {
      quoted = in_word = true;
    } else if (c == ' ' || c == '\t') {
      if (in_word) words.push_back(cur);
      cur.clear();
      in_word = false;
    } else {
      cur += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(cur);
  return words;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const std::string& path, std::string_view bytes) {
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string shared_dir() { return BULLION_SHARED_DIR; }

std::vector<ManifestRow> manifest_rows(const std::function<bool(const std::string& tool)>& keep) {
  std::ifstream in(shared_dir() + "/golden/MANIFEST.tsv");
  std::vector<ManifestRow> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line.rfind("input\t", 0) == 0) continue;
    std::vector<std::string> cols;
    std::stringstream ss(line);
    std::string col;
    while (std::getline(ss, col, '\t')) cols.push_back(col);
    if (cols.size() >= 4 && keep(cols[1])) rows.push_back({cols[0], cols[1], cols[2], cols[3]});
  }
  return rows;
}

void PrintTo(const ManifestRow& r, std::ostream* os) { *os << r.output; }

}  // namespace bullion::testing
