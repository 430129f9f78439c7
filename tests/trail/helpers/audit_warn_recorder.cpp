// A stand-in for /etc/security/audit_warn in tests: appends one line per
// run, its arguments joined by tabs, to audit_warn.log in the directory it
// was started from (argv[0]'s), so tests see exactly what the daemon ran.
// No shell is involved anywhere.
#include <fcntl.h>
#include <unistd.h>

#include <string>

int main(int argc, char** argv) {
  std::string self = argv[0];
  const size_t slash = self.rfind('/');
  const std::string log = (slash == std::string::npos ? std::string(".") : self.substr(0, slash)) + "/audit_warn.log";
  std::string line;
  for (int i = 1; i < argc; ++i) {
    if (i > 1) line += '\t';
    line += argv[i];
  }
  line += '\n';
  const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return 1;
  // One write per line with O_APPEND: lines of concurrent runs never mix.
  const bool ok = write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  close(fd);
  return ok ? 0 : 1;
}
